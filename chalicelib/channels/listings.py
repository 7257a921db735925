"""Listings: a connection's products (item + variant) as the platform has them, linked to our
SKUs. Seen when listings are fetched or when an order names one; auto-linked when the seller SKU
typed on the platform is one of ours; linking one by hand relinks the orders held for it."""
from __future__ import annotations

from chalicelib.catalog import rules as catalog_rules
from chalicelib.catalog import service as catalog
from chalicelib.channels import rules
from chalicelib.channels.connections import load, load_item, visible
from chalicelib.channels.providers.base import Listing
from chalicelib.channels.store import ConnectionItem, ListingItem
from chalicelib.core import clock, keys
from chalicelib.core.errors import InvalidInput, NotFound, VersionMismatch
from chalicelib.core.principal import Principal
from chalicelib.core.uow import UnitOfWork
from chalicelib.orders import service as orders

MAX_RELINK_ORDERS = 200  # per link; the rest are relinked the next time (or by hand)


def view(item: ListingItem) -> dict:
    return {"id": item.listing_id, "connection_id": item.connection_id, "channel": item.channel,
            "external_item_id": item.external_item_id, "external_model_id": item.external_model_id,
            "external_sku": item.external_sku, "name": item.name, "sku": item.sku, "status": item.status,
            "pushed_quantity": None if item.pushed_quantity is None else int(item.pushed_quantity),
            "pushed_at": item.pushed_at, "push_error": item.push_error, "push_attempts": int(item.push_attempts or 0),
            "push_pending": item.gsi2pk is not None}


def _link_fields(tenant_id: str, listing_id: str, sku: str | None) -> dict:
    if not sku:
        return {"gsi1pk": None, "gsi1sk": None}
    return {"gsi1pk": keys.listings_of_sku(tenant_id, catalog_rules.sku_key(sku)), "gsi1sk": listing_id}


def get_item(tenant_id: str, connection_id: str, external_item_id: str, external_model_id: str | None) -> ListingItem | None:
    try:
        return ListingItem.get(keys.channel_listings(tenant_id, connection_id),
                               keys.listing_sk(external_item_id, external_model_id), consistent_read=True)
    except ListingItem.DoesNotExist:
        return None


def seen(connection: ConnectionItem, listing: Listing, known_skus: dict[str, str] | None = None) -> ListingItem:
    """Create or refresh one listing; a new one is linked when its seller SKU is one of ours."""
    tenant_id = connection.tenant_id
    now = clock.now_iso()
    item = get_item(tenant_id, connection.connection_id, listing.external_item_id, listing.external_model_id)
    if item is None:
        identifier = rules.listing_id(connection.connection_id, listing.external_item_id, listing.external_model_id)
        if known_skus is None and listing.external_sku:
            known_skus = catalog.existing_skus(tenant_id, [listing.external_sku])
        sku = listing.external_sku if listing.external_sku and catalog_rules.sku_key(listing.external_sku) in (
            known_skus or {}) else None
        item = ListingItem(keys.channel_listings(tenant_id, connection.connection_id),
                           keys.listing_sk(listing.external_item_id, listing.external_model_id),
                           tenant_id=tenant_id, listing_id=identifier, connection_id=connection.connection_id,
                           channel=connection.channel, external_item_id=listing.external_item_id,
                           external_model_id=listing.external_model_id, external_sku=listing.external_sku,
                           warehouse_id=listing.warehouse_id, name=listing.name or listing.external_sku or identifier,
                           status=listing.status, platform_status=listing.platform_status or None, sku=sku,
                           seen_at=now, **_link_fields(tenant_id, identifier, sku))
        item.save(condition=ListingItem.pk.does_not_exist() | ListingItem.sku.does_not_exist())
        return item
    actions = [ListingItem.seen_at.set(now), ListingItem.status.set(listing.status)]
    for name in ("external_sku", "warehouse_id", "platform_status"):
        value = getattr(listing, name) or None
        if value != getattr(item, name):
            actions.append(getattr(ListingItem, name).set(value) if value else getattr(ListingItem, name).remove())
    if listing.name and listing.name != item.name:
        actions.append(ListingItem.name.set(listing.name))
    item.update(actions=actions)
    return item


