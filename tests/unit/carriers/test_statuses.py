"""The one status table: every carrier status maps to our state and order action; unknown stays raw."""
import pytest

from chalicelib.carriers.statuses import TABLE, ShipmentState, known, map_status

S = ShipmentState


@pytest.mark.parametrize("carrier,raw,state,action", [
    ("ghn", "picked", S.handed_over, "hand_over"),
    ("ghn", "DELIVERING", S.delivering, None),
    ("ghn", "delivery_fail", S.problem, None),
    ("ghn", "return_transporting", S.returning, "return"),
    ("ghn", "delivered", S.delivered, "complete"),
    ("ghn", "returned", S.returned, "return"),
    ("ghn", "cancel", S.canceled, None),
    ("ghtk", 3, S.handed_over, "hand_over"),
    ("ghtk", "-1", S.canceled, None),
    ("ghtk", "5", S.delivered, "complete"),
    ("ghtk", "45", S.delivering, None),
    ("ghtk", "9", S.problem, None),
    ("ghtk", "20", S.returning, "return"),
    ("ghtk", "21", S.returned, "return"),
    ("viettel_post", "105", S.handed_over, "hand_over"),
    ("viettel_post", 501, S.delivered, "complete"),
    ("viettel_post", "504", S.returned, "return"),
])
def test_mapping(carrier, raw, state, action):
    mapped = map_status(carrier, raw)
    assert (mapped.state, mapped.order_action) == (state, action)


def test_return_tells_whether_the_parcel_is_back():
    assert map_status("ghn", "returning").received is False
    assert map_status("ghn", "returned").received is True


@pytest.mark.parametrize("carrier,raw", [("ghn", "teleported"), ("ghtk", "999"), ("viettel_post", None), ("dhl", "5")])
def test_unknown_status_keeps_raw_and_maps_to_none(carrier, raw):
    mapped = map_status(carrier, raw)
    assert mapped.state is None and mapped.order_action is None and mapped.raw == ("" if raw is None else str(raw))


def test_every_rule_is_consistent():
    for rule in TABLE.values():
        assert rule.label
        if rule.order_action == "return":
            assert rule.state in (S.returning, S.returned) and rule.received is (rule.state is S.returned)
        if rule.order_action == "complete":
            assert rule.state is S.delivered
    assert {"ready_to_pick", "picked", "delivered", "returned", "lost"} <= set(known("ghn"))
    assert len(known("ghtk")) == 22
