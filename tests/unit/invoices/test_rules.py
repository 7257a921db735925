"""Symbols, numbers, rates, rounding, tax codes, invoice dates and the state machine."""
from datetime import UTC, date, datetime

import pytest

from chalicelib.core.errors import Conflict, IllegalTransition, InvalidInput
from chalicelib.invoices import rules


def fields_of(error: InvalidInput) -> set[str]:
    return {item["field"] for item in error.errors}


# --- symbols ------------------------------------------------------------------------------------
def test_parse_full_symbol():
    symbol = rules.parse_symbol("1C25TAA")
    assert (symbol.form, symbol.with_code, symbol.year, symbol.type_letter, symbol.shop_letters) == (1, True, 25, "T", "AA")
    assert (symbol.template_code, symbol.series, symbol.full) == ("1", "C25TAA", "1C25TAA")
    assert symbol.title == "Hóa đơn giá trị gia tăng"


def test_parse_series_with_separate_template_code():
    assert rules.parse_symbol("k24tut", template_code="1/001").full == "1K24TUT"
    assert rules.parse_symbol("C25MAB", template_code="2").title == "Hóa đơn bán hàng khởi tạo từ máy tính tiền"


@pytest.mark.parametrize("text", ["", "1C25TA", "1X25TAA", "0C25TAA", "1C2TAAA", "1C25TA1", "1C25ZAA", "C25TAA",
                                  "1K25MAA", "1K25LAA"])
def test_invalid_symbols_name_the_field(text):
    with pytest.raises(InvalidInput) as caught:
        rules.parse_symbol(text)
    assert fields_of(caught.value) == {"symbol"}


def test_template_code_must_agree_with_symbol():
    with pytest.raises(InvalidInput):
        rules.parse_symbol("1C25TAA", template_code="2")
    with pytest.raises(InvalidInput) as caught:
        rules.parse_symbol("C25TAA", template_code="x")
    assert fields_of(caught.value) == {"template_code"}


def test_build_symbol_for_a_year():
    symbol = rules.build_symbol(form=1, with_code=True, year=2025, type_letter="T", shop_letters="AA")
    assert symbol.full == "1C25TAA"
    assert symbol.for_year(2026).full == "1C26TAA"
    with pytest.raises(InvalidInput):
        rules.build_symbol(form=0, with_code=True, year=2025, type_letter="T", shop_letters="AA")


def test_symbol_year_must_match_the_invoice_date():
    symbol = rules.parse_symbol("1C25TAA")
    rules.check_symbol_year(symbol, date(2025, 12, 31))
    with pytest.raises(InvalidInput):
        rules.check_symbol_year(symbol, date(2026, 1, 1))


def test_cash_register_code():
    symbol = rules.parse_symbol("1C25MAA")
    code = rules.cash_register_code(symbol, "abcde", 42)
    assert code == "M1-25-ABCDE-00000000042" and len(code) == 23
    assert rules.is_cash_register_code(code)
    assert not rules.is_cash_register_code("M1-25-ABCD-00000000042")
    with pytest.raises(InvalidInput):
        rules.cash_register_code(rules.parse_symbol("1C25TAA"), "ABCDE", 1)
    with pytest.raises(InvalidInput):
        rules.cash_register_code(symbol, "ABC", 1)


# --- dates --------------------------------------------------------------------------------------
@pytest.mark.parametrize(("moment", "day"), [
    (datetime(2025, 12, 31, 16, 59, tzinfo=UTC), date(2025, 12, 31)),
    (datetime(2025, 12, 31, 17, 0, tzinfo=UTC), date(2026, 1, 1)),   # midnight in Hà Nội
    (datetime(2025, 6, 1, 3, 0), date(2025, 6, 1)),                   # naive means UTC
])
def test_invoice_date_is_the_ict_date(moment, day):
    assert rules.invoice_date(moment) == day


# --- numbers ------------------------------------------------------------------------------------
def test_numbers_start_at_one_and_are_consecutive():
    assert rules.next_number(None) == 1
    assert rules.next_number(0) == 1
    assert rules.next_number(41) == 42


def test_numbers_stop_at_eight_digits():
    assert rules.next_number(99_999_998) == 99_999_999
    with pytest.raises(Conflict):
        rules.next_number(99_999_999)


def test_counter_is_per_symbol_and_so_per_year():
    counter = rules.Counter()
    this_year = rules.parse_symbol("1C25TAA")
    next_year = this_year.for_year(2026)
    keys = [rules.counter_key("0100109106", s) for s in (this_year, this_year, next_year, this_year)]
    assert [counter.take(key) for key in keys] == [1, 2, 1, 3]


# --- VAT rates ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("given", "code"), [(0, "0%"), (5, "5%"), ("8", "8%"), ("10%", "10%"), (10, "10%"),
                                             ("kct", "KCT"), ("KKKNT", "KKKNT")])
def test_rates_normalise(given, code):
    assert rules.normalize_rate(given) == code


