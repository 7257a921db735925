"""Alert items: per-shop settings, Telegram link codes, the outbox, overdue watches, low-stock state
and Web Push subscriptions. Key layout: docs/alerts.md#keys (builders in core/keys.py)."""
from pynamodb.attributes import (
    BooleanAttribute,
    MapAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    VersionAttribute,
)

from chalicelib.core.table import Gsi1, Gsi2, Item


class AlertSettingsItem(Item):
    """pk=SHOP#<tenant> sk=ALERTCFG; gsi1 (ALERTSLOT#<HHMM UTC>, tenant) while the daily summary is on,
    so the summary job reads only the shops of its quarter hour."""
    gsi1pk = UnicodeAttribute(null=True)
    gsi1sk = UnicodeAttribute(null=True)
    by_slot = Gsi1()
    tenant_id = UnicodeAttribute()
    telegram_chat_ids = UnicodeSetAttribute(null=True)
    chat_titles = MapAttribute(null=True)  # chat id -> title shown in the PWA
    events = MapAttribute(null=True)       # event name -> bool
    daily_summary_at = UnicodeAttribute(default="21:00")
    overdue_hours = NumberAttribute(default=24)
    timezone = UnicodeAttribute(default="Asia/Ho_Chi_Minh")
    version = VersionAttribute(null=True)


class TelegramLinkItem(Item):
    """pk=SHOP#<tenant>#TGLINK#<secret> sk=TGLINK: a code shown once, used once, gone after `ttl`."""
    tenant_id = UnicodeAttribute()
    staff_id = UnicodeAttribute()
    expires_at = UnicodeAttribute()
    ttl = TTLAttribute()


class AlertItem(Item):
    """pk=SHOP#<tenant>#ALERT#<sha256(alert key)> sk=ALERT: one per (shop, alert key). gsi1 lists a
    shop's alerts newest first; gsi2 (ALERTSEND#<shard>, next_attempt#tenant#digest) exists only while
    it waits to be sent."""
    gsi1pk = UnicodeAttribute()
    gsi1sk = UnicodeAttribute()
    by_time = Gsi1()
    gsi2pk = UnicodeAttribute(null=True)
    gsi2sk = UnicodeAttribute(null=True)
    due = Gsi2()
    tenant_id = UnicodeAttribute()
    alert_id = UnicodeAttribute()
    alert_key = UnicodeAttribute()
    event = UnicodeAttribute()
    text = UnicodeAttribute(null=True)      # Telegram HTML; rendered at send time when null (daily summary)
    context = UnicodeAttribute(null=True)   # JSON the renderer needs when text is null
    push = BooleanAttribute(default=False)  # also to staff browsers (new and problem orders)
    url = UnicodeAttribute(null=True)
    status = UnicodeAttribute()             # pending | sent | failed
    attempts = NumberAttribute(default=0)
    delivered = UnicodeSetAttribute(null=True)  # recipients done ("tg:<chat>", "wp:<digest>")
    gave_up = UnicodeSetAttribute(null=True)    # of those, the ones a permanent error ended (a manual retry tries them)
    last_error = UnicodeAttribute(null=True)
    next_attempt = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()
    sent_at = UnicodeAttribute(null=True)
    version = VersionAttribute()


class OverdueWatchItem(Item):
    """pk=SHOP#<tenant>#ALERTDUE#<order> sk=DUE; gsi2 (ALERTDUE#<shard>, due#tenant#order): an order
    confirmed at `confirmed_at`, to look at when `due` passes."""
    gsi2pk = UnicodeAttribute()
    gsi2sk = UnicodeAttribute()
    by_due = Gsi2()
    tenant_id = UnicodeAttribute()
    order_id = UnicodeAttribute()
    confirmed_at = UnicodeAttribute()


