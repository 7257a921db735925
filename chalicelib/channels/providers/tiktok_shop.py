"""TikTok Shop Partner API (version 202309) adapter.

Signing: sign = hex HMAC-SHA256(app_secret, app_secret + path + sorted query parameters as
name+value (without `sign` and `access_token`) + raw JSON body + app_secret). Query parameters
app_key, timestamp (seconds), shop_cipher, sign; header `x-tts-access-token`. Replies are
{"code": 0, "message", "request_id", "data"}; codes 105001/105002/36004004 mean the access token
is invalid or expired. Tokens come from the auth host (/api/v2/token/get, /api/v2/token/refresh,
app_secret as a parameter) and the shop cipher from /authorization/202309/shops.
Line items come one per unit (merged here). Push: `Authorization` = hex HMAC-SHA256(app_secret,
app_key + raw body); body {"type": 1 (order status), "shop_id", "data": {"order_id", "order_status"}}.

Sources read: TikTok Shop Partner Center "Sign your API request" / "Authorization overview" as
implemented in phamkhanhminhman97/shopee-tiktok-lazada-api (src/module/tiktokshops/common/helper.ts,
constant.ts, api/v2/*.ts, dto/response/order.response.ts, webhook.response.ts),
jlc-group/weorder (brute_tiktok_test.py, signing), easycb/easycb-go (tiktok/sign.go, push
signature), lz2510/Tech (auth.md); 202309 order sample payloads in public clients.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from chalicelib.channels import canonical as c
from chalicelib.channels.providers.base import (
    ChannelError,
    Credentials,
    HttpAdapter,
    Listing,
    ListingPage,
    OrderPage,
    Outgoing,
    TokenExpired,
    Tokens,
    WebhookEvent,
    chunks,
    header,
    hmac_sha256,
    same_signature,
)

DEFAULT_BASE = "https://open-api.tiktokglobalshop.com"
AUTH_BASE = "https://auth.tiktok-shops.com"
AUTHORIZE_PAGE = "https://services.tiktokshop.com/open/authorize"
TOKEN_ERRORS = frozenset({105001, 105002, 36004004})
RATE_LIMIT_ERRORS = frozenset({12004001})

STATUS = {
    "UNPAID": c.ChannelStatus.pending_payment,
    "ON_HOLD": c.ChannelStatus.pending_payment,
    "AWAITING_SHIPMENT": c.ChannelStatus.new,
    "AWAITING_COLLECTION": c.ChannelStatus.ready_to_ship,
    "PARTIALLY_SHIPPING": c.ChannelStatus.shipping,
    "IN_TRANSIT": c.ChannelStatus.shipping,
    "DELIVERED": c.ChannelStatus.delivered,
    "COMPLETED": c.ChannelStatus.completed,
    "CANCELLED": c.ChannelStatus.canceled,
}
BEFORE_SHIPPING = (c.ChannelStatus.pending_payment, c.ChannelStatus.new, c.ChannelStatus.ready_to_ship)


@dataclass(frozen=True)
class TikTokSettings:
    app_key: str
    app_secret: str
    api_base: str = DEFAULT_BASE
    auth_base: str = AUTH_BASE
    service_id: str | None = None          # the app's service id, for the 202309 authorization page
    authorize_page: str = AUTHORIZE_PAGE


def sign(app_secret: str, path: str, params: Mapping[str, Any], body: bytes | str = b"") -> str:
    body_text = body.decode() if isinstance(body, bytes) else body
    pairs = "".join(f"{key}{params[key]}" for key in sorted(params) if key not in ("sign", "access_token"))
    return hmac_sha256(app_secret, f"{app_secret}{path}{pairs}{body_text}{app_secret}").hex()


def push_signature(app_key: str, app_secret: str, raw_body: bytes) -> str:
    return hmac_sha256(app_secret, app_key.encode() + raw_body).hex()


class TikTokShopAdapter(HttpAdapter):
    channel = "tiktok_shop"

    def __init__(self, settings: TikTokSettings, credentials: Credentials | None = None, **options):
        super().__init__(**options)
        self.settings = settings
        self.credentials = credentials

    # Transport --------------------------------------------------------------------------------
    def _call(self, method: str, path: str, *, query: dict | None = None, body: dict | None = None,
              with_shop: bool = True) -> dict:
        creds = self._creds()

        def build() -> Outgoing:
            params: dict[str, Any] = {"app_key": self.settings.app_key, "timestamp": self.timestamp(), **(query or {})}
            if with_shop and creds.shop_cipher:
                params["shop_cipher"] = creds.shop_cipher
            params = {k: str(v) for k, v in params.items() if v is not None}
            raw = b"" if body is None else json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
            params["sign"] = sign(self.settings.app_secret, path, params, raw)
            headers = {"x-tts-access-token": creds.access_token, "Content-Type": "application/json"}
            return Outgoing(method, self.settings.api_base + path, params, raw or None, headers)
        return self.send(build).get("data") or {}

    def _auth_call(self, path: str, query: dict) -> dict:
        def build() -> Outgoing:
            return Outgoing("GET", self.settings.auth_base + path,
                            {"app_key": self.settings.app_key, "app_secret": self.settings.app_secret, **query})
        return self.send(build).get("data") or {}

    def is_rate_limited(self, status: int, payload: Any) -> bool:
        return status == 429 or (isinstance(payload, dict) and payload.get("code") in RATE_LIMIT_ERRORS)

    def raise_for_error(self, status: int, payload: Any) -> None:
        if not isinstance(payload, dict):
            if status >= 400:
                raise ChannelError(f"TikTok Shop HTTP {status}", status=status)
            return
        code = payload.get("code", 0)
        if code == 0 and status < 400:
            return
        message = payload.get("message") or f"code {code}"
        details = {"code": str(code), "request_id": payload.get("request_id"), "status": status}
        if code in TOKEN_ERRORS:
            raise TokenExpired(message, **details)
        raise ChannelError(message, **details)

    def _creds(self) -> Credentials:
        if self.credentials is None:
            raise ChannelError("Chưa kết nối cửa hàng TikTok Shop (no shop credentials).")
        return self.credentials

    # Orders -----------------------------------------------------------------------------------
    def pull_orders(self, since: datetime, until: datetime, cursor: str | None = None) -> OrderPage:
        query = {"page_size": self.page_size, "page_token": cursor, "sort_field": "update_time", "sort_order": "ASC"}
        data = self._call("POST", "/order/202309/orders/search", query=query,
                          body={"update_time_ge": int(since.timestamp()), "update_time_lt": int(until.timestamp())})
        return OrderPage([to_canonical(raw) for raw in data.get("orders") or []], data.get("next_page_token") or None, until)

    def get_orders(self, ids: list[str]) -> list[c.CanonicalOrder]:
        orders: list[c.CanonicalOrder] = []
        for batch in chunks(list(ids), 50):
            data = self._call("GET", "/order/202309/orders", query={"ids": ",".join(batch)})
            orders.extend(to_canonical(raw) for raw in data.get("orders") or [])
        return orders

    # Listings and stock -----------------------------------------------------------------------
    def list_listings(self, cursor: str | None = None) -> ListingPage:
        data = self._call("POST", "/product/202309/products/search", query={"page_size": self.page_size, "page_token": cursor},
                          body={"status": "ALL"})
        listings = []
        for product in data.get("products") or []:
            platform_status = product.get("status") or ""
            status = "active" if platform_status == "ACTIVATE" else "deleted" if platform_status == "DELETED" else "inactive"
            for sku in product.get("skus") or []:
                warehouse = next((inv.get("warehouse_id") for inv in sku.get("inventory") or [] if inv.get("warehouse_id")), None)
                listings.append(Listing(str(product["id"]), str(sku["id"]), c.text_or_none(sku.get("seller_sku")),
                                        product.get("title") or "", status, platform_status, warehouse))
        return ListingPage(listings, data.get("next_page_token") or None)

    def push_stock(self, listing: Listing, quantity: int) -> None:
        inventory: dict[str, Any] = {"quantity": max(0, int(quantity))}
        if listing.warehouse_id:
            inventory["warehouse_id"] = listing.warehouse_id
        self._call("POST", f"/product/202309/products/{listing.external_item_id}/inventory/update",
                   body={"skus": [{"id": listing.external_model_id, "inventory": [inventory]}]})

    # Shipment ---------------------------------------------------------------------------------
    def push_status(self, external_id: str, *, tracking_number: str | None = None, carrier: str | None = None) -> None:
        """Ship every package of the order: platform pickup, or the shop's own shipment with its
        tracking number and shipping provider id."""
        orders = self.get_orders([external_id])
        if not orders or not orders[0].package_ids:
            raise ChannelError("Đơn TikTok Shop chưa có kiện hàng (no package).", code="no_package")
        body: dict[str, Any] = {"handover_method": "PICKUP"}
        if tracking_number:
            body = {"self_shipment": {"tracking_number": tracking_number, "shipping_provider_id": carrier}}
        for package_id in orders[0].package_ids:
            self._call("POST", f"/fulfillment/202309/packages/{package_id}/ship", body=body)

    # Push -------------------------------------------------------------------------------------
    def verify_webhook(self, headers: Mapping[str, str], raw_body: bytes, url: str) -> bool:
        expected = push_signature(self.settings.app_key, self.settings.app_secret, raw_body)
        return same_signature(expected, header(headers, "Authorization"), ignore_case=True)

    def parse_webhook(self, raw_body: bytes) -> WebhookEvent:
        body = json.loads(raw_body or b"{}")
        data = body.get("data") or {}
        order_id = data.get("order_id")
        kind = {1: "order_status", 2: "return", 11: "cancellation", 4: "address"}.get(body.get("type"), "other")
        return WebhookEvent(shop_id=c.text_or_none(body.get("shop_id")), kind=kind,
                            order_ids=[str(order_id)] if order_id else [],
                            platform_status=data.get("order_status") or data.get("return_status"), raw=body)

    # Authorization ----------------------------------------------------------------------------
    def authorize_url(self, redirect: str, state: str = "") -> str:
        """The 202309 page wants the app's service id; without one, the legacy page by app key.
        The redirect itself is registered with the app on the Partner Center."""
        if self.settings.service_id:
            return f"{self.settings.authorize_page}?{urlencode({'service_id': self.settings.service_id, 'state': state})}"
        return f"{self.settings.auth_base}/oauth/authorize?{urlencode({'app_key': self.settings.app_key, 'state': state})}"

    def exchange_code(self, code: str, *, shop_id: str | None = None) -> Tokens:
        data = self._auth_call("/api/v2/token/get", {"auth_code": code, "grant_type": "authorized_code"})
        return self._with_shop(data)

    def refresh_tokens(self, refresh_token: str) -> Tokens:
        data = self._auth_call("/api/v2/token/refresh", {"refresh_token": refresh_token, "grant_type": "refresh_token"})
        return self._with_shop(data)

    def _with_shop(self, data: dict) -> Tokens:
        """Tokens, plus the authorized shop's id and cipher (every shop call needs the cipher)."""
        previous = self.credentials
        self.credentials = Credentials(previous.shop_id if previous else "", data["access_token"],
                                       previous.shop_cipher if previous else None)
        shops = self._call("GET", "/authorization/202309/shops", with_shop=False).get("shops") or []
        wanted = previous.shop_id if previous and previous.shop_id else None
        shop = next((s for s in shops if wanted and str(s.get("id")) == wanted), shops[0] if shops else {})
        self.credentials = Credentials(str(shop.get("id") or (wanted or "")), data["access_token"], shop.get("cipher"))
        return Tokens(access_token=data["access_token"], refresh_token=data.get("refresh_token"),
                      expires_at=_epoch_or_none(data.get("access_token_expire_in")),
                      refresh_expires_at=_epoch_or_none(data.get("refresh_token_expire_in")),
                      shop_id=c.text_or_none(shop.get("id")), shop_cipher=shop.get("cipher"),
                      shop_name=shop.get("name") or data.get("seller_name"))


