"""Item types stored in the Quay table. Key layout: docs/architecture.md#access-patterns."""
from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    VersionAttribute,
)
from pynamodb.indexes import GlobalSecondaryIndex, IncludeProjection

from chalicelib.adapters.dynamo.base import Gsi1, Gsi2, Item, TableMeta
from chalicelib.adapters.dynamo.projections import ORDER_SUMMARY_ATTRIBUTES


class ShopItem(Item):
    """pk=SHOP#<tenant> sk=SHOP; gsi1 (SHOPS, tenant) lists shops for nightly jobs."""
    gsi1pk = UnicodeAttribute(default="SHOPS")
    gsi1sk = UnicodeAttribute()
    all_shops = Gsi1()
    tenant_id = UnicodeAttribute()
    name = UnicodeAttribute()
    timezone = UnicodeAttribute(default="Asia/Ho_Chi_Minh")
    created_at = UnicodeAttribute()


class StaffItem(Item):
    """pk=SHOP#<tenant> sk=STAFF#<staff>"""
    tenant_id = UnicodeAttribute()
    staff_id = UnicodeAttribute()
    email = UnicodeAttribute()
    name = UnicodeAttribute()
    role = UnicodeAttribute()
    password_hash = UnicodeAttribute()
    pin_hash = UnicodeAttribute(null=True)
    location_ids = ListAttribute(of=UnicodeAttribute, null=True)
    active = BooleanAttribute(default=True)
    created_at = UnicodeAttribute()
    version = VersionAttribute()


class LoginEmailItem(Item):
    """pk=LOGIN#<email> sk=LOGIN: the only global pointer, so login needs no shop id."""
    tenant_id = UnicodeAttribute()
    staff_id = UnicodeAttribute()


class ThrottleItem(Item):
    """pk=THROTTLE#<subject> sk=THROTTLE: failed attempts in the current window."""
    failures = NumberAttribute(default=0)
    locked_until = NumberAttribute(default=0)
    ttl = TTLAttribute(null=True)


class VariantMap(MapAttribute):
    sku = UnicodeAttribute()
    barcode = UnicodeAttribute(null=True)
    attributes = MapAttribute(null=True)
    price = NumberAttribute()
    cost = NumberAttribute(null=True)
    unit = UnicodeAttribute(default="cái")
    status = UnicodeAttribute(default="active")
    allow_backorder = NumberAttribute(default=0)
    low_stock_threshold = NumberAttribute(null=True)


class ProductItem(Item):
    """pk=SHOP#<tenant>#CATALOG sk=PRODUCT#<product>"""
    product_id = UnicodeAttribute()
    name = UnicodeAttribute()
    category = UnicodeAttribute(null=True)
    status = UnicodeAttribute(default="active")
    variants = ListAttribute(of=VariantMap)
    search_text = UnicodeAttribute()
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()
    version = VersionAttribute()


class SkuItem(Item):
    """pk=SHOP#<tenant>#CATALOG sk=SKU#<SKU upper>: uniqueness and lookup of a variant, with the
    variant's stock policy copied here so a reservation needs one read, not the whole product."""
    product_id = UnicodeAttribute()
    sku = UnicodeAttribute()
    allow_backorder = NumberAttribute(default=0)
    low_stock_threshold = NumberAttribute(null=True)


class BarcodeItem(Item):
    """pk=SHOP#<tenant>#CATALOG sk=BARCODE#<code>"""
    product_id = UnicodeAttribute()
    sku = UnicodeAttribute()


class AuditItem(Item):
    """pk=SHOP#<tenant>#AUDIT#<type>#<id> sk=<time>#<id>; gsi1: by staff member."""
    gsi1pk = UnicodeAttribute()
    gsi1sk = UnicodeAttribute()
    by_staff = Gsi1()
    entity_type = UnicodeAttribute()
    entity_id = UnicodeAttribute()
    action = UnicodeAttribute()
    staff_id = UnicodeAttribute()
    at = UnicodeAttribute()
    before = UnicodeAttribute(null=True)  # JSON
    after = UnicodeAttribute(null=True)  # JSON


class IdempotencyItem(Item):
    """pk=SHOP#<tenant>#IDEM#<scope>#<key> sk=IDEM: first response of a create, kept 24 h."""
    request_hash = UnicodeAttribute()
    status_code = NumberAttribute()
    response = UnicodeAttribute()  # JSON
    ttl = TTLAttribute()


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
    """pk=SHOP#<tenant>#RESERVATION#<id> sk=RESERVATION. While active: gsi1
    (SHOP#<tenant>#RESACTIVE#<shard>) lets reconcile sum active reservations; gsi2
    (RESEXP#<shard>, expiry) lets the expiry job find due ones. Sharded, sparse, and in the
    reservation's own partition, so the only write to a hot SKU's partition is its level."""
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


