"""Item types stored in the Quay table. Key layout: docs/architecture.md#access-patterns."""
from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    VersionAttribute,
)

from chalicelib.adapters.dynamo.base import Gsi1, Item


class ShopItem(Item):
    """pk=SHOP#<tenant> sk=SHOP"""
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
    """pk=SHOP#<tenant>#CATALOG sk=SKU#<SKU upper>: uniqueness and lookup of a variant."""
    product_id = UnicodeAttribute()
    sku = UnicodeAttribute()


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
