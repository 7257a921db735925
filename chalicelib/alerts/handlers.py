"""What the table's stream tells alerts (chalicelib/flows/stream.py SUBSCRIBERS). Delivery is at least
once and out of order, so every alert is named by a key that one occurrence always gives the same
way (the order and its warning code, the level's low-stock episode, the audit entry's key, the
connection's error time); the outbox creates one item per key, so a replay sends nothing."""
from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta

from chalicelib.alerts import messages, outbox, rules
from chalicelib.alerts import store as db
from chalicelib.alerts.store import LowStockStateItem, OverdueWatchItem
from chalicelib.catalog import rules as catalog_rules
from chalicelib.core import clock, keys
from chalicelib.core.errors import NotFound
from chalicelib.core.settings import alert_delivery
from chalicelib.core.streams import Change
from chalicelib.orders import codec

log = logging.getLogger("quay.alerts")


def _zone(tenant_id: str) -> str:
    settings = outbox.load_settings(tenant_id)
    return (settings.timezone if settings else None) or messages.DEFAULT_ZONE


def order_url(order_id: str) -> str:
    return f"{alert_delivery().app_url}/#/orders/{order_id}"


def on_change(change: Change) -> None:
    handler = {"ORDER": on_order, "STOCK": on_stock, "CONNECTION": on_connection, "AUDIT": on_audit}.get(change.kind)
    if handler and change.tenant_id and change.new is not None:
        handler(change)


# --- orders: new, held by a warning, confirmed (watched for overdue) -------------------------------
def _order(image: dict) -> dict:
    return codec.of_image(image)


def on_order(change: Change) -> None:
    tenant, new, old = change.tenant_id, change.new, change.old or {}
    if not keys.is_order(change.sk):
        return
    order = _order(new)
    zone = _zone(tenant)
    if change.old is None:
        outbox.notify(tenant, "new_order", f"new_order#{order['id']}", url=order_url(order["id"]),
                      text=messages.new_order(order, zone=zone, order_url=order_url(order["id"])))
    for code in rules.new_problems(set(old.get("warning_codes") or ()), set(new.get("warning_codes") or ())):
        warning = next((w for w in order.get("warnings", []) if w.get("code") == code), {"code": code})
        outbox.notify(tenant, "problem_order", f"problem_order#{order['id']}#{code}", url=order_url(order["id"]),
                      text=messages.problem_order(order, warning, zone=zone, order_url=order_url(order["id"])))
    if new.get("status") == "confirmed" and old.get("status") != "confirmed":
        watch_for_overdue(tenant, order, change.at)


def watch_for_overdue(tenant_id: str, order: dict, fallback: datetime) -> None:
    confirmed = next((e["at"] for e in reversed(order.get("timeline") or []) if e.get("to") == "confirmed"),
                     clock.iso(fallback))
    settings = outbox.load_settings(tenant_id)
    hours = int(settings.overdue_hours) if settings and settings.overdue_hours else rules.DEFAULT_OVERDUE_HOURS
    due = datetime.fromisoformat(confirmed.replace("Z", "+00:00")) + timedelta(hours=hours)
    shard = rules.shard_of(f"{tenant_id}#{order['id']}", keys.ALERT_SHARDS)
    OverdueWatchItem(*keys.overdue_watch(tenant_id, order["id"]), gsi2pk=keys.overdue_due(shard),
                     gsi2sk=f"{clock.iso(due)}#{tenant_id}#{order['id']}", tenant_id=tenant_id,
                     order_id=order["id"], confirmed_at=confirmed).save()


# --- stock: crossing the low-stock threshold -------------------------------------------------------
def on_stock(change: Change) -> None:
    """Decided on the level as it is now (read again), so a late record cannot undo a newer state."""
    if not change.sk.startswith(keys.LEVEL_PREFIX):
        return
    from chalicelib.stock import levels, locations

    tenant, sku, location_id = change.tenant_id, change.new.get("sku"), change.new.get("location_id")
    if not sku or not location_id:
        return
    old = change.old or {}
    if change.old is not None and all(old.get(k) == change.new.get(k) for k in ("available", "low_stock_threshold")):
        return  # only incoming or on_hand with reserved moved together: available did not change
    try:
        found = levels.levels_for_sku(tenant, sku)["locations"]
    except NotFound:  # the SKU is gone: nothing to watch
        return
    current = next((x for x in found if x["location_id"] == location_id), None)
    if current is None:
        return
    low, threshold = current["low_stock"], current["low_stock_threshold"]
    state = LowStockStateItem(*keys.low_stock_state(tenant, catalog_rules.sku_key(sku), location_id),
                              tenant_id=tenant, sku=sku, location_id=location_id)
    if not db.set_low_stock(state, low=low, available=current["available"], threshold=threshold) or not low:
        return
    episode = int(db.get_or_none(LowStockStateItem, state.pk, state.sk).episode or 1)
    place = locations.get(tenant, location_id)["name"]
    text = messages.low_stock([{"sku": sku, "name": sku, "location_name": place, "available": current["available"],
                                "threshold": threshold}])
    outbox.notify(tenant, "low_stock", f"low_stock#{sku}#{location_id}#{episode}", text=text)


# --- channel connections: a new or changed last_error -----------------------------------------------
def on_connection(change: Change) -> None:
    new, old = change.new, change.old or {}
    error = new.get("last_error")
    if not error or (error == old.get("last_error") and new.get("last_error_at") == old.get("last_error_at")):
        return
    connection_id = change.pk.split("#")[3] if len(change.pk.split("#")) > 3 else change.pk
    stamp = new.get("last_error_at") or rules.digest(str(error))
    text = messages.channel_error(new.get("name") or connection_id, str(error), channel=new.get("channel"),
                                  at=new.get("last_error_at"), zone=_zone(change.tenant_id))
    outbox.notify(change.tenant_id, "channel_error", f"channel_error#{connection_id}#{stamp}", text=text)


# --- the audit log: settings, roles, permissions ------------------------------------------------------
def on_audit(change: Change) -> None:
    new = change.new
    if change.event != "INSERT" or not rules.is_settings_change(new.get("entity_type", ""), new.get("action", "")):
        return
    from chalicelib.staff import service as staff

    staff_id = new.get("staff_id")
    name = "Hệ thống"
    if staff_id and staff_id != "system":
        try:
            name = staff.load_staff(change.tenant_id, staff_id).name
        except Exception:
            name = staff_id
    entry = {"staff_name": name, "action": new.get("action"), "entity_type": new.get("entity_type"),
             "entity_id": new.get("entity_id"), "before": json.loads(new["before"]) if new.get("before") else None,
             "after": json.loads(new["after"]) if new.get("after") else None, "at": new.get("at")}
    outbox.notify(change.tenant_id, "settings_changed", f"audit#{change.pk}#{change.sk}",
                  text=messages.setting_changed(entry, zone=_zone(change.tenant_id)))
