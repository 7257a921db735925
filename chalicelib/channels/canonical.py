"""The canonical order every sales channel produces (PRODUCT.md "Orders"), and the pure rules that
turn platform data into it: money to integer VND, platform times to UTC, one-line-per-unit merged
into quantities, masked recipients kept as masked and flagged, phones normalised with
`chalicelib.core.phones`. No I/O here: the adapters in `providers/` fetch, this module shapes."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import Enum
from typing import Any

from chalicelib.core.errors import InvalidInput


class ChannelStatus(str, Enum):
    """Where the order stands on the platform, in our vocabulary. The order service decides what
    each means for our own order (a marketplace order is never refused)."""
    pending_payment = "pending_payment"    # created, not paid yet (or the platform still screens it)
    new = "new"                            # the seller should confirm/arrange shipment
    ready_to_ship = "ready_to_ship"        # shipment arranged / packed, waiting for the carrier
    shipping = "shipping"                  # handed to the carrier
    delivered = "delivered"                # the buyer received it
    completed = "completed"                # closed on the platform
    cancel_requested = "cancel_requested"  # the buyer asked to cancel; the platform has not decided: hold
    canceled = "canceled"
    returning = "returning"                # failed delivery or return on the way back
    returned = "returned"


class PaymentMethod(str, Enum):
    cod = "cod"
    bank_transfer = "bank_transfer"
    card = "card"
    e_wallet = "e_wallet"


class PaymentStatus(str, Enum):
    paid = "paid"
    unpaid = "unpaid"


@dataclass(frozen=True)
class Customer:
    name: str | None
    phone: str | None              # E.164, or None when the platform masked or mangled it
    email: str | None = None
    buyer_id: str | None = None    # the platform's buyer id, for matching across orders
    phone_as_sent: str | None = None
    masked: bool = False


@dataclass(frozen=True)
class Line:
    external_item_id: str          # the platform's product/item id
    external_sku: str | None       # the seller SKU the shop typed on the platform (links to our SKU)
    name: str
    quantity: int
    unit_price: int                # VND, before discounts
    discount: int = 0              # VND, for the whole line (all units)
    external_model_id: str | None = None  # variant id on the platform (Shopee model, Lazada/TikTok SKU id)


@dataclass(frozen=True)
class Address:
    name: str | None
    phone: str | None              # E.164 when readable, else None (see phone_as_sent)
    text: str                      # the full address as the platform gave it
    province: str | None
    district: str | None           # old three-level addresses only; None for the two-level ones
    ward: str | None
    phone_as_sent: str | None = None
    masked: bool = False           # the platform hid part of it ("****"); keep it, do not "fix" it


@dataclass(frozen=True)
class Payment:
    method: PaymentMethod
    status: PaymentStatus
    method_as_sent: str | None = None


@dataclass(frozen=True)
class Totals:
    items: int                     # sum of unit_price x quantity
    discount: int                  # sum of line discounts
    shipping: int                  # what the buyer pays for shipping, where the platform says
    total: int                     # what the buyer pays in all (the platform's own figure)


@dataclass(frozen=True)
class CanonicalOrder:
    channel: str
    external_id: str
    status: ChannelStatus
    platform_status: str
    created_at: datetime           # UTC
    raw_updated_at: datetime       # UTC; the platform's last change, to order updates (webhook vs poll)
    customer: Customer
    lines: list[Line]
    shipping_address: Address | None
    payment: Payment
    totals: Totals
    fees: dict[str, int] = field(default_factory=dict)  # platform fees and subsidies, named as the platform
    note: str | None = None
    tracking_number: str | None = None
    package_ids: list[str] = field(default_factory=list)  # TikTok/Lazada packages, for status pushes

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (enums as values, times as ISO UTC)."""
        def plain(value: Any) -> Any:
            if isinstance(value, Enum):
                return value.value
            if isinstance(value, datetime):
                return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            if isinstance(value, list):
                return [plain(v) for v in value]
            return value
        return plain(asdict(self))


# --- money -----------------------------------------------------------------------------------

def to_vnd(value: Any, field_name: str = "amount") -> int:
    """Platforms send money as numbers or strings, sometimes with decimals ("150000.00") or
    thousands separators ("150,000"). VND has no minor unit: round half up to a whole đồng."""
    if value is None or value == "":
        return 0
    if isinstance(value, bool):
        raise InvalidInput("Số tiền không hợp lệ.", errors=[{"field": field_name, "message": "not an amount"}])
    text = str(value).strip().replace(",", "").replace("_", "")
    try:
        amount = Decimal(text)
    except InvalidOperation as error:
        raise InvalidInput("Số tiền không hợp lệ.",
                           errors=[{"field": field_name, "message": f"not an amount: {value!r}"}]) from error
    if not amount.is_finite():
        raise InvalidInput("Số tiền không hợp lệ.", errors=[{"field": field_name, "message": "not finite"}])
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


