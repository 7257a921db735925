"""Live selling: sessions, comments, the live view and the end-of-live summary."""
from typing import Any, Literal

from pydantic import Field

from chalicelib.core.schemas import Out, Strict, code_field
from chalicelib.live.rules import MAX_HOLD_MINUTES, MAX_ITEMS

SessionChannel = Literal["livestream", "facebook", "tiktok", "instagram", "zalo"]


class LiveItemIn(Strict):
    code: code_field(16, description="short code said on the live, e.g. A1")
    sku: code_field()


class LiveSessionIn(Strict):
    title: str = Field(min_length=1, max_length=200)
    channel: SessionChannel
    location_id: code_field()
    items: list[LiveItemIn] = Field(min_length=1, max_length=MAX_ITEMS)
    hold_minutes: int | None = Field(None, ge=1, le=MAX_HOLD_MINUTES)
    facebook_live_video_id: str | None = Field(None, max_length=64, pattern=r"^[0-9_]+$")
    facebook_page_token: str | None = Field(None, max_length=1024, description="stored, never returned")
    message_template: str | None = Field(None, max_length=4000)


class LiveSessionPatch(Strict):
    title: str | None = Field(None, min_length=1, max_length=200)
    items: list[LiveItemIn] | None = Field(None, min_length=1, max_length=MAX_ITEMS)
    hold_minutes: int | None = Field(None, ge=1, le=MAX_HOLD_MINUTES)
    facebook_live_video_id: str | None = Field(None, max_length=64, pattern=r"^[0-9_]+$")
    facebook_page_token: str | None = Field(None, max_length=1024)
    message_template: str | None = Field(None, max_length=4000, description="empty = the default template")


class CommentIn(Strict):
    author_name: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1, max_length=2000)
    author_id: str | None = Field(None, max_length=128)
    comment_id: str | None = Field(None, min_length=1, max_length=200)
    at: str | None = Field(None, max_length=40)


class ResolveLineIn(Strict):
    sku: code_field()
    quantity: int = Field(ge=1, le=999)


class ResolveIn(Strict):
    lines: list[ResolveLineIn] | None = Field(None, max_length=MAX_ITEMS)
    dismiss: bool = False


class LiveViewQuery(Strict):
    since: str | None = Field(None, max_length=40, pattern=r"^\d{4}-\d\d-\d\dT[0-9:.]+Z$",
                              description="the previous answer's `now`: only comments captured after it")


class ListQuery(Strict):
    limit: int = Field(50, ge=1, le=200)


class CaptureOut(Out):
    comment_id: str
    result: Literal["captured", "updated", "ignored", "needs_review", "sold_out"]
    order_id: str | None = None
    lines: list[dict[str, Any]] | None = None
    reason: str | None = None
    phone: str | None = None
    hold_expires_at: str | None = None


class LiveItemOut(Out):
    code: str
    sku: str
    name: str | None = None
    variant: str | None = None
    unit_price: int | None = None
    available: int | None = None
    held: int | None = None
    sold: int | None = None


class LiveOrderOut(Out):
    id: str
    buyer: str
    status: str
    total: int
    hold_expires_at: str | None = None
    lines: list[dict[str, Any]]
    message: str | None = None


class LiveSessionOut(Out):
    id: str
    title: str
    channel: str
    location_id: str
    status: Literal["open", "ended"]
    hold_minutes: int
    items: list[LiveItemOut]
    message_template: str
    facebook_live_video_id: str | None = None
    facebook_connected: bool
    facebook_error: str | None = None
    created_at: str
    ended_at: str | None = None
    orders: list[LiveOrderOut] | None = None
    revenue: int | None = None
    comments: list[dict[str, Any]] | None = None
    now: str | None = None


class LiveSessionSummary(Out):
    id: str
    title: str
    status: str
    ended_at: str | None = None
    orders: int
    revenue: int
    units_held: int
    units_sold: int
    buyers: list[LiveOrderOut]


class LiveSessionListItem(Out):
    id: str
    title: str
    channel: str
    status: str
    location_id: str
    created_at: str


class LiveSessionList(Out):
    items: list[LiveSessionListItem]
