"""Website channels: the shop's own web store posts signed order webhooks (there is nothing to
poll or push back, so those operations raise Unsupported).

Styles:
- Shopify, and Haravan / Sapo Web which copy Shopify's webhooks: `X-Shopify-Hmac-Sha256`
  (`X-Haravan-Hmac-Sha256`, `X-Sapo-Hmac-Sha256`) = base64 HMAC-SHA256 of the raw body with the
  webhook secret; order JSON with `line_items`, `shipping_address`, money as strings
  (`total_price`), `financial_status`, `cancelled_at`, `gateway`.
- WooCommerce: `X-WC-Webhook-Signature` = base64 HMAC-SHA256 of the raw body with the webhook
  secret; order JSON with `line_items`, `billing`/`shipping`, `total`, `payment_method` ("cod",
  "bacs"), `date_created_gmt`. On creation WooCommerce sends a form-encoded ping `webhook_id=N`.
- generic: `X-Quay-Signature: sha256=<hex HMAC-SHA256 of the raw body>` and the Quay order shape:

    {"id": "W1001", "status": "pending_payment|new|ready_to_ship|shipping|delivered|completed|canceled|returned",
     "created_at": "2025-07-01T10:00:00+07:00", "updated_at": "...",
     "customer": {"id"?, "name", "phone", "email"?},
     "lines": [{"item_id"?, "sku", "name", "quantity", "unit_price", "discount"?}],
     "shipping_address": {"name", "phone", "text", "province", "district"?, "ward"},
     "payment": {"method": "cod|bank_transfer|card|e_wallet", "status": "paid|unpaid"},
     "shipping_fee": 30000, "total": 180000, "note"?}

  Money is whole VND (numbers or numeric strings).

Sources read: Shopify docs "Verify webhooks" / Order resource; WooCommerce REST API docs (order
properties, webhook delivery headers); Haravan and Sapo developer docs (Shopify-compatible
webhooks with their own header prefix).
"""
from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalicelib.channels import canonical as c
from chalicelib.channels.providers.base import (
    ChannelAdapter,
    ListingPage,
    OrderPage,
    Tokens,
    Unsupported,
    WebhookEvent,
    header,
    hmac_sha256,
    same_signature,
)
from chalicelib.core.errors import InvalidInput

SHOPIFY_STYLE = ("shopify", "haravan", "sapo")
PLATFORMS = (*SHOPIFY_STYLE, "woocommerce", "generic")
SHOPIFY_HEADERS = ("X-Shopify-Hmac-Sha256", "X-Haravan-Hmac-Sha256", "X-Sapo-Hmac-Sha256")


@dataclass(frozen=True)
class WebsiteSettings:
    platform: str          # shopify, haravan, sapo, woocommerce, generic
    webhook_secret: str

    def __post_init__(self):
        if self.platform not in PLATFORMS:
            raise InvalidInput("Nền tảng website không được hỗ trợ.",
                               errors=[{"field": "platform", "message": f"one of {', '.join(PLATFORMS)}"}])


class WebsiteAdapter(ChannelAdapter):
    channel = "website"

    def __init__(self, settings: WebsiteSettings, credentials: Any = None, **_options):
        self.settings = settings

    def verify_webhook(self, headers: Mapping[str, str], raw_body: bytes, url: str = "") -> bool:
        digest = hmac_sha256(self.settings.webhook_secret, raw_body or b"")
        platform = self.settings.platform
        if platform in SHOPIFY_STYLE:
            given = next((header(headers, name) for name in SHOPIFY_HEADERS if header(headers, name)), None)
            return same_signature(base64.b64encode(digest).decode(), given)
        if platform == "woocommerce":
            return same_signature(base64.b64encode(digest).decode(), header(headers, "X-WC-Webhook-Signature"))
        given = header(headers, "X-Quay-Signature") or ""
        scheme, _, value = given.partition("=")
        return scheme.strip().lower() == "sha256" and same_signature(digest.hex(), value, ignore_case=True)

    def parse_webhook(self, raw_body: bytes) -> WebhookEvent:
        text = (raw_body or b"").decode("utf-8", "replace").strip()
        if self.settings.platform == "woocommerce" and text.startswith("webhook_id="):
            return WebhookEvent(shop_id=None, kind="ping", raw=text)
        try:
            body = json.loads(text or "null")
        except ValueError as error:
            raise InvalidInput("Nội dung webhook không phải JSON.", errors=[{"field": "body", "message": "not JSON"}]) from error
        if not isinstance(body, dict) or not body.get("id"):
            raise InvalidInput("Webhook không chứa đơn hàng.", errors=[{"field": "id", "message": "missing order id"}])
        try:
            order = self.to_canonical(body)
        except (KeyError, TypeError, ValueError) as error:
            raise InvalidInput("Đơn hàng từ website thiếu hoặc sai trường.",
                               errors=[{"field": str(error).strip("'"), "message": "missing or malformed"}]) from error
        return WebhookEvent(shop_id=None, kind="order", order_ids=[order.external_id], platform_status=order.platform_status,
                            order=order, raw=body)

    def to_canonical(self, body: dict) -> c.CanonicalOrder:
        if self.settings.platform in SHOPIFY_STYLE:
            return from_shopify(body)
        if self.settings.platform == "woocommerce":
            return from_woocommerce(body)
        return from_quay(body)

    # A website only pushes -------------------------------------------------------------------
    def pull_orders(self, since: datetime, until: datetime, cursor: str | None = None) -> OrderPage:
        raise Unsupported("Website gửi đơn qua webhook, không cần đồng bộ (websites push, nothing to pull).")

    def get_orders(self, ids: list[str]) -> list[c.CanonicalOrder]:
        raise Unsupported("Website gửi đơn qua webhook (websites push, nothing to fetch).")

    def list_listings(self, cursor: str | None = None) -> ListingPage:
        raise Unsupported("Website không có danh sách sản phẩm để liên kết (no listings).")

    def push_stock(self, listing, quantity: int) -> None:
        raise Unsupported("Không đẩy tồn kho lên website (no stock push for websites).")

    def push_status(self, external_id: str, *, tracking_number: str | None = None, carrier: str | None = None) -> None:
        raise Unsupported("Không đẩy trạng thái lên website (no status push for websites).")

    def refresh_tokens(self, refresh_token: str) -> Tokens:
        raise Unsupported("Website dùng khóa bí mật webhook, không có token (no OAuth).")

    def authorize_url(self, redirect: str, state: str = "") -> str:
        raise Unsupported("Website dùng khóa bí mật webhook, không có token (no OAuth).")

    def exchange_code(self, code: str, *, shop_id: str | None = None) -> Tokens:
        raise Unsupported("Website dùng khóa bí mật webhook, không có token (no OAuth).")


