"""What an order adds to the rollups, and how rollup rows become report rows. Pure.

Revenue counts an order on the local day it was created: its total, none for a canceled order,
less what was refunded for returned lines. `orders` counts every order created, `canceled` those
canceled, `returned` those with a return; aov = revenue / (orders - canceled), rounded down."""
from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

FIELDS = ("orders", "units", "revenue", "canceled", "returned")
NO_LOCATION = "-"
NO_STAFF = "-"
# group_by -> (dimension without a location filter, dimension with one)
DIMENSIONS = {"day": ("total", "location"), "week": ("total", "location"), "month": ("total", "location"),
              "channel": ("channel", "channel_loc"), "product": ("product", "product_loc"),
              "staff": ("staff", "staff_loc"), "location": ("location", "location")}


# The dimensions with a key per SKU are also kept per ISO week (by its Monday), so a month's report
# reads about four weeks and a few days of items, not thirty days' (ADR 0014).
WEEKLY = {"product": "product_week", "product_loc": "product_loc_week"}


def local_day(iso_time: str, time_zone: str) -> str:
    moment = datetime.fromisoformat(iso_time.replace("Z", "+00:00"))
    return moment.astimezone(ZoneInfo(time_zone)).date().isoformat()


def order_location(document: dict) -> str:
    if document.get("location_id"):
        return document["location_id"]
    shipments = document.get("shipments") or []
    return shipments[0]["location_id"] if shipments else NO_LOCATION


def contribution(document: dict) -> dict[str, dict[str, int]]:
    """"dimension|key" -> figures this order adds, as it is now (its status, returns, location)."""
    canceled = document["status"] == "canceled"
    returned_qty: dict[str, int] = defaultdict(int)
    for line in document.get("returned_lines") or []:
        returned_qty[line["sku"].upper()] += int(line["quantity"])
    refunded = 0
    per_sku: dict[str, dict[str, int]] = {}
    for line in document["lines"]:
        sku = line["sku"]
        quantity = int(line["quantity"])
        back = min(quantity, returned_qty.pop(sku.upper(), 0))
        refunded += back * int(line["unit_price"])
        units = 0 if canceled else quantity - back
        figures = per_sku.setdefault(sku, {"orders": 1, "units": 0, "revenue": 0, "canceled": int(canceled),
                                           "returned": int(back > 0)})
        figures["units"] += units
        figures["revenue"] += units * int(line["unit_price"])
        figures["returned"] = max(figures["returned"], int(back > 0))
    returned = bool(document.get("returned_lines"))
    order = {"orders": 1, "units": sum(f["units"] for f in per_sku.values()),
             "revenue": 0 if canceled else max(0, int(document["total"]) - refunded),
             "canceled": int(canceled), "returned": int(returned)}
    where, channel = order_location(document), document["channel"]
    staff = document.get("sold_by") or NO_STAFF
    out = {"total|all": order, f"channel|{channel}": order, f"location|{where}": order,
           f"channel_loc|{where}|{channel}": order, f"staff|{staff}": order, f"staff_loc|{where}|{staff}": order}
    customer = (document.get("customer") or {}).get("id")
    if customer:
        out[f"customer|{customer}"] = order
    for sku, figures in per_sku.items():
        out[f"product|{sku}"] = figures
        out[f"product_loc|{where}|{sku}"] = figures
    return out


