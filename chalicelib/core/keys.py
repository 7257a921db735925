"""Every key of the table is built here: the code form of the access-pattern table in
docs/architecture.md (the numbers in the comments are its rows). Stores call these; nothing else
spells a key. Every partition key starts with the shop (`SHOP#<tenant>`), except the login
pointer, the throttles, the sharded expiry and carrier-pull indexes and the carriers' public master
data, which hold no shop data (ADR 0001)."""


import zlib

from chalicelib.core import ids

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


RESERVATION_SHARDS = 8
RESERVATION_PREFIX = "RESERVATION#"


def reservation_shard(reservation_id: str) -> int:
    return zlib.crc32(reservation_id.encode()) % RESERVATION_SHARDS


def reservations_of_shard(tenant_id: str, shard: int) -> str:
    """pk of one of a shop's reservation partitions: reconcile reads a shop's reservations as
    RESERVATION_SHARDS Queries, so a reservation needs no index entry (ADR 0016)."""
    return shop_pk(tenant_id, "RESERVATION", str(shard))


def reservation(tenant_id: str, reservation_id: str) -> tuple[str, str]:
    return reservations_of_shard(tenant_id, reservation_shard(reservation_id)), f"{RESERVATION_PREFIX}{reservation_id}"


def legacy_reservation(tenant_id: str, reservation_id: str) -> tuple[str, str]:
    """Where reservations made before ADR 0016 live (their own partition, indexed by gsi1)."""
    return shop_pk(tenant_id, "RESERVATION", reservation_id), "RESERVATION"


def active_reservations(tenant_id: str, shard: int) -> str:
    """gsi1 pk of the active reservations made before ADR 0016 (reconcile still reads them)."""
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
ORDER_SK_PREFIX = "ORDER#"
ORDER_MONTHS_SK = "ORDERMONTHS"


def order_month(order_id: str) -> str:
    """`YYYYMM` (UTC) of the moment an order id was made: ids start with their milliseconds (core/ids.py)."""
    try:
        return ids.moment_of(order_id).strftime("%Y%m")
    except (ValueError, OverflowError, OSError):
        return "000000"  # not an id we made: a partition that holds nothing


def orders_of_month(tenant_id: str, month: str) -> str:
    """pk of a shop's orders made in one UTC month (22): the list by date Queries these partitions,
    newest first, so an order item writes no date index (ADR 0016)."""
    return shop_pk(tenant_id, "ORDER", month)


def order(tenant_id: str, order_id: str) -> tuple[str, str]:
    return orders_of_month(tenant_id, order_month(order_id)), f"{ORDER_SK_PREFIX}{order_id}"


def is_order(sk: str) -> bool:
    """Whether an ORDER-kind item is an order (and not another item of its partition)."""
    return sk.startswith(ORDER_SK_PREFIX) or sk == "ORDER"


def legacy_order(tenant_id: str, order_id: str) -> tuple[str, str]:
    """Where an order lived before ADR 0016 (its own partition; gsi3 listed it by date)."""
    return shop_pk(tenant_id, "ORDER", order_id), "ORDER"


def order_months(tenant_id: str) -> tuple[str, str]:
    """The months in which a shop has orders (22): where the list by date stops looking."""
    return shop_pk(tenant_id), ORDER_MONTHS_SK


def orders_by_status(tenant_id: str, status: str) -> str:
    return shop_pk(tenant_id, "OSTATUS", status)


def by_time_sk(at: str, item_id: str) -> str:
    """`<time>#<id>`: list indexes sort by time, ties broken by id."""
    return f"{at}#{item_id}"


def order_external(tenant_id: str, channel: str, external_id: str) -> tuple[str, str]:
    return shop_pk(tenant_id, "ORDEREXT", channel, external_id), "EXT"


# --- carriers and COD (30-36) -----------------------------------------------------------------
CARRIER_ACCOUNT_PREFIX = "CARRIERACCOUNT#"


def carrier_account_sk(account_id: str) -> str:
    """An account of the shop at a carrier (30): pk is the shop, so all accounts are one Query."""
    return f"{CARRIER_ACCOUNT_PREFIX}{account_id}"


def carrier_booking(tenant_id: str, shipment_id: str) -> tuple[str, str]:
    """The booking of one shipment at a carrier (31)."""
    return shop_pk(tenant_id, "CARRIERBOOKING", shipment_id), "BOOKING"


