"""Another shop's ids are simply not found (404), for every kind of entity, and cannot be acted on."""
from tests.conftest import unique_email
from tests.test_orders import act, order
from tests.test_stock import receive


def _other_shop(api):
    email = unique_email()
    api.post("/api/v1/signup", {"shop_name": "B", "owner_name": "B", "owner_email": email,
                                "owner_password": "sen-hong-2026"})
    return api.as_(api.post("/api/v1/auth/login", {"email": email, "password": "sen-hong-2026"}).data["access_token"])


def test_shop_b_cannot_see_or_touch_shop_a(api, store):
    a, wh = store["api"], store["warehouse"]
    receive(a, wh, quantity=5)
    o = order(a).data
    act(a, o["id"], "confirm")
    customer_id = o["customer"]["id"]
    shipment_id = a.get(f"/api/v1/orders/{o['id']}").data["shipments"][0]["id"]
    sent = a.post("/api/v1/stock/transfers", {"from_location_id": wh, "to_location_id": store["store"],
                                              "lines": [{"sku": "TS-M", "quantity": 1}]}).data
    b = _other_shop(api)
    for path in (f"/api/v1/orders/{o['id']}", f"/api/v1/customers/{customer_id}", f"/api/v1/locations/{wh}",
                 f"/api/v1/stock/transfers/{sent['id']}", f"/api/v1/products/{store['product']['id']}",
                 f"/api/v1/orders/{o['id']}/receipt", f"/api/v1/shipments/{shipment_id}/packing-slip",
                 f"/api/v1/staff/{store['owner_id']}"):
        assert b.get(path).status_code == 404, path
    assert act(b, o["id"], "cancel").status_code == 404
    assert b.post(f"/api/v1/shipments/{shipment_id}/scan", {"code": "TS-M"}).status_code == 404
    assert b.post(f"/api/v1/stock/transfers/{sent['id']}/receive", {}).status_code == 404
    assert b.post(f"/api/v1/customers/{customer_id}/merge", {"other_id": customer_id + "x"}).status_code == 404
    # B's stock routes see B's (empty) catalog: A's SKU is unknown there.
    assert b.get("/api/v1/stock/TS-M").status_code == 404
    assert b.get("/api/v1/stock/TS-M/ledger").status_code == 404
    assert b.post("/api/v1/stock/receipts", {"location_id": wh, "lines": [{"sku": "TS-M", "quantity": 1}]}
                  ).status_code == 400
    assert b.get("/api/v1/orders").data["items"] == [] and b.get("/api/v1/customers?phone=0901").data["items"] == []
    assert a.get(f"/api/v1/orders/{o['id']}").data["status"] == "confirmed"
