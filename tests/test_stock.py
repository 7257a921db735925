"""Stock engine through HTTP against DynamoDB Local: movements, ledger, transfers, stocktake,
reservations, channel availability, reconcile."""
from datetime import UTC, datetime, timedelta

from tests.conftest import unique_email


def receive(api, location, sku="TS-M", quantity=10, **extra):
    answer = api.post("/api/v1/stock/receipts", {"location_id": location, "lines": [
        {"sku": sku, "quantity": quantity, "unit_cost": 50000}]}, **extra)
    assert answer.status_code == 201, answer.body
    return answer


def level(api, sku, location):
    stock = api.get(f"/api/v1/stock/{sku}").data
    return next((x for x in stock["locations"] if x["location_id"] == location),
                {"on_hand": 0, "reserved": 0, "available": 0, "incoming": 0})


def reserve(api, location, lines, rid, **extra):
    return api.post("/api/v1/stock/reservations", {"reservation_id": rid, "location_id": location,
                                                   "lines": lines, **extra})


def assert_reconciled(api):
    report = api.get("/api/v1/stock/reconcile").data
    assert report["drifts"] == [], report


def test_receipt_then_levels_and_ledger(store):
    api, wh = store["api"], store["warehouse"]
    receipt = receive(api, wh, quantity=12).data
    assert receipt["movements"][0]["balance_after"] == 12 and receipt["movements"][0]["unit_cost"] == 50000
    receive(api, wh, quantity=3)
    stock = api.get("/api/v1/stock/ts-m").data
    assert stock["sku"] == "TS-M"
    assert stock["locations"] == [{"location_id": wh, "on_hand": 15, "reserved": 0, "available": 15, "incoming": 0,
                                   "low_stock_threshold": None, "low_stock": False}]
    assert stock["totals"] == {"on_hand": 15, "reserved": 0, "available": 15, "incoming": 0}
    ledger = api.get("/api/v1/stock/TS-M/ledger").data["items"]
    assert [(m["kind"], m["quantity"], m["balance_after"]) for m in ledger] == [("receipt", 3, 15), ("receipt", 12, 12)]
    assert ledger[0]["staff_id"] == store["owner_id"] and ledger[0]["reference"]["type"] == "receipt"
    assert_reconciled(api)


def test_retried_receipt_with_the_same_key_moves_stock_once(store):
    api, wh = store["api"], store["warehouse"]
    first = receive(api, wh, quantity=4, headers={"Idempotency-Key": "rcpt-1"})
    again = receive(api, wh, quantity=4, headers={"Idempotency-Key": "rcpt-1"})
    assert again.data == first.data and again.headers["idempotent-replayed"] == "true"
    assert level(api, "TS-M", wh)["on_hand"] == 4


def test_bad_stock_requests_are_named_and_write_nothing(store):
    api, wh = store["api"], store["warehouse"]
    unknown = api.post("/api/v1/stock/receipts", {"location_id": wh, "lines": [
        {"sku": "TS-M", "quantity": 1}, {"sku": "NOPE", "quantity": 1}]})
    assert unknown.status_code == 400 and unknown.data["errors"] == [{"field": "lines.1.sku",
                                                                      "message": "unknown SKU 'NOPE'"}]
    zero = api.post("/api/v1/stock/receipts", {"location_id": wh, "lines": [{"sku": "TS-M", "quantity": 0}]})
    assert zero.status_code == 400 and zero.data["errors"][0]["field"] == "lines.0.quantity"
    nowhere = api.post("/api/v1/stock/receipts", {"location_id": "nope", "lines": [{"sku": "TS-M", "quantity": 1}]})
    assert nowhere.status_code == 400 and nowhere.data["errors"][0]["field"] == "location_id"
    no_reason = api.post("/api/v1/stock/adjustments", {"location_id": wh, "sku": "TS-M", "delta": 2})
    assert no_reason.status_code == 400 and no_reason.data["errors"][0]["field"] == "reason"
    assert level(api, "TS-M", wh)["on_hand"] == 0
    assert api.get("/api/v1/stock/TS-M/ledger").data["items"] == []


def test_adjustment_cannot_take_reserved_stock(store):
    api, wh = store["api"], store["warehouse"]
    receive(api, wh, quantity=5)
    assert reserve(api, wh, [{"sku": "TS-M", "quantity": 3}], "order-1").status_code == 201
    refused = api.post("/api/v1/stock/adjustments", {"location_id": wh, "sku": "TS-M", "delta": -3,
                                                     "reason": "damaged"})
    assert refused.status_code == 409 and refused.data["available"] == 2
    ok = api.post("/api/v1/stock/adjustments", {"location_id": wh, "sku": "TS-M", "delta": -2, "reason": "lost"})
    assert ok.status_code == 201 and ok.data["balance_after"] == 3 and ok.data["reason"] == "lost"
    assert level(api, "TS-M", wh) | {} == {**level(api, "TS-M", wh), "on_hand": 3, "reserved": 3, "available": 0}
    assert_reconciled(api)


