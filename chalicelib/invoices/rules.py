"""Vietnamese e-invoice rules, pure (no I/O), each next to its legal basis, so that when the law moves
(a replacement decree and circular from 1 July 2026 are reported) one module changes.

Legal basis (see LEGAL_BASIS): Decree 123/2020/ND-CP on invoices and documents, as amended by Decree
70/2025/ND-CP (in force 1 June 2025); Circular 32/2025/TT-BTC (replaced Circular 78/2021/TT-BTC),
which keeps the template code and symbol structure of its Art. 4; cash-register invoices ("hóa đơn
điện tử khởi tạo từ máy tính tiền", Decree 123 Art. 11 as amended) carry a tax-authority code that the
seller's software generates; the VAT reduction to 8 % is data (VAT_REDUCTIONS) because it is renewed
by a new resolution/decree every period.

What lives here: template code and symbol (parse, validate, build for a year); invoice numbers
(consecutive per symbol, from 1, at most 8 digits: the storage keeps the counter, this module says
what comes next); VAT rates per line; rounding; the invoice draft built from an order; buyer tax-code
validation; invoice dates in ICT; the invoice state machine and its links (replace / adjust).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from chalicelib.core.errors import Conflict, IllegalTransition, InvalidInput
from chalicelib.invoices.words import MAX_AMOUNT, amount_in_words

LEGAL_BASIS = {
    "decree": "Nghị định 123/2020/NĐ-CP, sửa đổi bởi Nghị định 70/2025/NĐ-CP (hiệu lực 01/06/2025)",
    "circular": "Thông tư 32/2025/TT-BTC (thay thế Thông tư 78/2021/TT-BTC)",
    "xml_format": "Định dạng dữ liệu hóa đơn điện tử của Tổng cục Thuế (Quyết định 1450/QĐ-TCT), PBan 2.0.0",
    "cash_register": "Hóa đơn khởi tạo từ máy tính tiền có mã của cơ quan thuế — Điều 11 Nghị định 123/2020/NĐ-CP (sửa đổi)",
}

# --- dates -------------------------------------------------------------------------------------
# The invoice date (NLap) is the Vietnamese calendar date: Asia/Ho_Chi_Minh is UTC+7 all year (no DST),
# so a fixed offset is exact and avoids needing the tz database at run time.
ICT = timezone(timedelta(hours=7), "ICT")


def invoice_date(moment: datetime) -> date:
    """The date printed on (and sent in) the invoice for a UTC moment: the date in ICT."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ICT).date()


# --- template code and symbol (Circular 32/2025/TT-BTC Art. 4, formerly Circular 78/2021 Art. 4) -----
# Template code ("ký hiệu mẫu số", XML KHMSHDon): one digit 1-9 naming the kind of invoice.
FORMS = {
    1: "Hóa đơn giá trị gia tăng",
    2: "Hóa đơn bán hàng",
    3: "Hóa đơn bán tài sản công",
    4: "Hóa đơn bán hàng dự trữ quốc gia",
    5: "Tem, vé, thẻ, phiếu thu điện tử",
    6: "Phiếu xuất kho điện tử",
    7: "Hóa đơn thương mại",
    8: "Hóa đơn giá trị gia tăng tích hợp biên lai thu thuế, phí, lệ phí",
    9: "Hóa đơn bán hàng tích hợp biên lai thu thuế, phí, lệ phí",
}
# Symbol ("ký hiệu hóa đơn", XML KHHDon): six characters C|K, two-digit year, a type letter, two letters
# the seller chooses. C = with the tax authority's code, K = without.
TYPE_LETTERS = {
    "T": "Doanh nghiệp, tổ chức, hộ, cá nhân kinh doanh đăng ký sử dụng với cơ quan thuế",
    "D": "Hóa đơn bán tài sản công, bán hàng dự trữ quốc gia hoặc hóa đơn đặc thù",
    "L": "Cơ quan thuế cấp theo từng lần phát sinh",
    "M": "Hóa đơn điện tử khởi tạo từ máy tính tiền",
    "N": "Phiếu xuất kho kiêm vận chuyển nội bộ điện tử",
    "B": "Phiếu xuất kho hàng gửi bán đại lý điện tử",
    "G": "Tem, vé, thẻ điện tử là hóa đơn giá trị gia tăng",
    "H": "Tem, vé, thẻ điện tử là hóa đơn bán hàng",
}
# Types that only exist with the tax authority's code: cash-register invoices carry the code generated
# by the seller's software; invoices the tax authority issues per occasion are coded by it.
CODE_REQUIRED_TYPES = frozenset({"M", "L"})

