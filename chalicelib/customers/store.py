"""Customer profiles, their matching keys and purchase history. Key layout: docs/architecture.md#access-patterns."""
from pynamodb.attributes import (
    BooleanAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
)

from chalicelib.core.table import Gsi1, Item


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
    """pk=SHOP#<tenant>#CUSTOMER#<id> sk=ORDER#<time>#<order>: purchase history, newest last. It is
    also the record that the order is counted in the profile's stats (`counted`; absent on items
    written before it means counted), so counting twice from the stream changes nothing."""
    order_id = UnicodeAttribute()
    channel = UnicodeAttribute()
    total = NumberAttribute()
    created_at = UnicodeAttribute()
    counted = BooleanAttribute(null=True)
