"""Printed documents as a shop needs them: the 80 mm receipt with the shop's address, variant
names, the payment method in Vietnamese and the change given; the packing slip with a barcode a
scanner reads. The shop's own settings feed them."""


def _counter_sale(api, store, **payment):
    api.post("/api/v1/stock/receipts", {"location_id": store["store"], "lines": [{"sku": "TS-M", "quantity": 5}]})
    sale = api.post("/api/v1/orders", {"channel": "pos", "location_id": store["store"],
                                       "lines": [{"sku": "TS-M", "quantity": 2}],
                                       "payment": {"method": "cash", **payment}})
    return sale


def test_the_receipt_shows_shop_address_variant_method_and_change(store):
    api = store["api"]
    shop = api.patch("/api/v1/shop", {"address": "12 Lê Lợi, Phường Bến Thành, TP.HCM", "phone": "028 3822 1234"})
    assert shop.status_code == 200 and shop.data["address"].startswith("12 Lê Lợi")
    api.post(f"/api/v1/products/{store['product']['id']}/variants",
             {"sku": "TS-RED-M", "price": 120000, "attributes": {"Màu": "Đỏ", "Size": "M"}})
    api.post("/api/v1/stock/receipts", {"location_id": store["store"], "lines": [{"sku": "TS-RED-M", "quantity": 3}]})
    sale = api.post("/api/v1/orders", {"channel": "pos", "location_id": store["store"],
                                       "lines": [{"sku": "TS-RED-M", "quantity": 2}],
                                       "payment": {"method": "cash", "cash_given": 250000}})
    assert sale.status_code == 201, sale.body
    assert sale.data["lines"][0]["variant"] == "Đỏ / M"
    receipt = api.get(f"/api/v1/orders/{sale.data['id']}/receipt").body.decode()
    assert "12 Lê Lợi, Phường Bến Thành, TP.HCM" in receipt and "ĐT: 028 3822 1234" in receipt
    assert "Áo thun (Đỏ / M)" in receipt
    assert "Thanh toán: Tiền mặt" in receipt
    assert "Tiền khách đưa" in receipt and "250.000 ₫" in receipt
    assert "Tiền thối lại" in receipt and "10.000 ₫" in receipt


def test_cash_given_below_the_total_is_refused_and_sells_nothing(store):
    api = store["api"]
    short = _counter_sale(api, store, cash_given=100000)
    assert short.status_code == 400 and short.data["errors"][0]["field"] == "payment.cash_given"
    level = next(x for x in api.get("/api/v1/stock/TS-M").data["locations"] if x["location_id"] == store["store"])
    assert level["on_hand"] == 5


def test_the_packing_slip_carries_a_barcode_of_the_shipment(store):
    api, wh = store["api"], store["warehouse"]
    api.post("/api/v1/stock/receipts", {"location_id": wh, "lines": [{"sku": "TS-M", "quantity": 2}]})
    order = api.post("/api/v1/orders", {"channel": "phone", "customer": {"name": "A", "phone": "0901234567"},
                                        "shipping_address": {"text": "1 Lê Lợi"}, "lines": [{"sku": "TS-M", "quantity": 1}]})
    confirmed = api.post(f"/api/v1/orders/{order.data['id']}/actions/confirm", {"location_id": wh}).data
    shipment = confirmed["shipments"][0]["id"]
    slip = api.get(f"/api/v1/shipments/{shipment}/packing-slip").body.decode()
    assert "<svg" in slip and "<rect" in slip and shipment in slip


def test_shop_settings_are_checked_audited_and_only_for_the_owner(api, store):
    owner = store["api"]
    assert owner.patch("/api/v1/shop", {"timezone": "Mars/Olympus"}).status_code == 400
    bad_bank = owner.patch("/api/v1/shop", {"bank": {"bin": "12", "account": "x", "account_name": "A"}})
    assert bad_bank.status_code == 400 and bad_bank.data["errors"][0]["field"].startswith("bank.")
    good = owner.patch("/api/v1/shop", {"bank": {"bin": "970436", "account": "0071000123456", "account_name": "TIEM HOA"}})
    assert good.status_code == 200 and owner.get("/api/v1/shop").data["bank"]["bin"] == "970436"
    trail = owner.get("/api/v1/audit?entity_type=setting&entity_id=shop").data["items"]
    assert trail[0]["action"] == "shop.updated"
    from tests.conftest import unique_email
    email = unique_email("m")
    owner.post("/api/v1/staff", {"email": email, "name": "M", "role": "manager", "password": "mai-vang-2026"})
    manager = api.as_(api.post("/api/v1/auth/login", {"email": email, "password": "mai-vang-2026"}).data["access_token"])
    assert manager.patch("/api/v1/shop", {"name": "Mine"}).status_code == 403
    assert owner.get("/api/v1/shop").data["name"] == "Shop Thử"