_SYMBOL = re.compile(r"^(?P<form>[1-9])?(?P<code>[CK])(?P<year>\d{2})(?P<type>[A-Z])(?P<shop>[A-Z]{2})$")


@dataclass(frozen=True)
class InvoiceSymbol:
    form: int            # template code digit, KHMSHDon
    with_code: bool      # C: with the tax authority's code; K: without
    year: int            # two digits, the year the invoice is issued
    type_letter: str
    shop_letters: str

    @property
    def template_code(self) -> str:
        return str(self.form)

    @property
    def series(self) -> str:
        """The six-character symbol, XML KHHDon, e.g. C25TAA."""
        return f"{'C' if self.with_code else 'K'}{self.year:02d}{self.type_letter}{self.shop_letters}"

    @property
    def full(self) -> str:
        """Template code and symbol together as printed, e.g. 1C25TAA."""
        return f"{self.form}{self.series}"

    @property
    def cash_register(self) -> bool:
        return self.type_letter == "M"

    @property
    def title(self) -> str:
        """THDon: the invoice's name as printed and in the XML."""
        name = FORMS[self.form]
        return f"{name} khởi tạo từ máy tính tiền" if self.cash_register else name

    def for_year(self, year: int) -> InvoiceSymbol:
        """The same symbol for another year (the two year digits are the issuing year, Art. 4)."""
        return replace(self, year=year % 100)


def _symbol_error(field_name: str, message: str) -> InvalidInput:
    return InvalidInput(message, errors=[{"field": field_name, "message": message}])


def parse_symbol(text: str, *, template_code: str | None = None, field_name: str = "symbol") -> InvoiceSymbol:
    """Parse "1C25TAA", or "C25TAA" with its template code given apart ("1", or a provider's "1/001").
    Raises InvalidInput naming `field_name`."""
    raw = (text or "").strip().upper()
    match = _SYMBOL.match(raw)
    if not match:
        raise _symbol_error(field_name, "An invoice symbol looks like 1C25TAA: the template digit, C or K, two year "
                                        "digits, a type letter and two letters the seller chooses.")
    form_digit = match["form"]
    if template_code:
        given = template_code.strip()[:1]
        if not given.isdigit() or given == "0":
            raise _symbol_error("template_code", "The template code starts with a digit from 1 to 9.")
        if form_digit and form_digit != given:
            raise _symbol_error(field_name, "The symbol's template digit differs from the template code.")
        form_digit = given
    if not form_digit:
        raise _symbol_error(field_name, "The template digit is missing (the first digit, as 1 in 1C25TAA).")
    type_letter = match["type"]
    if type_letter not in TYPE_LETTERS:
        raise _symbol_error(field_name, f"The type letter {type_letter} is not one the law defines "
                                        f"({', '.join(TYPE_LETTERS)}).")
    if type_letter in CODE_REQUIRED_TYPES and match["code"] != "C":
        raise _symbol_error(field_name, "This type of invoice must carry the tax authority's code (C).")
    return InvoiceSymbol(int(form_digit), match["code"] == "C", int(match["year"]), type_letter, match["shop"])


def build_symbol(*, form: int, with_code: bool, year: int, type_letter: str, shop_letters: str) -> InvoiceSymbol:
    """Build (and validate) the symbol for a year: build_symbol(form=1, with_code=True, year=2025,
    type_letter="T", shop_letters="AA").full == "1C25TAA"."""
    if form not in FORMS:
        raise _symbol_error("template_code", "The template code is a digit from 1 to 9.")
    text = f"{form}{'C' if with_code else 'K'}{year % 100:02d}{type_letter}{shop_letters}"
    return parse_symbol(text)