def carrier_tracking(tenant_id: str, carrier: str, tracking_number: str) -> tuple[str, str]:
    """Tracking number -> shipment, for callbacks and COD statement lines (32)."""
    return shop_pk(tenant_id, "CARRIERTRACK", carrier, tracking_number.upper()), "TRACK"


def cod_open(tenant_id: str) -> str:
    """gsi1 of bookings whose COD has not come home yet (33), sorted by account then state."""
    return shop_pk(tenant_id, "CODOPEN")


def cod_open_sk(account_id: str, state: str, shipment_id: str) -> str:
    return f"{account_id}#{state}#{shipment_id}"


def carrier_pull(shard: int) -> str:
    """gsi2 of parcels in transit due for a status pull, all shops, sharded (34); holds no shop data
    beyond the tenant id in its sort key (like the reservation expiry index)."""
    return f"CARRIERPULL#{shard}"


def carrier_pull_sk(due_at: str, tenant_id: str, shipment_id: str) -> str:
    return f"{due_at}#{tenant_id}#{shipment_id}"


def cod_statement(tenant_id: str, statement_id: str) -> tuple[str, str]:
    """An imported COD statement and its reconciliation (35)."""
    return shop_pk(tenant_id, "CODSTATEMENT", statement_id), "STATEMENT"


def cod_statement_fingerprint(tenant_id: str, account_id: str, fingerprint: str) -> tuple[str, str]:
    """One import per statement content and account (35): the same statement twice changes nothing."""
    return shop_pk(tenant_id, "CODSTATEMENTFP", account_id, fingerprint), "FP"


def carrier_master_data(carrier: str, list_key: str) -> tuple[str, str]:
    """A carrier's province/district/ward lists, cached per deployment (36): public data, no shop."""
    return f"CARRIERMASTER#{carrier}", list_key


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


# --- e-invoices (30-36, docs/invoices.md) --------------------------------------------------------
INVOICE_SETTINGS_SK = "INVOICESETTINGS"  # pk shop_pk(t) (30)
INVOICE_SK, INVOICE_XML_SK = "INVOICE", "XML"
TAX_CODE_PREFIX = "TAX#"


def invoice(tenant_id: str, invoice_id: str) -> str:
    """pk of an invoice (sk INVOICE) and of its XML as sent (sk XML) (31)."""
    return shop_pk(tenant_id, "INVOICE", invoice_id)


def invoices_by_date(tenant_id: str) -> str:
    """gsi1 pk listing a shop's invoices by creation time (32)."""
    return shop_pk(tenant_id, "INVOICES")


def invoice_counter(tenant_id: str, seller_tax_code: str, full_symbol: str) -> tuple[str, str]:
    """The last number issued under one symbol; the symbol carries its year (33)."""
    return shop_pk(tenant_id, "INVCOUNTER", seller_tax_code, full_symbol), "COUNTER"


def order_invoice(tenant_id: str, order_id: str) -> tuple[str, str]:
    """The one valid invoice of an order (condition: not exists) (34)."""
    return shop_pk(tenant_id, "ORDERINVOICE", order_id), "INVOICE"


def invoice_buyers(tenant_id: str) -> str:
    """pk of the shop's buyer directory; sk tax_code_sk (35)."""
    return shop_pk(tenant_id, "INVBUYER")


def tax_code_sk(tax_code: str) -> str:
    return f"{TAX_CODE_PREFIX}{tax_code}"


# --- reports: rollups kept from the stream (docs/reports.md) -----------------------------------
def rollup(tenant_id: str, dimension: str) -> str:
    """pk of one dimension's rollups (total, channel, location, staff, product, customer, and the
    per-location pairs); sk rollup_sk, so a date range is one Query."""
    return shop_pk(tenant_id, "ROLLUP", dimension)


def rollup_sk(day: str, key: str) -> str:
    return f"{day}#{key}"


def rollup_range(day_from: str, day_to: str) -> tuple[str, str]:
    return f"{day_from}#", f"{day_to}#~"


def contribution(tenant_id: str, order_id: str) -> tuple[str, str]:
    """What one order last added to the rollups, with the order's version it came from."""
    return shop_pk(tenant_id, "RCONTRIB", order_id), "CONTRIB"


def weekly_contribution(tenant_id: str, order_id: str) -> tuple[str, str]:
    """What one order last added to the weekly rollups (reports/rules.WEEKLY)."""
    return shop_pk(tenant_id, "RCONTRIB", order_id), "CONTRIBW"
