"""The security review's findings, each reproduced and kept fixed (issue: no way around a role or
a location). Staff of the store must not act on the warehouse however they call the API."""
import pytest

from tests.conftest import unique_email

STRONG = "mai-vang-2026"


def _staff(owner, api, role, location_ids, password=STRONG):
    email = unique_email(role)
    created = owner.post("/api/v1/staff", {"email": email, "name": role.title(), "role": role, "password": password,
                                           "location_ids": location_ids})
    assert created.status_code == 201, created.body
    token = api.post("/api/v1/auth/login", {"email": email, "password": password}).data["access_token"]
    return api.as_(token), created.data


@pytest.fixture
def shop2(api, store):
    """The store fixture plus: a manager and a cashier limited to the store, an unrestricted manager,
    stock at the warehouse and an order confirmed there."""
    owner, wh, counter = store["api"], store["warehouse"], store["store"]
    owner.post("/api/v1/stock/receipts", {"location_id": wh, "lines": [{"sku": "TS-M", "quantity": 10, "unit_cost": 55000}]})
    owner.post("/api/v1/stock/receipts", {"location_id": counter, "lines": [{"sku": "TS-M", "quantity": 3}]})
    store_manager, store_manager_data = _staff(owner, api, "manager", [counter])
    cashier, _ = _staff(owner, api, "cashier", [counter])
    boss, boss_data = _staff(owner, api, "manager", [])
    order = owner.post("/api/v1/orders", {"channel": "website", "customer": {"name": "A", "phone": "0901234567"},
                                          "shipping_address": {"text": "1 Lê Lợi"},
                                          "lines": [{"sku": "TS-M", "quantity": 1}]}).data
    confirmed = owner.post(f"/api/v1/orders/{order['id']}/actions/confirm", {"location_id": wh}).data
    return {**store, "store_manager": store_manager, "store_manager_id": store_manager_data["id"], "cashier": cashier,
            "boss_id": boss_data["id"], "order": confirmed}


def _level(owner, sku, location):
    return next(x for x in owner.get(f"/api/v1/stock/{sku}").data["locations"] if x["location_id"] == location)


def test_a_store_manager_cannot_widen_their_own_scope_or_reach_the_warehouse_through_accounts(api, shop2):
    manager, wh, counter = shop2["store_manager"], shop2["warehouse"], shop2["store"]
    me = shop2["store_manager_id"]
    assert manager.patch(f"/api/v1/staff/{me}", {"location_ids": []}).status_code == 403
    assert manager.patch(f"/api/v1/staff/{me}", {"location_ids": [counter, wh]}).status_code == 403
    made = manager.post("/api/v1/staff", {"email": unique_email("wh"), "name": "W", "role": "warehouse",
                                          "password": STRONG, "location_ids": [wh]})
    assert made.status_code == 403
    everywhere = manager.post("/api/v1/staff", {"email": unique_email("wh"), "name": "W", "role": "warehouse",
                                                "password": STRONG, "location_ids": []})
    assert everywhere.status_code == 403
    reset = manager.patch(f"/api/v1/staff/{shop2['boss_id']}", {"password": "hijack-the-boss-2026"})
    assert reset.status_code == 403
    owner = shop2["api"]
    assert owner.get(f"/api/v1/staff/{me}").data["location_ids"] == [counter]
    ok = manager.post("/api/v1/staff", {"email": unique_email("c"), "name": "C", "role": "cashier",
                                        "password": STRONG, "location_ids": [counter]})
    assert ok.status_code == 201  # within their own scope it works


def test_reservations_obey_location_limits(shop2):
    owner, cashier, wh = shop2["api"], shop2["cashier"], shop2["warehouse"]
    before = _level(owner, "TS-M", wh)
    refused = cashier.post("/api/v1/stock/reservations", {"reservation_id": "r-wh-1", "location_id": wh,
                                                          "lines": [{"sku": "TS-M", "quantity": 1}]})
    assert refused.status_code == 403
    owner.post("/api/v1/stock/reservations", {"reservation_id": "r-wh-2", "location_id": wh,
                                              "lines": [{"sku": "TS-M", "quantity": 1}]})
    assert cashier.post("/api/v1/stock/reservations/r-wh-2/commit").status_code == 403
    assert cashier.post("/api/v1/stock/reservations/r-wh-2/release").status_code == 403
    after = _level(owner, "TS-M", wh)
    assert (after["on_hand"], after["reserved"]) == (before["on_hand"], before["reserved"] + 1)


