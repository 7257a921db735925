"""Alert texts for shop owners, Vietnamese first, in Telegram's HTML parse mode.

Pure: each function takes plain data (the dicts the services already hold) and returns text; no
I/O, no clock (times come in as ISO 8601 UTC text or aware datetimes and are shown in the shop's
zone). The wording lives in jinja2 templates under templates/ (autoescaped: every name, SKU,
note or error that a user, buyer or platform wrote is HTML-escaped; only <b>, <i>, <code> and
<a href> are ours). `split_message` keeps each part within Telegram's 4096 characters counted
after entity parsing, cutting on line boundaries and never inside a tag or an entity.

Sources: Telegram Bot API docs (core.telegram.org/bots/api: sendMessage "1-4096 characters after
entities parsing"; Formatting options, HTML style: only the listed tags, every <, > and & outside
a tag or entity escaped, numeric entities allowed)."""
from __future__ import annotations

import html as _html
import re
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from chalicelib.core.documents import local_time as _local_time
from chalicelib.core.documents import vnd

DEFAULT_ZONE = "Asia/Ho_Chi_Minh"
TELEGRAM_TEXT_LIMIT = 4096
LIST_LIMIT = 30            # at most this many lines of items (low stock, products) per message
VALUE_LIMIT = 200          # a before/after value is cut after this many characters
TEMPLATES = Path(__file__).resolve().parent / "templates"

CHANNEL_NAMES = {
    "pos": "Tại quầy", "website": "Website", "facebook": "Facebook", "zalo": "Zalo", "tiktok": "TikTok",
    "instagram": "Instagram", "livestream": "Livestream", "telesales": "Telesales",
    "collaborator": "Cộng tác viên", "phone": "Điện thoại", "shopee": "Shopee", "lazada": "Lazada",
    "tiktok_shop": "TikTok Shop", "other": "Khác",
}
PAYMENT_METHODS = {
    "cash": "Tiền mặt", "cod": "COD", "bank_transfer": "Chuyển khoản", "e_wallet": "Ví điện tử", "card": "Thẻ",
}
# Why a warning holds an order, and what to do, in plain words (codes of orders.rules.Warning_).
WARNING_REASONS = {
    "out_of_stock": ("Không đủ hàng trong kho để giữ cho đơn này.",
                     "Nhập thêm hàng, chuyển kho hoặc xác nhận từ kho khác."),
    "product_not_linked": ("Sản phẩm trên kênh bán chưa được liên kết với mã SKU của shop.",
                           "Liên kết dòng hàng với một SKU."),
    "incomplete_recipient": ("Thiếu số điện thoại hoặc địa chỉ người nhận.",
                             "Bổ sung số điện thoại và địa chỉ người nhận."),
    "cancel_requested": ("Người mua yêu cầu hủy đơn.", "Hủy đơn hoặc liên hệ người mua."),
    "hold_expired": ("Hết thời gian giữ hàng cho đơn chưa thanh toán; hàng đã trả lại kho.",
                     "Xác nhận lại khi khách đã thanh toán."),
}
ENTITY_NAMES = {
    "alert_settings": "Cài đặt cảnh báo", "settings": "Cài đặt", "shop": "Cửa hàng", "staff": "Nhân viên",
    "role": "Vai trò", "permission": "Quyền", "location": "Kho / cửa hàng", "channel_connection": "Kết nối kênh bán",
    "invoice_settings": "Cài đặt hóa đơn điện tử", "carrier_account": "Tài khoản vận chuyển", "product": "Sản phẩm",
}
_SECRET_FIELD = re.compile(r"token|secret|password|passwd|pin|credential|private|api_key", re.IGNORECASE)
MASK = "••••"


# --- formatting helpers (also the templates' filters) -------------------------------------
def money(amount: int | None) -> str:
    """Integer VND as shown to Vietnamese users: 1250000 -> '1.250.000 ₫' (negative keeps its sign)."""
    return vnd(amount)


def _iso(moment: str | datetime) -> str:
    if isinstance(moment, datetime):
        if moment.tzinfo is None:
            raise ValueError("times must be aware (UTC)")
        return moment.isoformat()
    return moment


def local_time(moment: str | datetime | None, zone: str = DEFAULT_ZONE) -> str:
    """A stored UTC time shown in the shop's zone: '23/11/2026 14:05'."""
    return _local_time(_iso(moment), zone) if moment else ""


def local_date(day: str | date) -> str:
    """'2026-11-23' -> '23/11/2026' (a local calendar day, no zone conversion)."""
    value = day if isinstance(day, date) else date.fromisoformat(str(day)[:10])
    return value.strftime("%d/%m/%Y")


def channel_name(code: str | None) -> str:
    return CHANNEL_NAMES.get(code or "", code or "")


def order_ref(order: dict) -> str:
    """What a person recognises: the channel's order number if there is one, else our id's tail."""
    return str(order.get("external_id") or order.get("code") or str(order.get("id", ""))[-8:].upper())


