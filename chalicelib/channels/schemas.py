"""Channel connections, listings and the sync log (API.md "Channel connections")."""
from typing import Any, Literal

from pydantic import AwareDatetime, Field

from chalicelib.core.schemas import Out, Strict

ConnectableChannel = Literal["shopee", "lazada", "tiktok_shop", "website", "facebook"]
WebsitePlatform = Literal["shopify", "haravan", "sapo", "woocommerce", "generic"]


class TokensIn(Strict):
    access_token: str = Field(min_length=1, max_length=2000)
    refresh_token: str | None = Field(None, max_length=2000)
    expires_at: AwareDatetime | None = None
    shop_cipher: str | None = Field(None, max_length=200, description="TikTok Shop")


class ConnectionIn(Strict):
    channel: ConnectableChannel
    name: str = Field(min_length=1, max_length=120)
    shop_id: str = Field(min_length=1, max_length=64, description="the platform's shop / seller id (website: any label)")
    tokens: TokensIn | None = None
    platform: WebsitePlatform | None = Field(None, description="website only")
    location_ids: list[str] | None = Field(None, max_length=20, description="locations whose stock this channel sells")
    allocation_percent: int = Field(100, ge=0, le=100)
    buffer: int = Field(0, ge=0, le=100_000)
    push_stock: bool = True


class ConnectionPatch(Strict):
    name: str | None = Field(None, min_length=1, max_length=120)
    location_ids: list[str] | None = Field(None, max_length=20)
    allocation_percent: int | None = Field(None, ge=0, le=100)
    buffer: int | None = Field(None, ge=0, le=100_000)
    push_stock: bool | None = None
    status: Literal["active", "disabled"] | None = None
    tokens: TokensIn | None = Field(None, description="pasted tokens replace the stored ones")


class ConnectionOut(Out):
    id: str
    channel: str
    name: str
    shop_id: str
    platform: str | None
    status: str
    last_sync_at: str | None
    last_error: str | None
    last_error_at: str | None
    location_ids: list[str]
    allocation_percent: int
    buffer: int
    push_stock: bool
    token_expires_at: str | None
    has_tokens: bool
    webhook_url: str
    created_at: str


class ConnectionCreated(ConnectionOut):
    webhook_secret: str | None = Field(None, description="website only; shown once")


class ConnectionList(Out):
    items: list[ConnectionOut]
    next_cursor: str | None


class AuthorizeQuery(Strict):
    name: str | None = Field(None, max_length=120)
    location_ids: str | None = Field(None, max_length=400, description="comma-separated")
    respond: Literal["redirect", "json"] = Field("redirect", description="json: {url} for an app that opens it itself")


class SyncIn(Strict):
    since: AwareDatetime | None = None


class SyncOut(Out):
    orders_created: int
    orders_updated: int
    listings_seen: int
    errors: list[dict[str, Any]]


class LogQuery(Strict):
    limit: int = Field(50, ge=1, le=200)
    cursor: str | None = Field(None, max_length=2000)


class LogEntry(Out):
    at: str
    kind: str
    outcome: str
    detail: str | None
    counts: dict[str, Any] | None


class LogList(Out):
    items: list[LogEntry]
    next_cursor: str | None


class ListingQuery(Strict):
    connection_id: str | None = Field(None, max_length=64)
    linked: bool | None = None


class ListingOut(Out):
    id: str
    connection_id: str
    channel: str
    external_item_id: str
    external_model_id: str | None
    external_sku: str | None
    name: str
    sku: str | None
    status: str
    pushed_quantity: int | None
    pushed_at: str | None
    push_error: str | None
    push_attempts: int
    push_pending: bool


class ListingList(Out):
    items: list[ListingOut]
    next_cursor: str | None


class LinkIn(Strict):
    sku: str = Field(min_length=1, max_length=100)


class LinkOut(ListingOut):
    orders_relinked: int


class WebhookOut(Out):
    status: str
