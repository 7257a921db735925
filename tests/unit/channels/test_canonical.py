"""Pure rules of the canonical order: money, times, masks, phones, merging units, payment words."""
from datetime import UTC, datetime

import pytest

from chalicelib.channels import canonical as c
from chalicelib.core.errors import InvalidInput


@pytest.mark.parametrize("sent, vnd", [
    ("150000.00", 150000), (150000.0, 150000), (150000, 150000), ("150,000", 150000), ("99.5", 100),
    ("99.49", 99), (None, 0), ("", 0), ("0", 0), (" 25000 ", 25000),
])
def test_money_arrives_as_strings_or_numbers_and_becomes_whole_vnd(sent, vnd):
    assert c.to_vnd(sent) == vnd
    assert isinstance(c.to_vnd(sent), int)


@pytest.mark.parametrize("sent", ["abc", "1e", True, "NaN", "Infinity"])
def test_money_that_is_not_an_amount_is_refused_with_the_field(sent):
    with pytest.raises(InvalidInput) as error:
        c.to_vnd(sent, "total_amount")
    assert error.value.errors[0]["field"] == "total_amount"


def test_platform_times_become_utc():
    assert c.from_text("2024-07-01 09:00:00 +0700") == datetime(2024, 7, 1, 2, 0, tzinfo=UTC)       # Lazada
    assert c.from_text("2024-07-01T10:00:00+07:00") == datetime(2024, 7, 1, 3, 0, tzinfo=UTC)       # Shopify
    assert c.from_text("2024-07-01T03:00:00") == datetime(2024, 7, 1, 3, 0, tzinfo=UTC)             # WooCommerce *_gmt
    assert c.from_text("2024-07-01T03:00:00Z") == datetime(2024, 7, 1, 3, 0, tzinfo=UTC)
    assert c.from_epoch(1719800000) == datetime(2024, 7, 1, 2, 13, 20, tzinfo=UTC)
    assert c.from_epoch(1719800000123) == c.from_epoch(1719800000)                                  # milliseconds


def test_a_naive_time_can_be_refused_where_the_offset_matters():
    with pytest.raises(InvalidInput):
        c.from_text("2024-07-01T10:00:00", naive_is_utc=False)


@pytest.mark.parametrize("text, masked", [("84******67", True), ("N****n", True), ("****", True), ("Nguyễn Văn A", False),
                                          ("a*b", False), (None, False), ("", False)])
def test_masked_values_are_recognised(text, masked):
    assert c.is_masked(text) is masked


def test_phones_are_normalised_masked_ones_kept_as_sent():
    assert c.readable_phone("84901234567") == ("+84901234567", False)
    assert c.readable_phone("(+84)901234568") == ("+84901234568", False)
    assert c.readable_phone("0168 123 4567") == ("+84381234567", False)   # renumbered in 2018
    assert c.readable_phone("84******67") == (None, True)
    assert c.readable_phone("not a phone") == (None, False)               # never refuse the order for it
    assert c.readable_phone(None) == (None, False)


def test_a_masked_recipient_is_flagged_and_kept():
    address = c.address("N****n", "84******67", "****", "Hà Nội", None, None)
    assert address.masked and address.phone is None and address.phone_as_sent == "84******67" and address.text == "****"
    buyer = c.customer("N****n", "84******67", buyer_id=889900)
    assert buyer.masked and buyer.phone is None and buyer.buyer_id == "889900"


def test_one_line_per_unit_is_merged_into_quantities_keeping_different_prices_apart():
    unit = c.Line("8001", "JEAN-30", "Quần jean", 1, 150000, 5000, "900101")
    other_price = c.Line("8001", "JEAN-30", "Quần jean", 1, 120000, 0, "900101")
    belt = c.Line("8002", "BELT", "Thắt lưng", 1, 130000, 0, "900201")
    merged = c.merge_units([unit, belt, unit, other_price, unit])
    assert [(line.external_sku, line.quantity, line.unit_price, line.discount) for line in merged] == [
        ("JEAN-30", 3, 150000, 15000), ("BELT", 1, 130000, 0), ("JEAN-30", 1, 120000, 0)]


def test_totals_add_lines_and_keep_the_platform_total():
    lines = [c.Line("1", "A", "A", 2, 100000, 25000), c.Line("2", "B", "B", 1, 100000, 0)]
    assert c.totals(lines, shipping=30000, total=305000) == c.Totals(items=300000, discount=25000, shipping=30000, total=305000)


@pytest.mark.parametrize("text, cod, method", [
    ("Cash on Delivery", None, c.PaymentMethod.cod), ("Thanh toán khi nhận hàng", None, c.PaymentMethod.cod),
    ("ShopeePay", None, c.PaymentMethod.e_wallet), ("Ví MoMo", None, c.PaymentMethod.e_wallet),
    ("Chuyển khoản ngân hàng", None, c.PaymentMethod.bank_transfer), ("bacs", None, c.PaymentMethod.bank_transfer),
    ("Credit Card", None, c.PaymentMethod.card), ("MIXEDCARD", None, c.PaymentMethod.card),
    ("Something new", None, c.PaymentMethod.card), ("ShopeePay", True, c.PaymentMethod.cod),
    ("COD", False, c.PaymentMethod.card),
])
def test_payment_methods_are_read_from_the_platform_words(text, cod, method):
    assert c.payment_method(text, cod=cod) is method


def test_the_canonical_order_serialises_to_plain_json_values():
    order = c.CanonicalOrder(
        channel="website", external_id="1", status=c.ChannelStatus.new, platform_status="paid",
        created_at=datetime(2024, 7, 1, 3, tzinfo=UTC), raw_updated_at=datetime(2024, 7, 1, 3, tzinfo=UTC),
        customer=c.customer("A", "0901234567"), lines=[c.Line("1", "A", "A", 1, 1000)], shipping_address=None,
        payment=c.Payment(c.PaymentMethod.cod, c.PaymentStatus.unpaid), totals=c.Totals(1000, 0, 0, 1000))
    plain = order.as_dict()
    assert plain["status"] == "new" and plain["payment"]["method"] == "cod"
    assert plain["created_at"] == "2024-07-01T03:00:00Z" and plain["customer"]["phone"] == "+84901234567"
