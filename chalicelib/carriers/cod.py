"""COD statements: parse a carrier's exported payout statement (CSV as its portal exports it, UTF-8
with or without BOM, Vietnamese headers, title rows above the header, ',' ';' or tab separated) or
the generic `tracking_number,cod_amount,fee,paid_at`, then reconcile it against our shipments.
Pure: bytes in, dataclasses out.

Headers are recognised by meaning, accent-insensitively, from a table of the names carriers and
shops use ("Mã vận đơn", "Mã đơn GHN", "Tiền thu hộ", "Phí vận chuyển", "Ngày đối soát"...).
We found no public copy of GHN's, GHTK's or Viettel Post's exact export columns, so the table holds
the common names; an unknown export fails with a 400 naming the columns it needs."""
from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import datetime

from chalicelib.carriers.providers.base import parse_time
from chalicelib.core.errors import InvalidInput
from chalicelib.core.text import fold

COLUMNS: dict[str, tuple[str, ...]] = {
    "tracking_number": ("tracking number", "tracking", "ma van don", "so van don", "ma vd", "ma don ghn", "ma don ghtk",
                        "ma don hang ghn", "ma don hang ghtk", "ma don vtp", "so hieu buu gui", "ma phieu gui",
                        "ma buu gui", "order code", "label id", "ma don hang", "ma don"),
    "client_code": ("client code", "client order code", "partner id", "ma don khach hang", "ma don shop",
                    "ma don doi tac", "ma don hang shop", "ma tham chieu", "ma don rieng", "ma don noi bo"),
    "cod_amount": ("cod amount", "cod", "tien thu ho", "thu ho", "tien cod", "so tien thu ho", "tien thu ho cod",
                   "cod thu duoc", "tien hang", "pick money"),
    "fee": ("fee", "phi", "tong phi", "phi van chuyen", "phi giao hang", "cuoc phi", "tong cuoc", "cuoc",
            "phi dich vu", "tong phi dich vu", "ship money"),
    "paid_at": ("paid at", "ngay thanh toan", "ngay doi soat", "thoi gian doi soat", "ngay chuyen tien",
                "ngay chuyen khoan", "thoi gian thanh toan"),
}
REQUIRED = ("tracking_number", "cod_amount")


@dataclass(frozen=True)
class StatementLine:
    tracking_number: str
    cod_amount: int
    fee: int = 0
    paid_at: datetime | None = None
    client_code: str | None = None
    line_no: int = 0


@dataclass(frozen=True)
class ExpectedCod:
    """A shipment we expect COD for: what the buyer should have paid the carrier."""

    tracking_number: str
    cod_amount: int
    shipment_id: str | None = None
    order_id: str | None = None


@dataclass(frozen=True)
class Mismatch:
    line: StatementLine
    shipment: ExpectedCod
    expected: int
    paid: int

    @property
    def difference(self) -> int:
        return self.paid - self.expected


@dataclass
class Reconciliation:
    matched: list[tuple[StatementLine, ExpectedCod]] = field(default_factory=list)
    amount_mismatch: list[Mismatch] = field(default_factory=list)
    unknown: list[StatementLine] = field(default_factory=list)
    duplicates: list[StatementLine] = field(default_factory=list)
    total_paid: int = 0
    total_fee: int = 0

    @property
    def net_paid(self) -> int:
        return self.total_paid - self.total_fee


# --- parsing -------------------------------------------------------------------------------
def _header_key(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(text or "")).split())


def _column_for(header: str) -> str | None:
    key = _header_key(header)
    for column, names in COLUMNS.items():
        if key in names or key == column.replace("_", " "):
            return column
    for column, names in COLUMNS.items():  # "Tiền thu hộ (VNĐ)", "Mã vận đơn GHTK"
        if any(len(name) > 3 and key.startswith(name + " ") for name in names):
            return column
    return None


def money(text: str | int | None) -> int:
    """'1.250.000 ₫', '1,250,000', '1250000', '250000.0', '(15.000)', '-15000' as integer VND."""
    if isinstance(text, int):
        return text
    raw = (text or "").strip()
    negative = raw.startswith("-") or (raw.startswith("(") and raw.endswith(")"))
    digits = re.sub(r"[^0-9.,]", "", raw)
    if not digits:
        return 0
    if "." in digits and "," in digits:  # the last separator is the decimal one
        decimal_sep = "." if digits.rfind(".") > digits.rfind(",") else ","
        whole = digits.rsplit(decimal_sep, 1)[0]
    else:
        sep = "." if "." in digits else "," if "," in digits else ""
        parts = digits.split(sep) if sep else [digits]
        grouped = len(parts) > 1 and all(len(p) == 3 for p in parts[1:])
        whole = "".join(parts) if grouped or not sep else parts[0]
    value = int(re.sub(r"[^0-9]", "", whole) or 0)
    return -value if negative else value