class CustomerItem(Item):
    """pk=SHOP#<tenant>#CUSTOMER#<id> sk=CUSTOMER; gsi1 (SHOP#<tenant>#CUSTOMERS, last order)
    lists customers, most recent first. Stats are top-level numbers so orders update them with ADD."""
    gsi1pk = UnicodeAttribute()
    gsi1sk = UnicodeAttribute()
    by_recency = Gsi1()
    customer_id = UnicodeAttribute()
    name = UnicodeAttribute()
    phones = UnicodeSetAttribute(null=True)
    emails = UnicodeSetAttribute(null=True)
    buyer_ids = UnicodeSetAttribute(null=True)
    source_channels = UnicodeSetAttribute(null=True)
    addresses = UnicodeAttribute(null=True)  # JSON list, newest first
    group = UnicodeAttribute(null=True)
    notes = UnicodeAttribute(null=True)
    order_count = NumberAttribute(default=0)
    total_spend = NumberAttribute(default=0)
    first_order_at = UnicodeAttribute(null=True)
    last_order_at = UnicodeAttribute(null=True)
    merged_into = UnicodeAttribute(null=True)
    search_text = UnicodeAttribute()
    created_at = UnicodeAttribute()


class CustomerKeyItem(Item):
    """pk=SHOP#<tenant>#CUSTKEY sk=PHONE#<e164> | EMAIL#<email> | BUYER#<channel>#<id>: one real
    person per phone, email or channel buyer id; a phone prefix is a Query begins_with."""
    customer_id = UnicodeAttribute()


class CustomerOrderItem(Item):
    """pk=SHOP#<tenant>#CUSTOMER#<id> sk=ORDER#<time>#<order>: purchase history, newest last."""
    order_id = UnicodeAttribute()
    channel = UnicodeAttribute()
    total = NumberAttribute()
    created_at = UnicodeAttribute()


class OrdersByDate(GlobalSecondaryIndex):
    class Meta(TableMeta):
        index_name = "gsi3"
        projection = IncludeProjection(list(ORDER_SUMMARY_ATTRIBUTES))

    gsi3pk = UnicodeAttribute(hash_key=True)
    gsi3sk = UnicodeAttribute(range_key=True)


class OrdersByStatus(GlobalSecondaryIndex):
    class Meta(TableMeta):
        index_name = "gsi4"
        projection = IncludeProjection(list(ORDER_SUMMARY_ATTRIBUTES))

    gsi4pk = UnicodeAttribute(hash_key=True)
    gsi4sk = UnicodeAttribute(range_key=True)


class OrderItem(Item):
    """pk=SHOP#<tenant>#ORDER#<id> sk=ORDER; gsi3 (SHOP#<tenant>#ORDERS, created) lists by date;
    gsi4 (SHOP#<tenant>#OSTATUS#<status>, created) lists and counts by status. Both project only
    the summary attributes; the full order is one JSON document read by id."""
    gsi3pk = UnicodeAttribute()
    gsi3sk = UnicodeAttribute()
    by_date = OrdersByDate()
    gsi4pk = UnicodeAttribute()
    gsi4sk = UnicodeAttribute()
    by_status = OrdersByStatus()
    order_id = UnicodeAttribute()
    status = UnicodeAttribute()
    channel = UnicodeAttribute()
    external_id = UnicodeAttribute(null=True)
    total = NumberAttribute()
    payment_status = UnicodeAttribute()
    customer_id = UnicodeAttribute(null=True)
    customer_name = UnicodeAttribute(null=True)
    customer_phone = UnicodeAttribute(null=True)
    sold_by = UnicodeAttribute(null=True)
    warning_codes = UnicodeSetAttribute(null=True)
    search_text = UnicodeAttribute()
    created_at = UnicodeAttribute()
    body = UnicodeAttribute()  # JSON
    version = VersionAttribute()


class OrderExternalItem(Item):
    """pk=SHOP#<tenant>#ORDEREXT#<channel>#<external id> sk=EXT: one order per channel order."""
    order_id = UnicodeAttribute()


class SessionItem(Item):
    """pk=SHOP#<tenant>#SESSION#<sha256 of the refresh secret> sk=SESSION: a signed-in device.
    Only the hash is stored; the TTL removes it when it expires."""
    staff_id = UnicodeAttribute()
    kind = UnicodeAttribute()  # password | pin
    created_at = UnicodeAttribute()
    expires_at = NumberAttribute()
    ttl = TTLAttribute()
