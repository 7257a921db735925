"""The one small interface every carrier adapter implements, the data that crosses it, the typed
errors it raises, and the rules all carriers share: retry policy per call, exactly-once booking
through the client order code, callback secrets, and matching our address to a carrier's master data.

Booking is made exactly-once by sending our shipment id as the carrier's client order code (GHN
`client_order_code`, GHTK `order.id`, Viettel Post `ORDER_NUMBER`): `book_once` looks the code up
before sending and again after an answer that was lost (timeout, 5xx, 429), so a retry never books a
second parcel. Creates are never retried blindly; quotes and reads retry on 429/5xx.

Addresses (since 1 July 2025: 34 provinces, province -> ward) are matched to the carrier's own ids
by `match_address`, accent-insensitively, using the carrier's master data (cacheable through
`CachedMasterData`). When it cannot match it raises `AddressUnmatched` (a 400 naming the field and
the carrier's candidates) and never guesses: a wrong ward sends the parcel to the wrong place.
"""
from __future__ import annotations

import hmac
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any, Protocol
from urllib.parse import urlencode

from chalicelib.core import outbound
from chalicelib.core.errors import InvalidInput, NotAuthenticated, ThirdPartyRefused, ThirdPartyUnavailable
from chalicelib.core.text import fold

VIETNAM = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")  # no daylight saving in Vietnam

# Quotes, lookups and master data are safe to repeat; creates and cancels are not (NO_RETRY).
READ_RETRY = outbound.RetryPolicy(attempts=3, base_delay=0.2, budget_seconds=6.0)
WRITE_ONCE = outbound.NO_RETRY

MAX_VND = 10**15  # beyond any parcel's money: a sender's garbage, not an amount
CARRIER_NAMES = {"ghn": "Giao Hàng Nhanh", "ghtk": "Giao Hàng Tiết Kiệm", "viettel_post": "Viettel Post"}


# --- errors ---------------------------------------------------------------------------------
class CarrierError(ThirdPartyRefused):
    """A carrier refused or failed a call. `detail` is Vietnamese for staff; `reason` keeps the
    carrier's own words and `carrier_code` its error code, so support can quote them to the carrier.
    (`code` is our stable error code, e.g. "carrier_rejected".)"""

    retryable = False
    template = "{name} từ chối yêu cầu: {reason}"

    def __init__(self, carrier: str, reason: str, *, code: str | int | None = None, status: int | None = None):
        name = CARRIER_NAMES.get(carrier, carrier)
        super().__init__(self.template.format(name=name, reason=reason),
                         extra={"carrier": carrier, "reason": reason, "carrier_code": code, "http_status": status})
        self.carrier, self.reason, self.carrier_code, self.status = carrier, reason, code, status


class CarrierRejected(CarrierError):
    """The carrier read the request and said no (bad address, weight, phone...)."""


class CarrierAuthFailed(CarrierError):
    template = "{name} không chấp nhận token của tài khoản (sai hoặc đã hết hạn). Kiểm tra lại kết nối. ({reason})"


class CarrierNotFound(CarrierError):
    template = "{name} không tìm thấy đơn này. ({reason})"


class CarrierUnavailable(CarrierError, ThirdPartyUnavailable):
    """429, 5xx or no answer: the call may or may not have happened at the carrier."""

    retryable = True
    template = "{name} đang quá tải hoặc gián đoạn, vui lòng thử lại sau. ({reason})"


class BookingUncertain(CarrierUnavailable):
    """A create got no clear answer and the carrier offers no lookup by our code."""

    template = ("Không rõ {name} đã nhận đơn hay chưa. Kiểm tra trên trang quản lý của {name} "
                "trước khi đặt lại. ({reason})")


class AddressUnmatched(InvalidInput):
    """Our address could not be matched to exactly one of the carrier's wards."""


class ForgedCallback(NotAuthenticated):
    """A status callback without the account's secret (or for another shop): nothing is written."""


