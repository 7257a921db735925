"""Lazada Open Platform adapter (Vietnam: api.lazada.vn/rest; tokens at auth.lazada.com/rest).

Signing ("Signature algorithm"): sort every parameter but `sign` by name, concatenate name+value,
put the API path in front, HMAC-SHA256 with the app secret, upper-case hex. System parameters:
app_key, timestamp (ms), sign_method=sha256, access_token. Replies are {"code": "0", "data",
"request_id"}; failures carry a text code ("IllegalAccessToken": refresh the token).
Order items come one per unit (merged here). Stock goes as an XML `payload`.
Push ("Lazada Push Mechanism"): `Authorization` = hex HMAC-SHA256(app secret, app_key + raw body);
body {"seller_id", "message_type": 0 (trade order), "data": {"trade_order_id", "order_status", ...}}.

Sources read: Lazada Open Platform docs "Signature algorithm" and "Assemble HTTP request" (the
/order/get worked example, used as a test vector), "Lazada Push Mechanism" and "Webhook API Trade
Order Notifications"; phamkhanhminhman97/shopee-tiktok-lazada-api (src/module/lazada/common/helper.ts,
constant.ts, api/*.ts); rahmatrdn/lazadago (order item fields).
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode
from xml.sax.saxutils import escape

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

DEFAULT_BASE = "https://api.lazada.vn/rest"
AUTH_BASE = "https://auth.lazada.com/rest"
AUTHORIZE_PAGE = "https://auth.lazada.com/oauth/authorize"
TOKEN_ERRORS = frozenset({"IllegalAccessToken", "MissingAccessToken", "AccessTokenExpired"})
RATE_LIMIT_ERRORS = frozenset({"ApiCallLimit", "AppCallLimit", "SellerCallLimit"})
FEE_FIELDS = ("voucher", "voucher_platform", "voucher_seller", "shipping_fee_discount_platform", "shipping_fee_discount_seller")

# Item statuses in flow order: an order stands where its least advanced live item stands.
STATUS_FLOW: list[tuple[str, c.ChannelStatus]] = [
    ("unpaid", c.ChannelStatus.pending_payment),
    ("pending", c.ChannelStatus.new),
    ("topack", c.ChannelStatus.new),
    ("repacked", c.ChannelStatus.new),
    ("packed", c.ChannelStatus.ready_to_ship),
    ("toship", c.ChannelStatus.ready_to_ship),
    ("ready_to_ship", c.ChannelStatus.ready_to_ship),
    ("ready_to_ship_pending", c.ChannelStatus.ready_to_ship),
    ("shipped", c.ChannelStatus.shipping),
    ("failed", c.ChannelStatus.returning),
    ("failed_delivery", c.ChannelStatus.returning),
    ("lost_by_3pl", c.ChannelStatus.returning),
    ("damaged_by_3pl", c.ChannelStatus.returning),
    ("shipped_back", c.ChannelStatus.returning),
    ("delivered", c.ChannelStatus.delivered),
    ("confirmed", c.ChannelStatus.completed),
    ("returned", c.ChannelStatus.returned),
    ("shipped_back_success", c.ChannelStatus.returned),
    ("canceled", c.ChannelStatus.canceled),
]
_RANK = {name: rank for rank, (name, _) in enumerate(STATUS_FLOW)}
_MAPPED = dict(STATUS_FLOW)


@dataclass(frozen=True)
class LazadaSettings:
    app_key: str
    app_secret: str
    api_base: str = DEFAULT_BASE
    auth_base: str = AUTH_BASE
    authorize_page: str = AUTHORIZE_PAGE


def sign(app_secret: str, api_path: str, params: Mapping[str, Any]) -> str:
    text = api_path + "".join(f"{key}{params[key]}" for key in sorted(params) if key != "sign" and params[key] is not None)
    return hmac_sha256(app_secret, text).hex().upper()


def push_signature(app_key: str, app_secret: str, raw_body: bytes) -> str:
    return hmac_sha256(app_secret, app_key.encode() + raw_body).hex()


class LazadaAdapter(HttpAdapter):
    channel = "lazada"

    def __init__(self, settings: LazadaSettings, credentials: Credentials | None = None, **options):
        super().__init__(**options)
        self.settings = settings
        self.credentials = credentials

    # Transport --------------------------------------------------------------------------------
    def _call(self, path: str, params: dict[str, Any], *, method: str = "GET", base: str | None = None,
              with_token: bool = True) -> dict:
        def build() -> Outgoing:
            signed = {"app_key": self.settings.app_key, "timestamp": int(self.now().timestamp() * 1000),
                      "sign_method": "sha256", **{k: v for k, v in params.items() if v is not None}}
            if with_token:
                signed["access_token"] = self._creds().access_token
            signed = {k: str(v) for k, v in signed.items()}
            signed["sign"] = sign(self.settings.app_secret, path, signed)
            url = (base or self.settings.api_base) + path
            if method == "GET":
                return Outgoing("GET", url, signed)
            return Outgoing("POST", url, None, urlencode(signed).encode(),
                            {"Content-Type": "application/x-www-form-urlencoded;charset=utf-8"})
        return self.send(build)

    def is_rate_limited(self, status: int, payload: Any) -> bool:
        return status == 429 or (isinstance(payload, dict) and str(payload.get("code")) in RATE_LIMIT_ERRORS)

    def raise_for_error(self, status: int, payload: Any) -> None:
        if not isinstance(payload, dict):
            if status >= 400:
                raise ChannelError(f"Lazada HTTP {status}", status=status)
            return
        code = str(payload.get("code", "0"))
        if code == "0" and status < 400:
            return
        message = payload.get("message") or code
        details = {"code": code, "request_id": payload.get("request_id"), "status": status}
        if code in TOKEN_ERRORS:
            raise TokenExpired(message, **details)
        raise ChannelError(message, **details)

    def _creds(self) -> Credentials:
        if self.credentials is None:
            raise ChannelError("Chưa kết nối cửa hàng Lazada (no shop credentials).")
        return self.credentials

    # Orders -----------------------------------------------------------------------------------
    def pull_orders(self, since: datetime, until: datetime, cursor: str | None = None) -> OrderPage:
        offset = int(cursor or 0)
        data = self._call("/orders/get", {
            "update_after": _iso(since), "update_before": _iso(until), "sort_by": "updated_at",
            "sort_direction": "ASC", "offset": offset, "limit": self.page_size}).get("data") or {}
        raw_orders = data.get("orders") or []
        total = int(data.get("countTotal") or data.get("count") or 0)
        next_offset = offset + len(raw_orders)
        more = bool(raw_orders) and next_offset < total
        return OrderPage(self._with_items(raw_orders), str(next_offset) if more else None, until)

    def get_orders(self, ids: list[str]) -> list[c.CanonicalOrder]:
        raw_orders = [self._call("/order/get", {"order_id": order_id}).get("data") or {} for order_id in ids]
        return self._with_items([raw for raw in raw_orders if raw])

    def _with_items(self, raw_orders: list[dict]) -> list[c.CanonicalOrder]:
        items_by_order: dict[str, list[dict]] = {}
        for batch in chunks([str(raw["order_id"]) for raw in raw_orders], 50):
            data = self._call("/orders/items/get", {"order_ids": "[" + ",".join(batch) + "]"}).get("data") or []
            for entry in data:
                items_by_order[str(entry.get("order_id"))] = entry.get("order_items") or []
        return [to_canonical(raw, items_by_order.get(str(raw["order_id"]), [])) for raw in raw_orders]

    # Listings and stock -----------------------------------------------------------------------
    def list_listings(self, cursor: str | None = None) -> ListingPage:
        offset = int(cursor or 0)
        data = self._call("/products/get", {"filter": "all", "offset": offset, "limit": self.page_size}).get("data") or {}
        products = data.get("products") or []
        listings = []
        for product in products:
            name = (product.get("attributes") or {}).get("name") or ""
            for sku in product.get("skus") or []:
                platform_status = str(sku.get("Status") or product.get("status") or "")
                status = platform_status.lower() if platform_status.lower() in ("active", "inactive", "deleted") else "inactive"
                listings.append(Listing(str(product["item_id"]), str(sku.get("SkuId")), c.text_or_none(sku.get("SellerSku")),
                                        name, status, platform_status))
        total = int(data.get("total_products") or 0)
        next_offset = offset + len(products)
        return ListingPage(listings, str(next_offset) if products and next_offset < total else None)

    def push_stock(self, listing: Listing, quantity: int) -> None:
        sku = (f"<Sku><ItemId>{escape(listing.external_item_id)}</ItemId><SkuId>{escape(listing.external_model_id or '')}</SkuId>"
               f"<SellerSku>{escape(listing.external_sku or '')}</SellerSku><Quantity>{max(0, int(quantity))}</Quantity></Sku>")
        payload = f'<?xml version="1.0" encoding="UTF-8" ?><Request><Product><Skus>{sku}</Skus></Product></Request>'
        self._call("/product/price_quantity/update", {"payload": payload}, method="POST")

    # Shipment ---------------------------------------------------------------------------------
    def push_status(self, external_id: str, *, tracking_number: str | None = None, carrier: str | None = None) -> None:
        """SetStatusToReadyToShip (/order/rts) for every live item of the order; the shop's own
        shipment (dropship) carries its provider and tracking number."""
        items = self._call("/order/items/get", {"order_id": external_id}).get("data") or []
        item_ids = [str(item["order_item_id"]) for item in items if str(item.get("status", "")).lower() != "canceled"]
        if not item_ids:
            raise ChannelError("Đơn Lazada không còn sản phẩm để giao (no live items).", code="no_items")
        self._call("/order/rts", {"delivery_type": "dropship", "order_item_ids": "[" + ",".join(item_ids) + "]",
                                  "shipment_provider": carrier, "tracking_number": tracking_number}, method="POST")

    # Push -------------------------------------------------------------------------------------
    def verify_webhook(self, headers: Mapping[str, str], raw_body: bytes, url: str) -> bool:
        expected = push_signature(self.settings.app_key, self.settings.app_secret, raw_body)
        return same_signature(expected, header(headers, "Authorization"), ignore_case=True)

    def parse_webhook(self, raw_body: bytes) -> WebhookEvent:
        body = json.loads(raw_body or b"{}")
        data = body.get("data") or {}
        message_type = body.get("message_type")
        order_id = data.get("trade_order_id")
        kind = {0: "order_status", 10: "return"}.get(message_type, "other")
        return WebhookEvent(shop_id=c.text_or_none(body.get("seller_id")), kind=kind,
                            order_ids=[str(order_id)] if order_id else [],
                            platform_status=data.get("order_status") or data.get("reverse_status"), raw=body)

    # Authorization ----------------------------------------------------------------------------
    def authorize_url(self, redirect: str, state: str = "") -> str:
        query = {"response_type": "code", "force_auth": "true", "redirect_uri": redirect, "client_id": self.settings.app_key}
        if state:
            query["state"] = state
        return f"{self.settings.authorize_page}?{urlencode(query)}"

    def exchange_code(self, code: str, *, shop_id: str | None = None) -> Tokens:
        return self._tokens(self._call("/auth/token/create", {"code": code}, base=self.settings.auth_base, with_token=False))

    def refresh_tokens(self, refresh_token: str) -> Tokens:
        return self._tokens(self._call("/auth/token/refresh", {"refresh_token": refresh_token},
                                       base=self.settings.auth_base, with_token=False))

    def _tokens(self, reply: dict) -> Tokens:
        users = reply.get("country_user_info") or []
        seller = next((u for u in users if str(u.get("country", "")).lower() == "vn"), users[0] if users else {})
        return Tokens(access_token=reply["access_token"], refresh_token=reply.get("refresh_token"),
                      expires_at=self.expires(reply.get("expires_in")),
                      refresh_expires_at=self.expires(reply.get("refresh_expires_in")),
                      shop_id=c.text_or_none(seller.get("seller_id")), shop_name=reply.get("account"))


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


# --- mapping (pure) ------------------------------------------------------------------------


def order_status(item_statuses: list[str]) -> tuple[c.ChannelStatus, str]:
    """(our status, the platform's) from the item statuses: canceled only when every item is."""
    statuses = [s.lower() for s in item_statuses if s] or ["pending"]
    live = [s for s in statuses if s != "canceled"] or statuses
    least = min(live, key=lambda s: _RANK.get(s, _RANK["pending"]))
    return _MAPPED.get(least, c.ChannelStatus.new), least


def to_canonical(raw: dict, items: list[dict]) -> c.CanonicalOrder:
    """A /orders/get entry plus its /orders/items/get items (one per unit)."""
    statuses = [str(item.get("status") or "") for item in items] or [str(s) for s in raw.get("statuses") or []]
    status, platform_status = order_status(statuses)
    live_items = [item for item in items if str(item.get("status", "")).lower() != "canceled"] or items
    lines = c.merge_units([c.Line(
        external_item_id=str(item.get("product_id") or item.get("item_id") or ""),
        external_sku=c.text_or_none(item.get("sku")),
        name=(item.get("name") or "") + (f" - {item['variation']}" if item.get("variation") else ""),
        quantity=1,
        unit_price=c.to_vnd(item.get("item_price")),
        discount=max(0, c.to_vnd(item.get("item_price")) - c.to_vnd(item.get("paid_price", item.get("item_price")))),
        external_model_id=c.text_or_none(item.get("sku_id")),
    ) for item in live_items])
    shipping = raw.get("address_shipping") or {}
    name = " ".join(part for part in (shipping.get("first_name"), shipping.get("last_name")) if part) or None
    buyer_name = " ".join(p for p in (raw.get("customer_first_name"), raw.get("customer_last_name")) if p) or name
    text = ", ".join(part for part in (shipping.get(k) for k in ("address1", "address5", "address4", "address3")) if part)
    method_text = raw.get("payment_method") or ""
    is_cod = method_text.upper() == "COD"
    done = status in (c.ChannelStatus.delivered, c.ChannelStatus.completed)
    paid = done if is_cod else status not in (c.ChannelStatus.pending_payment,)
    buyer_id = next((item.get("buyer_id") for item in items if item.get("buyer_id")), None)
    fees = {name: c.to_vnd(raw[name]) for name in FEE_FIELDS if raw.get(name) not in (None, "")}
    shipping_fee = c.to_vnd(raw.get("shipping_fee"))
    items_price = c.to_vnd(raw.get("price"))  # the items' price; the buyer also pays shipping, less vouchers
    tracking = next((item.get("tracking_code") for item in items if item.get("tracking_code")), None)
    packages = sorted({str(item["package_id"]) for item in items if item.get("package_id")})
    return c.CanonicalOrder(
        channel="lazada", external_id=str(raw["order_id"]), status=status, platform_status=platform_status,
        created_at=c.from_text(raw["created_at"]), raw_updated_at=c.from_text(raw.get("updated_at") or raw["created_at"]),
        customer=c.customer(buyer_name, shipping.get("phone"), None, buyer_id),
        lines=lines,
        shipping_address=c.address(name, shipping.get("phone"), text or shipping.get("address1"),
                                   shipping.get("address3") or shipping.get("city"),
                                   shipping.get("address4") if shipping.get("address5") else None,
                                   shipping.get("address5") or shipping.get("address4")) if shipping else None,
        payment=c.Payment(c.payment_method(method_text, cod=is_cod), c.PaymentStatus.paid if paid else c.PaymentStatus.unpaid,
                          method_text or None),
        totals=c.totals(lines, shipping=shipping_fee, total=items_price + shipping_fee - c.to_vnd(raw.get("voucher"))),
        fees=fees, note=c.text_or_none(raw.get("remarks")) or c.text_or_none(raw.get("gift_message")),
        tracking_number=tracking, package_ids=packages,
    )