# --- live selling (30-34) ---------------------------------------------------------------------
LIVE_SESSION_SK = "SESSION"
LIVE_BUYER_PREFIX = "BUYER#"
LIVE_POLL_SHARDS = 8


def live_session(tenant_id: str, session_id: str) -> tuple[str, str]:
    """(30) a live session; its buyers (31) share the partition."""
    return shop_pk(tenant_id, "LIVE", session_id), LIVE_SESSION_SK


def live_sessions(tenant_id: str) -> str:
    """(32) gsi1 pk: a shop's sessions, newest first."""
    return shop_pk(tenant_id, "LIVES")


def live_buyer_sk(buyer_key: str) -> str:
    """(31) one order per buyer per session: the uniqueness item of `buyer_key` (id, phone or name)."""
    return f"{LIVE_BUYER_PREFIX}{buyer_key}"


def live_comment(tenant_id: str, session_id: str, comment_id: str) -> tuple[str, str]:
    """(33) one captured comment (put if not exists: the same comment id twice changes nothing)."""
    return shop_pk(tenant_id, "LIVECOMMENT", session_id, comment_id), "COMMENT"


def live_comments(tenant_id: str, session_id: str) -> str:
    """(33) gsi1 pk: a session's comments by capture time (the live screen's `since`)."""
    return shop_pk(tenant_id, "LIVE", session_id, "COMMENTS")


def live_polling(shard: int) -> str:
    """(34) gsi2 pk, sparse and sharded, no shop data: open sessions pulling a live video's comments."""
    return f"LIVEPOLL#{shard}"
# --- channels: connections, listings, sync log, webhook events, pushes (docs/channels.md) ------
LISTING_PREFIX = "ITEM#"


def channel_connection(tenant_id: str, connection_id: str) -> tuple[str, str]:
    return shop_pk(tenant_id, "CONNECTION", connection_id), "CONNECTION"


def channel_connections(tenant_id: str) -> str:
    """gsi1 pk of a shop's connections (few per shop: one Query lists them)."""
    return shop_pk(tenant_id, "CONNECTIONS")


def channel_shop(channel: str, platform_shop_id: str) -> tuple[str, str]:
    """Global pointer from a platform's shop id to the Quay shop that connected it: a marketplace
    push names only its shop id. Holds ids only, no shop data (like the login pointer)."""
    return f"CHANNELSHOP#{channel}#{platform_shop_id}", "CHANNELSHOP"


def channel_sync_due(shard: int) -> str:
    """gsi2 pk of the sharded due-time index of connections (the scheduler's fan-out)."""
    return f"CHANNELDUE#{shard}"


def channel_push_due(shard: int) -> str:
    """gsi2 pk of listings whose stock push failed and waits for its retry (sparse)."""
    return f"CHANNELPUSHDUE#{shard}"


def due_sk(due_at: str, tenant_id: str, item_id: str) -> str:
    return f"{due_at}#{tenant_id}#{item_id}"


def channel_listings(tenant_id: str, connection_id: str) -> str:
    return shop_pk(tenant_id, "LISTING", connection_id)


def listing_sk(external_item_id: str, external_model_id: str | None) -> str:
    return f"{LISTING_PREFIX}{external_item_id}#{external_model_id or '0'}"


def listings_of_sku(tenant_id: str, sku_key: str) -> str:
    """gsi1 pk of the listings linked to one SKU (sparse: only linked listings carry it)."""
    return shop_pk(tenant_id, "LISTINGSKU", sku_key)


def channel_log(tenant_id: str, connection_id: str) -> str:
    return shop_pk(tenant_id, "CONNLOG", connection_id)


def channel_event(tenant_id: str, connection_id: str, digest: str) -> tuple[str, str]:
    """One item per delivered webhook body: the same delivery twice is stored once."""
    return shop_pk(tenant_id, "CHANNELEVENT", connection_id, digest), "EVENT"


def channel_status_push(tenant_id: str, order_id: str) -> tuple[str, str]:
    return shop_pk(tenant_id, "CHANNELPUSH", order_id), "STATUS"


def channel_status_due(shard: int) -> str:
    """gsi2 pk of ready-to-ship pushes that failed and wait for their retry (sparse)."""
    return f"CHANNELSTATUSDUE#{shard}"
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
