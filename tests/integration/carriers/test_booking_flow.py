"""Carrier accounts, quotes, booking exactly once, cancel, labels, callbacks, the scheduled pull and
COD statements, through the HTTP API against DynamoDB Local and fake GHN and GHTK servers that check
each request as the carriers do."""
from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import unique_email
from tests.integration.carriers.fakes import LOST

GHN_CREATE = "/shiip/public-api/v2/shipping-order/create"
GHTK_CREATE = "/services/shipment/order"
ADDRESS = {"name": "Nguyễn Văn A", "phone": "0987654321", "text": "72 Thành Thái, Phường 14, Quận 10, Hồ Chí Minh"}
PICKUP = {"phone": "0911222333", "street": "590 CMT8", "ward_name": "Phường Bến Thành", "district_name": "Quận 1",
          "province_name": "TP. Hồ Chí Minh"}


def _account(owner, warehouse, carrier, **extra):
    body = {"ghn": {"carrier": "ghn", "name": "GHN chính", "token": "ghn-token", "carrier_shop_id": "885"},
            "ghtk": {"carrier": "ghtk", "name": "GHTK", "token": "ghtk-token", "carrier_shop_id": "S308157"}}[carrier]
    made = owner.post("/api/v1/carrier-accounts", {**body, "pick_location_id": warehouse, "pick_address": PICKUP, **extra})
    assert made.status_code == 201, made.body
    return made.data


def _packed_order(owner, warehouse, payment=None, quantity=2):
    owner.post("/api/v1/stock/receipts", {"location_id": warehouse, "lines": [{"sku": "TS-M", "quantity": 10}]})
    body = {"channel": "website", "customer": {"name": "Nguyễn Văn A", "phone": "0987654321"},
            "shipping_address": ADDRESS, "lines": [{"sku": "TS-M", "quantity": quantity}]}
    if payment:
        body["payment"] = payment
    order = owner.post("/api/v1/orders", body).data
    for action, extra in (("confirm", {"location_id": warehouse}), ("pack", {}), ("mark_ready", {"verified_without_scan": True})):
        moved = owner.post(f"/api/v1/orders/{order['id']}/actions/{action}", extra)
        assert moved.status_code == 200, moved.body
    return moved.data


@pytest.fixture
def world(store, fakes):
    owner, wh = store["api"], store["warehouse"]
    ghn, ghtk = _account(owner, wh, "ghn"), _account(owner, wh, "ghtk")
    order = _packed_order(owner, wh)
    return {**store, **fakes, "owner": owner, "ghn_account": ghn, "ghtk_account": ghtk, "order": order,
            "shipment": order["shipments"][0]["id"]}


def _order(owner, order_id):
    return owner.get(f"/api/v1/orders/{order_id}").data


def _book(w, account="ghn_account", **extra):
    return w["owner"].post(f"/api/v1/shipments/{w['shipment']}/actions/book",
                           {"carrier_account_id": w[account]["id"], **extra})


def _ghn_callback(w, status, at, *, secret=None, tracking=None, shop_id=885, api=None):
    account = w["ghn_account"]
    secret = secret if secret is not None else account["webhook_url"].split("hash=")[1]
    body = {"CODAmount": 200000, "ClientOrderCode": w["shipment"], "OrderCode": tracking or w["tracking"],
            "ShopID": shop_id, "Status": status, "Time": at, "TotalFee": 33000, "Type": "switch_status",
            "Reason": "", "Description": status}
    return (api or w["api_public"]).post(f"/api/v1/webhooks/carriers/ghn/{account['id']}?hash={secret}", body)


# --- accounts ------------------------------------------------------------------------------------
def test_account_keeps_its_token_secret_and_gives_the_callback_url_once(world):
    owner, account = world["owner"], world["ghn_account"]
    assert account["status"] == "unverified" and "token" not in account
    assert account["webhook_url"].startswith(f"https://api.quay.test/api/v1/webhooks/carriers/ghn/{account['id']}?hash=")
    listed = owner.get("/api/v1/carrier-accounts").data["items"]
    assert {a["carrier"] for a in listed} == {"ghn", "ghtk"}
    shown = owner.get(f"/api/v1/carrier-accounts/{account['id']}")
    assert b"ghn-token" not in shown.body and b"hash=" not in shown.body
    changed = owner.patch(f"/api/v1/carrier-accounts/{account['id']}", {"name": "GHN Gò Vấp", "default_service": "53320"})
    assert changed.status_code == 200 and changed.data["name"] == "GHN Gò Vấp"


