"""Scheduled alert work, each bounded per run and fanned out by index, never by a scan of shops:
overdue orders (a sharded due-time index of confirmed orders), the daily summary (shops indexed by
their summary's UTC quarter hour) and the outbox sender (a sharded index of pending alerts)."""
import logging
from datetime import timedelta

from chalice import Blueprint, Cron, Rate

from chalicelib.core import clock, keys
from chalicelib.core.errors import NotFound
from chalicelib.core.lazy import lazy
from chalicelib.core.principal import Principal

messages = lazy("chalicelib.alerts.messages")
outbox = lazy("chalicelib.alerts.outbox")
rules = lazy("chalicelib.alerts.rules")
db = lazy("chalicelib.alerts.store")
orders = lazy("chalicelib.orders.service")

alert_jobs = Blueprint(__name__)
log = logging.getLogger("quay.alerts")
WATCHES_PER_SHARD = 100
SHOPS_PER_RUN = 2000


def check_overdue() -> dict:
    """Confirmed orders whose overdue time has passed: still confirmed (not packed) -> one alert."""
    now = clock.now()
    alerted = looked = 0
    for shard in range(keys.ALERT_SHARDS):
        for watch in db.watches_due_by(keys.overdue_due(shard), clock.iso(now), WATCHES_PER_SHARD):
            looked += 1
            try:
                order = orders.get(Principal.system(watch.tenant_id), watch.order_id)
            except NotFound:
                order = None
            if order and order["status"] == "confirmed":
                from chalicelib.alerts.handlers import _zone, order_url

                settings = outbox.load_settings(watch.tenant_id)
                hours = int(settings.overdue_hours) if settings else rules.DEFAULT_OVERDUE_HOURS
                text = messages.overdue_order(order, confirmed_at=watch.confirmed_at, now=now, overdue_hours=hours,
                                              zone=_zone(watch.tenant_id), order_url=order_url(order["id"]))
                alerted += outbox.notify(watch.tenant_id, "overdue_order", f"overdue_order#{order['id']}",
                                         text=text, url=order_url(order["id"])) is not None
            db.delete_if_exists(watch)
    return {"looked_at": looked, "alerted": alerted}


def queue_daily_summaries(slots: int = 2) -> dict:
    """Shops whose summary time falls in this quarter hour (and the one before, in case a run was
    missed): one outbox item each, keyed by the local day; the sender renders and sends them."""
    now = clock.now()
    queued = 0
    for back in range(slots):
        moment = now - timedelta(minutes=rules.SLOT_MINUTES * back)
        cursor, seen = None, 0
        while seen < SHOPS_PER_RUN:
            page = db.shops_in_slot(keys.summary_slot(rules.slot_of(moment)), 200, cursor)
            for shop in page:
                seen += 1
                zone = shop.timezone or messages.DEFAULT_ZONE
                day = rules.local_day(moment, zone)
                queued += outbox.notify(shop.tenant_id, "daily_summary", f"daily_summary#{day}",
                                        context={"date": day, "zone": zone}, deliver_now=False) is not None
            cursor = page.last_evaluated_key
            if not cursor:
                break
    return {"queued": queued}


@alert_jobs.schedule(Rate(5, unit=Rate.MINUTES), description="Alert on confirmed orders not packed in time")
def overdue_orders(event):
    return check_overdue()


@alert_jobs.schedule(Cron("0/15", "*", "*", "*", "?", "*"), description="Queue each shop's daily summary")
def daily_summaries(event):
    return queue_daily_summaries()


@alert_jobs.schedule(Rate(1, unit=Rate.MINUTES), description="Send pending alerts, retrying with backoff")
def send_alerts(event):
    return outbox.send_due()