# --- mapping (pure) ------------------------------------------------------------------------

def _join(*parts: Any) -> str:
    return ", ".join(str(p).strip() for p in parts if p not in (None, "") and str(p).strip())


def _full_name(block: dict) -> str | None:
    return c.text_or_none(block.get("name")) or c.text_or_none(_join_space(block.get("first_name"), block.get("last_name")))


def _join_space(*parts: Any) -> str:
    return " ".join(str(p).strip() for p in parts if p not in (None, "") and str(p).strip())


def from_shopify(body: dict) -> c.CanonicalOrder:
    """Shopify order JSON (Haravan and Sapo send the same shape, adding district/ward)."""
    gateway = body.get("gateway") or ", ".join(body.get("payment_gateway_names") or [])
    method = c.payment_method(gateway)
    is_cod = method is c.PaymentMethod.cod
    financial = (body.get("financial_status") or "").lower()
    fulfillment = (body.get("fulfillment_status") or "").lower()
    if body.get("cancelled_at") or financial == "voided":
        status = c.ChannelStatus.canceled
    elif financial == "refunded":
        status = c.ChannelStatus.returned
    elif fulfillment == "fulfilled":
        status = c.ChannelStatus.shipping
    elif financial in ("pending", "authorized", "") and not is_cod:
        status = c.ChannelStatus.pending_payment
    else:
        status = c.ChannelStatus.new
    lines = [c.Line(
        external_item_id=str(item.get("variant_id") or item.get("product_id") or item.get("id")),
        external_sku=c.text_or_none(item.get("sku")),
        name=item.get("name") or item.get("title") or "",
        quantity=int(item.get("quantity") or 0),
        unit_price=c.to_vnd(item.get("price")),
        discount=c.to_vnd(item.get("total_discount")),
        external_model_id=c.text_or_none(item.get("variant_id")),
    ) for item in body.get("line_items") or []]
    shipping_block = body.get("shipping_address") or {}
    buyer = body.get("customer") or {}
    shipping_money = ((body.get("total_shipping_price_set") or {}).get("shop_money") or {}).get("amount")
    shipping = c.to_vnd(shipping_money) if shipping_money is not None else sum(
        c.to_vnd(line.get("price")) for line in body.get("shipping_lines") or [])
    paid = financial in ("paid", "partially_refunded", "refunded")
    return c.CanonicalOrder(
        channel="website", external_id=str(body["id"]), status=status,
        platform_status=_join(financial or None, fulfillment or None, "cancelled" if body.get("cancelled_at") else None),
        created_at=c.from_text(body["created_at"]), raw_updated_at=c.from_text(body.get("updated_at") or body["created_at"]),
        customer=c.customer(_full_name(buyer) or _full_name(shipping_block), buyer.get("phone") or body.get("phone")
                            or shipping_block.get("phone"), buyer.get("email") or body.get("email"), buyer.get("id")),
        lines=lines,
        shipping_address=_shopify_address(shipping_block) if shipping_block else None,
        payment=c.Payment(method, c.PaymentStatus.paid if paid else c.PaymentStatus.unpaid, gateway or None),
        totals=c.totals(lines, shipping=shipping, total=c.to_vnd(body.get("total_price"))),
        note=c.text_or_none(body.get("note")),
    )


def _shopify_address(block: dict) -> c.Address:
    text = _join(*(block.get(key) for key in ("address1", "address2", "ward", "district", "city", "province")))
    return c.address(_full_name(block), block.get("phone"), text, block.get("province"), block.get("district"), block.get("ward"))


