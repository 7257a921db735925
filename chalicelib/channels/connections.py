"""Channel connections: a shop's authorized link to one platform shop (or its own website).
Creating, reading, changing, the OAuth round trip, the adapter with the shop's credentials,
token refresh, health (status, last error) and the sync log."""
from __future__ import annotations

import json
import os
import secrets
from datetime import datetime

from chalicelib.channels import rules
from chalicelib.channels.providers import adapter_for, settings_from_env
from chalicelib.channels.providers.base import ChannelError, Credentials, TokenExpired, Tokens
from chalicelib.channels.store import (
    ChannelShopItem,
    ConnectionItem,
    SyncLogItem,
)
from chalicelib.core import clock, ids, keys, paging
from chalicelib.core.errors import Conflict, InvalidInput, NotAuthenticated, NotFound, NotPermitted
from chalicelib.core.principal import Principal
from chalicelib.core.settings import settings
from chalicelib.core.uow import UnitOfWork
from chalicelib.stock import locations

# Options for every adapter this module builds (tests and the bench shorten waits here).
ADAPTER_OPTIONS: dict = {}


def webhook_url(channel: str, connection_id: str) -> str:
    path = f"/api/v1/webhooks/website/{connection_id}" if channel == "website" else f"/api/v1/webhooks/{channel}"
    return settings.public_base_url + path


def callback_url(channel: str) -> str:
    return f"{settings.public_base_url}/api/v1/oauth/{channel}/callback"


def _iso(moment: datetime | None) -> str | None:
    return clock.iso(moment) if moment else None


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def view(item: ConnectionItem) -> dict:
    """What a GET shows: never a token or a secret."""
    return {"id": item.connection_id, "channel": item.channel, "name": item.name, "shop_id": item.shop_id,
            "platform": item.platform, "status": item.status, "last_sync_at": item.last_sync_at,
            "last_error": item.last_error, "last_error_at": item.last_error_at,
            "location_ids": list(item.location_ids or []), "allocation_percent": int(item.allocation_percent),
            "buffer": int(item.buffer), "push_stock": bool(item.push_stock),
            "token_expires_at": item.expires_at, "has_tokens": bool(item.access_token),
            "webhook_url": webhook_url(item.channel, item.connection_id), "created_at": item.created_at}


def _check_locations(actor: Principal, location_ids: list[str]) -> None:
    for n, location_id in enumerate(location_ids):
        try:
            locations.get(actor.tenant_id, location_id)
        except NotFound:
            raise InvalidInput("Unknown location.", errors=[{"field": f"location_ids.{n}", "message": "unknown"}]) from None


def _require_scope(actor: Principal, location_ids: list[str]) -> None:
    """A connection serves its locations (none named: every location, as the channel's routing
    decides); staff limited to some locations reach only connections within theirs."""
    if not location_ids and not actor.everywhere:
        raise NotPermitted("You are not assigned to this location.", code="location_not_assigned")
    actor.require_locations(location_ids)


def visible(actor: Principal, item: ConnectionItem) -> bool:
    return actor.everywhere or bool(item.location_ids and all(actor.may_use_location(x) for x in item.location_ids))


def load_item(tenant_id: str, connection_id: str) -> ConnectionItem:
    try:
        return ConnectionItem.get(*keys.channel_connection(tenant_id, connection_id), consistent_read=True)
    except ConnectionItem.DoesNotExist:
        raise NotFound("No such channel connection.") from None


def load(actor: Principal, connection_id: str) -> ConnectionItem:
    item = load_item(actor.tenant_id, connection_id)
    _require_scope(actor, list(item.location_ids or []))
    return item


def _due_fields(tenant_id: str, connection_id: str, due: datetime) -> dict:
    return {"gsi2pk": keys.channel_sync_due(rules.shard_of(tenant_id, connection_id)),
            "gsi2sk": keys.due_sk(clock.iso(due), tenant_id, connection_id)}