class LowStockStateItem(Item):
    """pk=SHOP#<tenant>#LOWSTOCK#<sku>#<location> sk=LOWSTOCK: whether this level is below its threshold
    as last alerted, and how many times it crossed (the episode names the alert)."""
    tenant_id = UnicodeAttribute()
    sku = UnicodeAttribute()
    location_id = UnicodeAttribute()
    low = BooleanAttribute(default=False)
    episode = NumberAttribute(default=0)
    available = NumberAttribute(null=True)
    threshold = NumberAttribute(null=True)


class PushSubscriptionItem(Item):
    """pk=SHOP#<tenant>#PUSH sk=PUSHSUB#<sha256(endpoint)>: one staff device's browser subscription."""
    tenant_id = UnicodeAttribute()
    staff_id = UnicodeAttribute()
    endpoint = UnicodeAttribute()
    p256dh = UnicodeAttribute()
    auth = UnicodeAttribute()
    created_at = UnicodeAttribute()


# --- the few writes the alert use cases need, with their conditions ------------------------------
def _condition_failed(error: Exception) -> bool:
    cause = getattr(error, "cause_response_code", None) or ""
    return "ConditionalCheckFailed" in str(cause) or "ConditionalCheckFailed" in str(error)


def save_if_new(item) -> bool:
    """Put the item unless one with its key exists: False means it was there (a replay)."""
    from pynamodb.exceptions import PutError

    try:
        item.save(condition=type(item).pk.does_not_exist())
        return True
    except PutError as error:
        if _condition_failed(error):
            return False
        raise


def save_if_unchanged(item) -> bool:
    """Save guarded by the item's version: False means someone else changed it first."""
    from pynamodb.exceptions import PutError

    try:
        item.save()
        return True
    except PutError as error:
        if _condition_failed(error):
            return False
        raise


def delete_if_exists(item) -> bool:
    from pynamodb.exceptions import DeleteError

    try:
        item.delete(condition=type(item).pk.exists())
        return True
    except DeleteError as error:
        if _condition_failed(error):
            return False
        raise


def get_or_none(model, pk: str, sk: str, consistent: bool = True):
    try:
        return model.get(pk, sk, consistent_read=consistent)
    except model.DoesNotExist:
        return None


def set_low_stock(state: LowStockStateItem, *, low: bool, available: int, threshold: int | None) -> bool:
    """Move the state to `low` only if it is not there yet (a replay or a race changes nothing).
    Going low starts a new episode, which names the alert."""
    from pynamodb.exceptions import UpdateError

    condition = (LowStockStateItem.low == (not low)) | LowStockStateItem.low.does_not_exist()
    actions = [LowStockStateItem.low.set(low), LowStockStateItem.available.set(available),
               LowStockStateItem.tenant_id.set(state.tenant_id), LowStockStateItem.sku.set(state.sku),
               LowStockStateItem.location_id.set(state.location_id)]
    actions.append(LowStockStateItem.threshold.set(threshold) if threshold is not None
                   else LowStockStateItem.threshold.remove())
    if low:
        actions.append(LowStockStateItem.episode.add(1))
    try:
        state.update(actions, condition=condition)
        return True
    except UpdateError as error:
        if _condition_failed(error):
            return False
        raise


def alerts_of_shop(pk: str, limit: int, cursor: dict | None):
    return AlertItem.by_time.query(pk, scan_index_forward=False, limit=limit, last_evaluated_key=cursor)


def alerts_due_by(pk: str, moment: str, limit: int):
    """Outbox items of one shard whose next attempt is at or before `moment`, oldest first."""
    return AlertItem.due.query(pk, AlertItem.gsi2sk <= f"{moment}~", limit=limit)


def watches_due_by(pk: str, moment: str, limit: int):
    return OverdueWatchItem.by_due.query(pk, OverdueWatchItem.gsi2sk <= f"{moment}~", limit=limit)


def shops_in_slot(pk: str, limit: int, cursor: dict | None = None):
    return AlertSettingsItem.by_slot.query(pk, limit=limit, last_evaluated_key=cursor)


def push_subscriptions_of(pk: str):
    return list(PushSubscriptionItem.query(pk))


