"""The one small interface every channel adapter implements, its value types and errors, and the
shared request loop (re-sign, send, retry a rate limit respecting Retry-After, classify the
platform's error envelope). Platform modules only say how to sign, where to send and how to read.

Outbound HTTP goes through `chalicelib.core.outbound.request` (one attempt per call here, so each
retry is signed afresh with a new timestamp, as Shopee and TikTok Shop require)."""
from __future__ import annotations

import hashlib
import hmac
import random
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from chalicelib.channels.canonical import CanonicalOrder
from chalicelib.core import clock

# --- errors ----------------------------------------------------------------------------------


class ChannelError(Exception):
    """The platform refused or failed a call. `code` and `request_id` are the platform's own, for
    the connection log and for the platform's support."""

    def __init__(self, message: str, *, code: str | None = None, request_id: str | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.request_id = request_id
        self.status = status


class TokenExpired(ChannelError):
    """The access token is expired or revoked: refresh it (`refresh_tokens`) and call again."""


class RateLimited(ChannelError):
    """Still rate limited after the retries; try again on the next sync."""


class ChannelUnavailable(ChannelError):
    """The platform could not be reached, or kept answering 5xx."""


class Unsupported(ChannelError):
    """This channel has no such operation (a website only pushes webhooks)."""


# --- value types -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Credentials:
    """What one shop's authorization gave us. `shop_id` is the platform's shop/seller id."""
    shop_id: str
    access_token: str = ""
    shop_cipher: str | None = None    # TikTok Shop only


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str | None
    expires_at: datetime | None       # UTC
    refresh_expires_at: datetime | None = None
    shop_id: str | None = None
    shop_cipher: str | None = None
    shop_name: str | None = None


@dataclass(frozen=True)
class OrderPage:
    orders: list[CanonicalOrder]
    next_cursor: str | None           # None: this window is done
    window_until: datetime            # the end of the window actually asked (platforms cap it)


@dataclass(frozen=True)
class Listing:
    external_item_id: str
    external_model_id: str | None     # Shopee model id, Lazada SkuId, TikTok SKU id; None for a single-variant item
    external_sku: str | None          # the seller SKU typed on the platform
    name: str
    status: str                       # active / inactive / deleted (platform value kept in platform_status)
    platform_status: str = ""
    warehouse_id: str | None = None   # TikTok Shop multi-warehouse


@dataclass(frozen=True)
class ListingPage:
    listings: list[Listing]
    next_cursor: str | None


@dataclass(frozen=True)
class WebhookEvent:
    """What a push announces. Marketplaces announce ids (fetch the order with `get_orders`);
    websites send the whole order (`order`)."""
    shop_id: str | None
    kind: str                         # order_status, order_created, tracking, return, ping, other
    order_ids: list[str] = field(default_factory=list)
    platform_status: str | None = None
    order: CanonicalOrder | None = None
    raw: Any = None


# --- the interface ---------------------------------------------------------------------------


class ChannelAdapter(ABC):
    """One per platform. Settings (keys, base URL) and the shop's credentials are passed in."""
    channel: str

    @abstractmethod
    def pull_orders(self, since: datetime, until: datetime, cursor: str | None = None) -> OrderPage:
        """Orders updated in [since, until), one page; call again with `next_cursor` until None."""

    @abstractmethod
    def get_orders(self, ids: list[str]) -> list[CanonicalOrder]:
        """The current state of these orders (after a webhook)."""

    @abstractmethod
    def list_listings(self, cursor: str | None = None) -> ListingPage:
        """One page of the shop's listings with their variants."""

    @abstractmethod
    def push_stock(self, listing: Listing, quantity: int) -> None:
        """Set what the platform may sell of this listing (absolute, idempotent)."""

    @abstractmethod
    def push_status(self, external_id: str, *, tracking_number: str | None = None, carrier: str | None = None) -> None:
        """Tell the platform the order is ready to ship (arrange shipment / ship package / RTS)."""

    @abstractmethod
    def verify_webhook(self, headers: Mapping[str, str], raw_body: bytes, url: str) -> bool:
        """True only for a push signed as the platform documents (constant-time compare)."""

    @abstractmethod
    def parse_webhook(self, raw_body: bytes) -> WebhookEvent:
        """The shop id and the orders a verified push announces."""

    @abstractmethod
    def refresh_tokens(self, refresh_token: str) -> Tokens: ...

    @abstractmethod
    def authorize_url(self, redirect: str, state: str = "") -> str: ...

    @abstractmethod
    def exchange_code(self, code: str, *, shop_id: str | None = None) -> Tokens: ...


# --- shared helpers --------------------------------------------------------------------------


def hmac_sha256(key: str | bytes, message: str | bytes) -> bytes:
    key_bytes = key.encode() if isinstance(key, str) else key
    message_bytes = message.encode() if isinstance(message, str) else message
    return hmac.new(key_bytes, message_bytes, hashlib.sha256).digest()


def same_signature(expected: str, given: str | None, *, ignore_case: bool = False) -> bool:
    if not given:
        return False
    if ignore_case:
        expected, given = expected.lower(), given.strip().lower()
    return hmac.compare_digest(expected.encode(), given.strip().encode())


def header(headers: Mapping[str, str], name: str) -> str | None:
    """Header lookup ignoring case (API Gateway, Chalice and test clients differ)."""
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    return None


def chunks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


@dataclass
class Outgoing:
    method: str
    url: str
    params: dict[str, Any] | None = None
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)


