"""Live rules without a database: who the buyer is, what a comment adds, what the counters say."""
import pytest

from chalicelib.live.rules import buyer_key, counters, quantities_to_add, revenue


@pytest.mark.parametrize(("author_id", "phone", "name", "key"), [
    ("fb-1", "+84901234567", "Lan", "ID#fb-1"),
    (None, "+84901234567", "Lan", "PHONE#+84901234567"),
    ("  ", "+84901234567", "Lan", "PHONE#+84901234567"),
    (None, None, "  Nguyễn  Thị LAN ", "NAME#nguyen thi lan"),
    (None, None, "nguyen thi lan", "NAME#nguyen thi lan"),
])
def test_buyer_key_prefers_the_author_id_then_the_phone_then_the_folded_name(author_id, phone, name, key):
    assert buyer_key(author_id, phone, name) == key


@pytest.mark.parametrize(("wanted", "ordered", "added"), [
    ([("A", 1)], {}, [("A", 1)]),
    ([("A", 2)], {"A": 2}, []),                 # the same comment again adds nothing
    ([("A", 3)], {"A": 2}, [("A", 1)]),         # "now 3": one more
    ([("A", 1)], {"A": 2}, []),                 # fewer than ordered never takes units away
    ([("B", 1)], {"A": 2}, [("B", 1)]),         # a new code adds a line
    ([("A", 1), ("A", 2)], {}, [("A", 2)]),     # one comment naming a SKU twice: the larger
])
def test_a_comment_states_how_many_the_buyer_wants_in_all(wanted, ordered, added):
    assert quantities_to_add(wanted, ordered) == added


def test_counters_count_holds_of_unpaid_orders_and_sales_of_the_rest():
    items = [{"sku": "A"}, {"sku": "B"}]
    orders = [
        {"status": "pending_payment", "total": 100, "lines": [{"sku": "A", "quantity": 2}],
         "shipments": [{"reserved": True, "lines": [{"sku": "A", "quantity": 2}]}]},
        {"status": "pending_payment", "total": 50, "lines": [{"sku": "B", "quantity": 1}],
         "shipments": []},  # its hold expired: nothing held
        {"status": "confirmed", "total": 70, "lines": [{"sku": "A", "quantity": 1}],
         "shipments": [{"reserved": True, "lines": [{"sku": "A", "quantity": 1}]}]},
        {"status": "canceled", "total": 90, "lines": [{"sku": "B", "quantity": 5}], "shipments": []},
    ]
    assert counters(items, orders) == {"A": {"held": 2, "sold": 1}, "B": {"held": 0, "sold": 0}}
    assert revenue(orders) == 220