def test_order_and_shipment_routes_check_the_orders_own_location(shop2):
    owner, manager, order = shop2["api"], shop2["store_manager"], shop2["order"]
    shipment = order["shipments"][0]["id"]
    path = f"/api/v1/orders/{order['id']}"
    attempts = [manager.post(f"{path}/actions/pack", {}), manager.post(f"{path}/actions/cancel", {"reason": "x"}),
                manager.post(f"{path}/actions/mark_paid", {}), manager.patch(path, {"note": "mine now"}),
                manager.patch(f"/api/v1/shipments/{shipment}", {"tracking_number": "X1"}),
                manager.post(f"/api/v1/shipments/{shipment}/scan", {"code": "TS-M"}),
                manager.get(path), manager.get(f"/api/v1/shipments/{shipment}/packing-slip")]
    assert [a.status_code for a in attempts] == [403] * len(attempts)
    stored = owner.get(path).data
    assert (stored["status"], stored["note"], stored["version"]) == ("confirmed", order["note"], order["version"])
    assert stored["shipments"][0]["lines"][0]["scanned"] == 0


def test_order_lists_and_badges_show_a_store_manager_only_the_orders_they_may_open(shop2):
    owner, manager, warehouse_order = shop2["api"], shop2["store_manager"], shop2["order"]
    sale = owner.post("/api/v1/orders", {"channel": "pos", "location_id": shop2["store"],
                                         "lines": [{"sku": "TS-M", "quantity": 1}]}).data
    unrouted = owner.post("/api/v1/orders", {"channel": "website", "customer": {"name": "B", "phone": "0907654321"},
                                             "shipping_address": {"text": "2 Lê Lợi"},
                                             "lines": [{"sku": "TS-M", "quantity": 1}]}).data
    everything = {o["id"] for o in owner.get("/api/v1/orders").data["items"]}
    assert {warehouse_order["id"], sale["id"], unrouted["id"]} <= everything
    mine = {o["id"] for o in manager.get("/api/v1/orders").data["items"]}
    assert mine == {sale["id"], unrouted["id"]}  # the warehouse's confirmed order is not theirs to open
    assert [o["id"] for o in manager.get("/api/v1/orders?status=confirmed").data["items"]] == []
    assert manager.get("/api/v1/orders?status=completed").data["items"][0]["id"] == sale["id"]
    badges = manager.get("/api/v1/orders/counts").data["counts"]
    assert (badges["confirmed"], badges["completed"], badges["new"]) == (0, 1, 1)
    assert owner.get("/api/v1/orders/counts").data["counts"]["confirmed"] == 1


def test_a_confirm_without_a_location_routes_only_to_the_staff_members_locations(shop2):
    owner, manager, wh, counter = shop2["api"], shop2["store_manager"], shop2["warehouse"], shop2["store"]
    order = owner.post("/api/v1/orders", {"channel": "website", "customer": {"name": "B", "phone": "0901234568"},
                                          "shipping_address": {"text": "2 Lê Lợi"},
                                          "lines": [{"sku": "TS-M", "quantity": 1}]}).data
    confirmed = manager.post(f"/api/v1/orders/{order['id']}/actions/confirm", {})
    assert confirmed.status_code == 200, confirmed.body
    assert confirmed.data["shipments"][0]["location_id"] == counter  # the warehouse comes first for website
    assert manager.post(f"/api/v1/orders/{order['id']}/actions/confirm", {"location_id": wh}).status_code in (403, 409)
    big = owner.post("/api/v1/orders", {"channel": "website", "customer": {"name": "B", "phone": "0901234568"},
                                        "shipping_address": {"text": "2 Lê Lợi"}, "lines": [{"sku": "TS-M", "quantity": 5}]})
    held = manager.post(f"/api/v1/orders/{big.data['id']}/actions/confirm", {})
    assert held.status_code == 409  # the store has 2 left: never routed to the warehouse for a store manager
    assert _level(owner, "TS-M", wh)["reserved"] == 1


def test_the_low_stock_threshold_of_another_location_is_refused(shop2):
    manager, wh = shop2["store_manager"], shop2["warehouse"]
    answer = manager.call("put", f"/api/v1/stock/TS-M/locations/{wh}/threshold", {"low_stock_threshold": 99})
    assert answer.status_code == 403
    assert _level(shop2["api"], "TS-M", wh)["low_stock_threshold"] is None


def test_the_ledger_hides_cost_prices_from_roles_that_may_not_see_them(shop2):
    owner, cashier = shop2["api"], shop2["cashier"]
    assert any(m["unit_cost"] == 55000 for m in owner.get("/api/v1/stock/TS-M/ledger").data["items"])
    assert all(m["unit_cost"] is None for m in cashier.get("/api/v1/stock/TS-M/ledger").data["items"])


@pytest.mark.parametrize("change", [{"active": False}, {"role": "warehouse"}, {"location_ids": ["__store__"]},
                                    {"password": "a-brand-new-phrase-2026"}])