def test_transfer_in_two_steps_with_partial_receipt(store):
    api, wh, shop_ = store["api"], store["warehouse"], store["store"]
    receive(api, wh, quantity=10)
    sent = api.post("/api/v1/stock/transfers", {"from_location_id": wh, "to_location_id": shop_,
                                                "lines": [{"sku": "TS-M", "quantity": 6}]})
    assert sent.status_code == 201 and sent.data["status"] == "in_transit"
    assert level(api, "TS-M", wh)["on_hand"] == 4 and level(api, "TS-M", shop_)["incoming"] == 6
    tid = sent.data["id"]
    too_many = api.post(f"/api/v1/stock/transfers/{tid}/receive", {"lines": [{"sku": "TS-M", "quantity": 7}]})
    assert too_many.status_code == 400 and too_many.data["errors"][0]["field"] == "lines.0.quantity"
    part = api.post(f"/api/v1/stock/transfers/{tid}/receive", {"lines": [{"sku": "TS-M", "quantity": 4}]})
    assert part.status_code == 200 and part.data["status"] == "partially_received"
    assert level(api, "TS-M", shop_) | {} == {**level(api, "TS-M", shop_), "on_hand": 4, "incoming": 2}
    rest = api.post(f"/api/v1/stock/transfers/{tid}/receive", {})
    assert rest.data["status"] == "received" and rest.data["lines"][0]["in_transit"] == 0
    assert level(api, "TS-M", shop_)["on_hand"] == 6 and level(api, "TS-M", shop_)["incoming"] == 0
    short = api.post("/api/v1/stock/transfers", {"from_location_id": wh, "to_location_id": shop_,
                                                 "lines": [{"sku": "TS-M", "quantity": 5}]})
    assert short.status_code == 409
    assert_reconciled(api)


def test_stocktake_keeps_sales_made_during_the_count(store):
    api, wh = store["api"], store["warehouse"]
    receive(api, wh, quantity=10)
    counted_at = datetime.now(UTC).isoformat()
    # Two sold (handed over) after the line was counted.
    reserve(api, wh, [{"sku": "TS-M", "quantity": 2}], "sale-during-count")
    assert api.post("/api/v1/stock/reservations/sale-during-count/commit").status_code == 200
    # The counter found 9 where the books said 10 at that moment: one is missing.
    take = api.post("/api/v1/stock/stocktakes", {"location_id": wh, "lines": [
        {"sku": "TS-M", "counted": 9, "counted_at": counted_at}]})
    assert take.status_code == 201, take.body
    assert take.data["lines"] == [{"sku": "TS-M", "counted": 9, "expected": 10, "difference": -1}]
    assert level(api, "TS-M", wh)["on_hand"] == 7  # 10 - 2 sold - 1 missing, not 9
    assert_reconciled(api)


def test_reservation_is_all_or_nothing_and_idempotent(store):
    api, wh = store["api"], store["warehouse"]
    receive(api, wh, "TS-M", 3)
    receive(api, wh, "TS-L", 1)
    short = reserve(api, wh, [{"sku": "TS-M", "quantity": 2}, {"sku": "TS-L", "quantity": 7}], "o-1")
    assert short.status_code == 409 and short.data["errors"][0]["field"] == "lines.1.quantity"
    assert level(api, "TS-M", wh)["reserved"] == 0
    ok = reserve(api, wh, [{"sku": "TS-M", "quantity": 2}, {"sku": "TS-L", "quantity": 6}], "o-2")
    assert ok.status_code == 201  # TS-L allows 5 on backorder: 1 in stock + 5 = 6
    assert level(api, "TS-L", store["warehouse"])["available"] == -5
    again = reserve(api, wh, [{"sku": "TS-M", "quantity": 2}, {"sku": "TS-L", "quantity": 6}], "o-2")
    assert again.status_code == 201 and level(api, "TS-M", wh)["reserved"] == 2
    other = reserve(api, wh, [{"sku": "TS-M", "quantity": 1}], "o-2")
    assert other.status_code == 409 and other.data["errors"][0]["field"] == "reservation_id"
    assert api.post("/api/v1/stock/reservations/o-2/release").data["status"] == "released"
    assert api.post("/api/v1/stock/reservations/o-2/release").status_code == 409
    assert level(api, "TS-M", wh)["available"] == 3 and level(api, "TS-L", wh)["available"] == 1
    assert_reconciled(api)