def check_symbol_year(symbol: InvoiceSymbol, issued_on: date, field_name: str = "symbol") -> None:
    """An invoice is issued under the symbol of its own year (Circular 32/2025 Art. 4)."""
    if symbol.year != issued_on.year % 100:
        raise _symbol_error(field_name, f"The symbol {symbol.series} is for 20{symbol.year:02d}; the invoice is "
                                        f"dated {issued_on:%d/%m/%Y}.")


# --- cash-register invoices: the tax authority's code generated by the seller's software -------------
# Structure (Decree 123 Art. 11 as amended; Circular 32/2025): M + template digit, the two year digits,
# the five characters the tax authority gave the seller, and an 11-digit number increasing with time:
# M1-25-ABCDE-00000000001 (23 characters).
_CASH_REGISTER_CODE = re.compile(r"^M[1-9]-\d{2}-[A-Z0-9]{5}-\d{11}$")


def cash_register_code(symbol: InvoiceSymbol, registered_code: str, sequence: int) -> str:
    if not symbol.cash_register:
        raise _symbol_error("symbol", "Only cash-register invoices (type M) get a code like this.")
    code = (registered_code or "").strip().upper()
    if not re.fullmatch(r"[A-Z0-9]{5}", code):
        raise _symbol_error("cash_register_code", "The tax authority's cash-register code has 5 characters.")
    if not 1 <= sequence <= 99_999_999_999:
        raise _symbol_error("sequence", "The cash-register sequence has at most 11 digits.")
    return f"M{symbol.form}-{symbol.year:02d}-{code}-{sequence:011d}"


def is_cash_register_code(text: str) -> bool:
    return bool(_CASH_REGISTER_CODE.match(text or ""))


# --- invoice numbers (Decree 123 Art. 10 as amended) ---------------------------------------------------
# Arabic digits, at most 8 (1 .. 99 999 999), consecutive per symbol, starting from 1 each year: the
# symbol carries the year, so one counter per (seller tax code, template code, symbol) is one per year.
MAX_NUMBER = 99_999_999


def counter_key(seller_tax_code: str, symbol: InvoiceSymbol) -> str:
    return f"{seller_tax_code}#{symbol.full}"


def next_number(last: int | None) -> int:
    """The number after `last` (None or 0: none issued yet under this symbol). Past 99 999 999 the seller
    must register a new symbol, so this raises Conflict."""
    current = int(last or 0)
    if current < 0:
        raise ValueError("a counter is never negative")
    if current >= MAX_NUMBER:
        raise Conflict("This symbol has used all its numbers (at most 8 digits); register a new symbol.")
    return current + 1


# --- VAT rates --------------------------------------------------------------------------------------
# Per line (Law on VAT 48/2024/QH15; Decree 123 Art. 10): 0 %, 5 %, 10 %, the temporary 8 %, "KCT"
# (không chịu thuế: not subject to VAT), "KKKNT" (không kê khai, tính nộp thuế GTGT: not declared).
# Canonical codes are the XML's TSuat values.
RATE_CODES = ("0%", "5%", "8%", "10%", "KCT", "KKKNT")
RATE_PERCENT = {"0%": 0, "5%": 5, "8%": 8, "10%": 10, "KCT": 0, "KKKNT": 0}


@dataclass(frozen=True)
class VatReduction:
    basis: str
    start: date
    end: date          # inclusive


# The 2-point cut from 10 % to 8 % (not for every kind of goods: the seller chooses it per line); each
# period is set by its own resolution and decree, so this is data. Extend it when a new one is passed.
VAT_REDUCTIONS: tuple[VatReduction, ...] = (
    VatReduction("Nghị quyết 43/2022/QH15, Nghị định 15/2022/NĐ-CP", date(2022, 2, 1), date(2022, 12, 31)),
    VatReduction("Nghị quyết 101/2023/QH15, Nghị định 44/2023/NĐ-CP", date(2023, 7, 1), date(2023, 12, 31)),
    VatReduction("Nghị quyết 110/2023/QH15, Nghị định 94/2023/NĐ-CP", date(2024, 1, 1), date(2024, 6, 30)),
    VatReduction("Nghị quyết 142/2024/QH15, Nghị định 72/2024/NĐ-CP", date(2024, 7, 1), date(2024, 12, 31)),
    VatReduction("Nghị quyết 174/2024/QH15, Nghị định 180/2024/NĐ-CP", date(2025, 1, 1), date(2025, 6, 30)),
    VatReduction("Nghị quyết 204/2025/QH15, Nghị định 174/2025/NĐ-CP", date(2025, 7, 1), date(2026, 12, 31)),
)


