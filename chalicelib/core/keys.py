"""Every key of the table is built here: the code form of the access-pattern table in
docs/architecture.md (the numbers in the comments are its rows). Stores call these; nothing else
spells a key. Every partition key starts with the shop (`SHOP#<tenant>`), except the login
pointer, the throttles and the sharded expiry index, which hold no shop data (ADR 0001)."""


SHOP_PREFIX = "SHOP#"


def shop_pk(tenant_id: str, *parts: str) -> str:
    return "#".join(("SHOP", tenant_id) + parts)


# --- shops, staff, sign-in (1-5, 21a) ------------------------------------------------------
SHOP_SK = "SHOP"
ALL_SHOPS = "SHOPS"  # gsi1 pk of shop items (2)
STAFF_PREFIX = "STAFF#"


def staff_sk(staff_id: str) -> str:
    return f"{STAFF_PREFIX}{staff_id}"


def login(email: str) -> tuple[str, str]:
    """The only global pointer: sign-in by email needs no shop id (3)."""
    return f"LOGIN#{email}", "LOGIN"


def throttle(subject: str) -> tuple[str, str]:
    return f"THROTTLE#{subject}", "THROTTLE"


def session(tenant_id: str, secret_hash: str) -> tuple[str, str]:
    return shop_pk(tenant_id, "SESSION", secret_hash), "SESSION"


# --- catalog (7-9) --------------------------------------------------------------------------
PRODUCT_PREFIX, SKU_PREFIX, BARCODE_PREFIX = "PRODUCT#", "SKU#", "BARCODE#"


def catalog(tenant_id: str) -> str:
    return shop_pk(tenant_id, "CATALOG")


def product_sk(product_id: str) -> str:
    return f"{PRODUCT_PREFIX}{product_id}"


def sku_sk(sku_key: str) -> str:
    return f"{SKU_PREFIX}{sku_key}"


def barcode_sk(code: str) -> str:
    return f"{BARCODE_PREFIX}{code}"


# --- locations, stock, ledger, reservations, transfers, channel rules (6, 13-21) -------------
LOCATION_PREFIX, LEVEL_PREFIX, HOLD_PREFIX, CHANNEL_RULE_PREFIX = "LOCATION#", "LOC#", "HOLD#", "CHANNELRULE#"


def location_sk(location_id: str) -> str:
    return f"{LOCATION_PREFIX}{location_id}"


def stock(tenant_id: str, sku_key: str) -> str:
    return shop_pk(tenant_id, "STOCK", sku_key)


def level_sk(location_id: str) -> str:
    return f"{LEVEL_PREFIX}{location_id}"


def hold_sk(channel: str) -> str:
    return f"{HOLD_PREFIX}{channel}"


def ledger(tenant_id: str, sku_key: str) -> str:
    return shop_pk(tenant_id, "LEDGER", sku_key)


def ledger_sk(location_id: str, at: str, movement_id: str) -> str:
    return f"{LEVEL_PREFIX}{location_id}#{at}#{movement_id}"


def ledger_until(location_id: str, moment: str) -> tuple[str, str]:
    """Sort-key bounds of one location's movements up to a time (15)."""
    return f"{LEVEL_PREFIX}{location_id}#", f"{LEVEL_PREFIX}{location_id}#{moment}~"


def reservation(tenant_id: str, reservation_id: str) -> tuple[str, str]:
    return shop_pk(tenant_id, "RESERVATION", reservation_id), "RESERVATION"


def active_reservations(tenant_id: str, shard: int) -> str:
    return shop_pk(tenant_id, "RESACTIVE", str(shard))


def expiring_reservations(shard: int) -> str:
    return f"RESEXP#{shard}"


def expiry_sk(expires_at: str, tenant_id: str, reservation_id: str) -> str:
    return f"{expires_at}#{tenant_id}#{reservation_id}"


def transfer(tenant_id: str, transfer_id: str) -> tuple[str, str]:
    return shop_pk(tenant_id, "TRANSFER", transfer_id), "TRANSFER"


def channel_rule_sk(channel: str) -> str:
    return f"{CHANNEL_RULE_PREFIX}{channel}"


# --- customers (26-29) ------------------------------------------------------------------------
PHONE_PREFIX, EMAIL_PREFIX, BUYER_PREFIX, ORDER_PREFIX = "PHONE#", "EMAIL#", "BUYER#", "ORDER#"


def customer(tenant_id: str, customer_id: str) -> str:
    return shop_pk(tenant_id, "CUSTOMER", customer_id)


