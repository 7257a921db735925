"""The tax authority's XML: structure, field names, UTF-8, validation against schema/hdon.xsd."""
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from chalicelib.core.errors import InvalidInput
from chalicelib.invoices import rules
from chalicelib.invoices.xml import InvoiceXmlInvalid, build_xml, validate_xml, validation_errors

SELLER = {"name": "Cửa hàng Quay & Bạn <HN>", "tax_code": "0100109106", "address": "1 Hàng Bạc, Hà Nội",
          "phone": "0241234567"}
BUYER = {"name": "Nguyễn Văn A", "company": "Công ty TNHH X", "tax_code": "0100109106-505", "address": "Q1, TP HCM",
         "email": "a@x.vn"}
DAY = date(2025, 8, 1)
SYMBOL = rules.parse_symbol("1C25TAA")


def draft(**order):
    order.setdefault("lines", [{"name": "Áo thun", "quantity": 2, "unit_price": 165_000, "discount": 10_000, "sku": "AO1"},
                               {"name": "Sách", "quantity": 1, "unit_price": 50_000, "vat_rate": "KCT"}])
    return rules.build_invoice_draft({"discount": 20_000, "shipping_fee": 30_000, **order}, SELLER, BUYER,
                                     default_vat_rate=10, on_date=DAY)


def text(root, path):
    return root.find(path).text


def test_structure_and_field_names():
    payload = build_xml(draft(), symbol=SYMBOL, number=123, issued_on=DAY, solution_provider_tax_code="0100109106")
    assert payload.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    payload.decode("utf-8")
    root = ET.fromstring(payload)
    assert root.tag == "HDon"
    general = root.find("DLHDon/TTChung")
    assert [child.tag for child in general] == ["PBan", "THDon", "KHMSHDon", "KHHDon", "SHDon", "NLap", "DVTTe", "TGia",
                                                "HTTToan", "MSTTCGP"]
    assert (text(general, "KHMSHDon"), text(general, "KHHDon"), text(general, "SHDon"), text(general, "NLap")) == \
        ("1", "C25TAA", "123", "2025-08-01")
    seller = root.find("DLHDon/NDHDon/NBan")
    assert (text(seller, "Ten"), text(seller, "MST"), text(seller, "DChi")) == (SELLER["name"], "0100109106", SELLER["address"])
    buyer = root.find("DLHDon/NDHDon/NMua")
    assert (text(buyer, "Ten"), text(buyer, "MST"), text(buyer, "HVTNMHang")) == ("Công ty TNHH X", "0100109106-505",
                                                                                  "Nguyễn Văn A")
    items = root.findall("DLHDon/NDHDon/DSHHDVu/HHDVu")
    assert [(text(i, "TChat"), text(i, "STT"), text(i, "TSuat")) for i in items] == [
        ("1", "1", "10%"), ("1", "2", "KCT"), ("1", "3", "10%"), ("3", "4", "10%"), ("3", "5", "KCT")]
    first = items[0]
    assert (text(first, "MHHDVu"), text(first, "THHDVu"), text(first, "DVTinh"), text(first, "SLuong"),
            text(first, "DGia"), text(first, "STCKhau"), text(first, "ThTien")) == \
        ("AO1", "Áo thun", "cái", "2", "150000", "9091", "290909")
    assert first.find("TTKhac/TTin/TTruong").text == "TThue" and first.find("TTKhac/TTin/DLieu").text == "29091"
    payment = root.find("DLHDon/NDHDon/TToan")
    assert [(text(r, "TSuat"), text(r, "ThTien"), text(r, "TThue")) for r in payment.findall("THTTLTSuat/LTSuat")] == \
        [("10%", "302457", "30246"), ("KCT", "47297", "0")]
    assert (text(payment, "TgTCThue"), text(payment, "TgTThue"), text(payment, "TTCKTMai"), text(payment, "TgTTTBSo"),
            text(payment, "TgTTTBChu")) == ("349754", "30246", "18428", "380000", "Ba trăm tám mươi nghìn đồng")
    assert validation_errors(payload) == []


