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


class OrdersByStatus(GlobalSecondaryIndex):
    class Meta(TableMeta):
        index_name = "gsi4"
        projection = IncludeProjection(list(ORDER_SUMMARY_ATTRIBUTES))

    gsi4pk = UnicodeAttribute(hash_key=True)
    gsi4sk = UnicodeAttribute(range_key=True)


class OrderItem(Item):
    """pk=SHOP#<tenant>#ORDER#<YYYYMM of its id> sk=ORDER#<id> (keys.order): the list by date Queries
    the month partitions, newest first; gsi4 (SHOP#<tenant>#OSTATUS#<status>, created) lists and
    counts by status, projecting only the summary attributes. The full order is one compact
    document (orders/codec.py) read by id. Before ADR 0016: pk=SHOP#<tenant>#ORDER#<id> sk=ORDER,
    listed by date through gsi3."""
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
    location_ids = UnicodeSetAttribute(null=True)  # where it is handled (rules.order_locations): list scope
    search_text = UnicodeAttribute()
    created_at = UnicodeAttribute()
    doc = BinaryAttribute(legacy_encoding=False, null=True)  # the order document (orders/codec.py)
    body = UnicodeAttribute(null=True)  # the document as JSON text, on items saved before the codec
    version = VersionAttribute()


class OrderMonthsItem(Item):
    """pk=SHOP#<tenant> sk=ORDERMONTHS: the UTC months (`YYYYMM`) in which the shop has orders, added
    by the first order of each month; the list by date reads no month outside it."""
    months = UnicodeSetAttribute(null=True)


class OrderExternalItem(Item):
    """pk=SHOP#<tenant>#ORDEREXT#<channel>#<external id> sk=EXT: one order per channel order."""
    order_id = UnicodeAttribute()