def test_a_ghn_account_needs_its_shop_id(store, fakes):
    made = store["api"].post("/api/v1/carrier-accounts", {"carrier": "ghn", "name": "GHN", "token": "t",
                                                          "pick_location_id": store["warehouse"]})
    assert made.status_code == 400 and made.data["errors"][0]["field"] == "carrier_shop_id"


# --- quotes --------------------------------------------------------------------------------------
def test_quotes_side_by_side_with_errors_listed_not_fatal(world):
    owner = world["owner"]
    _account(owner, world["warehouse"], "ghn", name="GHN hết hạn", token="expired")
    answer = owner.post(f"/api/v1/shipments/{world['shipment']}/quotes", {"weight_g": 800})
    assert answer.status_code == 200, answer.body
    quotes = {(q["carrier"], q["service"]): q["fee"] for q in answer.data["quotes"]}
    assert quotes == {("ghn", "53320"): 36300, ("ghtk", "road"): 30400, ("ghtk", "fly"): 45000}
    assert [e["carrier"] for e in answer.data["errors"]] == ["ghn"]
    assert "token" in answer.data["errors"][0]["detail"]
    fee_call = next(r for r in world["ghn_server"].requests if r.path.endswith("/fee"))
    assert fee_call.json()["to_district_id"] == 1452 and fee_call.json()["to_ward_code"] == "21014"
    assert fee_call.json()["weight"] == 800 and fee_call.json()["cod_value"] == 200000
    statuses = {a["name"]: a["status"] for a in owner.get("/api/v1/carrier-accounts").data["items"]}
    assert statuses == {"GHN chính": "active", "GHTK": "active", "GHN hết hạn": "auth_failed"}


# --- booking -------------------------------------------------------------------------------------
def test_book_sends_the_order_and_the_cod_owed_and_moves_nothing_else(world):
    booked = _book(world, note="Gọi trước khi giao", insurance_value=200000, payer="shop")
    assert booked.status_code == 200, booked.body
    shipment = booked.data
    assert shipment["carrier"] == "ghn" and shipment["tracking_number"] in world["ghn"].orders
    assert shipment["cod_amount"] == 200000 and shipment["shipping_fee"] == 33000
    assert shipment["carrier_status"] == "ready_to_pick" and shipment["carrier_order_id"] == shipment["tracking_number"]
    sent = next(r for r in world["ghn_server"].requests if r.path == GHN_CREATE).json()
    assert sent["client_order_code"] == world["shipment"] and sent["cod_amount"] == 200000
    assert sent["to_name"] == "Nguyễn Văn A" and sent["to_ward_code"] == "21014" and sent["payment_type_id"] == 1
    assert sent["required_note"] == "CHOXEMHANGKHONGTHU" and sent["insurance_value"] == 200000
    order = _order(world["owner"], world["order"]["id"])
    assert order["status"] == "ready_to_ship" and order["shipments"][0]["tracking_number"] == shipment["tracking_number"]


def test_prepaid_order_books_with_zero_cod(store, fakes):
    owner, wh = store["api"], store["warehouse"]
    account = _account(owner, wh, "ghtk")
    order = _packed_order(owner, wh, payment={"method": "bank_transfer", "status": "paid", "amount_paid": 200000})
    booked = owner.post(f"/api/v1/shipments/{order['shipments'][0]['id']}/actions/book", {"carrier_account_id": account["id"]})
    assert booked.status_code == 200, booked.body
    sent = next(r for r in fakes["ghtk_server"].requests if r.path == GHTK_CREATE).json()["order"]
    assert sent["pick_money"] == 0 and sent["id"] == order["shipments"][0]["id"] and sent["tags"] == [10]
    assert booked.data["cod_amount"] == 0