class HttpAdapter(ChannelAdapter):
    """The request loop shared by the marketplace adapters."""
    max_attempts = 3
    page_size = 50
    max_wait_seconds = 10.0
    base_delay = 0.5

    def __init__(self, *, now: Callable[[], datetime] = clock.now, sleep: Callable[[float], None] = time.sleep,
                 timeout: float = 8.0):
        self.now = now
        self.sleep = sleep
        self.timeout = timeout

    # Platform hooks ---------------------------------------------------------------------------
    def is_rate_limited(self, status: int, payload: Any) -> bool:
        return status == 429

    @abstractmethod
    def raise_for_error(self, status: int, payload: Any) -> None:
        """Raise TokenExpired / ChannelError when the envelope says the call failed."""

    # The loop ---------------------------------------------------------------------------------
    def send(self, build: Callable[[], Outgoing]) -> Any:
        """Build (and sign) the request afresh for each attempt; retry 429 / the platform's rate
        limit code / 5xx / network failure with backoff, waiting what Retry-After says (capped)."""
        from chalicelib.core import outbound

        for attempt in range(self.max_attempts):
            outgoing = build()
            last = attempt + 1 >= self.max_attempts
            try:
                reply = outbound.request(outgoing.method, outgoing.url, params=outgoing.params, body=outgoing.body,
                                         headers=outgoing.headers, timeout=self.timeout, retry=outbound.NO_RETRY)
            except outbound.TransportError as error:
                if last:
                    raise ChannelUnavailable(str(error)) from error
                self.sleep(self._backoff(attempt))
                continue
            payload = reply.json()
            if self.is_rate_limited(reply.status, payload):
                if last:
                    raise RateLimited("Nền tảng giới hạn số lần gọi (rate limited).", status=reply.status,
                                      code=_code_of(payload), request_id=_request_id_of(payload))
                self.sleep(self._wait(reply.headers.get("retry-after"), attempt))
                continue
            if reply.status >= 500:
                if last:
                    raise ChannelUnavailable(f"HTTP {reply.status} from the platform", status=reply.status,
                                             code=_code_of(payload), request_id=_request_id_of(payload))
                self.sleep(self._wait(reply.headers.get("retry-after"), attempt))
                continue
            self.raise_for_error(reply.status, payload)
            if not isinstance(payload, dict):
                raise ChannelError(f"Unreadable reply (HTTP {reply.status})", status=reply.status)
            return payload
        raise AssertionError("unreachable")

    def _backoff(self, attempt: int) -> float:
        return random.uniform(0, self.base_delay * 2 ** attempt)

    def _wait(self, retry_after: str | None, attempt: int) -> float:
        if retry_after:
            try:
                return min(self.max_wait_seconds, max(0.0, float(retry_after)))
            except ValueError:
                pass
        return self._backoff(attempt)

    def timestamp(self) -> int:
        return int(self.now().timestamp())

    def expires(self, seconds: Any) -> datetime | None:
        return self.now() + timedelta(seconds=int(seconds)) if seconds not in (None, "") else None


def _code_of(payload: Any) -> str | None:
    if isinstance(payload, dict):
        value = payload.get("code", payload.get("error"))
        return None if value in (None, "") else str(value)
    return None


def _request_id_of(payload: Any) -> str | None:
    return payload.get("request_id") if isinstance(payload, dict) else None
