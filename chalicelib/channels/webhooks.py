"""Signed pushes from the platforms. The signature is checked on the raw body before anything
else (a bad or missing one is a 401 and nothing is written); a good one is stored once per body
(the same delivery twice is one item) and answered at once. The work (fetching the order the
push announces, creating or moving ours) follows from the table's stream (`handlers`)."""
from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping

from chalicelib.channels import connections, ingest, rules
from chalicelib.channels.providers import adapter_for
from chalicelib.channels.providers.base import ChannelError
from chalicelib.channels.store import ConnectionItem, PutError, WebhookEventItem, conditional_failed
from chalicelib.core import clock, keys
from chalicelib.core.errors import InvalidInput, NotAuthenticated, NotFound, PayloadTooLarge

log = logging.getLogger("quay.channels")
BAD_SIGNATURE = "The webhook signature is missing or wrong."


def _digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:40]


def _check_size(raw: bytes) -> None:
    if len(raw) > rules.MAX_WEBHOOK_BYTES:
        raise PayloadTooLarge(f"The body is {len(raw)} bytes; the limit is {rules.MAX_WEBHOOK_BYTES}.")


def receive_marketplace(channel: str, headers: Mapping[str, str], raw: bytes) -> dict:
    """Verify with the deployment's app secret first; only then read the shop id inside."""
    if channel not in rules.MARKETPLACES:
        raise NotFound("There is no route here.")
    _check_size(raw)
    try:
        platform = adapter_for(channel, connections.deployment_settings(channel), None)
    except InvalidInput:  # this deployment has no app for the platform: nobody can sign for it
        raise NotAuthenticated(BAD_SIGNATURE) from None
    url = connections.webhook_url(channel, "")
    if not platform.verify_webhook(headers, raw, url):
        raise NotAuthenticated(BAD_SIGNATURE)
    try:
        event = platform.parse_webhook(raw)
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise InvalidInput("The webhook body is not readable.", errors=[{"field": "body", "message": str(error)}]) from error
    item = connections.by_platform_shop(channel, event.shop_id) if event.shop_id else None
    if item is None:  # signed by the platform for a shop no one here connected: acknowledge, keep nothing
        return {"status": "ignored"}
    return _store(item, raw)


def receive_website(connection_id: str, headers: Mapping[str, str], raw: bytes, tenant_hint: str | None = None) -> dict:
    """The connection id is in the path; the connection's own secret signs the body."""
    _check_size(raw)
    item = _website_connection(connection_id)
    if item is None:
        raise NotAuthenticated(BAD_SIGNATURE)  # the same answer as a bad signature: reveal nothing
    platform = adapter_for("website", connections.deployment_settings("website", item), None)
    if not platform.verify_webhook(headers, raw, ""):
        raise NotAuthenticated(BAD_SIGNATURE)
    return _store(item, raw)


def _website_connection(connection_id: str) -> ConnectionItem | None:
    """Website webhooks name only the connection; its pointer is in the global channel-shop index
    under the connection id (written when the connection is created)."""
    item = connections.by_platform_shop("website", connection_id)
    return item if item is not None and item.channel == "website" else None


def _store(item: ConnectionItem, raw: bytes) -> dict:
    if item.status == "disabled":
        return {"status": "ignored"}
    digest = _digest(raw)
    event = WebhookEventItem(*keys.channel_event(item.tenant_id, item.connection_id, digest), tenant_id=item.tenant_id,
                             connection_id=item.connection_id, channel=item.channel,
                             body=raw.decode("utf-8", "replace"), received_at=clock.now_iso(),
                             ttl=clock.now() + rules.EVENT_TTL)
    try:
        event.save(condition=WebhookEventItem.pk.does_not_exist())
    except PutError as error:
        if conditional_failed(error):
            return {"status": "duplicate"}
        raise
    return {"status": "stored"}


def process(tenant_id: str, connection_id: str, body: str) -> dict:
    """From the stream: what a stored push announces, applied. Safe twice (orders are one per
    channel order; moves are forward only)."""
    try:
        item = connections.load_item(tenant_id, connection_id)
    except NotFound:
        return {"status": "skipped"}
    platform = connections.adapter(item)
    try:
        event = platform.parse_webhook(body.encode())
    except (InvalidInput, ValueError, KeyError, TypeError, AttributeError) as error:
        connections.log(item, "webhook", "error", f"unreadable: {error}")
        return {"status": "unreadable"}
    if event.kind == "ping" or (not event.order_ids and event.order is None):
        connections.log(item, "webhook", "skipped", event.kind)
        return {"status": "skipped"}
    try:
        found = [event.order] if event.order is not None else connections.with_fresh_tokens(
            item, lambda adapter: adapter.get_orders(event.order_ids))
    except ChannelError as error:  # the next pull brings it (the window overlaps)
        connections.log(item, "webhook", "error", f"{', '.join(event.order_ids)}: {error.message}")
        raise
    outcomes = [(order.external_id, ingest.ingest(item, order)) for order in found]
    connections.log(item, "webhook", "ok", ", ".join(f"{x} {o}" for x, o in outcomes),
                    {"orders": [x for x, _ in outcomes], "kind": event.kind})
    return {"status": "processed", "orders": outcomes}