def test_a_lost_answer_then_a_retry_is_one_carrier_order(world):
    world["ghn"].fail(GHN_CREATE, LOST)
    first = _book(world)
    again = _book(world)
    assert first.status_code == again.status_code == 200
    assert len(world["ghn"].orders) == 1 and world["ghn_server"].paths().count(GHN_CREATE) == 1
    assert first.data["tracking_number"] == again.data["tracking_number"]


def test_a_replayed_idempotency_key_books_nothing_twice(world):
    first = world["owner"].post(f"/api/v1/shipments/{world['shipment']}/actions/book",
                                {"carrier_account_id": world["ghn_account"]["id"]}, headers={"Idempotency-Key": "book-1"})
    again = world["owner"].post(f"/api/v1/shipments/{world['shipment']}/actions/book",
                                {"carrier_account_id": world["ghn_account"]["id"]}, headers={"Idempotency-Key": "book-1"})
    assert again.headers.get("idempotent-replayed") == "true" and again.data == first.data
    assert len(world["ghn"].orders) == 1


def test_a_failed_booking_shows_the_carriers_reason_in_vietnamese_and_changes_nothing(world):
    owner = world["owner"]
    before = _order(owner, world["order"]["id"])
    bad = owner.post("/api/v1/carrier-accounts", {"carrier": "ghn", "name": "GHN sai shop", "token": "ghn-token",
                                                  "carrier_shop_id": "1", "pick_location_id": world["warehouse"]}).data
    refused = owner.call("post", f"/api/v1/shipments/{world['shipment']}/actions/book",
                         {"carrier_account_id": bad["id"]}, headers={"Accept-Language": "vi"})
    assert refused.status_code == 409, refused.body
    assert refused.data["code"] == "carrier_rejected" and "Giao Hàng Nhanh từ chối" in refused.data["detail"]
    assert "Shop ID is invalid" in refused.data["reason"]
    assert _order(owner, world["order"]["id"]) == before and not world["ghn"].orders


def test_a_carrier_5xx_on_create_is_503_and_changes_nothing(world):
    world["ghtk"].fail(GHTK_CREATE, 502)
    answer = _book(world, "ghtk_account")
    assert answer.status_code == 503, answer.body
    assert _order(world["owner"], world["order"]["id"])["shipments"][0]["tracking_number"] is None


def test_only_a_packed_parcel_can_be_booked(store, fakes):
    owner, wh = store["api"], store["warehouse"]
    account = _account(owner, wh, "ghn")
    owner.post("/api/v1/stock/receipts", {"location_id": wh, "lines": [{"sku": "TS-M", "quantity": 1}]})
    order = owner.post("/api/v1/orders", {"channel": "website", "shipping_address": ADDRESS,
                                          "lines": [{"sku": "TS-M", "quantity": 1}]}).data
    confirmed = owner.post(f"/api/v1/orders/{order['id']}/actions/confirm", {"location_id": wh}).data
    answer = owner.post(f"/api/v1/shipments/{confirmed['shipments'][0]['id']}/actions/book",
                        {"carrier_account_id": account["id"]})
    assert answer.status_code == 409 and not fakes["ghn"].orders


def test_cancel_calls_the_carrier_first_then_the_parcel_can_be_booked_again(world):
    owner = world["owner"]
    first = _book(world).data
    canceled = owner.post(f"/api/v1/shipments/{world['shipment']}/actions/cancel_booking", {"reason": "đổi hãng"})
    assert canceled.status_code == 200, canceled.body
    assert canceled.data["tracking_number"] is None and world["ghn"].orders[first["tracking_number"]]["status"] == "cancel"
    again = _book(world, "ghtk_account")
    assert again.status_code == 200 and again.data["carrier"] == "ghtk"
    assert next(iter(world["ghtk"].orders.values()))["client_code"] == world["shipment"] + "-R2"


def test_cancel_refused_by_the_carrier_changes_nothing(world):
    owner = world["owner"]
    booked = _book(world).data
    world["ghn"].orders[booked["tracking_number"]]["status"] = "picked"
    refused = owner.post(f"/api/v1/shipments/{world['shipment']}/actions/cancel_booking", {"reason": "x"})
    assert refused.status_code == 409
    assert _order(owner, world["order"]["id"])["shipments"][0]["tracking_number"] == booked["tracking_number"]