def create(actor: Principal, data: dict) -> dict:
    channel = data["channel"]
    if channel not in rules.CONNECTABLE:
        raise InvalidInput("This channel cannot be connected yet.",
                           errors=[{"field": "channel", "message": f"one of {', '.join(rules.CONNECTABLE)}"}])
    if channel == "website" and not data.get("platform"):
        raise InvalidInput("A website connection needs its platform.",
                           errors=[{"field": "platform", "message": "shopify, haravan, sapo, woocommerce or generic"}])
    location_ids = data.get("location_ids") or []
    _check_locations(actor, location_ids)
    _require_scope(actor, location_ids)
    now = clock.now_iso()
    connection_id = ids.new_id()
    tokens = data.get("tokens") or {}
    secret = ("whsec_" + secrets.token_urlsafe(24)) if channel == "website" else None
    item = ConnectionItem(
        *keys.channel_connection(actor.tenant_id, connection_id), gsi1pk=keys.channel_connections(actor.tenant_id),
        gsi1sk=connection_id, tenant_id=actor.tenant_id, connection_id=connection_id, channel=channel,
        name=data["name"], shop_id=str(data["shop_id"]), platform=data.get("platform"),
        status="active" if (tokens.get("access_token") or channel == "website") else "expired",
        access_token=tokens.get("access_token"), refresh_token=tokens.get("refresh_token"),
        expires_at=_iso(tokens.get("expires_at")), shop_cipher=tokens.get("shop_cipher"), webhook_secret=secret,
        location_ids=location_ids, allocation_percent=data.get("allocation_percent", 100), buffer=data.get("buffer", 0),
        push_stock=data.get("push_stock", True), created_at=now, updated_at=now,
        **(_due_fields(actor.tenant_id, connection_id, clock.now()) if channel != "website" else {}))
    uow = UnitOfWork(actor)
    uow.put(item, condition=ConnectionItem.pk.does_not_exist())
    # A marketplace push names only the platform's shop id; a website's only the connection id.
    pointer = item.shop_id if channel != "website" else connection_id
    uow.put(ChannelShopItem(*keys.channel_shop(channel, pointer), tenant_id=actor.tenant_id, connection_id=connection_id),
            condition=ChannelShopItem.pk.does_not_exist(),
            on_fail=lambda: Conflict("This platform shop is already connected.", code="channel_shop_taken",
                                     errors=[{"field": "shop_id", "message": "already connected"}]))
    uow.audit("channel.connected", "channel_connection", connection_id,
              after={"channel": channel, "name": item.name, "shop_id": item.shop_id, "location_ids": location_ids})
    answer = {**view(item), "version": 1}
    if secret:
        answer["webhook_secret"] = secret  # shown once, never again
    uow.commit(answer)
    return answer


def list_connections(actor: Principal) -> dict:
    found = [load_item(actor.tenant_id, i.connection_id)
             for i in ConnectionItem.by_shop.query(keys.channel_connections(actor.tenant_id))]
    items = sorted((view(i) for i in found if visible(actor, i)), key=lambda c: c["created_at"])
    return {"items": items, "next_cursor": None}


def all_of_shop(tenant_id: str) -> list[ConnectionItem]:
    return [load_item(tenant_id, i.connection_id) for i in ConnectionItem.by_shop.query(keys.channel_connections(tenant_id))]


def get(actor: Principal, connection_id: str) -> dict:
    return view(load(actor, connection_id))


EDITABLE = ("name", "location_ids", "allocation_percent", "buffer", "push_stock", "status")


def update(actor: Principal, connection_id: str, changes: dict) -> dict:
    item = load(actor, connection_id)
    before = view(item)
    if changes.get("location_ids") is not None:
        _check_locations(actor, changes["location_ids"])
        _require_scope(actor, changes["location_ids"])
    if changes.get("status") not in (None, "active", "disabled"):
        raise InvalidInput("A connection can only be enabled or disabled by hand.",
                           errors=[{"field": "status", "message": "active or disabled"}])
    actions = [ConnectionItem.updated_at.set(clock.now_iso())]
    for name in EDITABLE:
        if changes.get(name) is not None:
            setattr(item, name, changes[name])
            actions.append(getattr(ConnectionItem, name).set(changes[name]))
    if changes.get("status") == "active":
        item.last_error = None
        actions.append(ConnectionItem.last_error.remove())
    if changes.get("tokens"):
        tokens = changes["tokens"]
        fresh = Tokens(tokens["access_token"], tokens.get("refresh_token"), tokens.get("expires_at"),
                       shop_cipher=tokens.get("shop_cipher"))
        _set_tokens(item, fresh)
        actions += token_actions(fresh)
        if item.status == "expired":
            item.status = "active"
            actions.append(ConnectionItem.status.set("active"))
    uow = UnitOfWork(actor)
    uow.update(ConnectionItem(item.pk, item.sk), actions, condition=ConnectionItem.pk.exists())
    after = view(item)
    uow.audit("channel.updated", "channel_connection", connection_id,
              before={k: before[k] for k in EDITABLE if k in before},
              after={**{k: after[k] for k in EDITABLE if k in after}, "tokens": "replaced" if changes.get("tokens") else None})
    uow.commit(after, 200)
    return after


# --- adapters, credentials, tokens --------------------------------------------------------------