def _epoch_or_none(value: Any) -> datetime | None:
    return c.from_epoch(value) if value not in (None, "", 0) else None


# --- mapping (pure) ------------------------------------------------------------------------


def _levels(district_info: list[dict]) -> tuple[str | None, str | None, str | None]:
    """(province, district, ward) from district_info L1..L3; a two-level address (L1, L2) has
    no district."""
    by_level = {str(level.get("address_level", "")).upper(): level.get("address_name") for level in district_info or []}
    if "L3" in by_level:
        return by_level.get("L1"), by_level.get("L2"), by_level.get("L3")
    return by_level.get("L1"), None, by_level.get("L2")


def to_canonical(raw: dict) -> c.CanonicalOrder:
    """One 202309 order (search or detail), line items one per unit."""
    platform_status = raw.get("status") or ""
    status = STATUS.get(platform_status, c.ChannelStatus.new)
    if raw.get("is_buyer_request_cancel") and status in BEFORE_SHIPPING:
        status = c.ChannelStatus.cancel_requested
    items = raw.get("line_items") or []
    live_items = [item for item in items if item.get("display_status") != "CANCELLED"] or items
    lines = c.merge_units([c.Line(
        external_item_id=str(item.get("product_id")),
        external_sku=c.text_or_none(item.get("seller_sku")),
        name=(item.get("product_name") or "") + (f" - {item['sku_name']}" if item.get("sku_name") else ""),
        quantity=int(item.get("quantity") or 1),
        unit_price=c.to_vnd(item.get("original_price")),
        discount=max(0, c.to_vnd(item.get("original_price")) - c.to_vnd(item.get("sale_price", item.get("original_price"))))
        * int(item.get("quantity") or 1),
        external_model_id=c.text_or_none(item.get("sku_id")),
    ) for item in live_items])
    payment = raw.get("payment") or {}
    recipient = raw.get("recipient_address") or {}
    province, district, ward = _levels(recipient.get("district_info") or [])
    is_cod = bool(raw.get("is_cod"))
    method = c.payment_method(raw.get("payment_method_name"), cod=is_cod)
    done = status in (c.ChannelStatus.delivered, c.ChannelStatus.completed)
    paid = done if is_cod else bool(raw.get("paid_time")) or status not in (c.ChannelStatus.pending_payment,)
    fees = {name: c.to_vnd(payment[name]) for name in ("platform_discount", "seller_discount", "shipping_fee_platform_discount",
                                                       "shipping_fee_seller_discount", "original_shipping_fee")
            if payment.get(name) not in (None, "")}
    packages = [str(p["id"]) for p in raw.get("packages") or [] if p.get("id")]
    tracking = raw.get("tracking_number") or next((i.get("tracking_number") for i in raw.get("line_items") or []
                                                    if i.get("tracking_number")), None)
    return c.CanonicalOrder(
        channel="tiktok_shop", external_id=str(raw["id"]), status=status, platform_status=platform_status,
        created_at=c.from_epoch(raw["create_time"]), raw_updated_at=c.from_epoch(raw.get("update_time") or raw["create_time"]),
        customer=c.customer(recipient.get("name"), recipient.get("phone_number"), raw.get("buyer_email"), raw.get("user_id")),
        lines=lines,
        shipping_address=c.address(recipient.get("name"), recipient.get("phone_number"),
                                   recipient.get("full_address") or recipient.get("address_detail"),
                                   province, district, ward) if recipient else None,
        payment=c.Payment(method, c.PaymentStatus.paid if paid else c.PaymentStatus.unpaid, raw.get("payment_method_name")),
        totals=c.totals(lines, shipping=c.to_vnd(payment.get("shipping_fee")), total=c.to_vnd(payment.get("total_amount"))),
        fees=fees, note=c.text_or_none(raw.get("buyer_message")), tracking_number=c.text_or_none(tracking), package_ids=packages,
    )
