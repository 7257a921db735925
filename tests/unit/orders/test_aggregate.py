"""The order aggregate decides without a database: each action's changes and outcome."""
import pytest

from chalicelib.core.errors import IllegalTransition, InvalidInput, VersionMismatch
from chalicelib.core.principal import Principal
from chalicelib.orders.aggregate import Order, decide
from chalicelib.orders.rules import Action, Status, Warning_, next_status

STAFF = Principal("t1", "s1")


def order(status="confirmed", *, method="cod", scanned=2, reserved=True, hold=None, warnings=()):
    return Order({
        "id": "o1", "status": status, "channel": "website", "total": 250000, "customer": {"id": "c1"},
        "payment": {"method": method, "status": "unpaid", "amount_paid": 0}, "hold": hold,
        "lines": [{"sku": "TS-M", "quantity": 2, "linked": True}], "warnings": list(warnings), "timeline": [],
        "returned_lines": [],
        "shipments": [{"id": "o1-S1", "location_id": "wh", "reservation_id": "r1", "reserved": reserved,
                       "status": "created", "lines": [{"sku": "TS-M", "quantity": 2, "scanned": scanned}]}]})


def act(o: Order, action: Action, **body):
    return decide(o, action, next_status(o.status, action, received=body.get("received", True)), STAFF, "api", body)


def test_cancel_releases_the_held_stock_and_undoes_the_customer_stats():
    o = order()
    outcome = act(o, Action.cancel, reason="khách đổi ý")
    assert o.status is Status.canceled and o.document["cancel_reason"] == "khách đổi ý"
    assert outcome.stock.kind == "release" and outcome.stock.reservation_ids == ("r1",)
    assert outcome.customer_undone and o.shipments[0] == {**o.shipments[0], "reserved": False, "status": "canceled"}
    assert o.document["timeline"][-1] | {"at": None} == {"at": None, "staff_id": "s1", "action": "cancel",
                                                         "from": "confirmed", "to": "canceled", "via": "api",
                                                         "note": "khách đổi ý"}
    assert outcome.audit([{"id": "m1"}]) == ({"status": "confirmed"}, {"status": "canceled", "movements": ["m1"]})


def test_ready_needs_every_item_scanned_or_a_hand_check():
    with pytest.raises(IllegalTransition) as refused:
        act(order("packing", scanned=1), Action.mark_ready)
    assert refused.value.errors == [{"field": "shipments.o1-S1.TS-M", "message": "scanned 1 of 2"}]
    o = order("packing", scanned=1)
    outcome = act(o, Action.mark_ready, verified_without_scan=True)
    assert o.status is Status.ready_to_ship and outcome.audit_after["note"] == "verified without scanning"
    assert outcome.stock is None


def test_hand_over_commits_the_reservation():
    o = order("ready_to_ship")
    outcome = act(o, Action.hand_over)
    assert outcome.stock.kind == "commit" and o.shipments[0]["status"] == "handed_over"
    assert not outcome.customer_undone


def test_delivered_cash_on_delivery_counts_as_paid():
    o = order("shipping")
    act(o, Action.complete)
    assert o.document["payment"] == {"method": "cod", "status": "paid", "amount_paid": 250000}
    prepaid = order("shipping", method="bank_transfer")
    act(prepaid, Action.complete)
    assert prepaid.document["payment"]["status"] == "unpaid"


def test_paying_an_unpaid_hold_keeps_its_stock():
    o = order("pending_payment", method="bank_transfer", hold={"expires_at": "x"})
    outcome = act(o, Action.mark_paid, amount=100000)
    assert o.status is Status.new and o.document["payment"]["status"] == "partially_paid"
    assert outcome.stock.kind == "clear_expiry" and outcome.stock.reservation_ids == ("r1",) and o.document["hold"] is None


def test_a_return_takes_back_at_most_what_was_shipped():
    with pytest.raises(InvalidInput) as refused:
        act(order("completed"), Action.return_, lines=[{"sku": "TS-M", "quantity": 3}, {"sku": "X", "quantity": 1}])
    assert [e["field"] for e in refused.value.errors] == ["lines.0.quantity", "lines.1.sku"]
    o = order("completed")
    outcome = act(o, Action.return_, lines=[{"sku": "ts-m", "quantity": 1, "condition": "damaged"},
                                            {"sku": "TS-M", "quantity": 1}], reason="lỗi")
    assert o.status is Status.returned and outcome.customer_undone
    assert [(r.sku, r.location_id, r.quantity, r.field) for r in outcome.stock.restock] == [("TS-M", "wh", 1, "lines.1")]
    assert outcome.stock.note == "lỗi"
    on_its_way = order("shipping")
    assert act(on_its_way, Action.return_, received=False).stock is None and on_its_way.status is Status.returning


def test_a_confirm_trial_leaves_the_order_as_it_was():
    o = order("new", reserved=False, warnings=[{"code": Warning_.out_of_stock.value, "detail": "x"}])
    trial, outcome = o.confirmed(STAFF, Status.confirmed, "api", [{**o.shipments[0], "location_id": "store"}],
                                 "store", None)
    assert trial.status is Status.confirmed and trial.document["warnings"] == [] and trial.document["location_id"] == "store"
    assert o.status is Status.new and o.document["warnings"] and o.document["timeline"] == []
    assert outcome.audit_after == {"status": "confirmed", "locations": ["store"]}


def test_a_stale_version_is_refused():
    with pytest.raises(VersionMismatch):
        order().check_version(1, 2)
    order().check_version(None, 2)
