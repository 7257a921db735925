"""An order as the invoice sees it: lines with their own discounts, the order discount as a commercial
discount per rate, the shipping fee as a service line; prices include VAT; 8 % only while the cut applies;
a shop's sandbox address is https (or this machine)."""
from datetime import date

import pytest

from chalicelib.core.errors import InvalidInput
from chalicelib.invoices import rules
from chalicelib.invoices.service import _draft, _order_source
from chalicelib.invoices.settings import _checked_api_base

SELLER = {"name": "Công ty TNHH Quay", "tax_code": "0100109106", "address": "Hà Nội"}
ORDER = {"id": "O1", "lines": [
    {"sku": "TS-M", "name": "Áo thun", "variant": "M", "quantity": 2, "unit_price": 110_000, "discount": 10_000},
    {"sku": "CAP", "name": "Mũ", "variant": None, "quantity": 1, "unit_price": 54_000, "discount": 0}],
    "discount": 20_000, "shipping_fee": 22_000}


def source(vat_rate="10%"):
    return {"order": _order_source(ORDER), "seller": SELLER, "buyer": {}, "vat_rate": vat_rate}


def test_lines_discounts_and_shipping_as_the_law_wants_them():
    draft = _draft(source(), date(2026, 3, 2))
    kinds = [(line.kind, line.name) for line in draft.lines]
    assert kinds == [("goods", "Áo thun - M"), ("goods", "Mũ"), ("service", "Phí vận chuyển"),
                     ("discount", "Chiết khấu thương mại")]
    assert draft.lines[0].discount == 9_091                     # 10 000 with VAT in it, before VAT
    # what the buyer paid: 220 000 - 10 000 + 54 000 + 22 000 - 20 000
    assert draft.totals.total == 266_000
    assert draft.totals.before_vat + draft.totals.vat == draft.totals.total
    assert sum(line.amount for line in draft.lines) == draft.totals.before_vat
    assert draft.totals.total_in_words == "Hai trăm sáu mươi sáu nghìn đồng"


def test_eight_percent_while_the_reduction_applies_and_not_after():
    draft = _draft(source("8%"), date(2026, 12, 31))
    assert {line.vat_rate for line in draft.lines} == {"8%"} and draft.totals.total == 266_000
    assert draft.totals.vat == sum(line.vat_amount for line in draft.lines) == 19_705  # 15556+4000+1630-1481
    with pytest.raises(InvalidInput) as refused:
        _draft(source("8%"), date(2027, 1, 1))
    assert refused.value.errors[0]["field"] == "vat_rate"


def test_not_subject_lines_carry_no_vat():
    draft = _draft(source("KCT"), date(2026, 3, 2))
    assert draft.totals.vat == 0 and draft.totals.before_vat == 266_000
    assert [rate.rate for rate in draft.totals.by_rate] == ["KCT"]


def test_numbers_follow_each_other_per_symbol_and_year():
    counter = rules.Counter()
    this_year, next_year = rules.parse_symbol("1C26TAA"), rules.parse_symbol("1C26TAA").for_year(2027)
    taken = [counter.take(rules.counter_key("0100109106", this_year)) for _ in range(3)]
    assert taken == [1, 2, 3] and counter.take(rules.counter_key("0100109106", next_year)) == 1


@pytest.mark.parametrize(("given", "kept"), [
    ("https://sandbox.example.vn/", "https://sandbox.example.vn"), ("http://127.0.0.1:8123", "http://127.0.0.1:8123"),
    (None, None)])
def test_sandbox_addresses(given, kept):
    assert _checked_api_base(given) == kept


@pytest.mark.parametrize("bad", ["http://evil.example.com", "ftp://x", "https://", "http://[::1", "javascript:x"])
def test_other_addresses_are_refused(bad):
    with pytest.raises(InvalidInput):
        _checked_api_base(bad)
