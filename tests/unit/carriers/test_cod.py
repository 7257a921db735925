"""COD statements: parsing exported CSVs (BOM, Vietnamese headers, title rows, separators) and reconciling."""
import pytest

from chalicelib.carriers.cod import (
    ExpectedCod,
    StatementLine,
    fingerprint,
    lines_from_json,
    money,
    parse_statement,
    reconcile,
)
from chalicelib.core.errors import InvalidInput

PORTAL = ("\ufeffBẢNG ĐỐI SOÁT COD - Phiên 02/12/2026\n"
          "Shop Thử;;;;\n"
          "STT;Mã vận đơn;Mã đơn khách hàng;Tiền thu hộ (VNĐ);Tổng phí;Ngày đối soát\n"
          "1;S1.A1.2001297581;O-1001-S1;1.250.000;30.400;02/12/2026 10:15:00\n"
          "2;S1.A1.2001297582;O-1002-S1;450.000;22.000;02/12/2026 10:15:00\n"
          ";Tổng cộng;;1.700.000;52.400;\n")


def test_portal_export_with_bom_title_rows_semicolons_and_vietnamese_headers():
    lines = parse_statement(PORTAL.encode("utf-8"))
    assert [(x.tracking_number, x.client_code, x.cod_amount, x.fee) for x in lines] == [
        ("S1.A1.2001297581", "O-1001-S1", 1250000, 30400), ("S1.A1.2001297582", "O-1002-S1", 450000, 22000)]
    assert lines[0].paid_at.isoformat() == "2026-12-02T03:15:00+00:00" and lines[0].line_no == 4


def test_generic_csv_without_bom():
    text = "tracking_number,cod_amount,fee,paid_at\nGA0001XY,250000,15000,2026-12-01T09:00:00+07:00\nGA0002XY,0,15000,\n"
    lines = parse_statement(text.encode())
    assert [(x.tracking_number, x.cod_amount, x.fee) for x in lines] == [("GA0001XY", 250000, 15000), ("GA0002XY", 0, 15000)]
    assert lines[1].paid_at is None


def test_ghn_like_headers_and_tabs():
    text = "Mã đơn GHN\tTiền thu hộ\tPhí vận chuyển\nGA0001XY\t1,250,000\t33,000\n"
    assert parse_statement(text)[0].cod_amount == 1250000


def test_unknown_columns_are_a_400_naming_what_is_needed():
    with pytest.raises(InvalidInput) as caught:
        parse_statement(b"a,b\n1,2\n")
    assert "tracking_number" in caught.value.errors[0]["message"]


def test_unreadable_amount_names_the_line():
    with pytest.raises(InvalidInput) as caught:
        parse_statement("tracking_number,cod_amount\nGA1,abc\n")
    assert caught.value.errors[0]["field"] == "line 2.cod_amount"


def test_not_utf8_is_a_400():
    with pytest.raises(InvalidInput):
        parse_statement("Mã vận đơn,Tiền thu hộ\n".encode("utf-16"))


@pytest.mark.parametrize("text,value", [("1.250.000 ₫", 1250000), ("1,250,000", 1250000), ("1250000", 1250000),
                                        ("250000.0", 250000), ("1.250.000,00", 1250000), ("(15.000)", -15000),
                                        ("-15000", -15000), ("", 0), ("12.5", 12)])
def test_money(text, value):
    assert money(text) == value


def line(tracking, cod, fee=0, client=None):
    return StatementLine(tracking, cod, fee, client_code=client)


def test_reconcile_matched_mismatch_unknown_duplicates_and_totals():
    shipments = [ExpectedCod("GA1", 250000, "O-1-S1"), ExpectedCod("GA2", 450000, "O-2-S1"),
                 ExpectedCod("GA3", 100000, "O-3-S1")]
    statement = [line("GA1", 250000, 15000), line("ga2 ", 400000, 15000), line("GA9", 90000, 15000),
                 line("GA1", 250000, 15000), line("", 100000, 15000, client="O-3-S1")]
    result = reconcile(statement, shipments)
    assert [(x.tracking_number, s.shipment_id) for x, s in result.matched] == [("GA1", "O-1-S1"), ("", "O-3-S1")]
    assert [(m.shipment.tracking_number, m.expected, m.paid, m.difference) for m in result.amount_mismatch] == [
        ("GA2", 450000, 400000, -50000)]
    assert [x.tracking_number for x in result.unknown] == ["GA9"]
    assert [x.tracking_number for x in result.duplicates] == ["GA1"]
    assert (result.total_paid, result.total_fee, result.net_paid) == (840000, 60000, 780000)


def test_same_statement_same_fingerprint_in_any_order():
    a = lines_from_json([{"tracking_number": "GA1", "cod_amount": 250000, "fee": 15000},
                         {"tracking_number": "GA2", "cod_amount": "450.000"}])
    assert a[1].cod_amount == 450000
    assert fingerprint(a) == fingerprint(list(reversed(a))) != fingerprint(a[:1])
