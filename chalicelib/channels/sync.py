"""Pull one connection: orders updated since the last pull (the window overlaps the previous one,
so an order updated while the last pull ran is not lost; copies already in are unchanged) and
its listings. The scheduled sync and "sync now" run the same function, bounded per run."""
from __future__ import annotations

import logging
import time
from datetime import datetime

from chalicelib.channels import connections, ingest, listings, rules
from chalicelib.channels.providers.base import ChannelError, TokenExpired, Unsupported
from chalicelib.channels.store import ConnectionItem
from chalicelib.core import clock
from chalicelib.core.errors import DomainError, InvalidInput
from chalicelib.core.principal import Principal

log = logging.getLogger("quay.channels")
MAX_ORDER_PAGES = 20      # x 50 orders; more is picked up by the next run (the cursor only moves to what was read)
MAX_LISTING_PAGES = 20
TIME_BUDGET_SECONDS = 240  # well inside a 15-minute Lambda, and an API Gateway "sync now" keeps its own 29 s


def sync_now(actor: Principal, connection_id: str, since: datetime | None) -> dict:
    """Staff asked: listings are fetched too, whenever they were last."""
    item = connections.load(actor, connection_id)
    if item.channel == "website":
        raise InvalidInput("A website sends its orders by webhook; there is nothing to pull.",
                           errors=[{"field": "connection_id", "message": "website"}])
    return run(item, since=since, budget_seconds=20, with_listings=True)


def run(item: ConnectionItem, since: datetime | None = None, budget_seconds: float = TIME_BUDGET_SECONDS,
        with_listings: bool = False) -> dict:
    started = time.monotonic()
    answer = {"orders_created": 0, "orders_updated": 0, "listings_seen": 0, "errors": []}
    if item.status == "disabled" or item.channel == "website":
        return answer
    now = clock.now()
    start, end = rules.pull_window(_time(item.pulled_until), now, since)
    pulled_until, health = None, None
    try:
        pulled_until = _pull_orders(item, start, end, answer, started, budget_seconds)
        last_listings = _time(item.listings_synced_at)
        if with_listings or last_listings is None or now - last_listings >= rules.LISTINGS_EVERY:
            _pull_listings(item, answer, started, budget_seconds)
            item.update(actions=[ConnectionItem.listings_synced_at.set(clock.iso(now))])
    except TokenExpired as error:  # the connection is marked expired already: reconnect
        answer["errors"].append({"code": error.code or "token_expired", "message": error.message})
    except ChannelError as error:
        answer["errors"].append({"code": error.code or type(error).__name__, "message": error.message})
        health = error.message
    connections.synced(item, pulled_until, health)
    if not (answer["errors"] or answer["orders_created"] or answer["orders_updated"] or answer["listings_seen"]):
        return answer  # a quiet pull leaves no log entry (10,000 shops x every 5 minutes)
    connections.log(item, "sync", "error" if answer["errors"] else "ok",
                    answer["errors"][0]["message"] if answer["errors"] else None,
                    {k: answer[k] for k in ("orders_created", "orders_updated", "listings_seen")}
                    | {"since": clock.iso(start), "until": clock.iso(pulled_until or start)})
    return answer


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def _pull_orders(item: ConnectionItem, start: datetime, end: datetime, answer: dict, started: float,
                 budget: float) -> datetime | None:
    """Walk windows from `start` to `end` (platforms cap a window, e.g. Shopee's 15 days). Returns
    how far every order is in; pages cut short by the budget leave the cursor where it was read."""
    reached = None
    while start < end:
        cursor, window_until = None, end
        for _ in range(MAX_ORDER_PAGES):
            page = connections.with_fresh_tokens(item, lambda adapter, c=cursor, s=start: adapter.pull_orders(s, end, c))
            window_until = page.window_until
            for order in page.orders:
                _count(answer, item, order)
            cursor = page.next_cursor
            if not cursor or time.monotonic() - started > budget:
                break
        if cursor:  # stopped inside this window: the next run starts over from here (copies are unchanged)
            return reached
        reached = window_until
        start = window_until
        if time.monotonic() - started > budget:
            break
    return reached


def _count(answer: dict, item: ConnectionItem, order) -> None:
    try:
        outcome = ingest.ingest(item, order)
    except DomainError as error:  # one unreadable order must not stop the others; it shows in the log
        answer["errors"].append({"code": error.code, "message": f"{order.external_id}: {error.detail}"})
        return
    if outcome == "created":
        answer["orders_created"] += 1
    elif outcome == "updated":
        answer["orders_updated"] += 1


def _pull_listings(item: ConnectionItem, answer: dict, started: float, budget: float) -> None:
    cursor = None
    for _ in range(MAX_LISTING_PAGES):
        try:
            page = connections.with_fresh_tokens(item, lambda adapter, c=cursor: adapter.list_listings(c))
        except Unsupported:
            return
        answer["listings_seen"] += listings.seen_all(item, page.listings)
        cursor = page.next_cursor
        if not cursor or time.monotonic() - started > budget:
            return