# --- labels --------------------------------------------------------------------------------------
def test_label_has_a_code_128_of_the_tracking_number_and_the_cod_amount(world):
    tracking = _book(world).data["tracking_number"]
    for size in ("a6", "80mm"):
        label = world["owner"].get(f"/api/v1/shipments/{world['shipment']}/label?size={size}")
        assert label.status_code == 200 and label.headers["content-type"].startswith("text/html")
        page = label.body.decode()
        assert "<svg" in page and tracking in page and "200.000 ₫" in page and "Nguyễn Văn A" in page


def test_a_wave_prints_as_one_document(world):
    owner = world["owner"]
    first = _book(world).data
    second_order = _packed_order(owner, world["warehouse"], quantity=1)
    second = owner.post(f"/api/v1/shipments/{second_order['shipments'][0]['id']}/actions/book",
                        {"carrier_account_id": world["ghtk_account"]["id"]}).data
    wave = owner.get(f"/api/v1/shipment-labels?ids={first['id']},{second['id']}&size=80mm")
    assert wave.status_code == 200
    page = wave.body.decode()
    assert page.count('class="label"') == 2 and first["tracking_number"] in page and second["tracking_number"] in page
    assert owner.get(f"/api/v1/shipment-labels?ids={world['shipment']},nope-S1").status_code == 404


# --- callbacks -----------------------------------------------------------------------------------
@pytest.fixture
def booked(world, api):
    world["tracking"] = _book(world).data["tracking_number"]
    world["api_public"] = api
    return world