def reduction_on(day: date, reductions: Iterable[VatReduction] = VAT_REDUCTIONS) -> VatReduction | None:
    return next((r for r in reductions if r.start <= day <= r.end), None)


def normalize_rate(value: Any, *, field_name: str = "vat_rate") -> str:
    """10, "10" or "10%" (whole percents only), "KCT", "KKKNT" -> a RATE_CODES member."""
    if isinstance(value, bool):
        value = None
    if isinstance(value, int):
        text = f"{value}%"
    else:
        text = str(value or "").strip().upper().replace(" ", "")
        if text.isdigit():
            text += "%"
    if text not in RATE_CODES:
        raise InvalidInput("Invalid VAT rate.",
                           errors=[{"field": field_name, "message": "The rate is 0, 5, 8, 10, KCT or KKKNT."}])
    return text


def check_rate_on(rate: str, day: date, *, field_name: str = "vat_rate",
                  reductions: Iterable[VatReduction] = VAT_REDUCTIONS) -> None:
    if rate == "8%" and reduction_on(day, reductions) is None:
        raise InvalidInput("The 8% rate applies only during a VAT reduction.",
                           errors=[{"field": field_name,
                                    "message": f"{day:%d/%m/%Y} is outside every 8% VAT reduction."}])


# --- rounding ---------------------------------------------------------------------------------------
# Amounts on an invoice are whole đồng (Decree 123 Art. 10 on invoice content: the currency is the đồng;
# Law on Accounting 88/2015/QH13 Art. 10). The law names no rounding method, so we round half up, and we round once per
# line: a line's VAT is rounded from that line's amount, and the totals (per rate and overall) are the
# sums of the rounded lines, so the printed lines always add up to TgTThue / TgTTTBSo.
def round_vnd(value: Decimal | int) -> int:
    return int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def vat_on(amount: int, rate: str) -> int:
    """VAT on an amount before VAT (negative amounts, i.e. discounts, round symmetrically)."""
    percent = RATE_PERCENT[rate]
    sign = -1 if amount < 0 else 1
    return sign * round_vnd(Decimal(abs(amount)) * percent / 100)


def split_gross(gross: int, rate: str) -> tuple[int, int]:
    """A price that includes VAT into (before VAT, VAT): before = gross / (1 + rate), rounded; VAT is the
    rest, so the two always add up to what the buyer paid."""
    percent = RATE_PERCENT[rate]
    sign = -1 if gross < 0 else 1
    before = sign * round_vnd(Decimal(abs(gross)) * 100 / (100 + percent))
    return before, gross - before


# --- tax codes (tax registration: Circular 86/2024/TT-BTC, which replaced Circular 105/2020/TT-BTC) -------
# 10 digits with a mod-11 check digit (weights 31 29 23 19 17 13 7 5 3, check = 10 - sum % 11); a unit
# depending on another adds "-" and 3 digits (001-999); from 1 July 2025 a person's 12-digit
# identification number is their tax code (no check digit we can verify).
_TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def tax_code_check_digit(first_nine: str) -> int | None:
    """None when no digit fits (the sum is divisible by 11): such codes are never issued."""
    total = sum(int(d) * w for d, w in zip(first_nine, _TAX_WEIGHTS, strict=True))
    check = 10 - total % 11
    return None if check == 10 else check


def validate_tax_code(value: str, *, field_name: str = "buyer.tax_code") -> str:
    """Normalised tax code ("0100109106", "0100109106-505", or a 12-digit personal id) or InvalidInput."""
    compact = re.sub(r"[\s.]", "", value or "")

    def fail(message: str) -> InvalidInput:
        return InvalidInput("Invalid tax code.", errors=[{"field": field_name, "message": message}])

    if re.fullmatch(r"\d{12}", compact):
        return compact
    match = re.fullmatch(r"(\d{10})(?:-?(\d{3}))?", compact)
    if not match:
        raise fail("A tax code is 10 digits, 10 digits and -3 digits, or a 12-digit personal id number.")
    base, branch = match[1], match[2]
    if tax_code_check_digit(base[:9]) != int(base[9]):
        raise fail("The tax code's check digit is wrong.")
    if branch is not None:
        if branch == "000":
            raise fail("A dependent unit's suffix is 001 to 999.")
        return f"{base}-{branch}"
    return base