# --- data crossing the interface -------------------------------------------------------------
class Viewing(str, Enum):
    """May the buyer open the parcel before paying? (GHN required_note; GHTK tag 10; VTP note)."""

    try_on = "try_on"          # Cho thử hàng
    view_only = "view_only"    # Cho xem hàng, không cho thử
    no_view = "no_view"        # Không cho xem hàng


VIEWING_TEXT = {Viewing.try_on: "Cho thử hàng", Viewing.view_only: "Cho xem hàng, không cho thử",
                Viewing.no_view: "Không cho xem hàng"}


@dataclass(frozen=True)
class Address:
    """Our address: official province/ward (names, codes), the text the buyer typed, and an old
    district when the address came in three levels."""

    name: str
    phone: str
    street: str                       # house number, street, what the buyer typed
    province_name: str
    ward_name: str
    district_name: str | None = None  # old three-level addresses only
    province_code: str | None = None
    ward_code: str | None = None

    def one_line(self) -> str:
        parts = [self.street, self.ward_name, self.district_name, self.province_name]
        return ", ".join(p for p in parts if p)


@dataclass(frozen=True)
class CarrierPlace:
    """A place in the carrier's own master data (ids and the carrier's spelling of the names)."""

    province_id: int | str
    district_id: int | str | None
    ward_id: int | str | None
    province_name: str = ""
    district_name: str = ""
    ward_name: str = ""


@dataclass(frozen=True)
class Item:
    name: str
    quantity: int
    price: int = 0
    sku: str | None = None
    weight_g: int = 0


@dataclass
class ShipmentRequest:
    """What a packer books. `client_code` is our shipment id, sent as the carrier's client order code."""

    client_code: str
    sender: Address
    recipient: Address
    weight_g: int
    items: list[Item] = field(default_factory=list)
    length_cm: int = 10
    width_cm: int = 10
    height_cm: int = 10
    cod_amount: int = 0
    insurance_value: int = 0
    note: str = ""
    viewing: Viewing = Viewing.view_only
    payer: str = "buyer"                      # who pays the shipping fee: "shop" or "buyer"
    service: str | None = None                # a service id/code from a quote
    sender_place: CarrierPlace | None = None  # carrier ids, from match_address (GHN, Viettel Post)
    recipient_place: CarrierPlace | None = None

    def content(self) -> str:
        return ", ".join(f"{i.name} x{i.quantity}" for i in self.items)[:2000]


@dataclass
class Quote:
    carrier: str
    service: str
    service_name: str
    fee: int
    expected_delivery: datetime | None = None
    expected_text: str = ""   # when the carrier gives only words ("Chiều 2026-11-24", "24 giờ")
    raw: Any = None


@dataclass
class Booking:
    carrier: str
    client_code: str
    tracking_number: str
    carrier_order_id: str
    fee: int | None = None
    expected_delivery: datetime | None = None
    carrier_status: str | None = None
    sort_code: str = ""
    raw: Any = None


@dataclass
class Tracking:
    carrier: str
    tracking_number: str
    client_code: str | None
    carrier_status: str
    at: datetime | None = None
    cod_amount: int | None = None
    fee: int | None = None
    raw: Any = None


@dataclass
class CallbackEvent:
    carrier: str
    tracking_number: str
    client_code: str | None
    carrier_status: str
    at: datetime | None
    cod_collected: int | None     # cash the carrier holds for us, once delivered
    fee: int | None
    reason: str = ""
    raw: Any = None


@dataclass
class LabelData:
    carrier: str
    carrier_name: str
    tracking_number: str
    client_code: str
    sender: Address
    recipient: Address
    cod_amount: int
    weight_g: int
    note: str
    viewing: str
    sort_code: str = ""
    content: str = ""


