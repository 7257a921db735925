"""Invoices built from orders: lines, VAT per rate, discounts, shipping, totals, field-named errors."""
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.core import i18n
from chalicelib.core.errors import InvalidInput
from chalicelib.invoices import rules

SELLER = {"name": "Cửa hàng Quay", "tax_code": "0100109106", "address": "1 Hàng Bạc, Hà Nội"}
DAY = date(2025, 8, 1)


def build(order, buyer=None, rate=10, **kwargs):
    return rules.build_invoice_draft(order, SELLER, buyer, default_vat_rate=rate, on_date=DAY, **kwargs)


def test_prices_with_vat_one_line():
    draft = build({"lines": [{"name": "Áo thun", "variant_name": "Đỏ / M", "unit": "chiếc", "quantity": 2,
                              "unit_price": 165_000, "sku": "AO-DO-M"}]})
    (line,) = draft.lines
    assert (line.name, line.unit, line.quantity, line.unit_price, line.amount, line.vat_rate, line.vat_amount,
            line.code) == ("Áo thun - Đỏ / M", "chiếc", 2, 150_000, 300_000, "10%", 30_000, "AO-DO-M")
    assert draft.totals.as_dict() == {"before_vat": 300_000, "vat": 30_000, "total": 330_000,
                                      "total_in_words": "Ba trăm ba mươi nghìn đồng"}


def test_prices_without_vat():
    draft = build({"prices_include_vat": False,
                   "lines": [{"name": "Bàn", "quantity": 1, "unit_price": 1_000_000},
                             {"name": "Ghế", "quantity": 3, "unit_price": 33_333, "vat_rate": 8}]})
    assert [(x.amount, x.vat_rate, x.vat_amount) for x in draft.lines] == [(1_000_000, "10%", 100_000),
                                                                         (99_999, "8%", 8_000)]
    assert draft.totals.vat == 108_000 and draft.totals.total == 1_207_999
    assert [(r.rate, r.taxable, r.vat) for r in draft.totals.by_rate] == [("8%", 99_999, 8_000), ("10%", 1_000_000, 100_000)]


def test_line_discount_shipping_and_order_discount_over_two_rates():
    draft = build({"lines": [{"name": "Áo", "quantity": 2, "unit_price": 165_000, "discount": 10_000},
                             {"name": "Sách", "quantity": 1, "unit_price": 50_000, "vat_rate": "KCT"}],
                   "discount": 20_000, "shipping_fee": 30_000})
    kinds = [(x.kind, x.name, x.vat_rate) for x in draft.lines]
    assert kinds == [("goods", "Áo", "10%"), ("goods", "Sách", "KCT"), ("service", "Phí vận chuyển", "10%"),
                     ("discount", "Chiết khấu thương mại (thuế suất 10%)", "10%"),
                     ("discount", "Chiết khấu thương mại (thuế suất KCT)", "KCT")]
    shirt, book, shipping, discount_10, discount_kct = draft.lines
    assert (shirt.amount, shirt.vat_amount, shirt.discount) == (290_909, 29_091, 9_091)
    assert (shipping.amount, shipping.vat_amount) == (27_273, 2_727)
    # 20 000 split by goods value: 320 000 at 10 %, 50 000 KCT
    assert (discount_10.amount + discount_10.vat_amount, discount_kct.amount) == (-17_297, -2_703)
    assert discount_10.amount < 0 and discount_10.vat_amount < 0
    totals = draft.totals
    assert totals.total == 320_000 + 50_000 + 30_000 - 20_000     # what the buyer paid
    assert totals.discount == -(discount_10.amount + discount_kct.amount)
    assert totals.before_vat == sum(x.amount for x in draft.lines)
    assert totals.vat == sum(x.vat_amount for x in draft.lines) == sum(r.vat for r in totals.by_rate)


def test_single_rate_discount_line_is_named_plainly():
    draft = build({"lines": [{"name": "Áo", "quantity": 1, "unit_price": 110_000}], "discount": 11_000})
    assert draft.lines[-1].name == "Chiết khấu thương mại"
    assert (draft.lines[-1].amount, draft.lines[-1].vat_amount) == (-10_000, -1_000)
    assert draft.totals.total == 99_000