# --- parties ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Seller:
    name: str
    tax_code: str
    address: str
    phone: str | None = None
    email: str | None = None
    bank_account: str | None = None
    bank_name: str | None = None


@dataclass(frozen=True)
class Buyer:
    name: str | None = None         # the person buying (HVTNMHang)
    company: str | None = None      # the unit buying (Ten when present)
    tax_code: str | None = None
    address: str | None = None
    email: str | None = None
    phone: str | None = None
    code: str | None = None         # the shop's customer code (MKHang)

    @property
    def legal_name(self) -> str:
        return self.company or self.name or ""

    @property
    def anonymous(self) -> bool:
        return not (self.company or self.name or self.tax_code)


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _get(source: Any, name: str, default: Any = None) -> Any:
    if source is None:
        return default
    if isinstance(source, Mapping):
        value = source.get(name, default)
    else:
        value = getattr(source, name, default)
    return default if value is None else value


def validate_seller(source: Any) -> Seller:
    errors = []
    name, address = str(_get(source, "name", "")).strip(), str(_get(source, "address", "")).strip()
    if not name:
        errors.append({"field": "seller.name", "message": "The seller's name is missing."})
    if not address:
        errors.append({"field": "seller.address", "message": "The seller's address is missing."})
    tax_code = ""
    try:
        tax_code = validate_tax_code(str(_get(source, "tax_code", "")), field_name="seller.tax_code")
    except InvalidInput as error:
        errors += error.errors
    if errors:
        raise InvalidInput("The seller's details are incomplete.", errors=errors)
    return Seller(name, tax_code, address, _get(source, "phone"), _get(source, "email"),
                  _get(source, "bank_account"), _get(source, "bank_name"))


def validate_buyer(source: Any) -> Buyer:
    """A walk-in buyer may give nothing (retail to consumers). A buyer with a tax code is a business or a
    registered person: the name and address must be printed as registered (Decree 123 Art. 10)."""
    def text(name: str) -> str | None:
        value = str(_get(source, name, "") or "").strip()
        return value or None

    buyer = Buyer(text("name"), text("company"), None, text("address"), text("email"), text("phone"), text("code"))
    errors = []
    tax_code = text("tax_code")
    if tax_code:
        try:
            buyer = replace(buyer, tax_code=validate_tax_code(tax_code))
        except InvalidInput as error:
            errors += error.errors
        if not buyer.legal_name:
            errors.append({"field": "buyer.company", "message": "With a tax code, the buyer's registered name is required."})
        if not buyer.address:
            errors.append({"field": "buyer.address", "message": "With a tax code, the buyer's address is required."})
    if buyer.email and not _EMAIL.match(buyer.email):
        errors.append({"field": "buyer.email", "message": "The buyer's email is not valid."})
    if errors:
        raise InvalidInput("The buyer's details are invalid.", errors=errors)
    return buyer


# --- the draft ----------------------------------------------------------------------------------------
GOODS, SERVICE, DISCOUNT = "goods", "service", "discount"
# TChat in the XML: 1 goods/services, 2 promotion, 3 commercial discount, 4 note.
XML_NATURE = {GOODS: 1, SERVICE: 1, DISCOUNT: 3}
DISCOUNT_LINE_NAME = "Chiết khấu thương mại"
SHIPPING_LINE_NAME = "Phí vận chuyển"


@dataclass(frozen=True)
class InvoiceLine:
    position: int
    kind: str                 # goods | service | discount
    name: str
    unit: str
    quantity: Decimal | int
    unit_price: int           # before VAT
    discount: int             # per-line discount before VAT (STCKhau)
    amount: int               # before VAT, after the line discount (ThTien); negative for a discount line
    vat_rate: str             # a RATE_CODES member
    vat_amount: int           # negative for a discount line
    code: str | None = None   # the shop's SKU (MHHDVu)

    def as_dict(self) -> dict:
        return {"name": self.name, "unit": self.unit, "quantity": _plain_number(self.quantity),
                "unit_price": self.unit_price, "amount": self.amount, "vat_rate": self.vat_rate,
                "vat_amount": self.vat_amount, "kind": self.kind, "discount": self.discount}