class Carrier(Protocol):
    """One adapter per carrier (providers/ghn.py, ghtk.py, viettel_post.py)."""

    code: str
    supports_lookup: bool

    def quote(self, request: ShipmentRequest) -> list[Quote]: ...
    def book(self, request: ShipmentRequest) -> Booking: ...
    def find_by_client_code(self, client_code: str) -> Booking | None: ...
    def cancel(self, tracking_number: str) -> None: ...
    def track(self, tracking_number: str) -> Tracking: ...
    def label_data(self, request: ShipmentRequest, booking: Booking) -> LabelData: ...
    def parse_callback(self, headers: dict[str, str], body: bytes, account_secret: str, *,
                       query: dict[str, str] | None = None) -> CallbackEvent: ...


# --- shared HTTP plumbing ---------------------------------------------------------------------
class HttpCarrier:
    """Base URL, timeout, auth headers and the mapping of 429/5xx/no-answer to CarrierUnavailable.
    Subclasses add the carrier's envelope and error mapping."""

    code = ""
    default_base_url = ""
    supports_lookup = True

    def __init__(self, *, base_url: str | None = None, timeout: float = outbound.DEFAULT_TIMEOUT,
                 read_retry: outbound.RetryPolicy = READ_RETRY):
        self.base_url = (base_url or self.default_base_url).rstrip("/")
        self.timeout = timeout
        self.read_retry = read_retry

    @property
    def name(self) -> str:
        return CARRIER_NAMES[self.code]

    def _auth_headers(self) -> dict[str, str]:
        raise NotImplementedError

    def _send(self, method: str, path: str, *, params: dict | None = None, json_body: Any = None,
              write: bool = False) -> outbound.Reply:
        retry = WRITE_ONCE if write else self.read_retry
        try:
            reply = outbound.request(method, self.base_url + path, params=params, json_body=json_body,
                                     headers={"Accept": "application/json", **self._auth_headers()},
                                     timeout=self.timeout, retry=retry)
        except outbound.TransportError as error:
            raise CarrierUnavailable(self.code, str(error)) from error
        if reply.status == 429 or reply.status >= 500:
            body = reply.json()
            reason = (body.get("message") if isinstance(body, dict) else None) or f"HTTP {reply.status}"
            raise CarrierUnavailable(self.code, str(reason), status=reply.status)
        return reply

    def label_data(self, request: ShipmentRequest, booking: Booking) -> LabelData:
        return LabelData(carrier=self.code, carrier_name=self.name, tracking_number=booking.tracking_number,
                         client_code=request.client_code, sender=request.sender, recipient=request.recipient,
                         cod_amount=request.cod_amount, weight_g=request.weight_g, note=request.note,
                         viewing=VIEWING_TEXT[request.viewing], sort_code=booking.sort_code, content=request.content())


def book_once(carrier: Carrier, request: ShipmentRequest) -> Booking:
    """Book exactly one parcel for `request.client_code`, however often it is called: an order the
    carrier already has is returned as it is, and an answer lost in transit is recovered by lookup."""
    if not carrier.supports_lookup:
        try:
            return carrier.book(request)
        except BookingUncertain:
            raise
        except CarrierUnavailable as error:
            raise BookingUncertain(error.carrier, error.reason, code=error.carrier_code, status=error.status) from error
    existing = carrier.find_by_client_code(request.client_code)
    if existing is not None:
        return existing
    try:
        return carrier.book(request)
    except CarrierUnavailable:
        found = carrier.find_by_client_code(request.client_code)
        if found is not None:
            return found
        raise


# --- callbacks -----------------------------------------------------------------------------
SECRET_PARAM = "hash"  # GHTK's documented callback URL shape is ...?hash=XXX; we use it for every carrier


def callback_url(public_base: str, carrier: str, account_id: str, secret: str) -> str:
    """The URL the owner registers at the carrier: the secret travels in it, since neither GHN nor
    GHTK signs its callbacks."""
    return f"{public_base.rstrip('/')}/api/v1/webhooks/carriers/{carrier}/{account_id}?{urlencode({SECRET_PARAM: secret})}"


