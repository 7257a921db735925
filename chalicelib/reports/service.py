"""The owner's reports, read from the rollups (a date range of one dimension is one Query), never
from the orders. Days are the shop's local days."""
import csv
import io
from datetime import date, timedelta

from chalicelib.catalog import service as catalog
from chalicelib.core import clock
from chalicelib.core.errors import InvalidInput, NotPermitted
from chalicelib.core.principal import Principal
from chalicelib.core.text import csv_cell
from chalicelib.customers import service as customers
from chalicelib.reports import rollups, rules
from chalicelib.staff import service as staff
from chalicelib.stock import levels, locations

TIME_GROUPS = ("day", "week", "month")
MAX_DAYS = 366
CHANNEL_NAMES = {"pos": "Tại quầy", "website": "Website", "facebook": "Facebook", "zalo": "Zalo",
                 "livestream": "Livestream", "shopee": "Shopee", "lazada": "Lazada", "tiktok_shop": "TikTok Shop",
                 "phone": "Điện thoại", "instagram": "Instagram", "tiktok": "TikTok"}


def _check_range(day_from: date, day_to: date) -> None:
    if day_to < day_from:
        raise InvalidInput("The range ends before it starts.", errors=[{"field": "to", "message": "before from"}])
    if (day_to - day_from).days >= MAX_DAYS:
        raise InvalidInput("At most 366 days per report.", errors=[{"field": "to", "message": "range too long"}])


def _locations_of(principal: Principal, location_id: str | None) -> list[str] | None:
    """The locations a report may show: the one asked for, the caller's own, or all (None)."""
    if location_id:
        principal.require_location(location_id)
        return [location_id]
    return None if principal.everywhere else list(principal.location_ids)


def _labels(tenant_id: str, group_by: str, keys_: list[str]) -> dict[str, str]:
    if group_by == "channel":
        return {k: CHANNEL_NAMES.get(k, k) for k in keys_}
    if group_by == "location":
        names = {loc["id"]: loc["name"] for loc in locations.list_all(tenant_id)}
        return {k: names.get(k, "Chưa xếp kho" if k == rules.NO_LOCATION else k) for k in keys_}
    if group_by == "staff":
        names = {s["id"]: s["name"] for s in staff.list_staff(tenant_id)}
        return {k: names.get(k, "Hệ thống" if k == rules.NO_STAFF else k) for k in keys_}
    if group_by == "product" and keys_:
        try:
            known = catalog.prices_for(tenant_id, catalog.sku_policies(tenant_id, [{"sku": k} for k in keys_]))
        except InvalidInput:  # a SKU renamed or gone since it sold: its code is its label
            known = {}
        return {k: " / ".join(filter(None, [known.get(k.upper(), {}).get("name"), known.get(k.upper(), {}).get("variant")])) or k
                for k in keys_}
    return {k: k for k in keys_}


def sales(principal: Principal, *, day_from: date, day_to: date, group_by: str, channel: str | None = None,
          location_id: str | None = None) -> dict:
    _check_range(day_from, day_to)
    where = _locations_of(principal, location_id)
    if channel and group_by in ("product", "staff"):
        raise InvalidInput("The channel filter goes with a grouping by time, channel or location.",
                           errors=[{"field": "channel", "message": f"not with group_by={group_by}"}])
    if channel and group_by == "location":
        dimension = "channel_loc"
    elif channel and group_by in TIME_GROUPS:
        dimension = "channel_loc" if where else "channel"
    else:
        dimension = rules.DIMENSIONS[group_by][1 if where else 0]

    def keep(key: str) -> bool:
        parts = key.split("|")
        if where is not None and dimension != "total" and parts[0] not in where:
            return False
        return not channel or parts[-1] == channel if dimension in ("channel", "channel_loc") else True

    found = rollups.read_range(principal.tenant_id, dimension, day_from.isoformat(), day_to.isoformat())
    if channel and group_by == "location":  # rows by location: the channel's part of each
        found = [(day, key.split("|")[0], figures) for day, key, figures in found if key.split("|")[-1] == channel]
        dimension = "location"
    rows, totals = rules.rows_from(found, group_by, keep)
    if group_by == "product":  # an order of two products is one order: the totals come from the orders
        whole = "location" if where else "total"
        _, totals = rules.rows_from(rollups.read(principal.tenant_id, whole, day_from.isoformat(), day_to.isoformat()),
                                    "day", lambda key: where is None or key in where)
    labels = _labels(principal.tenant_id, group_by, [r["key"] for r in rows])
    return {"from": day_from.isoformat(), "to": day_to.isoformat(), "group_by": group_by,
            "rows": [{**r, "label": labels.get(r["key"], r["key"])} for r in rows], "totals": totals}


