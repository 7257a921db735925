"""Pure alert decisions: defaults, the summary's UTC slot, retry backoff, threshold crossings,
which audit entries are settings changes, and the day's figures from order summaries. No I/O."""
from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

EVENTS = ("new_order", "problem_order", "overdue_order", "low_stock", "daily_summary", "settings_changed",
          "channel_error")
DEFAULT_EVENTS = {event: event != "new_order" for event in EVENTS}  # a new order is opt-in
DEFAULT_SUMMARY_AT = "21:00"
DEFAULT_OVERDUE_HOURS = 24
SLOT_MINUTES = 15
MAX_ATTEMPTS = 8
BASE_BACKOFF_SECONDS = 30
MAX_BACKOFF_SECONDS = 6 * 3600
LEASE_SECONDS = 120   # a claimed item is not picked again by another sender for this long
PUSHED_EVENTS = ("new_order", "problem_order")
# Audit entries that are a settings, role or permission change (who, what, before -> after).
SETTINGS_ENTITY_TYPES = ("setting", "staff", "role", "permission", "channel_connection", "carrier_account",
                         "invoice_settings", "alert_settings", "location")
IGNORED_ACTIONS = ("signup.",)
# Warnings that hold an order (messages.WARNING_REASONS explains them); customer_matched is a note.
PROBLEM_WARNINGS = ("out_of_stock", "product_not_linked", "incomplete_recipient", "cancel_requested", "hold_expired")


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def shard_of(text: str, shards: int) -> int:
    return int(digest(text)[:8], 16) % shards


def events_with_defaults(events: dict | None) -> dict:
    return {event: bool((events or {}).get(event, DEFAULT_EVENTS[event])) for event in EVENTS}


def summary_slot(daily_summary_at: str, zone: str, on: datetime) -> str:
    """The UTC quarter hour (`HHMM`) in which `daily_summary_at` local time falls on the day of `on`."""
    hours, minutes = (int(x) for x in daily_summary_at.split(":"))
    local_day = on.astimezone(ZoneInfo(zone)).date()
    local = datetime(local_day.year, local_day.month, local_day.day, hours, minutes, tzinfo=ZoneInfo(zone))
    moment = local.astimezone(UTC)
    return f"{moment.hour:02d}{moment.minute - moment.minute % SLOT_MINUTES:02d}"


def slot_of(moment: datetime) -> str:
    moment = moment.astimezone(UTC)
    return f"{moment.hour:02d}{moment.minute - moment.minute % SLOT_MINUTES:02d}"


def local_day(moment: datetime, zone: str) -> str:
    return moment.astimezone(ZoneInfo(zone)).date().isoformat()


def day_bounds_utc(day: str, zone: str) -> tuple[datetime, datetime]:
    """[start, end) of a local calendar day, in UTC."""
    start = datetime.fromisoformat(day).replace(tzinfo=ZoneInfo(zone))
    return start.astimezone(UTC), (start + timedelta(days=1)).astimezone(UTC)


def backoff(attempts: int, retry_after: float | None = None) -> timedelta:
    """Wait before attempt number `attempts + 1`: the platform's retry_after if it gave one, else
    exponential from 30 s, at most 6 h."""
    if retry_after is not None:
        return timedelta(seconds=max(1.0, float(retry_after)))
    return timedelta(seconds=min(MAX_BACKOFF_SECONDS, BASE_BACKOFF_SECONDS * 2 ** max(0, attempts - 1)))


def is_low(available: int, threshold: int | None) -> bool:
    return threshold is not None and available <= threshold


def is_settings_change(entity_type: str, action: str) -> bool:
    return entity_type in SETTINGS_ENTITY_TYPES and not action.startswith(IGNORED_ACTIONS)


def new_problems(before: set[str], after: set[str]) -> list[str]:
    return sorted(code for code in after - before if code in PROBLEM_WARNINGS)