def test_commit_turns_a_reservation_into_a_shipment(store):
    api, wh = store["api"], store["warehouse"]
    receive(api, wh, quantity=5)
    reserve(api, wh, [{"sku": "TS-M", "quantity": 2}], "ship-1")
    shipped = api.post("/api/v1/stock/reservations/ship-1/commit")
    assert shipped.status_code == 200 and shipped.data["status"] == "committed"
    assert shipped.data["movements"][0]["kind"] == "shipment" and shipped.data["movements"][0]["balance_after"] == 3
    assert level(api, "TS-M", wh) | {} == {**level(api, "TS-M", wh), "on_hand": 3, "reserved": 0, "available": 3}
    assert api.post("/api/v1/stock/reservations/ship-1/release").status_code == 409
    assert_reconciled(api)


def test_expired_holds_are_released_by_the_scheduled_job(app, store):
    from chalice.test import Client

    api, wh = store["api"], store["warehouse"]
    receive(api, wh, quantity=4)
    soon = (datetime.now(UTC) + timedelta(seconds=1)).isoformat()
    assert reserve(api, wh, [{"sku": "TS-M", "quantity": 4}], "live-1", expires_at=soon).status_code == 201
    later = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    reserve(api, wh, [{"sku": "TS-M", "quantity": 0 + 1}], "live-2", expires_at=later)  # out of stock: 409
    import time

    time.sleep(1.2)
    with Client(app, stage_name="local") as client:
        result = client.lambda_.invoke("expire_reservations", client.events.generate_cw_event(
            source="aws.events", detail_type="Scheduled Event", detail={}, resources=[]))
    assert "live-1" in result.payload["expired"]
    assert api.get("/api/v1/stock/reservations/live-1").data["status"] == "expired"
    assert level(api, "TS-M", wh)["available"] == 4
    assert_reconciled(api)


def test_channel_availability_with_buffer_percent_and_flash_hold(store):
    api, wh, shop_ = store["api"], store["warehouse"], store["store"]
    receive(api, wh, quantity=7)
    receive(api, shop_, quantity=3)
    assert api.call("put", "/api/v1/channels/shopee/rule", {"buffer": 0, "percent": 80}).status_code == 200
    channels = api.get("/api/v1/stock/availability?skus=TS-M").data["items"][0]["channels"]
    assert channels["shopee"] == 5  # 80% of 7, rounded down (only the warehouse serves shopee)
    assert channels["website"] == 10 and channels["pos"] == 3
    until = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
    hold = api.post("/api/v1/stock/holds", {"sku": "TS-M", "channel": "website", "quantity": 4, "until": until})
    assert hold.status_code == 201
    channels = api.get("/api/v1/stock/availability?skus=TS-M").data["items"][0]["channels"]
    assert channels["website"] == 10 and channels["shopee"] == 2  # 80% of (7 - 4 held for the website)
    assert api.call("put", "/api/v1/channels/fax/rule", {"percent": 50}).status_code == 400


def test_low_stock_flag_uses_the_location_override(store):
    api, wh = store["api"], store["warehouse"]
    receive(api, wh, quantity=4)
    pid = store["product"]["id"]
    api.patch(f"/api/v1/products/{pid}/variants/TS-M", {"low_stock_threshold": 3})
    assert level(api, "TS-M", wh)["low_stock"] is False
    changed = api.call("put", f"/api/v1/stock/TS-M/locations/{wh}/threshold", {"low_stock_threshold": 5})
    assert changed.status_code == 200
    assert level(api, "TS-M", wh)["low_stock"] is True and level(api, "TS-M", wh)["low_stock_threshold"] == 5


def test_staff_limited_to_a_location_cannot_move_stock_elsewhere(api, store):
    owner, wh, shop_ = store["api"], store["warehouse"], store["store"]
    email = unique_email("kho")
    owner.post("/api/v1/staff", {"email": email, "name": "Kho", "role": "warehouse", "password": "mai-vang-2026",
                                 "location_ids": [shop_]})
    staff = api.as_(api.post("/api/v1/auth/login", {"email": email, "password": "mai-vang-2026"}).data["access_token"])
    assert receive(staff, shop_, quantity=1).status_code == 201
    refused = staff.post("/api/v1/stock/receipts", {"location_id": wh, "lines": [{"sku": "TS-M", "quantity": 1}]})
    assert refused.status_code == 403 and level(owner, "TS-M", wh)["on_hand"] == 0


def test_reconcile_reports_a_drift_it_did_not_cause(store):
    from chalicelib.stock.levels import level_sk, stock_pk
    from chalicelib.stock.store import StockItem

    api, wh = store["api"], store["warehouse"]
    receive(api, wh, quantity=5)
    StockItem(stock_pk(store["tenant_id"], "TS-M"), level_sk(wh)).update(actions=[StockItem.on_hand.set(6)])
    drifts = api.get("/api/v1/stock/reconcile").data["drifts"]
    assert {d["check"] for d in drifts} == {"on_hand == sum(ledger)", "available == on_hand - reserved"}
    assert level(api, "TS-M", wh)["on_hand"] == 6  # reported, not repaired
