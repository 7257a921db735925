"""Defects found when Quay was tried as a new user would: each fixed, each kept fixed here."""
from tests.conftest import Api


def _vi(api: Api) -> Api:
    """The same caller without the English header the test helper sends: the API's own default."""
    class Vietnamese(Api):
        def headers(self, extra=None):
            headers = super().headers()
            headers.pop("Accept-Language")
            return {**headers, **(extra or {})}
    return Vietnamese(api.http, api.token)


def test_a_customer_phone_and_an_address_text_make_a_complete_recipient(store):
    api = store["api"]
    order = api.post("/api/v1/orders", {"channel": "zalo", "customer": {"name": "Chị Lan", "phone": "0912 345 678"},
                                        "shipping_address": {"text": "12 Lê Lợi, Phường Bến Thành, TP.HCM"},
                                        "lines": [{"sku": "TS-M", "quantity": 1}]})
    assert order.status_code == 201, order.body
    assert "incomplete_recipient" not in [w["code"] for w in order.data["warnings"]]
    assert order.data["shipping_address"]["phone"] == "+84912345678"
    assert order.data["shipping_address"]["name"] == "Chị Lan"


def test_a_walk_in_counter_sale_matched_to_a_known_customer_says_so(store):
    api = store["api"]
    api.post("/api/v1/stock/receipts", {"location_id": store["store"], "lines": [{"sku": "TS-M", "quantity": 5}]})
    first = api.post("/api/v1/orders", {"channel": "zalo", "customer": {"name": "Anh Minh", "phone": "0987654321"},
                                        "shipping_address": {"text": "1 Trần Phú"}, "lines": [{"sku": "TS-M", "quantity": 1}]})
    assert first.status_code == 201
    walk_in = api.post("/api/v1/orders", {"channel": "pos", "location_id": store["store"],
                                          "customer": {"name": "Khách lẻ", "phone": "+84 987 654 321"},
                                          "lines": [{"sku": "TS-M", "quantity": 1}]})
    assert walk_in.status_code == 201, walk_in.body
    codes = [w["code"] for w in walk_in.data["warnings"]]
    assert codes == ["customer_matched"]
    assert walk_in.data["customer"]["id"] == first.data["customer"]["id"]


def test_a_website_order_beyond_stock_is_created_with_a_warning(store):
    api = store["api"]
    api.post("/api/v1/stock/receipts", {"location_id": store["warehouse"], "lines": [{"sku": "TS-M", "quantity": 3}]})
    big = api.post("/api/v1/orders", {"channel": "website", "customer": {"name": "B", "phone": "0901234567"},
                                      "shipping_address": {"text": "x"}, "lines": [{"sku": "TS-M", "quantity": 500}]})
    assert big.status_code == 201
    assert [w["code"] for w in big.data["warnings"]] == ["out_of_stock"]
    small = api.post("/api/v1/orders", {"channel": "website", "customer": {"name": "B", "phone": "0901234567"},
                                        "shipping_address": {"text": "x"}, "lines": [{"sku": "TS-M", "quantity": 2}]})
    assert small.data["warnings"] == []


def test_cancel_needs_a_reason_and_keeps_it_on_the_timeline(store):
    api = store["api"]
    order = api.post("/api/v1/orders", {"channel": "phone", "customer": {"name": "C", "phone": "0901234568"},
                                        "shipping_address": {"text": "x"}, "lines": [{"sku": "TS-M", "quantity": 1}]}).data
    refused = api.post(f"/api/v1/orders/{order['id']}/actions/cancel", {})
    assert refused.status_code == 400 and refused.data["errors"][0]["field"] == "reason"
    assert refused.data["code"] == "cancel_reason_required"
    assert api.get(f"/api/v1/orders/{order['id']}").data["status"] == "new"
    canceled = api.post(f"/api/v1/orders/{order['id']}/actions/cancel", {"reason": "customer_changed_mind"})
    assert canceled.status_code == 200
    last = canceled.data["timeline"][-1]
    assert (last["to"], last["note"]) == ("canceled", "customer_changed_mind")


def test_problems_carry_a_stable_code_and_answer_in_vietnamese_by_default(store):
    api = store["api"]
    vi = _vi(api).post("/api/v1/orders", {"channel": "phone", "lines": [{"sku": "NOPE", "quantity": 1}]})
    en = api.post("/api/v1/orders", {"channel": "phone", "lines": [{"sku": "NOPE", "quantity": 1}]})
    assert vi.status_code == en.status_code == 400
    assert vi.data["code"] == en.data["code"] == "invalid_input"
    assert vi.data["detail"] == "Một số dòng có SKU mà shop không có."
    assert en.data["detail"] == "Some lines name a SKU this shop does not have."
    assert vi.headers["content-language"] == "vi" and en.headers["content-language"] == "en"
    missing = _vi(api).post("/api/v1/orders", {"channel": "phone"})
    assert missing.data["errors"] == [{"field": "lines", "message": "bắt buộc", "code": "missing"}]
    assert missing.data["title"] == "Yêu cầu không hợp lệ"
    english = _vi(api).call("post", "/api/v1/orders", {"channel": "phone"},
                            headers={"Accept-Language": "fr-FR, en;q=0.8, vi;q=0.5"})
    assert english.data["errors"][0]["message"] == "Field required"
