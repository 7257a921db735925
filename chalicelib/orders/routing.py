"""Where an order ships from: the first location serving its channel (by priority) that can fill
every line, and the reservations of its shipments."""
from datetime import timedelta

from chalicelib.catalog import rules as catalog_rules
from chalicelib.core import clock, ids
from chalicelib.core.errors import InvalidInput, NotFound, NotPermitted, OutOfStock
from chalicelib.core.principal import Principal
from chalicelib.core.uow import UnitOfWork
from chalicelib.orders.aggregate import set_warning
from chalicelib.orders.documents import merged_lines
from chalicelib.orders.rules import Warning_
from chalicelib.stock import locations, reservations
from chalicelib.stock import rules as stock_rules
from chalicelib.stock.levels import read_levels


def candidate_locations(tenant_id: str, channel: str, preferred: str | None) -> list[str]:
    """The given location, or those serving the channel by priority."""
    if preferred:
        try:
            return [locations.get(tenant_id, preferred)["id"]]
        except NotFound as error:
            raise InvalidInput("Unknown location.", errors=[{"field": "location_id", "message": "unknown"}]) from error
    active = [loc for loc in locations.list_all(tenant_id) if loc["active"]]
    serving = sorted((entry["priority"], loc["id"]) for loc in active for entry in loc["channels"]
                     if entry["channel"] == channel)
    if serving:
        return [location_id for _, location_id in serving]
    # No location lists this channel: any location may fill it, warehouses before stores.
    return [loc["id"] for loc in sorted(active, key=lambda loc: loc["kind"] != "warehouse")]


def route(principal: Principal, channel: str, lines: list[dict], policies: dict,
          preferred: str | None = None) -> str | None:
    """The first location (by priority for this channel) that can fill every line, among those the
    principal works at; no split."""
    tenant_id = principal.tenant_id
    principal.require_location(preferred)
    candidates = principal.within_my_locations(candidate_locations(tenant_id, channel, preferred))
    if not candidates:
        raise NotPermitted("None of your locations can ship this order.", code="location_not_assigned")
    wanted = merged_lines(lines)
    levels = read_levels(tenant_id, {(catalog_rules.sku_key(x["sku"]), loc) for x in wanted for loc in candidates})
    for location_id in candidates:
        if all(_can_fill(levels, policies, x, location_id) for x in wanted):
            return location_id
    return None


def _can_fill(levels: dict, policies: dict, line: dict, location_id: str) -> bool:
    key = catalog_rules.sku_key(line["sku"])
    level = levels.get((key, location_id))
    available = int(level.available or 0) if level else 0
    return available >= stock_rules.minimum_available_to_reserve(line["quantity"], int(policies[key].allow_backorder or 0))


def shipments_for(order: dict, location_id: str) -> list[dict]:
    return [{"id": f"{order['id']}-S1", "location_id": location_id, "reservation_id": None, "reserved": False,
             "status": "created", "carrier": None, "tracking_number": None, "cod_amount": None, "weight_grams": None,
             "lines": [{"sku": x["sku"], "quantity": x["quantity"], "scanned": 0} for x in order["lines"] if x["linked"]],
             "created_at": clock.now_iso()}]


def stage_reservations(uow: UnitOfWork, order: dict, policies: dict, expires_at: str | None = None) -> None:
    for shipment in order["shipments"]:
        shipment["reservation_id"] = f"{shipment['id']}.{ids.new_id()[-8:]}"
        reservations.stage_reserve(uow, policies, reservation_id=shipment["reservation_id"],
                                   location_id=shipment["location_id"], lines=merged_lines(shipment["lines"]),
                                   expires_at=expires_at, reference=f"order:{order['id']}")
        shipment["reserved"] = True


def hold_unpaid(uow: UnitOfWork, order: dict, policies: dict, minutes: int, *, location_id: str | None = None,
                required: bool = False) -> None:
    """Hold an unpaid order's stock until it expires (at `location_id` when given). Without stock the
    order keeps an out-of-stock warning, or (`required`, a live capture) nothing is written: OutOfStock."""
    if not (required and location_id):  # a required hold at a known location needs no routing read:
        location_id = route(uow.actor, order["channel"], order["lines"], policies, location_id)
    if location_id is None and required:  # the reservation's own conditions (location, stock) decide
        raise OutOfStock("Not enough stock to hold for this order.", extra={"lines": merged_lines(order["lines"])})
    if location_id is None:
        set_warning(order, Warning_.out_of_stock, "Not enough stock to hold for this unpaid order.")
        return
    expires_at = clock.iso(clock.now() + timedelta(minutes=minutes))
    order["shipments"] = shipments_for(order, location_id)
    order["hold"] = {"expires_at": expires_at}
    stage_reservations(uow, order, policies, expires_at)
