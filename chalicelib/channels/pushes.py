"""Stock and status pushes to the platforms.

Stock: every change of a SKU's availability bumps `dirty_seq` on each linked listing; the first
bump since the last push also requests a push (one queue message, delayed COALESCE_SECONDS, and a
safety-net due time in the push index). The worker holds a lease on the listing, reads the stock
*after* noting `dirty_seq`, pushes, and records `pushed_seq`; if more changes arrived meanwhile it
goes round again. One pusher per listing at a time and a fresh read after the last change, so a
burst becomes a few pushes and the last value pushed is the current one, never an older one.
A failed push stays requested with a backoff due time; the job retries it until it succeeds or
is plainly impossible (a deleted listing), warning on the listing and the connection.

Status: our order reaching ready-to-ship (or handed over) asks the platform to arrange shipment
once (a claim item per order), retried with backoff, then warned."""
from __future__ import annotations

import logging
from datetime import datetime

from chalicelib.channels import connections, queue, rules
from chalicelib.channels.providers.base import ChannelError, Listing
from chalicelib.channels.store import (
    ConnectionItem,
    ListingItem,
    PutError,
    StatusPushItem,
    UpdateError,
    conditional_failed,
)
from chalicelib.core import clock, keys
from chalicelib.core.errors import NotFound
from chalicelib.stock import availability

log = logging.getLogger("quay.channels")
IMPOSSIBLE_CODES = frozenset({"error_item_not_found", "error_not_found", "item_not_exist", "InvalidItemId",
                              "ItemNotFound", "12052048", "12052012"})
STATS = {"stock_pushes": 0, "status_pushes": 0}


def _due_sk(item: ListingItem, due: datetime) -> str:
    return keys.due_sk(clock.iso(due), item.tenant_id, item.listing_id)


def _push_shard(item: ListingItem) -> str:
    return keys.channel_push_due(rules.shard_of(item.tenant_id, item.listing_id))


# --- stock -------------------------------------------------------------------------------------

def stock_changed(tenant_id: str, sku_key: str) -> int:
    """A SKU's availability changed: request a push for each of its linked listings."""
    from chalicelib.channels import listings

    requested = 0
    for item in listings.linked_to_sku(tenant_id, sku_key):
        if request_stock_push(item):
            requested += 1
    return requested


def request_stock_push(item: ListingItem) -> bool:
    """Count the change; send one delayed push message unless one is already on its way."""
    if item.status == "deleted":
        return False
    item.update(actions=[ListingItem.dirty_seq.add(1)])
    try:
        item.update(actions=[ListingItem.gsi2pk.set(_push_shard(item)),
                             ListingItem.gsi2sk.set(_due_sk(item, clock.now() + rules.PUSH_SAFETY_NET))],
                    condition=ListingItem.gsi2pk.does_not_exist())
    except UpdateError as error:
        if conditional_failed(error):
            return False  # a push is requested already: it will read this change too
        raise
    queue.send({"work": "push_stock", "tenant_id": item.tenant_id, "listing_id": item.listing_id},
               delay_seconds=rules.COALESCE_SECONDS)
    return True


def _claim(item: ListingItem) -> bool:
    now = clock.now()
    try:
        item.update(actions=[ListingItem.push_lease_until.set(clock.iso(now + rules.PUSH_LEASE))],
                    condition=ListingItem.push_lease_until.does_not_exist() |
                    (ListingItem.push_lease_until < clock.iso(now)))
        return True
    except UpdateError as error:
        if conditional_failed(error):
            return False
        raise