@dataclass(frozen=True)
class RateTotal:
    rate: str
    taxable: int
    vat: int


@dataclass(frozen=True)
class InvoiceTotals:
    before_vat: int           # TgTCThue
    vat: int                  # TgTThue
    total: int                # TgTTTBSo
    total_in_words: str       # TgTTTBChu
    discount: int             # TTCKTMai, the commercial discount before VAT (positive)
    by_rate: tuple[RateTotal, ...]

    def as_dict(self) -> dict:
        return {"before_vat": self.before_vat, "vat": self.vat, "total": self.total,
                "total_in_words": self.total_in_words}


@dataclass(frozen=True)
class InvoiceLink:
    """What an invoice replaces or adjusts (XML TTHDLQuan; Decree 123 Art. 19 as amended by Decree 70/2025)."""
    kind: str                 # "replaces" | "adjusts"
    invoice_id: str
    template_code: str
    series: str
    number: int
    issued_on: date
    note: str = ""            # the agreement/reason ("văn bản thỏa thuận")

    @property
    def xml_nature(self) -> int:  # TCHDon: 1 thay thế, 2 điều chỉnh
        return 1 if self.kind == "replaces" else 2


@dataclass(frozen=True)
class InvoiceDraft:
    seller: Seller
    buyer: Buyer
    lines: tuple[InvoiceLine, ...]
    totals: InvoiceTotals
    prices_include_vat: bool
    currency: str = "VND"
    payment_method: str = "TM/CK"
    link: InvoiceLink | None = None
    adjustment_kind: str | None = None   # for adjusting invoices: "money" | "info"

    def as_dict(self) -> dict:
        return {"lines": [line.as_dict() for line in self.lines], "totals": self.totals.as_dict()}


def _plain_number(value: Decimal | int) -> int | str:
    if isinstance(value, int):
        return value
    normalized = value.normalize()
    return int(normalized) if normalized == normalized.to_integral() else format(normalized, "f")


def _quantity(value: Any, field_name: str, errors: list) -> Decimal | int:
    try:
        quantity = value if isinstance(value, int) and not isinstance(value, bool) else Decimal(str(value))
    except (ArithmeticError, ValueError):
        quantity = None
    if quantity is None or quantity <= 0:
        errors.append({"field": field_name, "message": "The quantity must be more than 0."})
        return 1
    return quantity