def day_summary(tenant_id: str, day: str) -> dict:
    """One local day for the evening message: totals, by channel, the five best sellers."""
    system = Principal.system(tenant_id)
    when = date.fromisoformat(day)
    total = sales(system, day_from=when, day_to=when, group_by="day")["totals"]
    by_channel = sales(system, day_from=when, day_to=when, group_by="channel")["rows"]
    best = sales(system, day_from=when, day_to=when, group_by="product")["rows"][:5]
    return {"day": day, "totals": total, "channels": by_channel, "best_sellers": best}


def customers_report(principal: Principal, *, day_from: date, day_to: date, top: int = 10) -> dict:
    """New (first order ever in the range) vs returning buyers, and the best customers by revenue."""
    _check_range(day_from, day_to)
    if not principal.everywhere:
        raise NotPermitted("The customers report is shop-wide; ask the owner.", code="location_not_assigned")
    per_customer: dict[str, dict] = {}
    for _, key, figures in rollups.read(principal.tenant_id, "customer", day_from.isoformat(), day_to.isoformat()):
        rules.add(per_customer.setdefault(key, {}), figures)
    buyers = {k: v for k, v in per_customer.items() if v["orders"] > v["canceled"]}
    profiles = customers.profiles(principal.tenant_id, list(buyers))
    zone = rollups.shop_time_zone(principal.tenant_id)
    new = sum(1 for cid in buyers if (profiles.get(cid, {}).get("stats") or {}).get("first_order_at") and
              rules.local_day(profiles[cid]["stats"]["first_order_at"], zone) >= day_from.isoformat())
    ranked = sorted(buyers.items(), key=lambda kv: (-kv[1]["revenue"], kv[0]))[:top]
    return {"from": day_from.isoformat(), "to": day_to.isoformat(), "new": new, "returning": len(buyers) - new,
            "top": [{"customer_id": cid, "name": (profiles.get(cid) or {}).get("name"), "orders": f["orders"] - f["canceled"],
                     "revenue": f["revenue"]} for cid, f in ranked]}


def stock_report(principal: Principal, *, location_id: str | None = None, slow_days: int = 30) -> dict:
    """Stock value at cost, what is low, and what has not sold in `slow_days` (at the caller's locations)."""
    where = _locations_of(principal, location_id)
    costs, names = {}, {}
    for product in catalog.all_products(principal.tenant_id):
        for v in product["variants"]:
            costs[v["sku"].upper()], names[v["sku"].upper()] = v["cost"] or 0, product["name"]
    today = date.fromisoformat(rules.local_day(clock.now_iso(), rollups.shop_time_zone(principal.tenant_id)))
    units: dict[str, int] = {}
    for _, key, f in rollups.read_range(principal.tenant_id, "product_loc" if where else "product",
                                        (today - timedelta(days=slow_days)).isoformat(), today.isoformat()):
        if where is None or key.split("|")[0] in where:
            units[key.split("|")[-1].upper()] = units.get(key.split("|")[-1].upper(), 0) + f["units"]
    sold = {sku for sku, n in units.items() if n > 0}
    value, low, slow = 0, [], []
    for sku in catalog.all_skus(principal.tenant_id):
        level = levels.levels_for_sku(principal.tenant_id, sku)
        mine = [loc for loc in level["locations"] if where is None or loc["location_id"] in where]
        on_hand = sum(loc["on_hand"] for loc in mine)
        value += on_hand * costs.get(sku.upper(), 0)
        low += [{"sku": sku, "name": names.get(sku.upper()), "location_id": loc["location_id"],
                 "available": loc["available"], "threshold": loc["low_stock_threshold"]} for loc in mine if loc["low_stock"]]
        if on_hand > 0 and sku.upper() not in sold:
            slow.append({"sku": sku, "name": names.get(sku.upper()), "on_hand": on_hand,
                         "value": on_hand * costs.get(sku.upper(), 0)})
    slow.sort(key=lambda s: -s["value"])
    return {"stock_value": value, "low_stock": low, "slow_movers": slow, "slow_days": slow_days}


def as_csv(report: dict) -> str:
    """The sales rows as Excel opens them (UTF-8 with BOM, Vietnamese headers)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Nhóm", "Tên", "Số đơn", "Số lượng", "Doanh thu", "Đơn hủy", "Đơn trả", "Giá trị TB/đơn"])
    for r in report["rows"] + [{**report["totals"], "key": "TỔNG", "label": ""}]:
        writer.writerow([csv_cell(r["key"]), csv_cell(r["label"]),
                         *(r[f] for f in ("orders", "units", "revenue", "canceled", "returned", "aov"))])
    return "\ufeff" + out.getvalue()
