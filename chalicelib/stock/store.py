"""Locations, stock levels, holds, reservations, the ledger, transfers and channel rules.
Key layout: docs/architecture.md#access-patterns."""
from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    VersionAttribute,
)

from chalicelib.core.table import Gsi1, Gsi2, Item


class ChannelPriorityMap(MapAttribute):
    channel = UnicodeAttribute()
    priority = NumberAttribute()


class LocationItem(Item):
    """pk=SHOP#<tenant> sk=LOCATION#<location>"""
    location_id = UnicodeAttribute()
    name = UnicodeAttribute()
    kind = UnicodeAttribute()  # warehouse | store
    channels = ListAttribute(of=ChannelPriorityMap, default=list)
    address = UnicodeAttribute(null=True)
    active = BooleanAttribute(default=True)
    created_at = UnicodeAttribute()
    version = VersionAttribute()


class StockItem(Item):
    """pk=SHOP#<tenant>#STOCK#<SKU> sk=LOC#<location>: the level of one SKU at one location.
    Invariant kept by every update: available == on_hand - reserved."""
    sku = UnicodeAttribute()
    location_id = UnicodeAttribute()
    on_hand = NumberAttribute(default=0)
    reserved = NumberAttribute(default=0)
    available = NumberAttribute(default=0)
    incoming = NumberAttribute(default=0)
    low_stock_threshold = NumberAttribute(null=True)


class FlashHoldItem(Item):
    """pk=SHOP#<tenant>#STOCK#<SKU> sk=HOLD#<channel>: a quantity kept for one channel until a time."""
    channel = UnicodeAttribute()
    quantity = NumberAttribute()
    until = UnicodeAttribute()
    ttl = TTLAttribute(null=True)


class ReservationLineMap(MapAttribute):
    sku = UnicodeAttribute()
    quantity = NumberAttribute()


class ReservationItem(Item):
    """pk=SHOP#<tenant>#RESERVATION#<shard> sk=RESERVATION#<id> (keys.reservation): reconcile reads a
    shop's reservations shard by shard, so a reservation writes no index entry. While it expires:
    gsi2 (RESEXP#<shard>, expiry) lets the expiry job find due ones. A hot SKU's partition still
    takes only its level's write. Closed ones expire by TTL after 30 days. Made before ADR 0016:
    pk=SHOP#<tenant>#RESERVATION#<id> sk=RESERVATION, gsi1 (RESACTIVE#<shard>) while active."""
    gsi1pk = UnicodeAttribute(null=True)
    gsi1sk = UnicodeAttribute(null=True)
    active_by_shop = Gsi1()
    gsi2pk = UnicodeAttribute(null=True)
    gsi2sk = UnicodeAttribute(null=True)
    by_expiry = Gsi2()
    tenant_id = UnicodeAttribute()
    reservation_id = UnicodeAttribute()
    location_id = UnicodeAttribute()
    lines = ListAttribute(of=ReservationLineMap)
    status = UnicodeAttribute()  # active | released | committed | expired
    reference = UnicodeAttribute(null=True)
    expires_at = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()
    ttl = TTLAttribute(null=True)


class LedgerItem(Item):
    """pk=SHOP#<tenant>#LEDGER#<SKU> sk=LOC#<location>#<time>#<id>; gsi1 orders one SKU's
    movements across locations by time."""
    gsi1pk = UnicodeAttribute()
    gsi1sk = UnicodeAttribute()
    by_time = Gsi1()
    movement_id = UnicodeAttribute()
    sku = UnicodeAttribute()
    location_id = UnicodeAttribute()
    kind = UnicodeAttribute()
    quantity = NumberAttribute()  # signed change of on_hand
    balance_after = NumberAttribute()
    staff_id = UnicodeAttribute()
    at = UnicodeAttribute()
    reason = UnicodeAttribute(null=True)
    unit_cost = NumberAttribute(null=True)
    reference_type = UnicodeAttribute(null=True)
    reference_id = UnicodeAttribute(null=True)
    note = UnicodeAttribute(null=True)


class TransferLineMap(MapAttribute):
    sku = UnicodeAttribute()
    sent = NumberAttribute()
    received = NumberAttribute(default=0)


class TransferItem(Item):
    """pk=SHOP#<tenant>#TRANSFER#<id> sk=TRANSFER"""
    transfer_id = UnicodeAttribute()
    from_location_id = UnicodeAttribute()
    to_location_id = UnicodeAttribute()
    lines = ListAttribute(of=TransferLineMap)
    status = UnicodeAttribute()  # in_transit | partially_received | received
    note = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()
    version = VersionAttribute()


class ChannelRuleItem(Item):
    """pk=SHOP#<tenant> sk=CHANNELRULE#<channel>: buffer and allocation percentage."""
    channel = UnicodeAttribute()
    buffer = NumberAttribute(default=0)
    percent = NumberAttribute(default=100)
