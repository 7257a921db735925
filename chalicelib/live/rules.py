"""Live-selling decisions without I/O: who a buyer is, what a comment adds to their order, and
what a session's counters say."""
from __future__ import annotations

from collections.abc import Iterable

from chalicelib.live.parser import fold

SESSION_CHANNELS = ("livestream", "facebook", "tiktok", "instagram", "zalo")
DEFAULT_HOLD_MINUTES = 60
MAX_HOLD_MINUTES = 7 * 24 * 60
MAX_ITEMS = 60
OPEN, ENDED = "open", "ended"
HELD_STATUSES = frozenset({"pending_payment"})
NOT_SOLD = frozenset({"pending_payment", "canceled", "returned"})


def buyer_key(author_id: str | None, phone: str | None, name: str) -> str:
    """One order per buyer per session: the platform's author id, else the phone (E.164), else the
    name folded (accents, case and spacing do not make two buyers)."""
    if author_id and author_id.strip():
        return f"ID#{author_id.strip()}"
    if phone:
        return f"PHONE#{phone}"
    return "NAME#" + " ".join(fold(name).split())


def quantities_to_add(wanted: Iterable[tuple[str, int]], ordered: dict[str, int]) -> list[tuple[str, int]]:
    """A comment says how many of a SKU the buyer wants in all: only what exceeds the order is
    added, so repeating a comment ("A1 đỏ M" twice) never doubles it, and a new code adds a line.
    `wanted` is (sku, quantity) as parsed; `ordered` is SKU -> quantity already in the order."""
    merged: dict[str, int] = {}
    for sku, quantity in wanted:
        merged[sku] = max(merged.get(sku, 0), quantity)
    return [(sku, quantity - ordered.get(sku, 0)) for sku, quantity in merged.items() if quantity > ordered.get(sku, 0)]


def ordered_quantities(order: dict) -> dict[str, int]:
    totals: dict[str, int] = {}
    for line in order.get("lines") or []:
        totals[line["sku"]] = totals.get(line["sku"], 0) + int(line["quantity"])
    return totals


def counters(items: list[dict], orders: Iterable[dict]) -> dict[str, dict[str, int]]:
    """SKU -> {held, sold}: held = units on the session's orders still waiting for payment (their
    live holds); sold = units on orders that moved past payment and were not canceled or returned."""
    out = {item["sku"]: {"held": 0, "sold": 0} for item in items}
    for order in orders:
        status = order["status"]
        for shipment in order.get("shipments") or []:
            if status in HELD_STATUSES and shipment.get("reserved"):
                for line in shipment["lines"]:
                    out.setdefault(line["sku"], {"held": 0, "sold": 0})["held"] += int(line["quantity"])
        if status not in NOT_SOLD:
            for line in order.get("lines") or []:
                out.setdefault(line["sku"], {"held": 0, "sold": 0})["sold"] += int(line["quantity"])
    return out


def revenue(orders: Iterable[dict]) -> int:
    """Totals of the session's orders not canceled or returned (held ones included: the live's take)."""
    return sum(int(order["total"]) for order in orders if order["status"] not in ("canceled", "returned"))
