"""Scheduled functions (EventBridge in AWS, infra/scheduler.py locally)."""
import logging

from chalice import Blueprint, Cron, Rate

from chalicelib.core.lazy import lazy

order_actions = lazy("chalicelib.orders.lifecycle")
staff = lazy("chalicelib.staff.service")
reconcile = lazy("chalicelib.stock.reconcile")
reservations = lazy("chalicelib.stock.reservations")


jobs = Blueprint(__name__)
log = logging.getLogger("quay.jobs")


@jobs.schedule(Rate(1, unit=Rate.MINUTES), description="Release expired stock holds")
def expire_reservations(event):
    expired = reservations.expire_due(on_expire=order_actions.on_hold_expired)
    if expired:
        log.info("released %d expired reservations", len(expired))
    return {"expired": expired}


@jobs.schedule(Cron(30, 19, "*", "*", "?", "*"), description="Nightly stock invariant check (02:30 ICT)")
def reconcile_stock(event):
    reports = [r for r in (reconcile.check_shop(t) for t in staff.all_shop_ids()) if r["drifts"]]
    for report in reports:
        log.error("stock drift in shop %s: %s", report["tenant_id"], report["drifts"])
    return {"shops_with_drift": len(reports)}