WOO_STATUS = {
    "pending": c.ChannelStatus.pending_payment,
    "on-hold": c.ChannelStatus.pending_payment,
    "processing": c.ChannelStatus.new,
    "completed": c.ChannelStatus.completed,
    "cancelled": c.ChannelStatus.canceled,
    "failed": c.ChannelStatus.canceled,
    "refunded": c.ChannelStatus.returned,
}


def from_woocommerce(body: dict) -> c.CanonicalOrder:
    """WooCommerce order JSON. Line `subtotal` is before coupons and `total` after, both for the line."""
    platform_status = body.get("status") or ""
    method_id = body.get("payment_method") or ""
    is_cod = method_id == "cod"
    status = WOO_STATUS.get(platform_status, c.ChannelStatus.new)
    if is_cod and platform_status == "pending":
        status = c.ChannelStatus.new
    lines = []
    for item in body.get("line_items") or []:
        quantity = int(item.get("quantity") or 0)
        subtotal = c.to_vnd(item.get("subtotal"))
        total = c.to_vnd(item.get("total", item.get("subtotal")))
        lines.append(c.Line(
            external_item_id=str(item.get("variation_id") or item.get("product_id") or item.get("id")),
            external_sku=c.text_or_none(item.get("sku")), name=item.get("name") or "", quantity=quantity,
            unit_price=subtotal // quantity if quantity else subtotal, discount=max(0, subtotal - total),
            external_model_id=c.text_or_none(item.get("variation_id")) if item.get("variation_id") else None))
    billing = body.get("billing") or {}
    shipping_block = body.get("shipping") or {}
    recipient = shipping_block if shipping_block.get("address_1") else billing
    phone = shipping_block.get("phone") or billing.get("phone")
    created = body.get("date_created_gmt") or body.get("date_created")
    return c.CanonicalOrder(
        channel="website", external_id=str(body["id"]), status=status, platform_status=platform_status,
        created_at=c.from_text(created), raw_updated_at=c.from_text(body.get("date_modified_gmt") or created),
        customer=c.customer(_full_name(billing), billing.get("phone") or phone, billing.get("email"), body.get("customer_id")),
        lines=lines,
        shipping_address=c.address(_full_name(recipient), phone,
                                   _join(recipient.get("address_1"), recipient.get("address_2"), recipient.get("city"),
                                         recipient.get("state")),
                                   recipient.get("state") or recipient.get("city"), None, None) if recipient else None,
        payment=c.Payment(c.payment_method(f"{method_id} {body.get('payment_method_title') or ''}", cod=is_cod),
                          c.PaymentStatus.paid if body.get("date_paid_gmt") or body.get("date_paid") else c.PaymentStatus.unpaid,
                          body.get("payment_method_title") or method_id or None),
        totals=c.totals(lines, shipping=c.to_vnd(body.get("shipping_total")), total=c.to_vnd(body.get("total"))),
        note=c.text_or_none(body.get("customer_note")),
    )


def from_quay(body: dict) -> c.CanonicalOrder:
    """The generic Quay shape (module docstring); a field in the wrong shape is an InvalidInput."""
    try:
        status = c.ChannelStatus(body.get("status") or "new")
        payment = body.get("payment") or {}
        method = c.PaymentMethod(payment.get("method") or "cod")
        paid = c.PaymentStatus(payment.get("status") or "unpaid")
    except ValueError as error:
        raise InvalidInput("Trạng thái hoặc phương thức thanh toán không hợp lệ.",
                           errors=[{"field": "status", "message": str(error)}]) from error
    lines = [c.Line(
        external_item_id=str(item.get("item_id") or item.get("sku") or index),
        external_sku=c.text_or_none(item.get("sku")), name=item.get("name") or "",
        quantity=int(item.get("quantity") or 0), unit_price=c.to_vnd(item.get("unit_price")),
        discount=c.to_vnd(item.get("discount")),
    ) for index, item in enumerate(body.get("lines") or [])]
    if not lines:
        raise InvalidInput("Đơn hàng không có sản phẩm.", errors=[{"field": "lines", "message": "at least one line"}])
    buyer = body.get("customer") or {}
    ship = body.get("shipping_address") or {}
    return c.CanonicalOrder(
        channel="website", external_id=str(body["id"]), status=status, platform_status=status.value,
        created_at=c.from_text(body["created_at"]), raw_updated_at=c.from_text(body.get("updated_at") or body["created_at"]),
        customer=c.customer(buyer.get("name"), buyer.get("phone"), buyer.get("email"), buyer.get("id")),
        lines=lines,
        shipping_address=c.address(ship.get("name"), ship.get("phone"), ship.get("text"), ship.get("province"),
                                   ship.get("district"), ship.get("ward")) if ship else None,
        payment=c.Payment(method, paid, method.value),
        totals=c.totals(lines, shipping=c.to_vnd(body.get("shipping_fee")), total=c.to_vnd(body.get("total"))),
        note=c.text_or_none(body.get("note")),
    )