def deployment_settings(channel: str, item: ConnectionItem | None = None):
    """The platform's deployment settings (API.md); a website's come from its connection."""
    if channel == "website":
        return settings_from_env("website", {}, platform=item.platform if item else "generic",
                                 webhook_secret=item.webhook_secret if item else "")
    return settings_from_env(channel, os.environ)


def adapter(item: ConnectionItem):
    credentials = Credentials(item.shop_id, item.access_token or "", item.shop_cipher)
    return adapter_for(item.channel, deployment_settings(item.channel, item), credentials, **ADAPTER_OPTIONS)


def _set_tokens(item: ConnectionItem, tokens: Tokens) -> None:
    item.access_token = tokens.access_token
    item.refresh_token = tokens.refresh_token or item.refresh_token
    item.expires_at = _iso(tokens.expires_at) if isinstance(tokens.expires_at, datetime) else tokens.expires_at
    item.refresh_expires_at = _iso(tokens.refresh_expires_at) or item.refresh_expires_at
    item.shop_cipher = tokens.shop_cipher or item.shop_cipher


def token_actions(tokens: Tokens) -> list:
    expires = _iso(tokens.expires_at) if isinstance(tokens.expires_at, datetime) else tokens.expires_at
    actions = [ConnectionItem.access_token.set(tokens.access_token),
               ConnectionItem.expires_at.set(expires) if expires else ConnectionItem.expires_at.remove()]
    if tokens.refresh_token:
        actions.append(ConnectionItem.refresh_token.set(tokens.refresh_token))
    if tokens.refresh_expires_at:
        actions.append(ConnectionItem.refresh_expires_at.set(_iso(tokens.refresh_expires_at)))
    if tokens.shop_cipher:
        actions.append(ConnectionItem.shop_cipher.set(tokens.shop_cipher))
    return actions


def refresh(item: ConnectionItem) -> ConnectionItem:
    """New tokens from the refresh token, saved before they are used (a lost answer would
    otherwise leave us with a spent refresh token). A refused refresh marks the connection expired."""
    if not item.refresh_token:
        mark(item, "expired", "The access token expired and there is no refresh token: connect again.")
        raise TokenExpired("No refresh token.")
    try:
        tokens = adapter(item).refresh_tokens(item.refresh_token)
    except ChannelError as error:
        mark(item, "expired", f"Token refresh refused: {error.message}")
        log(item, "token", "error", error.message)
        raise TokenExpired(error.message, code=error.code) from error
    actions = token_actions(tokens) + [ConnectionItem.updated_at.set(clock.now_iso())]
    if item.status in ("expired", "error"):
        actions += [ConnectionItem.status.set("active"), ConnectionItem.last_error.remove()]
    item.update(actions=actions)
    log(item, "token", "ok", f"refreshed; expires {item.expires_at}")
    return item


def with_fresh_tokens(item: ConnectionItem, call):
    """Run `call(adapter)`; refresh the tokens first when they are about to expire, and once more
    if the platform says they expired."""
    if item.channel != "website" and rules.token_due(_time(item.expires_at), clock.now()):
        item = refresh(item)
    try:
        return call(adapter(item))
    except TokenExpired:
        if item.channel == "website":
            raise
        item = refresh(item)
        return call(adapter(item))


def mark(item: ConnectionItem, status: str, error: str | None) -> None:
    """The connection's health, as alerts read it from the stream (status, last_error, last_error_at)."""
    actions = [ConnectionItem.status.set(status), ConnectionItem.updated_at.set(clock.now_iso())]
    if error:
        actions += [ConnectionItem.last_error.set(error[:500]), ConnectionItem.last_error_at.set(clock.now_iso())]
    else:
        actions.append(ConnectionItem.last_error.remove())
    item.update(actions=actions)


def synced(item: ConnectionItem, pulled_until: datetime | None, error: str | None) -> None:
    now = clock.now()
    actions = [ConnectionItem.last_sync_at.set(clock.iso(now)), ConnectionItem.updated_at.set(clock.iso(now)),
               ConnectionItem.gsi2pk.set(keys.channel_sync_due(rules.shard_of(item.tenant_id, item.connection_id))),
               ConnectionItem.gsi2sk.set(keys.due_sk(clock.iso(now + rules.PULL_EVERY), item.tenant_id,
                                                     item.connection_id))]
    if pulled_until is not None:
        actions.append(ConnectionItem.pulled_until.set(clock.iso(pulled_until)))
    if error:
        actions += [ConnectionItem.status.set("error"), ConnectionItem.last_error.set(error[:500]),
                    ConnectionItem.last_error_at.set(clock.iso(now))]
    elif item.status == "error":
        actions += [ConnectionItem.status.set("active"), ConnectionItem.last_error.remove()]
    item.update(actions=actions)


