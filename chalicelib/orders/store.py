"""Orders, their list indexes and the one-order-per-channel-order pointers. Key layout: docs/architecture.md#access-patterns."""
from pynamodb.attributes import (
    BinaryAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    VersionAttribute,
)
from pynamodb.indexes import GlobalSecondaryIndex, IncludeProjection

from chalicelib.core.table import Item, TableMeta
from chalicelib.orders.projections import ORDER_SUMMARY_ATTRIBUTES


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
    the summary attributes; the full order is one compact document (orders/codec.py) read by id."""
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
    customer_name = UnicodeAttribute(null=True)
    customer_phone = UnicodeAttribute(null=True)
    sold_by = UnicodeAttribute(null=True)
    warning_codes = UnicodeSetAttribute(null=True)
    search_text = UnicodeAttribute()
    created_at = UnicodeAttribute()
    doc = BinaryAttribute(legacy_encoding=False, null=True)  # the order document (orders/codec.py)
    body = UnicodeAttribute(null=True)  # the document as JSON text, on items saved before the codec
    version = VersionAttribute()


class OrderExternalItem(Item):
    """pk=SHOP#<tenant>#ORDEREXT#<channel>#<external id> sk=EXT: one order per channel order."""
    order_id = UnicodeAttribute()
