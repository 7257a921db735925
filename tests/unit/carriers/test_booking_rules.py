"""The pure rules behind booking and status: recipient from the order, COD owed, weight, news."""
from datetime import UTC, datetime

import pytest

from chalicelib.carriers import rules
from chalicelib.carriers.statuses import ShipmentState as S
from chalicelib.core import i18n
from chalicelib.core.errors import InvalidInput


def test_recipient_from_official_names_or_from_the_text_the_buyer_typed():
    coded = rules.recipient({"name": "A", "phone": "0901234567", "street": "1 Lê Lợi", "province_name": "Hồ Chí Minh",
                             "ward_name": "Phường Bến Thành"})
    assert (coded.street, coded.ward_name, coded.province_name, coded.district_name) == (
        "1 Lê Lợi", "Phường Bến Thành", "Hồ Chí Minh", None)
    typed = rules.recipient({"text": "72 Thành Thái, Phường 14, Quận 10, Hồ Chí Minh"}, {"name": "B", "phone": "0987"})
    assert (typed.name, typed.street, typed.ward_name, typed.district_name, typed.province_name) == (
        "B", "72 Thành Thái", "Phường 14", "Quận 10", "Hồ Chí Minh")
    two_level = rules.recipient({"name": "C", "phone": "1", "text": "12 Lê Lợi, Phường Bến Thành, TP.HCM"})
    assert (two_level.street, two_level.ward_name, two_level.province_name) == ("12 Lê Lợi", "Phường Bến Thành", "TP.HCM")


def test_an_incomplete_recipient_names_each_missing_field():
    with pytest.raises(InvalidInput) as caught:
        rules.recipient({"text": "1 Lê Lợi"})
    assert {e["field"] for e in caught.value.errors} == {"shipping_address.name", "shipping_address.phone",
                                                         "shipping_address.province", "shipping_address.ward"}
    assert i18n.detail(caught.value.detail, "vi") != caught.value.detail


@pytest.mark.parametrize(("payment", "owed"), [({"status": "paid", "amount_paid": 500}, 0),
                                               ({"status": "unpaid", "amount_paid": 0}, 500),
                                               ({"status": "partially_paid", "amount_paid": 200}, 300)])
def test_cod_is_what_the_buyer_still_owes(payment, owed):
    assert rules.cod_owed({"total": 500, "payment": payment}) == owed


def test_weight_typed_then_shipment_then_per_item_default():
    shipment = {"lines": [{"quantity": 2}, {"quantity": 1}]}
    assert rules.parcel_weight(750, shipment) == 750
    assert rules.parcel_weight(None, {**shipment, "weight_grams": 400}) == 400
    assert rules.parcel_weight(None, shipment) == 3 * rules.DEFAULT_ITEM_WEIGHT_G


def _at(hour):
    return datetime(2026, 11, 23, hour, tzinfo=UTC)


def test_news_is_new_forward_and_not_a_replay():
    seen = [{"status": "picked", "at": "2026-11-23T03:00:00.000000Z"}]
    assert rules.is_news(S.ready_to_ship, "ready_to_pick", None, S.handed_over, "picked", _at(3), [])
    assert not rules.is_news(S.handed_over, "picked", "2026-11-23T03:00:00.000000Z", S.handed_over, "picked", _at(3), seen)
    assert not rules.is_news(S.delivering, "delivering", "2026-11-23T05:00:00.000000Z", S.handed_over, "storing", _at(4), [])
    assert not rules.is_news(S.delivered, "delivered", None, S.handed_over, "picked", _at(9), [])
    assert rules.is_news(S.problem, "delivery_fail", "2026-11-23T05:00:00.000000Z", S.delivering, "delivering", _at(6), [])
    assert not rules.is_news(S.handed_over, "picked", None, None, "some_new_status", _at(7), [])


@pytest.mark.parametrize("value", [float("inf"), 10**30, -1e20, [1], {"a": 1}, "không phải số"])
def test_a_callbacks_garbage_money_and_time_are_absent_not_errors(value):
    from chalicelib.carriers.providers.base import parse_time, vnd

    assert vnd(value) is None and parse_time(value) is None