def test_access_ends_on_the_next_request_when_it_is_taken_away(api, shop2, change):
    owner, wh = shop2["api"], shop2["warehouse"]
    helper, made = _staff(owner, api, "sales", [])
    assert helper.get("/api/v1/orders").status_code == 200
    if "location_ids" in change:
        change = {"location_ids": [shop2["store"]]}
    assert owner.patch(f"/api/v1/staff/{made['id']}", change).status_code == 200
    after = helper.get("/api/v1/orders")
    assert after.status_code == 401 and after.data["code"] == "session_ended"
    write = helper.post("/api/v1/stock/reservations", {"reservation_id": "late-1", "location_id": wh,
                                                       "lines": [{"sku": "TS-M", "quantity": 1}]})
    assert write.status_code == 401
    assert owner.get("/api/v1/stock/reservations/late-1").status_code == 404


def test_a_password_reset_ends_the_refresh_session_too(api, shop2):
    owner = shop2["api"]
    email = unique_email("sales")
    made = owner.post("/api/v1/staff", {"email": email, "name": "S", "role": "sales", "password": STRONG}).data
    session = api.post("/api/v1/auth/login", {"email": email, "password": STRONG}).data
    owner.patch(f"/api/v1/staff/{made['id']}", {"password": "a-brand-new-phrase-2026"})
    assert api.post("/api/v1/auth/refresh", {"refresh_token": session["refresh_token"]}).status_code == 401


@pytest.mark.parametrize("path", ["/api/v1/products", "/api/v1/auth/login", "/api/v1/signup"])
def test_deeply_nested_json_is_a_400_not_a_500(api, shop2, path):
    caller = shop2["api"] if path == "/api/v1/products" else api
    body = b"[" * 50_000 + b"]" * 50_000
    answer = caller.post(path, raw=b'{"name": ' + body + b"}")
    assert answer.status_code == 400 and answer.data["errors"][0]["field"] == "body"


def test_exported_csv_cells_never_run_as_formulas(shop2):
    owner = shop2["api"]
    owner.post("/api/v1/products", {"name": "=HYPERLINK(\"http://evil\",\"x\")", "category": "+cmd",
                                    "variants": [{"sku": "@SUM", "price": 1000, "attributes": {"Màu": "-2+3"}}]})
    text = owner.get("/api/v1/products/export").body.decode("utf-8-sig")
    row = next(line for line in text.splitlines() if "SUM" in line)
    assert row.startswith("\"'=HYPERLINK") and ",'+cmd," in row and ",'@SUM," in row


def test_security_headers_on_json_html_and_the_app(api, shop2):
    owner, order = shop2["api"], shop2["order"]
    json_answer = owner.get("/api/v1/orders")
    html_answer = owner.get(f"/api/v1/orders/{order['id']}/receipt")
    for answer in (json_answer, html_answer):
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["referrer-policy"] == "no-referrer"
        assert "frame-ancestors" in answer.headers["content-security-policy"]
    assert json_answer.headers["cache-control"] == "no-store"
    assert json_answer.headers["x-frame-options"] == "DENY"
    assert "script-src" not in html_answer.headers["content-security-policy"]


def test_skus_are_one_unicode_form_and_control_characters_are_refused(shop2):
    owner = shop2["api"]
    composed, decomposed = "ÁO-1", "A\u0301O-1"
    assert owner.post("/api/v1/products", {"name": "P", "variants": [{"sku": composed, "price": 1}]}).status_code == 201
    again = owner.post("/api/v1/products", {"name": "P", "variants": [{"sku": decomposed, "price": 1}]})
    assert again.status_code == 409
    nul = owner.post("/api/v1/products", {"name": "P", "variants": [{"sku": "AB\u0000C", "price": 1}]})
    assert nul.status_code == 400 and nul.data["errors"][0]["field"] == "variants.0.sku"
    assert owner.get(f"/api/v1/stock/{decomposed}").status_code in (200, 404)


@pytest.mark.parametrize("weak", ["12345678", "password", "password-1", "quay-shop"])
def test_weak_passwords_are_refused(api, weak):
    answer = api.post("/api/v1/signup", {"shop_name": "S", "owner_name": "A", "owner_email": unique_email(),
                                         "owner_password": weak})
    assert answer.status_code == 400 and answer.data["errors"][0]["field"] == "owner_password"


def test_signup_is_throttled_per_source_address(api):
    answers = [api.post("/api/v1/signup", {"shop_name": f"S{n}", "owner_name": "A", "owner_email": unique_email(),
                                           "owner_password": "cay-tre-2026"}).status_code for n in range(12)]
    assert answers[:10] == [201] * 10 and answers[10:] == [429, 429]
