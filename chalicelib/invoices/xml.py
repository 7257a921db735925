"""The invoice as XML in the tax authority's structure (Tổng cục Thuế data format, Quyết định 1450/QĐ-TCT,
PBan 2.0.0): HDon / DLHDon / TTChung / NDHDon (NBan, NMua, DSHHDVu/HHDVu, TToan) and, on cash-register
invoices, MCCQT. The bytes returned are what is stored and sent; they are UTF-8 and validated against
schema/hdon.xsd (validated with `xmlschema`, pure Python, imported on first use).

Sources read for the structure and the field names: real tax-authority documents in public code
(a TDiep 202 answer holding an HDon with MCCQT and DSCKS), the C# model classes
Vietsens/hisnguonmo Inventec.Common.ElectronicBill/ModelTT78 (TTChung, HHDVu, TToan, NMua), and
e-invoice libraries parsing TTChung/NDHDon/THTTLTSuat. Per-line VAT goes in the line's TTKhac
(TTruong "TThue"), as the tax authority's own answers carry it in PBan 2.0.0.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from chalicelib.core.errors import DomainError, InvalidInput
from chalicelib.invoices.rules import (
    XML_NATURE,
    InvoiceDraft,
    InvoiceSymbol,
    check_symbol_year,
    is_cash_register_code,
)

FORMAT_VERSION = "2.0.0"
SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "hdon.xsd"
# LHDCLQuan: the related invoice is an e-invoice under Decree 123/2020 (1); 2-4 are older kinds.
RELATED_KIND_DECREE_123 = 1


class InvoiceXmlInvalid(DomainError):
    """The XML does not follow the schema: a bug or bad data, never sent."""


def _money(value: int) -> str:
    return str(int(value))


def _number(value: Decimal | int) -> str:
    if isinstance(value, int):
        return str(value)
    text = format(value.normalize(), "f")
    return text


def _add(parent: ET.Element, tag: str, text: str | int | None = None) -> ET.Element:
    element = ET.SubElement(parent, tag)
    if text is not None:
        element.text = str(text)
    return element


def _optional(parent: ET.Element, tag: str, text: str | None) -> None:
    if text:
        _add(parent, tag, text)


def _other_info(parent: ET.Element, items: list[tuple[str, str, str]]) -> None:
    other = _add(parent, "TTKhac")
    for name, kind, value in items:
        entry = _add(other, "TTin")
        _add(entry, "TTruong", name)
        _add(entry, "KDLieu", kind)
        _add(entry, "DLieu", value)


def build_xml(draft: InvoiceDraft, *, symbol: InvoiceSymbol, number: int, issued_on: date,
              solution_provider_tax_code: str | None = None, tax_authority_code: str | None = None,
              lookup_code: str | None = None, validate: bool = True) -> bytes:
    """The invoice's XML bytes. `issued_on` is the ICT date (rules.invoice_date); `tax_authority_code`
    is MCCQT (for cash-register invoices, the code from rules.cash_register_code);
    `solution_provider_tax_code` is MSTTCGP, the e-invoice solution's tax code (the seller's own when
    it issues through its own software, the default)."""
    check_symbol_year(symbol, issued_on)
    if symbol.cash_register and not (tax_authority_code and is_cash_register_code(tax_authority_code)):
        raise InvalidInput("A cash-register invoice needs the tax authority's code.",
                           errors=[{"field": "tax_authority_code", "message": "like M1-25-ABCDE-00000000001"}])
    root = ET.Element("HDon")
    data = _add(root, "DLHDon")
    data.set("Id", f"DLHDon-{symbol.series}-{number}")

    general = _add(data, "TTChung")
    _add(general, "PBan", FORMAT_VERSION)
    _add(general, "THDon", symbol.title)
    _add(general, "KHMSHDon", symbol.template_code)
    _add(general, "KHHDon", symbol.series)
    _add(general, "SHDon", number)
    _add(general, "NLap", issued_on.isoformat())
    _add(general, "DVTTe", draft.currency)
    _add(general, "TGia", "1")
    _add(general, "HTTToan", draft.payment_method)
    _add(general, "MSTTCGP", solution_provider_tax_code or draft.seller.tax_code)
    if draft.link:
        related = _add(general, "TTHDLQuan")
        _add(related, "TCHDon", draft.link.xml_nature)
        _add(related, "LHDCLQuan", RELATED_KIND_DECREE_123)
        _add(related, "KHMSHDCLQuan", draft.link.template_code)
        _add(related, "KHHDCLQuan", draft.link.series)
        _add(related, "SHDCLQuan", draft.link.number)
        _add(related, "NLHDCLQuan", draft.link.issued_on.isoformat())
        _optional(related, "GChu", draft.link.note)
    if lookup_code:
        _other_info(general, [("MTCuu", "string", lookup_code)])

    content = _add(data, "NDHDon")
    seller = _add(content, "NBan")
    _add(seller, "Ten", draft.seller.name)
    _add(seller, "MST", draft.seller.tax_code)
    _add(seller, "DChi", draft.seller.address)
    _optional(seller, "SDThoai", draft.seller.phone)
    _optional(seller, "DCTDTu", draft.seller.email)
    _optional(seller, "STKNHang", draft.seller.bank_account)
    _optional(seller, "TNHang", draft.seller.bank_name)

    buyer = _add(content, "NMua")
    _optional(buyer, "Ten", draft.buyer.legal_name)
    _optional(buyer, "MST", draft.buyer.tax_code)
    _optional(buyer, "DChi", draft.buyer.address)
    _optional(buyer, "MKHang", draft.buyer.code)
    _optional(buyer, "SDThoai", draft.buyer.phone)
    _optional(buyer, "DCTDTu", draft.buyer.email)
    if draft.buyer.company and draft.buyer.name:
        _add(buyer, "HVTNMHang", draft.buyer.name)

    items = _add(content, "DSHHDVu")
    for line in draft.lines:
        item = _add(items, "HHDVu")
        _add(item, "TChat", XML_NATURE[line.kind])
        _add(item, "STT", line.position)
        _optional(item, "MHHDVu", line.code)
        _add(item, "THHDVu", line.name)
        _optional(item, "DVTinh", line.unit)
        _add(item, "SLuong", _number(line.quantity))
        _add(item, "DGia", _money(line.unit_price))
        if line.discount:
            _add(item, "STCKhau", _money(line.discount))
        # A commercial-discount line (TChat 3) carries its amount unsigned; TChat says it reduces.
        _add(item, "ThTien", _money(abs(line.amount)))
        _add(item, "TSuat", line.vat_rate)
        _other_info(item, [("TThue", "numeric", _money(abs(line.vat_amount)))])

    totals = draft.totals
    payment = _add(content, "TToan")
    per_rate = _add(payment, "THTTLTSuat")
    for rate in totals.by_rate:
        entry = _add(per_rate, "LTSuat")
        _add(entry, "TSuat", rate.rate)
        _add(entry, "ThTien", _money(rate.taxable))
        _add(entry, "TThue", _money(rate.vat))
    _add(payment, "TgTCThue", _money(totals.before_vat))
    _add(payment, "TgTThue", _money(totals.vat))
    if totals.discount:
        _add(payment, "TTCKTMai", _money(totals.discount))
    _add(payment, "TgTTTBSo", _money(totals.total))
    _add(payment, "TgTTTBChu", totals.total_in_words)

    if tax_authority_code:
        code = _add(root, "MCCQT", tax_authority_code)
        code.set("Id", f"MCCQT-{symbol.series}-{number}")

    body = ET.tostring(root, encoding="unicode", short_empty_elements=True)
    payload = ('<?xml version="1.0" encoding="UTF-8"?>\n' + body).encode("utf-8")
    if validate:
        validate_xml(payload)
    return payload


@lru_cache(maxsize=1)
def _schema():
    import xmlschema

    return xmlschema.XMLSchema(str(SCHEMA_PATH))


def validation_errors(payload: bytes) -> list[str]:
    """Every way `payload` breaks the schema (empty when valid); a parse error counts as one."""
    try:
        document = ET.fromstring(payload)
    except ET.ParseError as error:
        return [f"not well-formed: {error}"]
    return [f"{error.path}: {error.reason}" for error in _schema().iter_errors(document)]


def validate_xml(payload: bytes) -> None:
    problems = validation_errors(payload)
    if problems:
        raise InvoiceXmlInvalid("XML hóa đơn không đúng định dạng của cơ quan thuế", extra={"problems": problems[:20]})
