"""The order state machine over every (status, action) pair, totals, phones: no database."""
import pytest

from chalicelib.core.errors import IllegalTransition, InvalidInput
from chalicelib.core.phones import normalise
from chalicelib.orders import rules as orders
from chalicelib.orders.rules import Action, Status

EXPECTED = {
    (Status.pending_payment, Action.mark_paid): Status.new,
    (Status.pending_payment, Action.cancel): Status.canceled,
    (Status.new, Action.confirm): Status.confirmed,
    (Status.new, Action.cancel): Status.canceled,
    (Status.new, Action.mark_paid): Status.new,
    (Status.confirmed, Action.pack): Status.packing,
    (Status.confirmed, Action.cancel): Status.canceled,
    (Status.confirmed, Action.mark_paid): Status.confirmed,
    (Status.packing, Action.mark_ready): Status.ready_to_ship,
    (Status.packing, Action.cancel): Status.canceled,
    (Status.packing, Action.mark_paid): Status.packing,
    (Status.ready_to_ship, Action.hand_over): Status.shipping,
    (Status.ready_to_ship, Action.cancel): Status.canceled,
    (Status.ready_to_ship, Action.mark_paid): Status.ready_to_ship,
    (Status.shipping, Action.complete): Status.completed,
    (Status.shipping, Action.return_): Status.returned,
    (Status.shipping, Action.mark_paid): Status.shipping,
    (Status.completed, Action.return_): Status.returned,
    (Status.completed, Action.mark_paid): Status.completed,
    (Status.returning, Action.return_): Status.returned,
}


@pytest.mark.parametrize("status", list(Status), ids=lambda s: s.value)
@pytest.mark.parametrize("action", list(Action), ids=lambda a: a.value)
def test_every_status_action_pair(status, action):
    expected = EXPECTED.get((status, action))
    if expected is None:
        with pytest.raises(IllegalTransition) as refused:
            orders.next_status(status, action)
        assert refused.value.extra["current_status"] == status.value
        assert action.value not in refused.value.extra["allowed_actions"]
    else:
        assert orders.next_status(status, action) == expected
        assert action.value in orders.allowed_actions(status)


def test_return_not_yet_received_goes_to_returning():
    assert orders.next_status(Status.shipping, Action.return_, received=False) == Status.returning
    with pytest.raises(IllegalTransition):
        orders.next_status(Status.returning, Action.return_, received=False)


def test_totals_in_whole_vnd_and_discount_checks():
    lines = [{"quantity": 3, "unit_price": 150000, "discount": 50000}, {"quantity": 1, "unit_price": 99000}]
    assert orders.totals(lines, 30000, 10000) == orders.Totals(499000, 10000, 30000, 519000)
    with pytest.raises(InvalidInput) as bad:
        orders.totals([{"quantity": 1, "unit_price": 10, "discount": 11}], 0, 0)
    assert bad.value.errors[0]["field"] == "lines.0.discount"


@pytest.mark.parametrize("raw", ["0901234567", "+84901234567", "84 90 123 4567", "090.123.4567", "(+84) 901-234-567"])
def test_phone_forms_are_one_number(raw):
    assert normalise(raw) == "+84901234567"


def test_old_eleven_digit_numbers_are_renumbered_and_unallocated_ranges_accepted():
    assert normalise("01681234567") == "+84381234567"
    assert normalise("0868123456") == "+84868123456"
    assert normalise("0599123456") == "+84599123456"  # possible length, even if not in the range table


def test_garbage_phone_is_refused_naming_the_field():
    with pytest.raises(InvalidInput) as bad:
        normalise("12", field="customer.phone")
    assert bad.value.errors[0]["field"] == "customer.phone"
