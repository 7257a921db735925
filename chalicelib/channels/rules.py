"""Pure channel rules: pull windows, due times and backoff, listing ids, OAuth state, and what a
platform's status means for our order. No I/O."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import zlib
from datetime import datetime, timedelta

from chalicelib.channels.canonical import ChannelStatus

MARKETPLACES = ("shopee", "lazada", "tiktok_shop")
CONNECTABLE = (*MARKETPLACES, "website")
STATUSES = ("active", "error", "expired", "disabled")

PULL_EVERY = timedelta(minutes=5)       # the scheduled pull per connection (webhooks carry the rest)
LISTINGS_EVERY = timedelta(hours=24)    # listings change rarely and cost a call per item with variants (ADR 0013)
PULL_OVERLAP = timedelta(minutes=10)    # each pull starts this much before the last one ended
FIRST_PULL = timedelta(days=3)          # a new connection brings the last three days
REFRESH_BEFORE = timedelta(hours=2)     # tokens are refreshed this long before they expire
COALESCE_SECONDS = 1                    # stock changes of one listing within this delay go out as one push
PUSH_SAFETY_NET = timedelta(minutes=2)  # a requested push whose worker vanished is picked up by the job
PUSH_LEASE = timedelta(seconds=60)      # longer than a push with its retries (3 x 8 s timeouts)
MAX_BACKOFF = timedelta(hours=1)
WARN_AFTER_ATTEMPTS = 3                 # failed pushes in a row before the connection shows the error
STATUS_PUSH_ATTEMPTS = 6
DUE_SHARDS = 16
LOG_TTL = timedelta(days=30)
EVENT_TTL = timedelta(days=7)
STATE_TTL = timedelta(minutes=15)
MAX_WEBHOOK_BYTES = 256 * 1024          # a DynamoDB item holds 400 KB; platforms send a few KB


def pull_window(pulled_until: datetime | None, now: datetime, since: datetime | None = None) -> tuple[datetime, datetime]:
    """[start, now): from the caller's `since`, else overlapping the last pull, else the first days."""
    if since is not None:
        return min(since, now), now
    if pulled_until is None:
        return now - FIRST_PULL, now
    return min(pulled_until - PULL_OVERLAP, now), now


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 ... minutes, at most an hour."""
    return min(MAX_BACKOFF, timedelta(minutes=2 ** max(0, attempts - 1)))


def shard_of(*parts: str) -> int:
    return zlib.crc32("#".join(parts).encode()) % DUE_SHARDS


def token_due(expires_at: datetime | None, now: datetime) -> bool:
    return expires_at is not None and expires_at - now <= REFRESH_BEFORE


def listing_id(connection_id: str, external_item_id: str, external_model_id: str | None) -> str:
    return f"{connection_id}.{external_item_id}.{external_model_id or '0'}"


def parse_listing_id(value: str) -> tuple[str, str, str | None] | None:
    parts = value.split(".", 2)
    if len(parts) != 3 or not all(parts):
        return None
    return parts[0], parts[1], None if parts[2] == "0" else parts[2]


def sign_state(secret: str, payload: dict) -> str:
    """An OAuth `state` the callback can trust: the shop, staff member, channel and expiry, signed."""
    body = base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode().rstrip("=")
    mac = hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()[:32]
    return f"{body}.{mac}"


def read_state(secret: str, state: str, now: datetime) -> dict | None:
    body, _, mac = (state or "").partition(".")
    expected = hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()[:32]
    if not body or not hmac.compare_digest(expected, mac):
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except ValueError:
        return None
    if not isinstance(payload, dict) or payload.get("exp", 0) < now.timestamp():
        return None
    return payload


# What a platform's status asks of our order, given where ours stands. None: nothing to do (the
# same news twice, or older news after newer, lands here: every move below is forward only).
_MOVES: dict[ChannelStatus, dict[str, str]] = {
    ChannelStatus.canceled: {s: "cancel" for s in ("pending_payment", "new", "confirmed", "packing", "ready_to_ship")},
    ChannelStatus.cancel_requested: {s: "flag_cancel_requested" for s in ("pending_payment", "new", "confirmed",
                                                                          "packing", "ready_to_ship")},
    ChannelStatus.shipping: {"ready_to_ship": "hand_over"},
    ChannelStatus.delivered: {"shipping": "complete"},
    ChannelStatus.completed: {"shipping": "complete"},
    ChannelStatus.returning: {"shipping": "return_on_the_way", "completed": "return_on_the_way"},
    ChannelStatus.returned: {"shipping": "return_received", "completed": "return_received",
                             "returning": "return_received"},
    ChannelStatus.new: {"pending_payment": "mark_paid"},
    ChannelStatus.ready_to_ship: {"pending_payment": "mark_paid"},
}


def move_for(platform: ChannelStatus, ours: str) -> str | None:
    return _MOVES.get(platform, {}).get(ours)


def quantity_to_push(available: int) -> int:
    return max(0, int(available))