# --- sync log -------------------------------------------------------------------------------------

def log(item: ConnectionItem, kind: str, outcome: str, detail: str | None = None, counts: dict | None = None) -> None:
    at = clock.now_iso()
    SyncLogItem(keys.channel_log(item.tenant_id, item.connection_id), f"{at}#{ids.new_id()}", kind=kind,
                outcome=outcome, detail=(detail or "")[:1000] or None,
                counts=json.dumps(counts, ensure_ascii=False) if counts else None, at=at,
                ttl=clock.now() + rules.LOG_TTL).save()


def read_log(actor: Principal, connection_id: str, limit: int, cursor: str | None) -> dict:
    item = load(actor, connection_id)
    start = paging.decode(cursor, keys.cursor_scope(actor.tenant_id))
    found = SyncLogItem.query(keys.channel_log(item.tenant_id, connection_id), scan_index_forward=False, limit=limit,
                              last_evaluated_key=start)
    entries = [{"at": e.at, "kind": e.kind, "outcome": e.outcome, "detail": e.detail,
                "counts": json.loads(e.counts) if e.counts else None} for e in found]
    return {"items": entries, "next_cursor": paging.encode(found.last_evaluated_key)}


# --- OAuth ------------------------------------------------------------------------------------------

def authorize_url(actor: Principal, channel: str, name: str | None, location_ids: list[str]) -> str:
    if channel not in rules.MARKETPLACES:
        raise InvalidInput("Only marketplaces are authorized on their own site.",
                           errors=[{"field": "channel", "message": f"one of {', '.join(rules.MARKETPLACES)}"}])
    _check_locations(actor, location_ids)
    _require_scope(actor, location_ids)
    state = rules.sign_state(settings.token_secret, {
        "t": actor.tenant_id, "s": actor.staff_id, "c": channel, "n": name or channel, "l": location_ids,
        "exp": int((clock.now() + rules.STATE_TTL).timestamp()), "x": secrets.token_hex(4)})
    redirect = callback_url(channel)
    if channel == "shopee":  # Shopee returns to the redirect as given: the state rides in it
        from urllib.parse import quote

        redirect = f"{redirect}?state={quote(state)}"
    return adapter_for(channel, deployment_settings(channel), None, **ADAPTER_OPTIONS).authorize_url(redirect, state)


def oauth_callback(channel: str, query: dict) -> dict:
    """The platform came back with a code: exchange it, then create (or renew) the connection."""
    payload = rules.read_state(settings.token_secret, query.get("state") or "", clock.now())
    if payload is None or payload.get("c") != channel:
        raise NotAuthenticated("The authorization link is invalid or expired; start again.")
    code = query.get("code") or query.get("auth_code")
    if not code:
        raise InvalidInput("The platform sent no authorization code.", errors=[{"field": "code", "message": "missing"}])
    platform = adapter_for(channel, deployment_settings(channel), None, **ADAPTER_OPTIONS)
    try:
        tokens = platform.exchange_code(code, shop_id=query.get("shop_id"))
    except ChannelError as error:
        raise InvalidInput(f"The platform refused the authorization: {error.message}",
                           errors=[{"field": "code", "message": error.code or "refused"}]) from error
    shop_id = tokens.shop_id or query.get("shop_id")
    actor = Principal.system(payload["t"])
    try:
        pointer = ChannelShopItem.get(*keys.channel_shop(channel, str(shop_id)))
    except ChannelShopItem.DoesNotExist:
        pointer = None
    if pointer is not None and pointer.tenant_id == actor.tenant_id:
        connection_id = pointer.connection_id
        outcome = "authorized again"
    else:
        connection_id = create(actor, {"channel": channel, "name": payload.get("n") or channel, "shop_id": shop_id,
                                       "location_ids": payload.get("l") or []})["id"]
        outcome = "authorized"
    item = load_item(actor.tenant_id, connection_id)
    item.update(actions=token_actions(tokens) + [ConnectionItem.status.set("active"), ConnectionItem.last_error.remove(),
                                                 ConnectionItem.updated_at.set(clock.now_iso())])
    log(item, "token", "ok", outcome)
    return view(item)


def by_platform_shop(channel: str, shop_id: str) -> ConnectionItem | None:
    try:
        pointer = ChannelShopItem.get(*keys.channel_shop(channel, shop_id))
    except ChannelShopItem.DoesNotExist:
        return None
    try:
        return load_item(pointer.tenant_id, pointer.connection_id)
    except NotFound:
        return None

