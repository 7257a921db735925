"""Shopee Open Platform v2 adapter.

Signing: sign = hex HMAC-SHA256(partner_key, partner_id + path + timestamp [+ access_token + shop_id]),
sent as query parameters partner_id, timestamp, sign (and access_token, shop_id for shop APIs).
Replies are {"error", "message", "request_id", "response"}; a non-empty `error` is a failure
("invalid_access_token" and Shopee's own spelling "invalid_acceess_token" mean: refresh the token).
Push: `Authorization` = hex HMAC-SHA256(partner_key, callback URL + "|" + raw body); the push says
`ordersn` where the API says `order_sn`.

Sources read: Shopee Open Platform developer guide (authorization and authentication, push
mechanism) as quoted in public SDKs: phamkhanhminhman97/shopee-tiktok-lazada-api
(src/module/shopee/common/helper.ts, api/order.api.ts, api/product.api.ts, api/logistic.api.ts,
api/authorization.api.ts), minchao/shopee-php (examples/webhook/webhook.php),
lindejin/eshop-plat-api (ShopeeOrderDetailReqDTO: order_sn_list limit [1,50], optional fields).
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

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

DEFAULT_BASE = "https://partner.shopeemobile.com"
MAX_WINDOW = timedelta(days=15)  # get_order_list refuses wider time ranges
DETAIL_FIELDS = ",".join([
    "buyer_user_id", "buyer_username", "recipient_address", "item_list", "pay_time", "payment_method",
    "total_amount", "estimated_shipping_fee", "actual_shipping_fee", "note", "package_list",
    "shipping_carrier", "cancel_by", "cancel_reason", "buyer_cancel_reason",
])
TOKEN_ERRORS = frozenset({"invalid_access_token", "invalid_acceess_token", "error_invalid_access_token"})
RATE_LIMIT_ERRORS = frozenset({"error_rate_limit", "error_too_many_request"})

STATUS = {
    "UNPAID": c.ChannelStatus.pending_payment,
    "PENDING": c.ChannelStatus.pending_payment,
    "INVOICE_PENDING": c.ChannelStatus.pending_payment,
    "READY_TO_SHIP": c.ChannelStatus.new,
    "PROCESSED": c.ChannelStatus.ready_to_ship,
    "RETRY_SHIP": c.ChannelStatus.ready_to_ship,
    "SHIPPED": c.ChannelStatus.shipping,
    "TO_CONFIRM_RECEIVE": c.ChannelStatus.delivered,
    "COMPLETED": c.ChannelStatus.completed,
    "IN_CANCEL": c.ChannelStatus.cancel_requested,
    "CANCELLED": c.ChannelStatus.canceled,
    "TO_RETURN": c.ChannelStatus.returning,
}


@dataclass(frozen=True)
class ShopeeSettings:
    partner_id: str
    partner_key: str
    api_base: str = DEFAULT_BASE


def sign(partner_key: str, partner_id: str, path: str, timestamp: int, access_token: str = "", shop_id: str = "") -> str:
    return hmac_sha256(partner_key, f"{partner_id}{path}{timestamp}{access_token}{shop_id}").hex()


def push_signature(partner_key: str, url: str, raw_body: bytes) -> str:
    return hmac_sha256(partner_key, url.encode() + b"|" + raw_body).hex()


class ShopeeAdapter(HttpAdapter):
    channel = "shopee"

    def __init__(self, settings: ShopeeSettings, credentials: Credentials | None = None, **options):
        super().__init__(**options)
        self.settings = settings
        self.credentials = credentials

    # Transport --------------------------------------------------------------------------------
    def _shop_call(self, method: str, path: str, *, query: dict | None = None, body: dict | None = None) -> dict:
        creds = self._creds()

        def build() -> Outgoing:
            ts = self.timestamp()
            signature = sign(self.settings.partner_key, self.settings.partner_id, path, ts, creds.access_token, creds.shop_id)
            params = {"partner_id": self.settings.partner_id, "timestamp": ts, "access_token": creds.access_token,
                      "shop_id": creds.shop_id, "sign": signature}
            params.update(query or {})
            return _outgoing(method, self.settings.api_base + path, params, body)
        return self.send(build).get("response") or {}

    def _public_call(self, path: str, body: dict) -> dict:
        def build() -> Outgoing:
            ts = self.timestamp()
            params = {"partner_id": self.settings.partner_id, "timestamp": ts,
                      "sign": sign(self.settings.partner_key, self.settings.partner_id, path, ts)}
            return _outgoing("POST", self.settings.api_base + path, params, body)
        return self.send(build)

    def is_rate_limited(self, status: int, payload: Any) -> bool:
        return status == 429 or (isinstance(payload, dict) and payload.get("error") in RATE_LIMIT_ERRORS)

    def raise_for_error(self, status: int, payload: Any) -> None:
        if not isinstance(payload, dict):
            if status >= 400:
                raise ChannelError(f"Shopee HTTP {status}", status=status)
            return
        error = payload.get("error") or ""
        if not error and status < 400:
            return
        message = payload.get("message") or error or f"HTTP {status}"
        details = {"code": error or None, "request_id": payload.get("request_id"), "status": status}
        if error in TOKEN_ERRORS or (error == "error_auth" and "access_token" in message.lower()):
            raise TokenExpired(message, **details)
        raise ChannelError(message, **details)

    def _creds(self) -> Credentials:
        if self.credentials is None:
            raise ChannelError("Chưa kết nối cửa hàng Shopee (no shop credentials).")
        return self.credentials

    # Orders -----------------------------------------------------------------------------------
    def pull_orders(self, since: datetime, until: datetime, cursor: str | None = None) -> OrderPage:
        until = min(until, since + MAX_WINDOW)
        response = self._shop_call("GET", "/api/v2/order/get_order_list", query={
            "time_range_field": "update_time", "time_from": int(since.timestamp()), "time_to": int(until.timestamp()),
            "page_size": self.page_size, "cursor": cursor or "", "response_optional_fields": "order_status"})
        order_sns = [entry["order_sn"] for entry in response.get("order_list") or []]
        more = bool(response.get("more"))
        return OrderPage(self.get_orders(order_sns), (response.get("next_cursor") or None) if more else None, until)

    def get_orders(self, ids: list[str]) -> list[c.CanonicalOrder]:
        orders: list[c.CanonicalOrder] = []
        for batch in chunks(list(ids), 50):
            response = self._shop_call("GET", "/api/v2/order/get_order_detail", query={
                "order_sn_list": ",".join(batch), "response_optional_fields": DETAIL_FIELDS,
                "request_order_status_pending": "true"})
            orders.extend(to_canonical(raw) for raw in response.get("order_list") or [])
        return orders

    # Listings and stock -----------------------------------------------------------------------
    def list_listings(self, cursor: str | None = None) -> ListingPage:
        page = self._shop_call("GET", "/api/v2/product/get_item_list", query={
            "offset": int(cursor or 0), "page_size": self.page_size, "item_status": ["NORMAL", "UNLIST"]})
        item_ids = [str(entry["item_id"]) for entry in page.get("item") or []]
        listings: list[Listing] = []
        if item_ids:
            base = self._shop_call("GET", "/api/v2/product/get_item_base_info", query={"item_id_list": ",".join(item_ids)})
            for item in base.get("item_list") or []:
                listings.extend(self._item_listings(item))
        next_cursor = str(page.get("next_offset")) if page.get("has_next_page") else None
        return ListingPage(listings, next_cursor)

    def _item_listings(self, item: dict) -> list[Listing]:
        item_id = str(item["item_id"])
        platform_status = item.get("item_status") or ""
        status = "active" if platform_status == "NORMAL" else "deleted" if platform_status == "DELETED" else "inactive"
        name = item.get("item_name") or ""
        if not item.get("has_model"):
            return [Listing(item_id, None, c.text_or_none(item.get("item_sku")), name, status, platform_status)]
        models = self._shop_call("GET", "/api/v2/product/get_model_list", query={"item_id": item_id})
        tiers = models.get("tier_variation") or []
        return [Listing(item_id, str(model["model_id"]), c.text_or_none(model.get("model_sku")),
                        _model_name(name, tiers, model), status, platform_status)
                for model in models.get("model") or []]

    def push_stock(self, listing: Listing, quantity: int) -> None:
        stock = {"model_id": int(listing.external_model_id or 0), "seller_stock": [{"stock": max(0, int(quantity))}]}
        response = self._shop_call("POST", "/api/v2/product/update_stock",
                                   body={"item_id": int(listing.external_item_id), "stock_list": [stock]})
        failures = response.get("failure_list") or []
        if failures:
            raise ChannelError(failures[0].get("failed_reason") or "update_stock failed", code="update_stock_failed")

    # Shipment ---------------------------------------------------------------------------------
    def push_status(self, external_id: str, *, tracking_number: str | None = None, carrier: str | None = None) -> None:
        """Arrange shipment. With a tracking number the shop ships itself (non_integrated);
        otherwise follow get_shipping_parameter: pickup at the first address/slot, or drop-off."""
        body: dict[str, Any] = {"order_sn": external_id}
        if tracking_number:
            body["non_integrated"] = {"tracking_number": tracking_number}
        else:
            params = self._shop_call("GET", "/api/v2/logistics/get_shipping_parameter", query={"order_sn": external_id})
            needed = params.get("info_needed") or {}
            if "pickup" in needed:
                address = next(iter((params.get("pickup") or {}).get("address_list") or []), None)
                if address is None:
                    raise ChannelError("Shopee chưa có địa chỉ lấy hàng (no pickup address).", code="no_pickup_address")
                slot = next(iter(address.get("time_slot_list") or []), {})
                body["pickup"] = {"address_id": address["address_id"], "pickup_time_id": slot.get("pickup_time_id")}
            else:
                body["dropoff"] = {}
        self._shop_call("POST", "/api/v2/logistics/ship_order", body=body)

    # Push -------------------------------------------------------------------------------------
    def verify_webhook(self, headers: Mapping[str, str], raw_body: bytes, url: str) -> bool:
        return same_signature(push_signature(self.settings.partner_key, url, raw_body), header(headers, "Authorization"),
                              ignore_case=True)

    def parse_webhook(self, raw_body: bytes) -> WebhookEvent:
        body = json.loads(raw_body or b"{}")
        data = body.get("data") or {}
        code = body.get("code")
        order_sn = data.get("ordersn") or data.get("order_sn")
        kind = {3: "order_status", 4: "tracking"}.get(code, "other")
        return WebhookEvent(shop_id=str(body["shop_id"]) if body.get("shop_id") is not None else None, kind=kind,
                            order_ids=[order_sn] if order_sn else [], platform_status=data.get("status"), raw=body)

    # Authorization ----------------------------------------------------------------------------
    def authorize_url(self, redirect: str, state: str = "") -> str:
        from urllib.parse import urlencode

        path = "/api/v2/shop/auth_partner"
        ts = self.timestamp()
        query = {"partner_id": self.settings.partner_id, "timestamp": ts,
                 "sign": sign(self.settings.partner_key, self.settings.partner_id, path, ts), "redirect": redirect}
        return f"{self.settings.api_base}{path}?{urlencode(query)}"

    def exchange_code(self, code: str, *, shop_id: str | None = None) -> Tokens:
        shop = shop_id or (self.credentials.shop_id if self.credentials else None)
        if not shop:
            raise ChannelError("Shopee cần shop_id khi đổi mã ủy quyền (shop_id required).")
        reply = self._public_call("/api/v2/auth/token/get",
                                  {"code": code, "shop_id": int(shop), "partner_id": int(self.settings.partner_id)})
        return self._tokens(reply, shop)

    def refresh_tokens(self, refresh_token: str) -> Tokens:
        shop = self._creds().shop_id
        body = {"refresh_token": refresh_token, "shop_id": int(shop), "partner_id": int(self.settings.partner_id)}
        reply = self._public_call("/api/v2/auth/access_token/get", body)
        return self._tokens(reply, shop)

    def _tokens(self, reply: dict, shop_id: str) -> Tokens:
        return Tokens(access_token=reply["access_token"], refresh_token=reply.get("refresh_token"),
                      expires_at=self.expires(reply.get("expire_in")),
                      refresh_expires_at=self.now() + timedelta(days=30), shop_id=str(reply.get("shop_id") or shop_id))


def _outgoing(method: str, url: str, params: dict, body: dict | None) -> Outgoing:
    if body is None:
        return Outgoing(method, url, params)
    return Outgoing(method, url, params, json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode(),
                    {"Content-Type": "application/json"})


def _model_name(item_name: str, tiers: list, model: dict) -> str:
    options = []
    for level, index in enumerate(model.get("tier_index") or []):
        try:
            options.append(tiers[level]["option_list"][index]["option"])
        except (IndexError, KeyError, TypeError):
            continue
    return f"{item_name} - {', '.join(options)}" if options else (model.get("model_name") or item_name)


# --- mapping (pure) ------------------------------------------------------------------------

FEE_FIELDS = ("estimated_shipping_fee", "actual_shipping_fee")


def _line(item: dict) -> c.Line:
    """An item_list entry: prices per unit, `model_quantity_purchased` units."""
    quantity = int(item.get("model_quantity_purchased") or 0)
    original = c.to_vnd(item.get("model_original_price"))
    discounted = c.to_vnd(item.get("model_discounted_price", item.get("model_original_price")))
    return c.Line(
        external_item_id=str(item.get("item_id")),
        external_sku=c.text_or_none(item.get("model_sku")) or c.text_or_none(item.get("item_sku")),
        name=(item.get("item_name") or "") + (f" - {item['model_name']}" if item.get("model_name") else ""),
        quantity=quantity, unit_price=original, discount=max(0, original - discounted) * quantity,
        external_model_id=str(item["model_id"]) if item.get("model_id") else None)


def to_canonical(raw: dict) -> c.CanonicalOrder:
    """One get_order_detail `order_list` entry (or a push that carries the whole order)."""
    platform_status = raw.get("order_status") or ""
    status = STATUS.get(platform_status, c.ChannelStatus.new)
    lines = [_line(item) for item in raw.get("item_list") or []]
    recipient = raw.get("recipient_address") or {}
    is_cod = bool(raw.get("cod")) or "cash on delivery" in (raw.get("payment_method") or "").lower()
    method = c.payment_method(raw.get("payment_method"), cod=is_cod)
    if is_cod:
        paid = status in (c.ChannelStatus.delivered, c.ChannelStatus.completed)
    else:
        paid = bool(raw.get("pay_time")) or status not in (c.ChannelStatus.pending_payment, c.ChannelStatus.canceled)
    packages = raw.get("package_list") or []
    fees = {name: c.to_vnd(raw[name]) for name in FEE_FIELDS if raw.get(name) not in (None, "")}
    return c.CanonicalOrder(
        channel="shopee", external_id=raw["order_sn"], status=status, platform_status=platform_status,
        created_at=c.from_epoch(raw["create_time"]), raw_updated_at=c.from_epoch(raw.get("update_time") or raw["create_time"]),
        customer=c.customer(recipient.get("name"), recipient.get("phone"), None, raw.get("buyer_user_id")),
        lines=lines,
        shipping_address=c.address(recipient.get("name"), recipient.get("phone"), recipient.get("full_address"),
                                   recipient.get("state") or recipient.get("city"),
                                   recipient.get("city") if recipient.get("state") else None,
                                   recipient.get("district") or recipient.get("town")) if recipient else None,
        payment=c.Payment(method, c.PaymentStatus.paid if paid else c.PaymentStatus.unpaid, raw.get("payment_method")),
        totals=c.totals(lines, shipping=0, total=c.to_vnd(raw.get("total_amount"))),
        fees=fees, note=c.text_or_none(raw.get("message_to_seller")) or c.text_or_none(raw.get("note")),
        tracking_number=None, package_ids=[str(p["package_number"]) for p in packages if p.get("package_number")],
    )
