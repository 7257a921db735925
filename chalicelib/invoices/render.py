"""Printable invoice (A4 and 80 mm roll) as HTML through the shared autoescaped jinja2 environment
(core.documents). The QR code is inline SVG from `segno` (pure Python, imported on first use); it
holds the lookup address when the provider has one, else the invoice's identifying fields."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from chalicelib.core import documents
from chalicelib.invoices.rules import DISCOUNT, LEGAL_BASIS, InvoiceDraft, InvoiceSymbol, invoice_date

TEMPLATES = {"a4": "invoices/templates/invoice_a4.html", "80mm": "invoices/templates/invoice_80mm.html"}
STATUS_LABELS = {"draft": "Bản nháp - chưa có giá trị pháp lý", "canceled": "Hóa đơn đã bị hủy",
                 "replaced": "Hóa đơn đã bị thay thế", "adjusted": "Hóa đơn đã được điều chỉnh"}


@dataclass(frozen=True)
class PrintedInvoice:
    draft: InvoiceDraft
    symbol: InvoiceSymbol
    number: int | None
    issued_at: datetime | None
    status: str = "issued"
    lookup_code: str | None = None
    lookup_url: str | None = None
    tax_authority_code: str | None = None


def qr_payload(invoice: PrintedInvoice) -> str:
    if invoice.lookup_url:
        separator = "&" if "?" in invoice.lookup_url else "?"
        return f"{invoice.lookup_url}{separator}code={invoice.lookup_code}" if invoice.lookup_code else invoice.lookup_url
    day = invoice_date(invoice.issued_at).strftime("%Y%m%d") if invoice.issued_at else ""
    return "|".join([invoice.draft.seller.tax_code, invoice.symbol.template_code, invoice.symbol.series,
                     str(invoice.number or ""), day, str(invoice.draft.totals.total), invoice.lookup_code or ""])


def qr_svg(data: str, *, scale: int = 3) -> str:
    import segno

    return segno.make(data, error="m").svg_inline(scale=scale, border=2)


def render_invoice(invoice: PrintedInvoice, size: str = "a4") -> str:
    from markupsafe import Markup

    if size not in TEMPLATES:
        raise ValueError(f"size is one of {sorted(TEMPLATES)}")
    day = invoice_date(invoice.issued_at) if invoice.issued_at else None
    return documents.render(
        TEMPLATES[size],
        invoice=invoice, draft=invoice.draft, seller=invoice.draft.seller, buyer=invoice.draft.buyer,
        lines=invoice.draft.lines, totals=invoice.draft.totals, symbol=invoice.symbol,
        number=str(invoice.number or ""), day=day, discount_kind=DISCOUNT,
        status_label=STATUS_LABELS.get(invoice.status, ""),
        qr=Markup(qr_svg(qr_payload(invoice), scale=2 if size == "80mm" else 3)),  # generated, not user text
        legal_basis=LEGAL_BASIS,
    )