def _at(minutes):
    return (datetime(2026, 11, 23, 3, 0, tzinfo=UTC) + timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z")


def test_callbacks_move_the_order_handed_over_then_completed_cod_still_owed(booked):
    w, owner = booked, booked["owner"]
    picked = _ghn_callback(w, "picked", _at(0))
    assert picked.status_code == 200 and picked.data == {"ok": True, "changed": True}
    order = _order(owner, w["order"]["id"])
    assert order["status"] == "shipping" and order["shipments"][0]["carrier_status"] == "picked"
    level = next(x for x in owner.get("/api/v1/stock/TS-M").data["locations"] if x["location_id"] == w["warehouse"])
    assert level["on_hand"] == 8 and level["reserved"] == 0  # handed over: deducted
    _ghn_callback(w, "delivering", _at(10))
    _ghn_callback(w, "delivered", _at(20))
    order = _order(owner, w["order"]["id"])
    assert order["status"] == "completed" and order["payment"]["status"] == "unpaid"  # the carrier holds the cash


def test_a_replayed_or_late_callback_changes_nothing(booked):
    w, owner = booked, booked["owner"]
    _ghn_callback(w, "picked", _at(0))
    _ghn_callback(w, "delivered", _at(30))
    after = _order(owner, w["order"]["id"])
    assert _ghn_callback(w, "delivered", _at(30)).data["changed"] is False
    assert _ghn_callback(w, "delivering", _at(20)).data["changed"] is False  # older than what we have
    assert _ghn_callback(w, "picked", _at(40)).data["changed"] is False      # a step back
    assert _order(owner, w["order"]["id"]) == after
    assert [e["action"] for e in after["timeline"]].count("hand_over") == 1


def test_a_delivered_callback_before_picked_hands_over_then_completes(booked):
    w = booked
    _ghn_callback(w, "delivered", _at(5))
    order = _order(w["owner"], w["order"]["id"])
    assert order["status"] == "completed"
    assert [e["action"] for e in order["timeline"]][-2:] == ["hand_over", "complete"]


def test_a_returned_parcel_waits_to_be_scanned_back_in_before_restock(booked):
    w, owner = booked, booked["owner"]
    _ghn_callback(w, "picked", _at(0))
    _ghn_callback(w, "return", _at(10))
    _ghn_callback(w, "returned", _at(20))
    order = _order(owner, w["order"]["id"])
    assert order["status"] == "returning" and order["shipments"][0]["carrier_status"] == "returned"
    received = owner.post(f"/api/v1/orders/{w['order']['id']}/actions/return", {"received": True})
    assert received.status_code == 200 and received.data["status"] == "returned"
    level = next(x for x in owner.get("/api/v1/stock/TS-M").data["locations"] if x["location_id"] == w["warehouse"])
    assert level["on_hand"] == 10


def test_a_forged_callback_is_401_and_an_unknown_account_404_and_nothing_is_written(booked):
    w, owner = booked, booked["owner"]
    before = _order(owner, w["order"]["id"])
    assert _ghn_callback(w, "delivered", _at(1), secret="wrong-secret-123456").status_code == 401
    assert _ghn_callback(w, "delivered", _at(1), shop_id=999).status_code == 401
    assert _ghn_callback(w, "delivered", _at(1), tracking="GANOTOURS").status_code == 401
    unknown = w["api_public"].post(f"/api/v1/webhooks/carriers/ghn/{w['tenant_id']}-NOPE?hash=x", {"Status": "delivered"})
    assert unknown.status_code == 404
    wrong_carrier = w["api_public"].post(f"/api/v1/webhooks/carriers/ghtk/{w['ghn_account']['id']}?hash=x", {})
    assert wrong_carrier.status_code == 404
    assert _order(owner, w["order"]["id"]) == before


def test_another_shops_account_cannot_move_this_parcel(booked, api):
    w = booked
    email = unique_email()
    api.post("/api/v1/signup", {"shop_name": "Khác", "owner_name": "B", "owner_email": email, "owner_password": "secret-pass-1"})
    other = api.as_(api.post("/api/v1/auth/login", {"email": email, "password": "secret-pass-1"}).data["access_token"])
    wh = other.post("/api/v1/locations", {"name": "Kho B", "kind": "warehouse"}).data["id"]
    theirs = other.post("/api/v1/carrier-accounts", {"carrier": "ghn", "name": "GHN B", "token": "ghn-token",
                                                     "carrier_shop_id": "885", "pick_location_id": wh}).data
    secret = theirs["webhook_url"].split("hash=")[1]
    body = {"OrderCode": w["tracking"], "ShopID": 885, "Status": "delivered", "Time": _at(1)}
    assert api.post(f"/api/v1/webhooks/carriers/ghn/{theirs['id']}?hash={secret}", body).status_code == 401
    assert _order(w["owner"], w["order"]["id"])["status"] == "ready_to_ship"
    for path in (f"/api/v1/shipments/{w['shipment']}/label", f"/api/v1/carrier-accounts/{w['ghn_account']['id']}"):
        assert other.get(path).status_code == 404
    assert other.post(f"/api/v1/shipments/{w['shipment']}/quotes", {}).status_code == 404
    assert other.post(f"/api/v1/shipments/{w['shipment']}/actions/book",
                      {"carrier_account_id": theirs["id"]}).status_code == 404


def test_a_ghtk_callback_form_with_the_url_hash(world, api):
    w = world
    tracking = _book(w, "ghtk_account").data["tracking_number"]
    secret = w["ghtk_account"]["webhook_url"].split("hash=")[1]
    form = (f"partner_id={w['shipment']}&label_id={tracking}&status_id=3&action_time=2026-11-23T10:00:00%2B07:00"
            "&reason_code=&reason=&weight=0.3&fee=30400&pick_money=200000").encode()
    answer = api.call("post", f"/api/v1/webhooks/carriers/ghtk/{w['ghtk_account']['id']}?hash={secret}", raw=form,
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 200, answer.body
    assert _order(w["owner"], w["order"]["id"])["status"] == "shipping"


# --- the scheduled pull --------------------------------------------------------------------------
def test_the_pull_finds_a_status_whose_callback_was_lost(booked):
    from chalicelib.carriers import tracking

    w = booked
    w["ghn"].orders[w["tracking"]]["status"] = "delivered"
    early = tracking.pull(datetime.now(UTC))
    assert early["checked"] == 0  # not due yet: its callbacks may still come
    assert _order(w["owner"], w["order"]["id"])["status"] == "ready_to_ship"
    later = tracking.pull(datetime.now(UTC) + timedelta(hours=2))
    assert later["checked"] >= 1 and later["changed"] >= 1
    assert _order(w["owner"], w["order"]["id"])["status"] == "completed"
    done = tracking.due_for_pull(0, "9999") + [x for s in range(1, 8) for x in tracking.due_for_pull(s, "9999")]
    assert w["shipment"] not in {x.shipment_id for x in done}  # delivered: no longer pulled


# --- COD -----------------------------------------------------------------------------------------
def _delivered(w, count=1):
    """`count` delivered GHN parcels of this shop (the world's own first)."""
    owner, found = w["owner"], []
    for n in range(count):
        if n:
            order = _packed_order(owner, w["warehouse"], quantity=1)
            shipment = order["shipments"][0]["id"]
        else:
            order, shipment = w["order"], w["shipment"]
        booked = owner.post(f"/api/v1/shipments/{shipment}/actions/book", {"carrier_account_id": w["ghn_account"]["id"]})
        secret = w["ghn_account"]["webhook_url"].split("hash=")[1]
        w["api_public"].post(f"/api/v1/webhooks/carriers/ghn/{w['ghn_account']['id']}?hash={secret}",
                             {"OrderCode": booked.data["tracking_number"], "ShopID": 885, "Status": "delivered",
                              "Time": _at(n), "CODAmount": booked.data["cod_amount"]})
        found.append({"order": order["id"], "tracking": booked.data["tracking_number"], "cod": booked.data["cod_amount"]})
    return found


@pytest.fixture
def cod_world(world, api):
    world["api_public"] = api
    return world


def test_cod_statement_marks_matched_orders_paid_lists_mismatch_and_unknown_and_twice_changes_nothing(cod_world):
    w, owner = cod_world, cod_world["owner"]
    parcels = _delivered(w, 3)
    csv = ("BẢNG ĐỐI SOÁT COD GHN\n"
           "Mã vận đơn;Tiền thu hộ;Phí vận chuyển;Ngày đối soát\n"
           f"{parcels[0]['tracking']};{parcels[0]['cod']:,};33.000;24/11/2026 10:00:00\n".replace(",", ".") +
           f"{parcels[1]['tracking']};90.000;33.000;24/11/2026 10:00:00\n"
           "GAXXXXNOTOURS;50.000;20.000;24/11/2026 10:00:00\n")
    first = owner.post("/api/v1/cod-statements", {"carrier_account_id": w["ghn_account"]["id"], "csv": csv})
    assert first.status_code == 201, first.body
    result = first.data
    assert result["matched"] == 1 and result["matched_lines"][0]["order_id"] == parcels[0]["order"]
    assert [(m["tracking_number"], m["expected"], m["paid"]) for m in result["amount_mismatch"]] == [
        (parcels[1]["tracking"], parcels[1]["cod"], 90000)]
    assert [u["tracking_number"] for u in result["unknown"]] == ["GAXXXXNOTOURS"]
    assert result["total_paid"] == parcels[0]["cod"] + 90000 + 50000
    assert _order(owner, parcels[0]["order"])["payment"]["status"] == "paid"
    assert _order(owner, parcels[1]["order"])["payment"]["status"] == "unpaid"
    paid_order = _order(owner, parcels[0]["order"])
    twice = owner.post("/api/v1/cod-statements", {"carrier_account_id": w["ghn_account"]["id"], "csv": csv})
    assert twice.status_code == 201 and twice.data["id"] == result["id"] and twice.data["already_imported"] is True
    assert _order(owner, parcels[0]["order"]) == paid_order
    report = owner.get("/api/v1/reports/cod").data
    delivered = next(r for r in report["outstanding"] if r["kind"] == "delivered_unpaid")
    assert delivered["carrier"] == "ghn" and delivered["shipments"] == 2
    assert delivered["cod_amount"] == parcels[1]["cod"] + parcels[2]["cod"]
    assert [m["tracking_number"] for m in report["mismatches"]] == [parcels[1]["tracking"]]


def test_cod_outstanding_counts_parcels_in_transit_separately(cod_world):
    w, owner = cod_world, cod_world["owner"]
    booked = _book(w).data
    report = owner.get(f"/api/v1/reports/cod?carrier_account_id={w['ghn_account']['id']}").data
    assert report["outstanding"] == [{"carrier_account_id": w["ghn_account"]["id"], "carrier": "ghn",
                                      "account_name": "GHN chính", "kind": "in_transit", "shipments": 1,
                                      "cod_amount": booked["cod_amount"]}]
    lines = owner.post("/api/v1/cod-statements", {"carrier_account_id": w["ghn_account"]["id"], "lines": [
        {"tracking_number": booked["tracking_number"], "cod_amount": booked["cod_amount"], "fee": 33000}]})
    assert lines.data["matched"] == 1
    assert owner.get("/api/v1/reports/cod").data["outstanding"] == []


def test_the_accountant_imports_but_a_packer_cannot(cod_world, api):
    w, owner = cod_world, cod_world["owner"]
    for role, expected in (("accountant", 201), ("warehouse", 403)):
        email = unique_email(role)
        owner.post("/api/v1/staff", {"email": email, "name": role, "role": role, "password": "mai-vang-2026"})
        caller = api.as_(api.post("/api/v1/auth/login", {"email": email, "password": "mai-vang-2026"}).data["access_token"])
        answer = caller.post("/api/v1/cod-statements", {"carrier_account_id": w["ghn_account"]["id"],
                                                        "lines": [{"tracking_number": f"X-{role}", "cod_amount": 1}]})
        assert answer.status_code == expected, answer.body


# --- locations -----------------------------------------------------------------------------------
def test_staff_limited_to_the_store_cannot_quote_book_or_print_the_warehouses_parcel(world, api):
    w, owner = world, world["owner"]
    email = unique_email("packer")
    owner.post("/api/v1/staff", {"email": email, "name": "Packer", "role": "warehouse", "password": "mai-vang-2026",
                                 "location_ids": [w["store"]]})
    packer = api.as_(api.post("/api/v1/auth/login", {"email": email, "password": "mai-vang-2026"}).data["access_token"])
    assert packer.post(f"/api/v1/shipments/{w['shipment']}/quotes", {}).status_code == 403
    assert packer.post(f"/api/v1/shipments/{w['shipment']}/actions/book",
                       {"carrier_account_id": w["ghn_account"]["id"]}).status_code == 403
    assert packer.get(f"/api/v1/shipments/{w['shipment']}/label").status_code == 403
    assert not w["ghn"].orders and not w["ghn_server"].requests


def test_an_account_picking_up_at_another_location_is_not_offered_nor_booked(world):
    owner = world["owner"]
    at_store = _account(owner, world["store"], "ghn", name="GHN cửa hàng")
    answer = owner.post(f"/api/v1/shipments/{world['shipment']}/quotes", {}).data
    assert at_store["id"] not in {q["carrier_account_id"] for q in answer["quotes"] + answer["errors"]}
    refused = owner.post(f"/api/v1/shipments/{world['shipment']}/actions/book", {"carrier_account_id": at_store["id"]})
    assert refused.status_code == 400 and refused.data["errors"][0]["field"] == "carrier_account_id"
    assert not world["ghn"].orders


def test_a_pull_out_of_time_leaves_the_parcels_due_for_the_next_run(booked):
    from chalicelib.carriers import tracking

    w = booked
    w["ghn"].orders[w["tracking"]]["status"] = "picked"
    later = datetime.now(UTC) + timedelta(hours=2)
    assert tracking.pull(later, budget_seconds=-1)["checked"] == 0
    assert _order(w["owner"], w["order"]["id"])["status"] == "ready_to_ship"
    assert tracking.pull(later)["changed"] >= 1
    assert _order(w["owner"], w["order"]["id"])["status"] == "shipping"


def test_a_booked_order_is_canceled_only_after_its_carrier_booking(world):
    owner, order_id = world["owner"], world["order"]["id"]
    _book(world)
    refused = owner.post(f"/api/v1/orders/{order_id}/actions/cancel", {"reason": "customer_changed_mind"})
    assert refused.status_code == 409 and refused.data["booked_shipments"] == [world["shipment"]]
    owner.post(f"/api/v1/shipments/{world['shipment']}/actions/cancel_booking", {"reason": "khách hủy"})
    assert owner.post(f"/api/v1/orders/{order_id}/actions/cancel", {"reason": "customer_changed_mind"}).status_code == 200