# --- times -----------------------------------------------------------------------------------

_LAZADA_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.\d+)?\s*([+-]\d{2}):?(\d{2})$")


def from_epoch(seconds: Any) -> datetime:
    """Unix seconds (Shopee, TikTok); milliseconds are recognised by their size."""
    number = int(Decimal(str(seconds)))
    if number > 10**11:
        number //= 1000
    return datetime.fromtimestamp(number, UTC)


def from_text(text: str, *, naive_is_utc: bool = True) -> datetime:
    """ISO 8601 with an offset (Shopify, Haravan, Sapo), WooCommerce's `*_gmt` fields without one,
    and Lazada's "2024-05-01 10:00:00 +0700"."""
    raw = text.strip()
    match = _LAZADA_TIME.match(raw)
    if match:
        raw = f"{match.group(1)}T{match.group(2)}{match.group(3)}:{match.group(4)}"
    moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        if not naive_is_utc:
            raise InvalidInput("Thời gian thiếu múi giờ.", errors=[{"field": "time", "message": "no offset"}])
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


# --- people and places -----------------------------------------------------------------------

_MASK = re.compile(r"\*{2,}")


def is_masked(text: str | None) -> bool:
    """Marketplaces hide buyer data ("84*****89", "N****n", "****") once an order is old or
    before it ships."""
    return bool(text) and bool(_MASK.search(text))


def readable_phone(raw: str | None) -> tuple[str | None, bool]:
    """(E.164 or None, masked?). A masked or unreadable number is kept only as sent: the order is
    never refused for it."""
    if not raw or not raw.strip():
        return None, False
    if is_masked(raw):
        return None, True
    from chalicelib.core.phones import normalise

    try:
        return normalise(raw), False
    except InvalidInput:
        return None, False


def customer(name: str | None, phone: str | None, email: str | None = None, buyer_id: Any = None) -> Customer:
    e164, masked = readable_phone(phone)
    return Customer(name=(name or "").strip() or None, phone=e164, email=(email or "").strip() or None,
                    buyer_id=str(buyer_id) if buyer_id not in (None, "", 0) else None,
                    phone_as_sent=phone or None, masked=masked or is_masked(name))


def address(name: str | None, phone: str | None, text: str | None, province: str | None,
            district: str | None, ward: str | None) -> Address:
    e164, phone_masked = readable_phone(phone)
    parts = [text, name]
    return Address(name=(name or "").strip() or None, phone=e164, text=(text or "").strip(),
                   province=(province or "").strip() or None, district=(district or "").strip() or None,
                   ward=(ward or "").strip() or None, phone_as_sent=phone or None,
                   masked=phone_masked or any(is_masked(p) for p in parts))


# --- lines and totals ------------------------------------------------------------------------

def merge_units(lines: list[Line]) -> list[Line]:
    """Lazada and TikTok Shop send one order line per unit: two of the same variant at the same
    price become one line of quantity 2 (discounts added up), in first-seen order."""
    merged: dict[tuple, Line] = {}
    for line in lines:
        key = (line.external_item_id, line.external_model_id, line.external_sku, line.unit_price)
        seen = merged.get(key)
        if seen is None:
            merged[key] = line
        else:
            merged[key] = Line(seen.external_item_id, seen.external_sku, seen.name, seen.quantity + line.quantity,
                               seen.unit_price, seen.discount + line.discount, seen.external_model_id)
    return list(merged.values())


def totals(lines: list[Line], *, shipping: int, total: int) -> Totals:
    return Totals(items=sum(line.unit_price * line.quantity for line in lines),
                  discount=sum(line.discount for line in lines), shipping=shipping, total=total)


_PAYMENT_WORDS: tuple[tuple[PaymentMethod, tuple[str, ...]], ...] = (
    (PaymentMethod.cod, ("cod", "cash on delivery", "khi nhận hàng", "khi giao hàng", "tiền mặt")),
    (PaymentMethod.bank_transfer, ("bank", "chuyển khoản", "bacs", "transfer", "internet banking", "napas")),
    (PaymentMethod.e_wallet, ("wallet", "ví", "momo", "zalopay", "shopeepay", "airpay", "vnpay", "paypal", "tiktok pay")),
    (PaymentMethod.card, ("card", "thẻ", "visa", "master", "jcb", "credit", "debit", "installment")),
)


def payment_method(text: str | None, *, cod: bool | None = None) -> PaymentMethod:
    """Platforms name payment methods in free text; read them by keywords. An explicit COD flag
    wins. Unknown prepaid methods count as card (paid online)."""
    if cod:
        return PaymentMethod.cod
    lowered = (text or "").lower()
    for method, words in _PAYMENT_WORDS:
        if any(word in lowered for word in words):
            if method is PaymentMethod.cod and cod is False:
                continue
            return method
    return PaymentMethod.card


def text_or_none(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None