def _money(value: Any, field_name: str, errors: list, *, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        errors.append({"field": field_name, "message": f"{label} must be a whole, non-negative number of dong."})
        return 0
    return value


def _allocate(total: int, weights: list[int]) -> list[int]:
    """Split `total` in proportion to `weights`, exactly (largest remainder)."""
    whole = sum(weights)
    if not whole:
        return [0] * len(weights)
    shares = [total * w // whole for w in weights]
    remainders = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for index in remainders[: total - sum(shares)]:
        shares[index] += 1
    return shares


def build_invoice_draft(order: Any, seller: Any, buyer: Any = None, *, default_vat_rate: Any, on_date: date,
                        prices_include_vat: bool | None = None, payment_method: str = "TM/CK",
                        reductions: Iterable[VatReduction] = VAT_REDUCTIONS) -> InvoiceDraft:
    """An invoice draft from an order-like structure (mapping or object):

        {"lines": [{"name", "variant_name"?, "unit"?, "quantity", "unit_price", "discount"?, "vat_rate"?, "sku"?}],
         "discount"?: order-level discount, "shipping_fee"?, "prices_include_vat"?: bool}

    Money is integer VND in the order's price basis (with VAT when prices include it). Each line takes
    its own vat_rate or the default. The order-level discount is a commercial discount ("chiết khấu
    thương mại", Circular 219/2013/TT-BTC Art. 7 on the taxable price; XML TChat 3): it reduces the taxable amount, so it
    becomes one negative discount line per VAT rate, split over the goods in proportion to their value.
    The shipping fee is a service the seller provides: a service line at the default rate.
    Field-named InvalidInput on any bad field."""
    errors: list[dict] = []
    try:
        seller_ok = validate_seller(seller)
    except InvalidInput as error:
        errors += error.errors
        seller_ok = None
    try:
        buyer_ok = validate_buyer(buyer)
    except InvalidInput as error:
        errors += error.errors
        buyer_ok = Buyer()
    include_vat = bool(_get(order, "prices_include_vat", True)) if prices_include_vat is None else prices_include_vat

    def rate_for(value: Any, field_name: str) -> str:
        try:
            rate = normalize_rate(value, field_name=field_name)
            check_rate_on(rate, on_date, field_name=field_name, reductions=reductions)
            return rate
        except InvalidInput as error:
            errors.extend(error.errors)
            return "10%"

    default_rate = rate_for(default_vat_rate, "vat_rate")
    raw_lines = list(_get(order, "lines", []) or [])
    if not raw_lines:
        errors.append({"field": "lines", "message": "An invoice needs at least one line."})

    # (kind, name, unit, quantity, unit price, line discount, gross in the price basis, rate, code)
    pending: list[tuple] = []
    for index, raw in enumerate(raw_lines):
        where = f"lines[{index}]"
        name = str(_get(raw, "name", "")).strip()
        variant = str(_get(raw, "variant_name", "")).strip()
        if not name:
            errors.append({"field": f"{where}.name", "message": "The item's name is missing."})
        quantity = _quantity(_get(raw, "quantity"), f"{where}.quantity", errors)
        price = _money(_get(raw, "unit_price"), f"{where}.unit_price", errors, label="The unit price")
        line_discount = _money(_get(raw, "discount", 0), f"{where}.discount", errors, label="The discount")
        value = round_vnd(Decimal(quantity) * price)
        if line_discount > value:
            errors.append({"field": f"{where}.discount", "message": "The discount is more than the line's amount."})
            line_discount = 0
        rate = rate_for(_get(raw, "vat_rate", default_rate), f"{where}.vat_rate")
        full_name = f"{name} - {variant}" if variant and variant != name else name
        pending.append((GOODS, full_name, str(_get(raw, "unit", "")).strip() or "cái", quantity, price,
                        line_discount, value - line_discount, rate, _get(raw, "sku")))

    order_discount = _money(_get(order, "discount", 0), "discount", errors, label="The order discount")
    shipping = _money(_get(order, "shipping_fee", 0), "shipping_fee", errors, label="The shipping fee")
    goods_value = sum(p[6] for p in pending)
    if order_discount > goods_value:
        errors.append({"field": "discount", "message": "The order discount is more than the goods' total."})
        order_discount = 0
    if errors:
        raise InvalidInput("An invoice cannot be made from this order.", errors=errors)
    if shipping:
        pending.append((SERVICE, SHIPPING_LINE_NAME, "lần", 1, shipping, 0, shipping, default_rate, None))

    def to_line(position: int, kind: str, name: str, unit: str, quantity, price: int, line_discount: int,
                gross: int, rate: str, code) -> InvoiceLine:
        if include_vat:
            amount, vat = split_gross(gross, rate)
            price, line_discount = split_gross(price, rate)[0], split_gross(line_discount, rate)[0]
        else:
            amount, vat = gross, vat_on(gross, rate)
        return InvoiceLine(position, kind, name, unit, quantity, price, line_discount, amount, rate, vat, code)

    lines = [to_line(i + 1, *p) for i, p in enumerate(pending)]
    if order_discount:
        rates = list(dict.fromkeys(p[7] for p in pending if p[0] == GOODS))
        shares = _allocate(order_discount, [sum(p[6] for p in pending if p[0] == GOODS and p[7] == r) for r in rates])
        for rate, share in zip(rates, shares, strict=True):
            if share:
                name = DISCOUNT_LINE_NAME if len(rates) == 1 else f"{DISCOUNT_LINE_NAME} (thuế suất {rate})"
                line = to_line(len(lines) + 1, DISCOUNT, name, "", 1, share, 0, -share, rate, None)
                lines.append(replace(line, unit_price=abs(line.amount)))
    return InvoiceDraft(seller_ok, buyer_ok, tuple(lines), compute_totals(lines), include_vat,
                        payment_method=payment_method)


def compute_totals(lines: Iterable[InvoiceLine]) -> InvoiceTotals:
    """Totals are sums of the rounded lines (see rounding above); per rate for THTTLTSuat/LTSuat."""
    lines = list(lines)
    by_rate: dict[str, list[int]] = {}
    for line in lines:
        taxable_vat = by_rate.setdefault(line.vat_rate, [0, 0])
        taxable_vat[0] += line.amount
        taxable_vat[1] += line.vat_amount
    before = sum(line.amount for line in lines)
    vat = sum(line.vat_amount for line in lines)
    total = before + vat
    if abs(total) > MAX_AMOUNT:
        raise InvalidInput("The invoice total is over the limit.",
                           errors=[{"field": "lines", "message": "At most 999 999 999 999 dong in total."}])
    ordered = sorted(by_rate.items(), key=lambda item: RATE_CODES.index(item[0]))
    # A decreasing adjustment has a negative total; its words are those of the amount it takes off.
    return InvoiceTotals(before, vat, total, amount_in_words(abs(total)),
                         -sum(line.amount for line in lines if line.kind == DISCOUNT),
                         tuple(RateTotal(rate, taxable, tax) for rate, (taxable, tax) in ordered))


# --- states and links (Decree 123 Art. 19-20 as amended by Decree 70/2025) ------------------------------
DRAFT, ISSUED, CANCELED, REPLACED, ADJUSTED = "draft", "issued", "canceled", "replaced", "adjusted"
STATUSES = (DRAFT, ISSUED, CANCELED, REPLACED, ADJUSTED)
# issue: a draft gets its number and goes to the buyer/tax authority. cancel: an issued invoice that should
# not exist (notified to the tax authority, form 04/SS-HĐĐT). replace: a new invoice referencing it takes
# its place. adjust: an adjusting invoice referencing it corrects money or information; an adjusted
# invoice can be adjusted again, but no longer replaced or canceled.
TRANSITIONS: dict[tuple[str, str], str] = {
    (DRAFT, "issue"): ISSUED,
    (ISSUED, "cancel"): CANCELED,
    (ISSUED, "replace"): REPLACED,
    (ISSUED, "adjust"): ADJUSTED,
    (ADJUSTED, "adjust"): ADJUSTED,
}
ACTIONS = ("issue", "cancel", "replace", "adjust")


def next_status(status: str, action: str) -> str:
    if action not in ACTIONS:
        raise InvalidInput(f"Unknown action '{action}'.", errors=[{"field": "action", "message": "one of " + ", ".join(ACTIONS)}])
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise IllegalTransition(f"Cannot {action} an invoice that is {status}.",
                                extra={"invoice_status": status, "action": action}) from None


def allowed_actions(status: str) -> list[str]:
    return [action for (state, action) in TRANSITIONS if state == status]


@dataclass(frozen=True)
class IssuedInvoice:
    """What the state machine needs to know of an invoice already issued."""
    invoice_id: str
    status: str
    template_code: str
    series: str
    number: int
    issued_on: date


def link_to(original: IssuedInvoice, kind: str, note: str = "") -> InvoiceLink:
    """The link a replacing ("replaces") or adjusting ("adjusts") invoice carries; the original must be in a
    state that allows it (checked with the state machine, which raises IllegalTransition)."""
    action = {"replaces": "replace", "adjusts": "adjust"}.get(kind)
    if action is None:
        raise ValueError("kind is 'replaces' or 'adjusts'")
    next_status(original.status, action)
    return InvoiceLink(kind, original.invoice_id, original.template_code, original.series, original.number,
                       original.issued_on, note)


def with_link(draft: InvoiceDraft, link: InvoiceLink, *, adjustment_kind: str | None = None) -> InvoiceDraft:
    if link.kind == "adjusts" and adjustment_kind not in ("money", "info"):
        raise InvalidInput("Say whether the adjustment is of money or of information.",
                           errors=[{"field": "adjustment_kind", "message": "money or info"}])
    return replace(draft, link=link, adjustment_kind=adjustment_kind if link.kind == "adjusts" else None)


@dataclass
class Counter:
    """A pure stand-in for the storage's counter item, for tests and the manual provider's callers."""
    last: dict[str, int] = field(default_factory=dict)

    def take(self, key: str) -> int:
        number = next_number(self.last.get(key))
        self.last[key] = number
        return number