def seen_all(connection: ConnectionItem, found: list[Listing]) -> int:
    known = catalog.existing_skus(connection.tenant_id, [x.external_sku for x in found if x.external_sku])
    for listing in found:
        seen(connection, listing, known)
    return len(found)


def list_listings(actor: Principal, connection_id: str | None, linked: bool | None) -> dict:
    from chalicelib.channels import connections

    targets = [load(actor, connection_id)] if connection_id else [
        c for c in connections.all_of_shop(actor.tenant_id) if visible(actor, c)]
    items = []
    for connection in targets:
        for item in ListingItem.query(keys.channel_listings(actor.tenant_id, connection.connection_id)):
            if linked is None or bool(item.sku) == linked:
                items.append(view(item))
    return {"items": items, "next_cursor": None}


def load_listing(actor: Principal, listing_id: str) -> ListingItem:
    parsed = rules.parse_listing_id(listing_id)
    if parsed is None:
        raise NotFound("No such listing.")
    connection_id, item_id, model_id = parsed
    load(actor, connection_id)  # the shop's own, within the caller's locations
    item = get_item(actor.tenant_id, connection_id, item_id, model_id)
    if item is None:
        raise NotFound("No such listing.")
    return item


def link(actor: Principal, listing_id: str, sku: str) -> dict:
    """Link a listing to one of our SKUs; orders held as product_not_linked for it are relinked,
    and the listing is told its stock."""
    item = load_listing(actor, listing_id)
    try:
        policy = catalog.sku_policies(actor.tenant_id, [{"sku": sku}])
    except InvalidInput:
        raise InvalidInput("This shop has no such SKU.", errors=[{"field": "sku", "message": "unknown SKU"}]) from None
    sku = policy[catalog_rules.sku_key(sku)].sku  # as the catalog spells it
    before = item.sku
    uow = UnitOfWork(actor)
    fields = _link_fields(actor.tenant_id, item.listing_id, sku)
    uow.update(ListingItem(item.pk, item.sk), [ListingItem.sku.set(sku), ListingItem.gsi1pk.set(fields["gsi1pk"]),
                                                ListingItem.gsi1sk.set(fields["gsi1sk"]),
                                                ListingItem.push_error.remove()],
               condition=ListingItem.pk.exists())
    uow.audit("channel_listing.linked", "channel_listing", item.listing_id, before={"sku": before}, after={"sku": sku})
    item.sku, item.push_error = sku, None
    uow.commit()
    relinked = relink_orders(actor, item)
    from chalicelib.channels import pushes

    pushes.request_stock_push(item)
    return {**view(item), "orders_relinked": relinked}


def relink_orders(actor: Principal, item: ListingItem) -> int:
    """Orders of this channel held as product_not_linked whose lines came from this listing."""
    system = Principal.system(actor.tenant_id)
    relinked, cursor, seen_orders = 0, None, 0
    while seen_orders < MAX_RELINK_ORDERS:
        page = orders.list_orders(actor.tenant_id, status=None, channel=item.channel, q=None,
                                  warning="product_not_linked", phone=None, staff_id=None, date_from=None,
                                  date_to=None, limit=50, cursor=cursor)
        for summary in page["items"]:
            seen_orders += 1
            order = orders.get(system, summary["id"])
            links = [{"line": n, "sku": item.sku} for n, line in enumerate(order["lines"])
                     if not line["linked"] and line.get("listing_id") == item.listing_id]
            if not links or order["status"] in ("completed", "canceled", "returned"):
                continue
            try:
                orders.update(system, order["id"], {"links": links}, via="channel")
                relinked += 1
            except VersionMismatch:
                continue
        cursor = page["next_cursor"]
        if not cursor:
            break
    return relinked


def linked_to_sku(tenant_id: str, sku_key: str) -> list[ListingItem]:
    """The listings linked to one SKU, read consistently from their own items (the index only finds them)."""
    found = []
    for entry in ListingItem.by_sku.query(keys.listings_of_sku(tenant_id, sku_key)):
        item = get_item(tenant_id, entry.connection_id, entry.external_item_id, entry.external_model_id)
        if item is not None and item.sku and catalog_rules.sku_key(item.sku) == sku_key:
            found.append(item)
    return found


__all__ = ["link", "list_listings", "seen", "seen_all", "linked_to_sku", "view", "load_item"]