def _safe_url(url: str | None) -> str | None:
    return url if url and re.match(r"https?://", url) else None


def _plain_value(field: str, value: Any) -> str:
    if _SECRET_FIELD.search(field):
        return MASK if value not in (None, "", [], {}) else "(trống)"
    if value is None or value == "" or value == [] or value == {}:
        return "(trống)"
    if isinstance(value, bool):
        return "bật" if value else "tắt"
    if isinstance(value, list | tuple):
        text = ", ".join(_plain_value(field, x) for x in value)
    elif isinstance(value, dict):
        text = "; ".join(f"{k}: {_plain_value(k, v)}" for k, v in value.items())
    else:
        text = str(value)
    return text if len(text) <= VALUE_LIMIT else text[: VALUE_LIMIT - 1] + "…"


def changes(before: dict | None, after: dict | None) -> list[dict]:
    """Field by field what an audit entry changed: [{field, before, after}] as plain text, secrets
    masked (a changed secret shows as '••••' -> '••••', never its value)."""
    before, after = before or {}, after or {}
    rows = []
    for field in list(dict.fromkeys([*before, *after])):
        old, new = before.get(field), after.get(field)
        if old == new:
            continue
        rows.append({"field": field, "before": _plain_value(field, old), "after": _plain_value(field, new)})
    return rows


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, FileSystemLoader

    environment = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, trim_blocks=True,
                              lstrip_blocks=True, keep_trailing_newline=True)
    environment.filters.update(money=money, local_time=local_time, local_date=local_date, channel=channel_name,
                               safe_url=_safe_url)
    return environment


def _render(template: str, **context: Any) -> str:
    text = _environment().get_template(template).render(**context)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _order_context(order: dict, zone: str, order_url: str | None) -> dict:
    customer = order.get("customer") or {}
    return {"ref": order_ref(order), "channel": order.get("channel"), "customer_name": customer.get("name"),
            "customer_phone": customer.get("phone"), "total": order.get("total") or 0,
            "payment": PAYMENT_METHODS.get((order.get("payment") or {}).get("method", ""), ""),
            "lines": order.get("lines") or [], "url": _safe_url(order_url), "zone": zone}


# --- the alerts ------------------------------------------------------------------------------
def new_order(order: dict, *, zone: str = DEFAULT_ZONE, order_url: str | None = None) -> str:
    """An order arrived. Reads order: id/external_id, channel, customer{name, phone}, lines[{sku, name?,
    quantity, total?}], total, payment{method}, created_at."""
    return _render("new_order.html", **_order_context(order, zone, order_url), at=order.get("created_at"))


def problem_order(order: dict, warning: dict, *, zone: str = DEFAULT_ZONE, order_url: str | None = None) -> str:
    """A warning holds the order. warning: {code, detail?}; the reason and the fix are in plain words."""
    reason, fix = WARNING_REASONS.get(warning.get("code", ""), (warning.get("detail") or warning.get("code"), None))
    detail = warning.get("detail") if warning.get("code") in WARNING_REASONS else None
    return _render("problem_order.html", **_order_context(order, zone, order_url), reason=reason, fix=fix,
                   detail=detail)


