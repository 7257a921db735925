"""Channel connections, their listings, sync log, webhook events and push state.
Key layout: docs/channels.md#storage (builders in core/keys.py)."""
from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
)
from pynamodb.exceptions import DoesNotExist, PutError, UpdateError
from pynamodb.expressions.condition import Condition

from chalicelib.core.table import Gsi1, Gsi2, Item

__all__ = ["ConnectionItem", "ChannelShopItem", "ListingItem", "SyncLogItem", "WebhookEventItem", "StatusPushItem",
           "DoesNotExist", "PutError", "UpdateError", "Condition", "conditional_failed"]


class ConnectionItem(Item):
    """pk=SHOP#<t>#CONNECTION#<id> sk=CONNECTION. gsi1 (SHOP#<t>#CONNECTIONS, id) lists a shop's
    connections; gsi2 (CHANNELDUE#<shard>, next_sync_at#tenant#id) is the scheduler's due index.
    Tokens and the webhook secret are stored here and never leave through a view."""
    gsi1pk = UnicodeAttribute()
    gsi1sk = UnicodeAttribute()
    by_shop = Gsi1()
    gsi2pk = UnicodeAttribute(null=True)
    gsi2sk = UnicodeAttribute(null=True)
    by_due = Gsi2()
    tenant_id = UnicodeAttribute()
    connection_id = UnicodeAttribute()
    channel = UnicodeAttribute()
    name = UnicodeAttribute()
    shop_id = UnicodeAttribute()                      # the platform's shop / seller id
    platform = UnicodeAttribute(null=True)            # website: shopify, haravan, sapo, woocommerce, generic
    status = UnicodeAttribute()                       # active, error, expired, disabled
    last_error = UnicodeAttribute(null=True)
    last_error_at = UnicodeAttribute(null=True)
    last_sync_at = UnicodeAttribute(null=True)
    pulled_until = UnicodeAttribute(null=True)        # the pull cursor: orders updated before this are in
    listings_synced_at = UnicodeAttribute(null=True)  # listings are fetched every LISTINGS_EVERY, not every pull
    access_token = UnicodeAttribute(null=True)
    refresh_token = UnicodeAttribute(null=True)
    expires_at = UnicodeAttribute(null=True)
    refresh_expires_at = UnicodeAttribute(null=True)
    shop_cipher = UnicodeAttribute(null=True)
    webhook_secret = UnicodeAttribute(null=True)
    location_ids = ListAttribute(of=UnicodeAttribute, default=list)
    allocation_percent = NumberAttribute(default=100)
    buffer = NumberAttribute(default=0)
    push_stock = BooleanAttribute(default=True)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()


class ChannelShopItem(Item):
    """pk=CHANNELSHOP#<channel>#<platform shop id> sk=CHANNELSHOP: which Quay shop a push is for."""
    tenant_id = UnicodeAttribute()
    connection_id = UnicodeAttribute()


class ListingItem(Item):
    """pk=SHOP#<t>#LISTING#<connection> sk=ITEM#<item>#<model>. gsi1 (SHOP#<t>#LISTINGSKU#<sku>,
    listing id) only while linked: the stock push finds a SKU's listings with one Query. gsi2
    (CHANNELPUSHDUE#<shard>, next_push_at#tenant#listing) only while a failed push waits.
    Push state: `dirty_seq` counts stock changes seen, `pushed_seq` the change the last pushed
    value was read after; a lease lets one pusher at a time read-then-push."""
    gsi1pk = UnicodeAttribute(null=True)
    gsi1sk = UnicodeAttribute(null=True)
    by_sku = Gsi1()
    gsi2pk = UnicodeAttribute(null=True)
    gsi2sk = UnicodeAttribute(null=True)
    by_push_due = Gsi2()
    tenant_id = UnicodeAttribute()
    listing_id = UnicodeAttribute()
    connection_id = UnicodeAttribute()
    channel = UnicodeAttribute()
    external_item_id = UnicodeAttribute()
    external_model_id = UnicodeAttribute(null=True)
    external_sku = UnicodeAttribute(null=True)
    warehouse_id = UnicodeAttribute(null=True)
    name = UnicodeAttribute()
    status = UnicodeAttribute()                       # active, inactive, deleted
    platform_status = UnicodeAttribute(null=True)
    sku = UnicodeAttribute(null=True)
    seen_at = UnicodeAttribute()
    dirty_seq = NumberAttribute(default=0)
    pushed_seq = NumberAttribute(default=0)
    pushed_quantity = NumberAttribute(null=True)
    pushed_at = UnicodeAttribute(null=True)
    push_lease_until = UnicodeAttribute(null=True)
    push_attempts = NumberAttribute(default=0)
    push_error = UnicodeAttribute(null=True)


class SyncLogItem(Item):
    """pk=SHOP#<t>#CONNLOG#<connection> sk=<time>#<id>, newest first by Query desc; TTL 30 days."""
    kind = UnicodeAttribute()                         # sync, push, webhook, status, token
    outcome = UnicodeAttribute()                      # ok, error, duplicate, skipped
    detail = UnicodeAttribute(null=True)
    counts = UnicodeAttribute(null=True)              # JSON
    at = UnicodeAttribute()
    ttl = TTLAttribute()


class WebhookEventItem(Item):
    """pk=SHOP#<t>#CHANNELEVENT#<connection>#<sha256 of the body> sk=EVENT: stored once per body
    (conditional put), processed from the table's stream; TTL 7 days."""
    tenant_id = UnicodeAttribute()
    connection_id = UnicodeAttribute()
    channel = UnicodeAttribute()
    body = UnicodeAttribute()
    received_at = UnicodeAttribute()
    ttl = TTLAttribute()


class StatusPushItem(Item):
    """pk=SHOP#<t>#CHANNELPUSH#<order> sk=STATUS: the ready-to-ship push of one order, claimed once;
    gsi2 (CHANNELPUSHDUE#<shard>) while a failed push waits for its retry."""
    gsi2pk = UnicodeAttribute(null=True)
    gsi2sk = UnicodeAttribute(null=True)
    by_push_due = Gsi2()
    tenant_id = UnicodeAttribute()
    order_id = UnicodeAttribute()
    connection_id = UnicodeAttribute()
    external_id = UnicodeAttribute()
    tracking_number = UnicodeAttribute(null=True)
    carrier = UnicodeAttribute(null=True)
    state = UnicodeAttribute()                        # pending, done, failed, impossible
    attempts = NumberAttribute(default=0)
    last_error = UnicodeAttribute(null=True)
    updated_at = UnicodeAttribute()


def conditional_failed(error: Exception) -> bool:
    """A PutError/UpdateError caused by its condition (not by the database)."""
    cause = getattr(error, "cause_response_code", None)
    return cause == "ConditionalCheckFailedException"
