"""Every refusal the invoice rules give is English where it is raised and Vietnamese in the catalogue
(core/i18n.py), the detail and each field's message alike."""
from datetime import date

import pytest

from chalicelib.core import i18n
from chalicelib.core.errors import DomainError
from chalicelib.invoices import rules
from chalicelib.invoices.xml import build_xml

SELLER = {"name": "Quay", "tax_code": "0100109106", "address": "Hà Nội"}
GOOD = {"lines": [{"name": "Áo", "quantity": 1, "unit_price": 100}]}
REFUSALS = [
    lambda: rules.parse_symbol("XYZ"),
    lambda: rules.parse_symbol("C25TAA", template_code="0"),
    lambda: rules.parse_symbol("1C25TAA", template_code="2"),
    lambda: rules.parse_symbol("C25TAA"),
    lambda: rules.parse_symbol("1C25QAA"),
    lambda: rules.parse_symbol("1K25MAA"),
    lambda: rules.build_symbol(form=0, with_code=True, year=2025, type_letter="T", shop_letters="AA"),
    lambda: rules.check_symbol_year(rules.parse_symbol("1C25TAA"), date(2026, 1, 2)),
    lambda: rules.cash_register_code(rules.parse_symbol("1C25TAA"), "ABCDE", 1),
    lambda: rules.cash_register_code(rules.parse_symbol("1C25MAA"), "AB", 1),
    lambda: rules.cash_register_code(rules.parse_symbol("1C25MAA"), "ABCDE", 10**12),
    lambda: rules.next_number(rules.MAX_NUMBER),
    lambda: rules.normalize_rate(7),
    lambda: rules.check_rate_on("8%", date(2027, 1, 1)),
    lambda: rules.validate_tax_code("123"),
    lambda: rules.validate_tax_code("0100109107"),
    lambda: rules.validate_tax_code("0100109106-000"),
    lambda: rules.validate_seller({}),
    lambda: rules.validate_buyer({"tax_code": "0100109106", "email": "x"}),
    lambda: rules.build_invoice_draft({"lines": []}, SELLER, default_vat_rate=10, on_date=date(2026, 3, 1)),
    lambda: rules.build_invoice_draft({"lines": [{"name": "", "quantity": 0, "unit_price": -1, "discount": -1}],
                                       "discount": -1, "shipping_fee": -1}, SELLER, default_vat_rate=10,
                                      on_date=date(2026, 3, 1)),
    lambda: rules.build_invoice_draft({"lines": [{"name": "Áo", "quantity": 1, "unit_price": 100, "discount": 200}],
                                       "discount": 500}, SELLER, default_vat_rate=10, on_date=date(2026, 3, 1)),
    lambda: rules.build_invoice_draft({"lines": [{"name": "Áo", "quantity": 1, "unit_price": 10**12}]}, SELLER,
                                      default_vat_rate=10, on_date=date(2026, 3, 1)),
    lambda: rules.next_status("draft", "fly"),
    lambda: rules.next_status("draft", "cancel"),
    lambda: rules.next_status("canceled", "issue"),
    lambda: rules.next_status("replaced", "replace"),
    lambda: rules.next_status("draft", "adjust"),
    lambda: rules.with_link(rules.build_invoice_draft(GOOD, SELLER, default_vat_rate=10, on_date=date(2026, 3, 1)),
                            rules.InvoiceLink("adjusts", "I1", "1", "C26TAA", 1, date(2026, 3, 1))),
    lambda: build_xml(rules.build_invoice_draft(GOOD, SELLER, default_vat_rate=10, on_date=date(2026, 3, 1)),
                      symbol=rules.parse_symbol("1C26MAA"), number=1, issued_on=date(2026, 3, 1)),
]


@pytest.mark.parametrize("refusal", REFUSALS)
def test_each_refusal_reads_in_vietnamese(refusal):
    with pytest.raises(DomainError) as caught:
        refusal()
    error = caught.value
    texts = [error.detail] + [entry["message"] for entry in error.errors]
    untranslated = [text for text in texts if i18n.detail(text, "vi") == text]
    assert untranslated == []
    assert all(text.isascii() or "đ" not in text for text in texts)      # written in English