def require_secret(carrier: str, account_secret: str, headers: dict[str, str], query: dict[str, str] | None) -> None:
    """Constant-time check of the secret the caller presented (URL `hash`, or header X-Quay-Secret)."""
    query = query or {}
    lowered = {k.lower(): v for k, v in headers.items()}
    presented = query.get(SECRET_PARAM) or query.get("secret") or lowered.get("x-quay-secret") or ""
    if not account_secret or not presented or not hmac.compare_digest(presented.encode(), account_secret.encode()):
        raise ForgedCallback(f"Callback {CARRIER_NAMES.get(carrier, carrier)} không hợp lệ (sai mã bí mật).")


def callback_fields(headers: dict[str, str], body: bytes) -> dict:
    """A callback body as a dict, whether the carrier posted JSON or a form."""
    import json
    from urllib.parse import parse_qs

    media = {k.lower(): v for k, v in headers.items()}.get("content-type", "")
    text = body.decode("utf-8", "replace").strip()
    if "json" in media or text.startswith("{"):
        try:
            parsed = json.loads(text or "null")
        except ValueError as error:
            raise InvalidInput("Callback body is not valid JSON.") from error
        if not isinstance(parsed, dict):
            raise InvalidInput("Callback body must be an object.")
        return parsed
    return {k: v[0] for k, v in parse_qs(text, keep_blank_values=True).items()}


# --- small parsers -------------------------------------------------------------------------
def vnd(value: Any) -> int | None:
    """Carrier money (int, "30400", 30400.0) as integer VND; None when absent."""
    if value is None or value == "":
        return None
    try:
        amount = int(Decimal(str(value)).to_integral_value())
    except (InvalidOperation, ValueError, OverflowError):
        return None
    return amount if abs(amount) < MAX_VND else None


def parse_time(value: Any) -> datetime | None:
    """ISO text, unix seconds, or 'dd/mm/yyyy HH:MM:SS' as UTC; times without an offset are Vietnam time."""
    if value in (None, "", "null", 0):
        return None
    if isinstance(value, int | float):
        try:
            return datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError):  # not a time any carrier sends
            return None
    text = str(value).strip()
    moment = None
    for pattern in ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M:%S"):
        try:
            moment = datetime.strptime(text, pattern)
            break
        except ValueError:
            continue
    if moment is None:
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            dated = re.search(r"(\d{4})-(\d{2})-(\d{2})", text)  # "Chiều 2017-07-02"
            if not dated:
                return None
            moment = datetime(int(dated[1]), int(dated[2]), int(dated[3]))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=VIETNAM)
    return moment.astimezone(UTC)


# --- address matching ----------------------------------------------------------------------
_PREFIXES = ("thanh pho", "tinh", "tp", "quan", "huyen", "thi xa", "thi tran", "phuong", "xa", "dac khu",
             "t", "q", "h", "p", "tx", "tt")
_ALIASES = {"hcm": "ho chi minh", "tphcm": "ho chi minh", "sai gon": "ho chi minh", "hn": "ha noi"}


def name_key(text: str | None) -> str:
    """'TP. Hồ Chí Minh' -> 'ho chi minh'; 'Phường 01' -> '1'; 'Q.Tân Bình' -> 'tan binh'."""
    if not text:
        return ""
    words = re.sub(r"[^0-9a-z]+", " ", fold(text)).split()
    for prefix in _PREFIXES:
        size = len(prefix.split())
        if len(words) > size and words[:size] == prefix.split():
            words = words[size:]
            break
    key = " ".join(str(int(w)) if w.isdigit() else w for w in words)
    return _ALIASES.get(key, key)


@dataclass(frozen=True)
class Division:
    """One province, district or ward in a carrier's master data."""

    id: int | str
    name: str
    aliases: tuple[str, ...] = ()

    def match_keys(self) -> set[str]:
        return {k for k in (name_key(self.name), *(name_key(a) for a in self.aliases)) if k}