def _text(data: bytes | str) -> str:
    return data.decode("utf-8-sig") if isinstance(data, bytes) else data.lstrip("\ufeff")


def _rows(text: str, delimiter: str) -> list[list[str]]:
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if any(cell.strip() for cell in row)]


def _header(rows: list[list[str]]) -> tuple[int, dict[str, int]] | None:
    for index, row in enumerate(rows[:15]):  # title rows may come first
        columns = {i: _column_for(cell) for i, cell in enumerate(row)}
        found = {c: i for i, c in reversed(list(columns.items())) if c}
        if all(c in found for c in REQUIRED):
            return index, found
    return None


def parse_statement(data: bytes | str) -> list[StatementLine]:
    """Statement lines from an exported CSV; a 400 naming the line and column when something is unreadable.
    The separator is the first of ; tab , under which the header row is recognised."""
    try:
        text = _text(data)
    except UnicodeDecodeError as error:
        raise InvalidInput("The statement must be UTF-8 CSV.", errors=[{"field": "csv", "message": str(error)}]) from error
    for delimiter in (";", "\t", ","):
        rows = _rows(text, delimiter)
        header = _header(rows)
        if header is not None:
            index, found = header
            return _lines(rows[index + 1:], found, first_line=index + 2)
    raise InvalidInput("Không nhận ra cột mã vận đơn và tiền thu hộ trong bảng đối soát.",
                       errors=[{"field": "csv", "message": "needs columns: tracking_number, cod_amount"}])


def _lines(rows: list[list[str]], found: dict[str, int], first_line: int) -> list[StatementLine]:
    def cell(row: list[str], column: str) -> str:
        index = found.get(column)
        return row[index].strip() if index is not None and index < len(row) else ""

    lines, errors = [], []
    for offset, row in enumerate(rows):
        number = first_line + offset
        tracking = cell(row, "tracking_number")
        if not tracking or _header_key(tracking) in ("tong", "tong cong", "total", "cong"):
            continue  # blank or a totals row
        amount_text = cell(row, "cod_amount")
        if not re.search(r"\d", amount_text):
            errors.append({"field": f"line {number}.cod_amount", "message": f"not an amount: {amount_text!r}"})
            continue
        paid_at = cell(row, "paid_at")
        lines.append(StatementLine(tracking, money(amount_text), money(cell(row, "fee")),
                                   parse_time(paid_at) if paid_at else None, cell(row, "client_code") or None, number))
    if errors:
        raise InvalidInput("Bảng đối soát có dòng không đọc được.", errors=errors)
    return lines


def lines_from_json(items: list[dict]) -> list[StatementLine]:
    """The API's `lines: [{tracking_number, cod_amount, fee?, paid_at?}]` as statement lines."""
    return [StatementLine(str(item["tracking_number"]).strip(), money(item["cod_amount"]), money(item.get("fee") or 0),
                          parse_time(item.get("paid_at")), item.get("client_code"), number)
            for number, item in enumerate(items, start=1)]


def fingerprint(lines: list[StatementLine]) -> str:
    """The same statement (in any order) has the same fingerprint: importing it twice changes nothing."""
    canonical = sorted(f"{_key(x.tracking_number)}|{x.cod_amount}|{x.fee}" for x in lines)
    return hashlib.sha256("\n".join(canonical).encode()).hexdigest()


# --- reconciliation ------------------------------------------------------------------------
def _key(tracking: str) -> str:
    return re.sub(r"\s+", "", tracking or "").upper()


def reconcile(statement_lines: list[StatementLine], shipments: list[ExpectedCod]) -> Reconciliation:
    """Match each statement line to our shipment by tracking number (or our client code): matched
    (amount equal), amount_mismatch (expected vs paid), unknown (not ours), duplicates (a parcel the
    statement lists twice: only its first line counts). total_paid/total_fee sum every counted line."""
    by_tracking = {_key(s.tracking_number): s for s in shipments}
    by_client = {_key(s.shipment_id): s for s in shipments if s.shipment_id}
    result, seen = Reconciliation(), set()
    for line in statement_lines:
        key = _key(line.tracking_number)
        if key in seen:
            result.duplicates.append(line)
            continue
        seen.add(key)
        result.total_paid += line.cod_amount
        result.total_fee += line.fee
        shipment = by_tracking.get(key) or (by_client.get(_key(line.client_code)) if line.client_code else None)
        if shipment is None:
            result.unknown.append(line)
        elif shipment.cod_amount == line.cod_amount:
            result.matched.append((line, shipment))
        else:
            result.amount_mismatch.append(Mismatch(line, shipment, shipment.cod_amount, line.cod_amount))
    return result
