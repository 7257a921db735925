"""Print views (A4, 80 mm) and the manual provider (local numbers, no network)."""
from datetime import UTC, date, datetime

import pytest

from chalicelib.core.errors import InvalidInput
from chalicelib.invoices import rules
from chalicelib.invoices.providers import provider_for
from chalicelib.invoices.providers.base import IssueRequest
from chalicelib.invoices.providers.manual import ManualProvider, lookup_code
from chalicelib.invoices.render import PrintedInvoice, qr_payload, render_invoice

SELLER = {"name": "Shop <script>alert(1)</script>", "tax_code": "0100109106", "address": "Hà Nội"}
SYMBOL = rules.parse_symbol("1C25TAA")
ISSUED_AT = datetime(2025, 8, 1, 18, 30, tzinfo=UTC)   # 2 August in Hà Nội


def draft():
    return rules.build_invoice_draft(
        {"lines": [{"name": "Áo <b>thun</b>", "quantity": 2, "unit_price": 165_000}], "shipping_fee": 30_000,
         "discount": 10_000},
        SELLER, {"company": "Cty X", "tax_code": "0100109106-505", "address": "HCM"}, default_vat_rate=10,
        on_date=date(2025, 8, 2))


@pytest.mark.parametrize("size", ["a4", "80mm"])
def test_print_views(size):
    printed = PrintedInvoice(draft(), SYMBOL, 12, ISSUED_AT, lookup_code="ABC123XYZ")
    html = render_invoice(printed, size)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html   # autoescaped
    assert "Áo &lt;b&gt;thun&lt;/b&gt;" in html
    assert "<svg" in html and "ABC123XYZ" in html
    assert "1C25TAA" in html and "12" in html
    assert "Ba trăm năm mươi nghìn đồng" in html          # 330 000 + 30 000 shipping - 10 000 discount
    assert "0100109106-505" in html
    assert ("Ngày 02 tháng 08 năm 2025" in html) if size == "a4" else ("02/08/2025" in html)


def test_draft_print_says_so():
    html = render_invoice(PrintedInvoice(draft(), SYMBOL, None, None, status="draft"))
    assert "Bản nháp" in html


def test_qr_payload():
    printed = PrintedInvoice(draft(), SYMBOL, 12, ISSUED_AT, lookup_code="ABC")
    assert qr_payload(printed) == "0100109106|1|C25TAA|12|20250802|350000|ABC"
    online = PrintedInvoice(draft(), SYMBOL, 12, ISSUED_AT, lookup_code="ABC", lookup_url="https://tracuu.example/hd")
    assert qr_payload(online) == "https://tracuu.example/hd?code=ABC"


def test_unknown_size():
    with pytest.raises(ValueError):
        render_invoice(PrintedInvoice(draft(), SYMBOL, 1, ISSUED_AT), "a5")


def test_manual_provider_uses_the_callers_number():
    provider = provider_for("manual")
    assert isinstance(provider, ManualProvider) and provider.numbers_locally
    request = IssueRequest(draft(), SYMBOL, ISSUED_AT, number=12)
    result = provider.issue(request, b"<HDon/>", {}, "tx-1")
    assert (result.number, result.series, result.template_code) == (12, "C25TAA", "1")
    assert result.lookup_code == lookup_code("0100109106", "C25TAA", 12, "tx-1") and len(result.lookup_code) == 10
    assert provider.issue(request, b"<HDon/>", {}, "tx-1") == result      # a retry answers the same
    assert provider.lookup("tx-1", {}, seller_tax_code="0100109106") is None


def test_manual_provider_needs_a_number_and_links():
    provider = ManualProvider()
    with pytest.raises(InvalidInput):
        provider.issue(IssueRequest(draft(), SYMBOL, ISSUED_AT), None, {}, "tx-2")
    with pytest.raises(InvalidInput):
        provider.replace(IssueRequest(draft(), SYMBOL, ISSUED_AT, number=13), None, {}, "tx-3")
    original = rules.IssuedInvoice("inv-1", "issued", "1", "C25TAA", 12, date(2025, 8, 2))
    linked = rules.with_link(draft(), rules.link_to(original, "replaces"))
    assert provider.replace(IssueRequest(linked, SYMBOL, ISSUED_AT, number=13), None, {}, "tx-3").number == 13


def test_unknown_provider():
    with pytest.raises(InvalidInput):
        provider_for("misa")