def test_replacement_carries_the_related_invoice():
    original = rules.IssuedInvoice("inv-1", "issued", "1", "C25TAA", 7, date(2025, 7, 30))
    replacing = rules.with_link(draft(), rules.link_to(original, "replaces", "Sai địa chỉ"))
    root = ET.fromstring(build_xml(replacing, symbol=SYMBOL, number=8, issued_on=DAY))
    related = root.find("DLHDon/TTChung/TTHDLQuan")
    assert [(c.tag, c.text) for c in related] == [("TCHDon", "1"), ("LHDCLQuan", "1"), ("KHMSHDCLQuan", "1"),
                                                  ("KHHDCLQuan", "C25TAA"), ("SHDCLQuan", "7"),
                                                  ("NLHDCLQuan", "2025-07-30"), ("GChu", "Sai địa chỉ")]


def test_adjustment_needs_its_kind():
    original = rules.IssuedInvoice("inv-1", "issued", "1", "C25TAA", 7, date(2025, 7, 30))
    link = rules.link_to(original, "adjusts")
    with pytest.raises(InvalidInput):
        rules.with_link(draft(), link)
    adjusted = rules.with_link(draft(), link, adjustment_kind="money")
    root = ET.fromstring(build_xml(adjusted, symbol=SYMBOL, number=9, issued_on=DAY))
    assert root.find("DLHDon/TTChung/TTHDLQuan/TCHDon").text == "2"


def test_cash_register_invoice_carries_its_code():
    symbol = rules.parse_symbol("1C25MAA")
    code = rules.cash_register_code(symbol, "ABCDE", 1)
    root = ET.fromstring(build_xml(draft(), symbol=symbol, number=1, issued_on=DAY, tax_authority_code=code))
    assert root.find("MCCQT").text == code
    assert root.find("DLHDon/TTChung/THDon").text == "Hóa đơn giá trị gia tăng khởi tạo từ máy tính tiền"
    with pytest.raises(InvalidInput):
        build_xml(draft(), symbol=symbol, number=1, issued_on=DAY)


def test_symbol_of_another_year_is_refused():
    with pytest.raises(InvalidInput):
        build_xml(draft(), symbol=SYMBOL, number=1, issued_on=date(2026, 1, 2))


def test_anonymous_buyer_is_valid():
    plain = rules.build_invoice_draft({"lines": [{"name": "Nước", "quantity": 1, "unit_price": 10_000}]}, SELLER, None,
                                      default_vat_rate=8, on_date=DAY)
    root = ET.fromstring(build_xml(plain, symbol=SYMBOL, number=2, issued_on=DAY))
    assert list(root.find("DLHDon/NDHDon/NMua")) == []


@pytest.mark.parametrize(("before", "after"), [
    (b"<TSuat>10%</TSuat>", b"<TSuat>7%</TSuat>"),                    # a rate the law does not have
    (b"<SHDon>123</SHDon>", b"<SHDon>0</SHDon>"),                     # numbers start at 1
    (b"<SHDon>123</SHDon>", b"<SHDon>123456789</SHDon>"),             # at most 8 digits
    (b"<KHHDon>C25TAA</KHHDon>", b"<KHHDon>X25TAA</KHHDon>"),         # C or K
    (b"<MST>0100109106</MST>", b"<MST>12345</MST>"),                  # seller tax code
    (b"<NLap>2025-08-01</NLap>", b"<NLap>01/08/2025</NLap>"),         # ISO date
    (b"<PBan>2.0.0</PBan>", b""),                                     # required element missing
    (b"<TgTThue>30246</TgTThue>", b"<TgTThue>abc</TgTThue>"),         # money is a number
    (b"<TTChung>", b"<TTChung><Extra>1</Extra>"),                     # unknown element
])
def test_broken_invoices_fail_validation(before, after):
    payload = build_xml(draft(), symbol=SYMBOL, number=123, issued_on=DAY)
    assert before in payload
    broken = payload.replace(before, after, 1)
    assert validation_errors(broken)
    with pytest.raises(InvoiceXmlInvalid):
        validate_xml(broken)


def test_not_well_formed():
    assert validation_errors(b"<HDon><DLHDon></HDon>")[0].startswith("not well-formed")