def difference(old: dict[str, dict[str, int]], new: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """What to add to each rollup to move it from `old` to `new` (zero rows left out)."""
    out = {}
    for key in old.keys() | new.keys():
        delta = {f: new.get(key, {}).get(f, 0) - old.get(key, {}).get(f, 0) for f in FIELDS}
        if any(delta.values()):
            out[key] = delta
    return out


def aov(figures: dict) -> int:
    kept = figures["orders"] - figures["canceled"]
    return figures["revenue"] // kept if kept > 0 else 0


def bucket(day: str, group_by: str) -> str:
    """The row a day falls in: itself, its ISO week's Monday, or its month."""
    if group_by == "week":
        d = date.fromisoformat(day)
        return (d - timedelta(days=d.weekday())).isoformat()
    if group_by == "month":
        return day[:7]
    return day


def week_start(day: str) -> str:
    return bucket(day, "week")


def weekly(contribution_of_order: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """The part of an order's contribution kept per week too, under the weekly dimensions."""
    out = {}
    for key, figures in contribution_of_order.items():
        dimension, _, rest = key.partition("|")
        if dimension in WEEKLY:
            out[f"{WEEKLY[dimension]}|{rest}"] = figures
    return out


def spans(day_from: str, day_to: str) -> list[tuple[str, str, bool]]:
    """[day_from, day_to] as (first, last, weekly) spans: the whole ISO weeks inside it (first and last
    are then the Mondays of the first and the last whole week) and the days before and after them."""
    start, end = date.fromisoformat(day_from), date.fromisoformat(day_to)
    first_monday = start + timedelta(days=(7 - start.weekday()) % 7)
    last_sunday = end - timedelta(days=(end.weekday() + 1) % 7)
    if first_monday > last_sunday:
        return [(day_from, day_to, False)]
    out = []
    if start < first_monday:
        out.append((day_from, (first_monday - timedelta(days=1)).isoformat(), False))
    out.append((first_monday.isoformat(), (last_sunday - timedelta(days=6)).isoformat(), True))
    if last_sunday < end:
        out.append(((last_sunday + timedelta(days=1)).isoformat(), day_to, False))
    return out


FULL_WEEK_FROM = 5  # days of a week in the range from which its week item less its other days is fewer reads


def reads(day_from: str, day_to: str) -> list[tuple[str, str, bool, int]]:
    """How to read [day_from, day_to] of a dimension kept per week with the fewest items, as
    (first, last, weekly, sign): whole weeks from the weekly rollups; a week of which the range holds
    five or six days as that week less its other days (sign -1: taken away); fewer, as days."""
    out = []
    for first, last, by_week in spans(day_from, day_to):
        if by_week:
            out.append((first, last, True, 1))
            continue
        start, end = date.fromisoformat(first), date.fromisoformat(last)
        while start <= end:  # the part of the span in one ISO week
            monday = start - timedelta(days=start.weekday())
            sunday = monday + timedelta(days=6)
            stop = min(end, sunday)
            if (stop - start).days + 1 < FULL_WEEK_FROM:
                out.append((start.isoformat(), stop.isoformat(), False, 1))
            else:
                out.append((monday.isoformat(), monday.isoformat(), True, 1))
                if monday < start:
                    out.append((monday.isoformat(), (start - timedelta(days=1)).isoformat(), False, -1))
                if stop < sunday:
                    out.append(((stop + timedelta(days=1)).isoformat(), sunday.isoformat(), False, -1))
            start = stop + timedelta(days=1)
    return out


def add(into: dict, figures: dict) -> None:
    for f in FIELDS:
        into[f] = into.get(f, 0) + int(figures.get(f, 0))


def rows_from(rollups: list[tuple[str, str, dict]], group_by: str, keep=lambda key: True) -> tuple[list[dict], dict]:
    """(day, key, figures) rollup rows -> report rows by group_by, newest day first for time groupings,
    biggest revenue first otherwise; plus the totals."""
    grouped: dict[str, dict] = {}
    for day, key, figures in rollups:
        if not keep(key):
            continue
        row_key = bucket(day, group_by) if group_by in ("day", "week", "month") else key.split("|")[-1]
        add(grouped.setdefault(row_key, {}), figures)
    totals: dict = {}
    rows = []
    by_time = group_by in ("day", "week", "month")
    for row_key, figures in grouped.items():
        if not by_time and not any(figures.values()):
            continue  # sold only on days a week's figures were read less (rules.reads): nothing in the range
        add(totals, figures)
        figures = {**dict.fromkeys(FIELDS, 0), **figures}
        rows.append({"key": row_key, **figures, "aov": aov(figures)})
    if group_by in ("day", "week", "month"):
        rows.sort(key=lambda r: r["key"])
    else:
        rows.sort(key=lambda r: (-r["revenue"], r["key"]))
    totals = {**dict.fromkeys(FIELDS, 0), **totals}
    return rows, {**totals, "aov": aov(totals)}