def push_listing(tenant_id: str, listing_id: str, *, max_rounds: int = 5) -> str:
    """Work one push message: 'pushed', 'clean', 'busy', 'failed', 'impossible', 'skipped'."""
    from chalicelib.channels import listings

    parsed = rules.parse_listing_id(listing_id)
    if parsed is None:
        return "skipped"
    item = listings.get_item(tenant_id, *parsed)
    if item is None:
        return "skipped"
    try:
        connection = connections.load_item(tenant_id, item.connection_id)
    except NotFound:
        return "skipped"
    if not _claim(item):
        return "busy"  # another worker holds it and will see every change
    outcome = "clean"
    for _ in range(max_rounds):
        item.refresh(consistent_read=True)
        seq = int(item.dirty_seq or 0)
        if seq <= int(item.pushed_seq or 0):
            if _done(item, seq, None):
                return outcome
            continue
        if not item.sku or not connection.push_stock or connection.status == "disabled" or connection.channel == "website":
            _done(item, seq, None)
            return "skipped"
        quantity = rules.quantity_to_push(availability.for_connection(
            tenant_id, item.sku, connection.channel, list(connection.location_ids or []),
            int(connection.buffer), int(connection.allocation_percent)))
        try:
            connections.with_fresh_tokens(connection, lambda adapter, q=quantity: adapter.push_stock(_listing(item), q))
        except ChannelError as error:
            return _failed(connection, item, error)
        STATS["stock_pushes"] += 1
        outcome = "pushed"
        connections.log(connection, "push", "ok", f"{item.name}: {quantity}",
                        {"listing_id": item.listing_id, "quantity": quantity})
        if _done(item, seq, quantity):
            return outcome
        break  # changed while we pushed: push again after the coalescing delay, not at once
    _release(item)  # the request stays in the push index, so a lost message is picked up by the job
    queue.send({"work": "push_stock", "tenant_id": tenant_id, "listing_id": listing_id},
               delay_seconds=rules.COALESCE_SECONDS)
    return outcome


def _listing(item: ListingItem) -> Listing:
    return Listing(item.external_item_id, item.external_model_id, item.external_sku, item.name, item.status,
                   item.platform_status or "", item.warehouse_id)


def _done(item: ListingItem, seq: int, quantity: int | None) -> bool:
    """Record the push; finished (lease and request dropped) only if no change came meanwhile."""
    actions = [ListingItem.pushed_seq.set(seq), ListingItem.push_attempts.set(0), ListingItem.push_error.remove()]
    if quantity is not None:
        actions += [ListingItem.pushed_quantity.set(quantity), ListingItem.pushed_at.set(clock.now_iso())]
    try:
        item.update(actions=actions + [ListingItem.push_lease_until.remove(), ListingItem.gsi2pk.remove(),
                                       ListingItem.gsi2sk.remove()],
                    condition=ListingItem.dirty_seq == seq)
        return True
    except UpdateError as error:
        if not conditional_failed(error):
            raise
    item.update(actions=actions)  # newer changes: keep the lease and go round again
    return False


def _release(item: ListingItem) -> None:
    item.update(actions=[ListingItem.push_lease_until.remove()])


def _failed(connection: ConnectionItem, item: ListingItem, error: ChannelError) -> str:
    attempts = int(item.push_attempts or 0) + 1
    impossible = item.status == "deleted" or (error.code or "") in IMPOSSIBLE_CODES
    message = f"{error.message} ({error.code})" if error.code else error.message
    actions = [ListingItem.push_attempts.set(attempts), ListingItem.push_error.set(message[:500]),
               ListingItem.push_lease_until.remove()]
    if impossible:
        actions += [ListingItem.status.set("deleted"), ListingItem.gsi2pk.remove(), ListingItem.gsi2sk.remove()]
    else:
        actions.append(ListingItem.gsi2sk.set(_due_sk(item, clock.now() + rules.backoff(attempts))))
    item.update(actions=actions)
    connections.log(connection, "push", "error", f"{item.name}: {message}", {"listing_id": item.listing_id,
                                                                             "attempts": attempts})
    if impossible or attempts >= rules.WARN_AFTER_ATTEMPTS:
        connections.mark(connection, "error", f"Stock push to {item.name} failed: {message}")
    return "impossible" if impossible else "failed"


def retry_due_stock_pushes(shard: int, now: datetime, limit: int = 100) -> int:
    """The job: listings whose requested push is due (failed earlier, or its worker vanished)."""
    found = 0
    for entry in ListingItem.by_push_due.query(keys.channel_push_due(shard), ListingItem.gsi2sk <= clock.iso(now) + "~",
                                               limit=limit):
        queue.send({"work": "push_stock", "tenant_id": entry.tenant_id, "listing_id": entry.listing_id})
        found += 1
    return found


# --- status --------------------------------------------------------------------------------------