def overdue_order(order: dict, *, confirmed_at: str | datetime, now: datetime, overdue_hours: int,
                  zone: str = DEFAULT_ZONE, order_url: str | None = None) -> str:
    """Confirmed `overdue_hours` (the shop's setting) or more ago and still not packed."""
    confirmed = datetime.fromisoformat(_iso(confirmed_at).replace("Z", "+00:00"))
    waited = max(0, int((now - confirmed).total_seconds() // 3600))
    return _render("overdue_order.html", **_order_context(order, zone, order_url), confirmed_at=confirmed_at,
                   waited_hours=waited, overdue_hours=overdue_hours)


def low_stock(items: list[dict], *, limit: int = LIST_LIMIT) -> str:
    """Items at or under their threshold: [{sku, name, location_name, available, threshold}]."""
    return _render("low_stock.html", items=items[:limit], more=max(0, len(items) - limit), count=len(items))


def channel_error(connection_name: str, error: str, *, channel: str | None = None, at: str | datetime | None = None,
                  zone: str = DEFAULT_ZONE, url: str | None = None) -> str:
    """A channel connection failed (sync, token, push): its name and the platform's error."""
    return _render("channel_error.html", name=connection_name, channel=channel,
                   error=error if len(error) <= 4 * VALUE_LIMIT else error[: 4 * VALUE_LIMIT - 1] + "…",
                   at=at, zone=zone, url=_safe_url(url))


def setting_changed(entry: dict, *, zone: str = DEFAULT_ZONE) -> str:
    """A settings / role / permission change from an audit entry: {staff_name, action, entity_type,
    entity_id, before: dict|None, after: dict|None, at}."""
    before, after = entry.get("before"), entry.get("after")
    kind = "created" if before is None and after is not None else "deleted" if after is None else "changed"
    entity_type = entry.get("entity_type") or ""
    return _render("setting_changed.html", staff_name=entry.get("staff_name") or "(không rõ)",
                   action=entry.get("action") or "", entity=ENTITY_NAMES.get(entity_type, entity_type),
                   entity_id=entry.get("entity_id"), kind=kind, rows=changes(before, after)[:LIST_LIMIT],
                   at=entry.get("at"), zone=zone)


def daily_summary(summary: dict, *, limit: int = 10) -> str:
    """The evening summary: {date (local day), orders, revenue, canceled, by_channel: [{channel, orders,
    revenue}], top_products: [{sku, name, quantity, revenue?}], low_stock_count}."""
    return _render("daily_summary.html", day=summary["date"], orders=summary.get("orders", 0),
                   revenue=summary.get("revenue", 0), canceled=summary.get("canceled", 0),
                   by_channel=(summary.get("by_channel") or [])[:limit],
                   top_products=(summary.get("top_products") or [])[:limit],
                   low_stock_count=summary.get("low_stock_count", 0))


# --- Telegram's limits ------------------------------------------------------------------------
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*>")
_TOKEN = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*>|&(?:#[0-9]+|#x[0-9a-fA-F]+|[a-zA-Z]+);|[^<&]+|[<&]")


def _units16(text: str) -> int:
    """Telegram counts text in UTF-16 code units (an emoji outside the BMP counts as two)."""
    return len(text.encode("utf-16-le")) // 2


def plain_text(html_text: str) -> str:
    """The text a reader sees: tags removed, entities decoded."""
    return _html.unescape(re.sub(r"<[^>]*>", "", html_text))


def visible_length(html_text: str) -> int:
    return _units16(plain_text(html_text))


def _atoms(html_text: str, limit: int) -> list[tuple[str, int]]:
    """The text cut into pieces that may end a part: whole lines, or for a line longer than a part,
    its words, or for a word longer than a part, its characters. A tag or an entity is never cut.
    Each atom is (markup, visible length)."""
    tokens: list[str] = []
    for match in _TOKEN.finditer(html_text):
        piece = match.group(0)
        if piece[0] in "<&" and len(piece) > 1:
            tokens.append(piece)
        else:
            tokens.extend(re.split(r"(?<=\n)", piece) if "\n" in piece else [piece])
    lines: list[list[str]] = [[]]
    for token in tokens:
        if token:
            lines[-1].append(token)
            if token.endswith("\n"):
                lines.append([])
    atoms: list[tuple[str, int]] = []
    for line in lines:
        markup = "".join(line)
        if visible_length(markup) <= limit:
            atoms.append((markup, visible_length(markup)))
            continue
        for token in line:
            if token[0] in "<&" and len(token) > 1:
                atoms.append((token, visible_length(token)))
                continue
            for word in re.split(r"(?<= )", token):
                if _units16(word) <= limit:
                    atoms.append((word, _units16(word)))
                else:
                    atoms.extend((ch, _units16(ch)) for ch in word)
    return [atom for atom in atoms if atom[0]]


def split_message(html_text: str, limit: int = TELEGRAM_TEXT_LIMIT) -> list[str]:
    """Parts of at most `limit` visible characters, cut on line boundaries where possible. A tag open
    across a cut is closed at the end of one part and opened again at the start of the next."""
    if visible_length(html_text) <= limit:
        return [html_text]
    parts: list[str] = []
    open_tags: list[tuple[str, str]] = []      # (name, the opening tag as written)
    start_tags: list[tuple[str, str]] = []
    current: list[str] = []
    size = 0

    def flush() -> None:
        body = "".join(current).strip("\n")
        if plain_text(body).strip():
            closing = "".join(f"</{name}>" for name, _ in reversed(open_tags))
            parts.append("".join(tag for _, tag in start_tags) + body + closing)

    for markup, length in _atoms(html_text, limit):
        if size + length > limit and current:
            flush()
            start_tags, current, size = list(open_tags), [], 0
        current.append(markup)
        size += length
        for tag in _TAG.finditer(markup):
            if tag.group(1) and open_tags and open_tags[-1][0] == tag.group(2):
                open_tags.pop()
            elif not tag.group(1):
                open_tags.append((tag.group(2), tag.group(0)))
    flush()
    return parts


def push_payload(html_text: str, *, url: str | None = None, tag: str | None = None, body_limit: int = 300) -> dict:
    """The same alert for a browser notification (Web Push): plain title (the first line) and body."""
    lines = [line.strip() for line in plain_text(html_text).splitlines() if line.strip()]
    title = lines[0] if lines else "Quay"
    body = "\n".join(lines[1:])
    payload = {"title": title, "body": body if len(body) <= body_limit else body[: body_limit - 1] + "…"}
    if _safe_url(url):
        payload["url"] = url
    if tag:
        payload["tag"] = tag
    return payload