def customer_keys(tenant_id: str) -> str:
    return shop_pk(tenant_id, "CUSTKEY")


def phone_key(e164: str) -> str:
    return f"{PHONE_PREFIX}{e164}"


def email_key(email: str) -> str:
    return f"{EMAIL_PREFIX}{email}"


def buyer_key(channel: str, buyer_id: str) -> str:
    return f"{BUYER_PREFIX}{channel}#{buyer_id}"


def customers_by_recency(tenant_id: str) -> str:
    return shop_pk(tenant_id, "CUSTOMERS")


def customer_order_sk(at: str, order_id: str) -> str:
    return f"{ORDER_PREFIX}{at}#{order_id}"


# --- orders (22-25) ---------------------------------------------------------------------------
def order(tenant_id: str, order_id: str) -> tuple[str, str]:
    return shop_pk(tenant_id, "ORDER", order_id), "ORDER"


def orders_by_date(tenant_id: str) -> str:
    return shop_pk(tenant_id, "ORDERS")


def orders_by_status(tenant_id: str, status: str) -> str:
    return shop_pk(tenant_id, "OSTATUS", status)


def by_time_sk(at: str, item_id: str) -> str:
    """`<time>#<id>`: list indexes sort by time, ties broken by id."""
    return f"{at}#{item_id}"


def order_external(tenant_id: str, channel: str, external_id: str) -> tuple[str, str]:
    return shop_pk(tenant_id, "ORDEREXT", channel, external_id), "EXT"


# --- audit and idempotency (10-12) ------------------------------------------------------------
def audit(tenant_id: str, entity_type: str, entity_id: str) -> str:
    return shop_pk(tenant_id, "AUDIT", entity_type, entity_id)


def audit_by_staff(tenant_id: str, staff_id: str) -> str:
    return shop_pk(tenant_id, "AUDITBY", staff_id)


def idempotency(tenant_id: str, scope: str, key: str) -> tuple[str, str]:
    return shop_pk(tenant_id, "IDEM", scope, key), "IDEM"


def cursor_scope(tenant_id: str) -> str:
    """What a list cursor must stay inside: the shop's own keys."""
    return shop_pk(tenant_id)


# --- alerts (30-36; docs/alerts.md) --------------------------------------------------------------
ALERT_SETTINGS_SK, LINK_SK, ALERT_SK, WATCH_SK, LOW_STOCK_SK = "ALERTCFG", "TGLINK", "ALERT", "DUE", "LOWSTOCK"
PUSH_SUBSCRIPTION_PREFIX = "PUSHSUB#"
ALERT_SHARDS = 8  # the global due-work indexes are spread over this many partitions


def alert_settings(tenant_id: str) -> tuple[str, str]:
    return shop_pk(tenant_id), ALERT_SETTINGS_SK


def summary_slot(slot: str) -> str:
    """gsi1 pk of the shops whose daily summary falls in one UTC quarter hour (`HHMM`): no shop data."""
    return f"ALERTSLOT#{slot}"


def telegram_link(tenant_id: str, secret: str) -> tuple[str, str]:
    return shop_pk(tenant_id, "TGLINK", secret), LINK_SK


def alert(tenant_id: str, key_digest: str) -> tuple[str, str]:
    """One outbox item per (shop, alert key): the uniqueness that sends an alert once."""
    return shop_pk(tenant_id, "ALERT", key_digest), ALERT_SK


def alerts_by_time(tenant_id: str) -> str:
    return shop_pk(tenant_id, "ALERTS")


def alerts_due(shard: int) -> str:
    """gsi2 pk of outbox items waiting to be sent (sparse): `next_attempt#tenant#digest`."""
    return f"ALERTSEND#{shard}"


def overdue_watch(tenant_id: str, order_id: str) -> tuple[str, str]:
    return shop_pk(tenant_id, "ALERTDUE", order_id), WATCH_SK


def overdue_due(shard: int) -> str:
    """gsi2 pk of confirmed orders to look at once their overdue time passes: `due#tenant#order`."""
    return f"ALERTDUE#{shard}"


def low_stock_state(tenant_id: str, sku_key: str, location_id: str) -> tuple[str, str]:
    return shop_pk(tenant_id, "LOWSTOCK", sku_key, location_id), LOW_STOCK_SK


def push_subscriptions(tenant_id: str) -> str:
    return shop_pk(tenant_id, "PUSH")


def push_subscription_sk(endpoint_digest: str) -> str:
    return f"{PUSH_SUBSCRIPTION_PREFIX}{endpoint_digest}"