def order_ready(tenant_id: str, order: dict) -> bool:
    """Our marketplace order reached ready-to-ship or was handed over: claim its one status push."""
    connection_id = order.get("channel_connection_id")
    if order.get("channel") not in rules.MARKETPLACES or not connection_id or not order.get("external_id"):
        return False
    shipment = next(iter(order.get("shipments") or []), {})
    item = StatusPushItem(*keys.channel_status_push(tenant_id, order["id"]), tenant_id=tenant_id, order_id=order["id"],
                          connection_id=connection_id, external_id=order["external_id"],
                          tracking_number=shipment.get("tracking_number"), carrier=shipment.get("carrier"),
                          state="pending", updated_at=clock.now_iso())
    try:
        item.save(condition=StatusPushItem.pk.does_not_exist())
    except PutError as error:  # claimed before (a replayed stream record, or hand-over after ready)
        if conditional_failed(error):
            return False
        raise
    queue.send({"work": "push_status", "tenant_id": tenant_id, "order_id": order["id"]})
    return True


def push_status(tenant_id: str, order_id: str) -> str:
    try:
        item = StatusPushItem.get(*keys.channel_status_push(tenant_id, order_id), consistent_read=True)
    except StatusPushItem.DoesNotExist:
        return "skipped"
    if item.state in ("done", "impossible"):
        return item.state
    try:
        connection = connections.load_item(tenant_id, item.connection_id)
    except NotFound:
        return "skipped"
    try:
        connections.with_fresh_tokens(connection, lambda adapter: adapter.push_status(
            item.external_id, tracking_number=item.tracking_number, carrier=item.carrier))
    except ChannelError as error:
        attempts = int(item.attempts or 0) + 1
        message = f"{error.message} ({error.code})" if error.code else error.message
        final = attempts >= rules.STATUS_PUSH_ATTEMPTS
        shard = keys.channel_status_due(rules.shard_of(tenant_id, order_id))
        actions = [StatusPushItem.attempts.set(attempts), StatusPushItem.last_error.set(message[:500]),
                   StatusPushItem.state.set("impossible" if final else "failed"),
                   StatusPushItem.updated_at.set(clock.now_iso())]
        if final:
            actions += [StatusPushItem.gsi2pk.remove(), StatusPushItem.gsi2sk.remove()]
        else:
            actions += [StatusPushItem.gsi2pk.set(shard), StatusPushItem.gsi2sk.set(
                keys.due_sk(clock.iso(clock.now() + rules.backoff(attempts)), tenant_id, order_id))]
        item.update(actions=actions)
        connections.log(connection, "status", "error", f"{item.external_id}: {message}", {"order_id": order_id})
        if final:
            connections.mark(connection, "error", f"Ready-to-ship for {item.external_id} failed: {message}")
        return "impossible" if final else "failed"
    item.update(actions=[StatusPushItem.state.set("done"), StatusPushItem.gsi2pk.remove(), StatusPushItem.gsi2sk.remove(),
                         StatusPushItem.updated_at.set(clock.now_iso())])
    STATS["status_pushes"] += 1
    connections.log(connection, "status", "ok", f"{item.external_id}: ready to ship", {"order_id": order_id})
    return "done"


def retry_due_status_pushes(shard: int, now: datetime, limit: int = 100) -> int:
    found = 0
    for entry in StatusPushItem.by_push_due.query(keys.channel_status_due(shard),
                                                  StatusPushItem.gsi2sk <= clock.iso(now) + "~", limit=limit):
        queue.send({"work": "push_status", "tenant_id": entry.tenant_id, "order_id": entry.order_id})
        found += 1
    return found


def failed_pushes(tenant_id: str, connection_id: str) -> list[dict]:
    from chalicelib.channels import listings

    return [listings.view(i) for i in ListingItem.query(keys.channel_listings(tenant_id, connection_id))
            if i.push_error]


def sku_key_of_stock_pk(pk: str) -> str:
    """SHOP#<t>#STOCK#<sku key> -> the SKU key (which may itself hold '#')."""
    return pk.split("#", 3)[3]



def retry_now(item: ListingItem) -> None:
    """Staff asked to push again: a fresh request, whatever the backoff said."""
    item.update(actions=[ListingItem.dirty_seq.add(1), ListingItem.push_attempts.set(0),
                         ListingItem.status.set("active" if item.status == "deleted" else item.status),
                         ListingItem.gsi2pk.set(_push_shard(item)),
                         ListingItem.gsi2sk.set(_due_sk(item, clock.now() + rules.PUSH_SAFETY_NET))])
    queue.send({"work": "push_stock", "tenant_id": item.tenant_id, "listing_id": item.listing_id})