class MasterData(Protocol):
    def provinces(self) -> list[Division]: ...
    def districts(self, province_id: int | str) -> list[Division]: ...
    def wards(self, district_id: int | str) -> list[Division]: ...


class CachedMasterData:
    """Remembers each list it fetched; `cache` is plain data the caller may persist (master data
    changes rarely) and pass back in."""

    def __init__(self, source: MasterData, cache: dict | None = None):
        self.source, self.cache = source, cache if cache is not None else {}

    def _get(self, key: str, fetch) -> list[Division]:
        if key not in self.cache:
            self.cache[key] = [(d.id, d.name, list(d.aliases)) for d in fetch()]
        return [Division(i, n, tuple(a)) for i, n, a in self.cache[key]]

    def provinces(self) -> list[Division]:
        return self._get("provinces", self.source.provinces)

    def districts(self, province_id):
        return self._get(f"districts:{province_id}", lambda: self.source.districts(province_id))

    def wards(self, district_id):
        return self._get(f"wards:{district_id}", lambda: self.source.wards(district_id))


def _words(text: str | None) -> str:
    return " " + " ".join(re.sub(r"[^0-9a-z]+", " ", fold(text or "")).split()) + " "


def _mentioned(division: Division, text: str | None) -> bool:
    """Is this division named in free text? Short keys ('1' for Quận 1) count only with their prefix."""
    padded = _words(text)
    full = _words(division.name)
    return any(f" {k} " in padded for k in division.match_keys() if len(k) > 2) or (len(full) > 4 and full in padded)


def _unmatched(field_name: str, message: str, candidates: list[str]) -> AddressUnmatched:
    return AddressUnmatched(message, errors=[{"field": field_name, "message": message}],
                            extra={"candidates": candidates[:20]})


def match_address(address: Address, master: MasterData) -> CarrierPlace:
    """The carrier's province/district/ward ids for our address, or AddressUnmatched.

    1. Provinces: the one named like ours (the carrier's aliases count), then any carrier province
       named in the buyer's text (a province merged in 2025 is still separate at the carrier).
    2. Districts: the old district when we have one; otherwise every district of the province
       (two-level address), those named in the buyer's text first.
    3. Ward by name in those districts. Exactly one match is required; several (e.g. "Phường 1" in
       many districts) or none raise AddressUnmatched with the candidates, for the packer to choose."""
    provinces = master.provinces()
    wanted = name_key(address.province_name)
    named = [p for p in provinces if wanted and wanted in p.match_keys()]
    mentioned = [p for p in provinces if p not in named and _mentioned(p, address.street)]
    if not named and not mentioned:
        raise _unmatched("province", f"Không khớp được tỉnh/thành '{address.province_name}' với danh mục của hãng.",
                         [p.name for p in provinces])
    ward_key = name_key(address.ward_name)
    for province in named + mentioned:
        districts = master.districts(province.id)
        if address.district_name:
            districts = [d for d in districts if name_key(address.district_name) in d.match_keys()] or districts
        hinted = [d for d in districts if _mentioned(d, address.street)]
        found: list[tuple[Division, Division]] = []
        for group in ([hinted] if hinted else []) + [districts]:
            found = [(d, w) for d in group for w in master.wards(d.id) if ward_key and ward_key in w.match_keys()]
            if found:
                break
        if len(found) == 1:
            district, ward = found[0]
            return CarrierPlace(province.id, district.id, ward.id, province.name, district.name, ward.name)
        if len(found) > 1:
            raise _unmatched("ward", f"Phường/xã '{address.ward_name}' có ở nhiều quận/huyện; chọn đúng nơi nhận.",
                             [f"{w.name}, {d.name}" for d, w in found])
    raise _unmatched("ward", f"Không tìm thấy phường/xã '{address.ward_name}' của {address.province_name} trong danh mục "
                             "của hãng.", [])