@pytest.mark.parametrize("bad", [7, "12%", "", None, True, "0.1"])
def test_unknown_rates(bad):
    with pytest.raises(InvalidInput) as caught:
        rules.normalize_rate(bad, field_name="lines[2].vat_rate")
    assert fields_of(caught.value) == {"lines[2].vat_rate"}


def test_eight_percent_only_while_a_reduction_applies():
    rules.check_rate_on("8%", date(2025, 7, 1))
    rules.check_rate_on("8%", date(2026, 12, 31))
    rules.check_rate_on("10%", date(2027, 1, 1))
    with pytest.raises(InvalidInput):
        rules.check_rate_on("8%", date(2027, 1, 1))
    with pytest.raises(InvalidInput):
        rules.check_rate_on("8%", date(2023, 3, 1))   # between two reductions
    custom = (rules.VatReduction("test", date(2027, 1, 1), date(2027, 6, 30)),)
    rules.check_rate_on("8%", date(2027, 1, 1), reductions=custom)
    assert "174/2025" in rules.reduction_on(date(2025, 9, 2)).basis


# --- rounding -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("amount", "rate", "vat"), [
    (100_000, "10%", 10_000), (15, "10%", 2), (14, "10%", 1), (25, "10%", 3), (12_345, "8%", 988),
    (12_345, "5%", 617), (99_999, "KCT", 0), (99_999, "KKKNT", 0), (99_999, "0%", 0), (-15, "10%", -2),
])
def test_vat_per_line_rounds_half_up(amount, rate, vat):
    assert rules.vat_on(amount, rate) == vat


@pytest.mark.parametrize(("gross", "rate", "before"), [
    (110_000, "10%", 100_000), (165_000, "10%", 150_000), (30_000, "10%", 27_273), (108_000, "8%", 100_000),
    (50_000, "KCT", 50_000), (1, "10%", 1), (-17_297, "10%", -15_725),
])
def test_prices_with_vat_split_exactly(gross, rate, before):
    amount, vat = rules.split_gross(gross, rate)
    assert amount == before and amount + vat == gross


# --- tax codes ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("given", "normal"), [
    ("0100109106", "0100109106"), ("0100109106-505", "0100109106-505"), ("0100109106505", "0100109106-505"),
    (" 0100 109 106 ", "0100109106"), ("001088012345", "001088012345"),
])
def test_valid_tax_codes(given, normal):
    assert rules.validate_tax_code(given) == normal


@pytest.mark.parametrize("bad", ["0100109107", "010010910", "0100109106-000", "0100109106-5", "01001091061234", "abc", ""])
def test_invalid_tax_codes(bad):
    with pytest.raises(InvalidInput) as caught:
        rules.validate_tax_code(bad)
    assert fields_of(caught.value) == {"buyer.tax_code"}


def test_check_digit_matches_the_tax_authority_algorithm():
    assert rules.tax_code_check_digit("010010910") == 6


def test_business_buyer_needs_name_and_address():
    with pytest.raises(InvalidInput) as caught:
        rules.validate_buyer({"tax_code": "0100109106", "email": "not-an-email"})
    assert fields_of(caught.value) == {"buyer.company", "buyer.address", "buyer.email"}
    buyer = rules.validate_buyer({"company": "Cty X", "tax_code": "0100109106505", "address": "HCM"})
    assert buyer.tax_code == "0100109106-505" and buyer.legal_name == "Cty X"
    assert rules.validate_buyer(None).anonymous


# --- state machine ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("status", "action", "after"), [
    ("draft", "issue", "issued"), ("issued", "cancel", "canceled"), ("issued", "replace", "replaced"),
    ("issued", "adjust", "adjusted"), ("adjusted", "adjust", "adjusted"),
])
def test_allowed_transitions(status, action, after):
    assert rules.next_status(status, action) == after


@pytest.mark.parametrize(("status", "action"), [
    ("draft", "cancel"), ("draft", "replace"), ("draft", "adjust"), ("issued", "issue"), ("canceled", "issue"),
    ("canceled", "replace"), ("replaced", "replace"), ("replaced", "cancel"), ("adjusted", "cancel"),
    ("adjusted", "replace"),
])
def test_forbidden_transitions(status, action):
    with pytest.raises(IllegalTransition):
        rules.next_status(status, action)


def test_unknown_action():
    with pytest.raises(InvalidInput):
        rules.next_status("issued", "delete")


def test_allowed_actions():
    assert rules.allowed_actions("issued") == ["cancel", "replace", "adjust"]
    assert rules.allowed_actions("canceled") == []


def test_links_check_the_original_state():
    original = rules.IssuedInvoice("inv-1", "issued", "1", "C25TAA", 7, date(2025, 8, 1))
    link = rules.link_to(original, "replaces", "Sai tên người mua")
    assert (link.kind, link.series, link.number, link.xml_nature) == ("replaces", "C25TAA", 7, 1)
    assert rules.link_to(original, "adjusts").xml_nature == 2
    with pytest.raises(IllegalTransition):
        rules.link_to(rules.IssuedInvoice("inv-2", "canceled", "1", "C25TAA", 8, date(2025, 8, 1)), "replaces")