def test_decimal_quantities():
    draft = build({"lines": [{"name": "Gạo", "unit": "kg", "quantity": "2.5", "unit_price": 22_000}]})
    assert draft.lines[0].as_dict()["quantity"] == "2.5"
    assert draft.totals.total == 55_000


def test_order_objects_work_like_mappings():
    class Line:
        name, variant_name, unit, quantity, unit_price, discount, vat_rate, sku = "Mũ", None, None, 1, 55_000, 0, None, None

    class Order:
        lines, discount, shipping_fee, prices_include_vat = [Line()], 0, 0, True

    assert build(Order()).totals.total == 55_000


def test_errors_name_every_bad_field():
    with pytest.raises(InvalidInput) as caught:
        rules.build_invoice_draft(
            {"lines": [{"name": "", "quantity": 0, "unit_price": -1},
                       {"name": "Áo", "quantity": 1, "unit_price": 100, "discount": 200, "vat_rate": 7}],
             "discount": 1.5},
            {"name": "", "tax_code": "123", "address": ""}, {"tax_code": "0100109107", "company": "X", "address": "Y"},
            default_vat_rate=8, on_date=date(2027, 3, 1))
    assert {e["field"] for e in caught.value.errors} == {
        "seller.name", "seller.address", "seller.tax_code", "buyer.tax_code", "vat_rate",
        "lines[0].name", "lines[0].quantity", "lines[0].unit_price", "lines[1].discount", "lines[1].vat_rate", "discount"}


def test_order_discount_cannot_exceed_goods():
    with pytest.raises(InvalidInput) as caught:
        build({"lines": [{"name": "Áo", "quantity": 1, "unit_price": 100}], "discount": 101, "shipping_fee": 50})
    assert caught.value.errors == [{"field": "discount", "message": "The order discount is more than the goods' total."}]
    assert i18n.detail(caught.value.errors[0]["message"], "vi") == "Chiết khấu đơn hàng lớn hơn tổng tiền hàng."


def test_empty_order():
    with pytest.raises(InvalidInput) as caught:
        build({"lines": []})
    assert caught.value.errors[0]["field"] == "lines"


def test_api_shape():
    draft = build({"lines": [{"name": "Áo", "quantity": 1, "unit_price": 110_000}]})
    assert draft.as_dict()["lines"][0] == {"name": "Áo", "unit": "cái", "quantity": 1, "unit_price": 100_000,
                                           "amount": 100_000, "vat_rate": "10%", "vat_amount": 10_000,
                                           "kind": "goods", "discount": 0}


lines_strategy = st.lists(st.fixed_dictionaries({
    "name": st.just("Hàng"),
    "quantity": st.integers(1, 50),
    "unit_price": st.integers(0, 5_000_000),
    "vat_rate": st.sampled_from([0, 5, 8, 10, "KCT", "KKKNT"]),
}), min_size=1, max_size=6)


@settings(max_examples=150, deadline=None)
@given(lines=lines_strategy, shipping=st.integers(0, 100_000), discount_share=st.floats(0, 1), include=st.booleans())
def test_totals_always_add_up(lines, shipping, discount_share, include):
    goods = sum(line["quantity"] * line["unit_price"] for line in lines)
    discount = int(goods * discount_share)
    draft = build({"lines": lines, "shipping_fee": shipping, "discount": discount, "prices_include_vat": include})
    totals = draft.totals
    assert totals.before_vat == sum(x.amount for x in draft.lines) == sum(r.taxable for r in totals.by_rate)
    assert totals.vat == sum(x.vat_amount for x in draft.lines) == sum(r.vat for r in totals.by_rate)
    assert totals.total == totals.before_vat + totals.vat
    if include:
        assert totals.total == goods + shipping - discount   # exactly what the buyer paid
    for line in draft.lines:
        exact = rules.RATE_PERCENT[line.vat_rate] * line.amount / 100
        assert abs(line.vat_amount - exact) <= (0.55 if include else 0.5)  # rounded once, per line
        if not include:
            assert line.vat_amount == rules.vat_on(line.amount, line.vat_rate)
