"""Reservations: stock promised to orders. Reserve is all-or-nothing and needs no read of the
level (the condition `available >= quantity - allowance` is checked by DynamoDB in the same
transaction), so concurrent confirmations on every channel can never oversell."""
from datetime import datetime, timedelta

from chalicelib.catalog import rules as catalog_rules
from chalicelib.catalog.service import sku_policies
from chalicelib.core import clock, keys, table
from chalicelib.core.errors import Conflict, IllegalTransition, InvalidInput, NotFound
from chalicelib.core.principal import Principal
from chalicelib.core.uow import UnitOfWork
from chalicelib.stock import locations
from chalicelib.stock import rules as rules
from chalicelib.stock.levels import LineChange, apply, level_sk, out_of_stock, refuse_repeated_skus, stock_pk
from chalicelib.stock.store import ReservationItem, ReservationLineMap, StockItem

SHARDS = keys.RESERVATION_SHARDS
CLOSED_KEPT = timedelta(days=30)  # then DynamoDB's TTL removes a closed reservation (the ledger keeps its moves)


def view(item: ReservationItem) -> dict:
    return {"id": item.reservation_id, "location_id": item.location_id, "status": item.status,
            "reference": item.reference, "expires_at": item.expires_at, "created_at": item.created_at,
            "updated_at": item.updated_at, "lines": [{"sku": x.sku, "quantity": int(x.quantity)} for x in item.lines]}


def load(tenant_id: str, reservation_id: str) -> ReservationItem:
    item = table.get_first(ReservationItem, (keys.reservation(tenant_id, reservation_id),
                                             keys.legacy_reservation(tenant_id, reservation_id)))
    if item is None:
        raise NotFound("No such reservation.")
    return item


def stage_reserve(uow: UnitOfWork, policies: dict, *, reservation_id: str, location_id: str, lines: list[dict],
                  expires_at: str | None = None, reference: str | None = None, field: str = "lines") -> dict:
    """Adds a reservation to a unit of work: the location must exist, the reservation id must be
    new, and every line's level must keep `available >= -allowance`. Returns its view."""
    uow.actor.require_location(location_id)
    tenant_id, now = uow.actor.tenant_id, clock.now_iso()
    item = ReservationItem(*keys.reservation(tenant_id, reservation_id),
                           tenant_id=tenant_id, reservation_id=reservation_id, location_id=location_id,
                           lines=[ReservationLineMap(sku=x["sku"], quantity=x["quantity"]) for x in lines],
                           status="active", reference=reference, expires_at=expires_at, created_at=now,
                           updated_at=now)
    if expires_at:
        item.gsi2pk = keys.expiring_reservations(keys.reservation_shard(reservation_id))
        item.gsi2sk = keys.expiry_sk(expires_at, tenant_id, reservation_id)
    locations.check_exists_in(uow, tenant_id, location_id, field="location_id")
    uow.put(item, condition=ReservationItem.pk.does_not_exist(), on_fail=lambda: _AlreadyReserved())
    for n, line in enumerate(lines):
        allowance = int(policies[catalog_rules.sku_key(line["sku"])].allow_backorder or 0)
        need = rules.minimum_available_to_reserve(line["quantity"], allowance)
        change = LineChange(line["sku"], location_id, f"{field}.{n}")
        condition = StockItem.available >= need
        if need <= 0:  # backorder allows reserving where nothing was ever received
            condition = condition | StockItem.available.does_not_exist()
        uow.update(StockItem(stock_pk(tenant_id, line["sku"]), level_sk(location_id)), [
            StockItem.sku.set(line["sku"]), StockItem.location_id.set(location_id),
            StockItem.on_hand.set(StockItem.on_hand | 0), StockItem.incoming.set(StockItem.incoming | 0),
            StockItem.reserved.set((StockItem.reserved | 0) + line["quantity"]),
            StockItem.available.set((StockItem.available | 0) - line["quantity"])],
            condition=condition, on_fail=lambda change=change, q=line["quantity"]: _short(uow.actor, change, q))
    result = view(item)
    uow.audit("reservation.created", "stock", reservation_id, after=result, carried_by=item)
    return result


def reserve(actor: Principal, *, reservation_id: str, location_id: str, lines: list[dict],
            expires_at: datetime | None = None, reference: str | None = None) -> dict:
    """Reserve every line at one location, or nothing. `reservation_id` is the client's token:
    the same id with the same lines returns the first answer; with other lines, 409."""
    refuse_repeated_skus(lines)
    policies = sku_policies(actor.tenant_id, lines)
    expiry = clock.iso(expires_at) if expires_at else None
    if expiry is not None and expiry <= clock.now_iso():
        raise InvalidInput("expires_at must be in the future.", errors=[{"field": "expires_at", "message": "past"}])
    uow = UnitOfWork(actor)
    result = stage_reserve(uow, policies, reservation_id=reservation_id, location_id=location_id, lines=lines,
                           expires_at=expiry, reference=reference)
    try:
        uow.commit()
    except _AlreadyReserved as already:
        existing = view(load(actor.tenant_id, reservation_id))
        same = sorted((catalog_rules.sku_key(x["sku"]), x["quantity"]) for x in existing["lines"]) == \
            sorted((catalog_rules.sku_key(x["sku"]), x["quantity"]) for x in lines)
        if same and existing["location_id"] == location_id:
            return existing
        raise Conflict("This reservation id is already used for other lines.",
                       errors=[{"field": "reservation_id", "message": "already used"}]) from already
    return result


class _AlreadyReserved(Exception):
    pass


def _short(actor: Principal, change: LineChange, quantity: int):
    try:
        level = StockItem.get(stock_pk(actor.tenant_id, change.sku), level_sk(change.location_id))
        available = int(level.available or 0)
    except StockItem.DoesNotExist:
        available = 0
    return out_of_stock(change, max(available, 0), quantity)


def _close(item: ReservationItem, status: str) -> None:
    item.status, item.updated_at, item.ttl = status, clock.now_iso(), clock.now() + CLOSED_KEPT
    item.gsi1pk = item.gsi1sk = item.gsi2pk = item.gsi2sk = None


def _require_active(item: ReservationItem, action: str) -> None:
    if item.status != "active":
        raise IllegalTransition(f"Cannot {action} a reservation that is {item.status}.",
                                extra={"current_status": item.status})


def _close_all(actor: Principal, reservation_ids: list[str], status: str, action: str, changes_of, *,
               extra=None, result_of=None) -> dict:
    """Release or commit several reservations in one transaction (with the caller's `extra`)."""
    items = [load(actor.tenant_id, rid) for rid in reservation_ids]
    for item in items:
        _require_active(item, action)
    changes = [change for item in items for change in changes_of(item)]
    befores = [view(item) for item in items]
    for item in items:
        _close(item, status)

    def stage_headers(uow, movements, at):
        for item, before in zip(items, befores, strict=True):
            uow.put(item, condition=ReservationItem.status == "active",
                    on_fail=lambda: IllegalTransition("The reservation was closed meanwhile."))
            uow.audit(f"reservation.{status}", "stock", item.reservation_id, before=before, after=view(item),
                      carried_by=item)
        if extra:
            extra(uow, movements, at)

    return apply(actor, lambda levels: changes, {c.key for c in changes}, extra=stage_headers,
                 result_for=result_of or (lambda movements: {**view(items[0]), "movements": movements}),
                 status_code=200)


def release(actor: Principal, reservation_id: str | list[str], *, status: str = "released", extra=None,
            result_of=None) -> dict:
    """Give the stock back (cancel, or expiry with status='expired')."""
    ids_ = [reservation_id] if isinstance(reservation_id, str) else reservation_id
    return _close_all(actor, ids_, status, "release", lambda item: [
        LineChange(x.sku, item.location_id, f"lines.{n}", reserved=-int(x.quantity)) for n, x in enumerate(item.lines)],
        extra=extra, result_of=result_of)


def commit(actor: Principal, reservation_id: str | list[str], *, reference_type: str = "reservation",
           reference_id: str | None = None, extra=None, result_of=None) -> dict:
    """Hand-over: the reserved goods leave (on_hand and reserved both down) as shipment movements."""
    ids_ = [reservation_id] if isinstance(reservation_id, str) else reservation_id
    return _close_all(actor, ids_, "committed", "commit", lambda item: [
        LineChange(x.sku, item.location_id, f"lines.{n}", on_hand=-int(x.quantity), reserved=-int(x.quantity),
                   kind=rules.MovementKind.shipment, reference_type=reference_type,
                   reference_id=reference_id or item.reservation_id) for n, x in enumerate(item.lines)],
        extra=extra, result_of=result_of)


def clear_expiry(uow: UnitOfWork, reservation_id: str) -> None:
    """A paid order keeps its hold: the reservation no longer expires."""
    item = ReservationItem(*keys.reservation(uow.actor.tenant_id, reservation_id))
    uow.update(item, [ReservationItem.expires_at.remove(), ReservationItem.gsi2pk.remove(),
                      ReservationItem.gsi2sk.remove()], condition=ReservationItem.status == "active",
               on_fail=lambda: IllegalTransition("The hold expired meanwhile; confirm the order again."))


def expire_due(now: datetime | None = None, limit_per_shard: int = 100, on_expire=None) -> list[str]:
    """The scheduled job: release every active reservation whose expiry has passed.
    `on_expire(reservation)` may return an `extra` that updates its owner in the same transaction."""
    moment = clock.iso(now or clock.now())
    expired = []
    for shard in range(SHARDS):
        due = ReservationItem.by_expiry.query(keys.expiring_reservations(shard), ReservationItem.gsi2sk < moment,
                                              limit=limit_per_shard)
        for entry in due:
            try:
                release(Principal.system(entry.tenant_id), entry.reservation_id, status="expired",
                        extra=on_expire(entry) if on_expire else None)
                expired.append(entry.reservation_id)
            except (IllegalTransition, NotFound):
                continue  # released or committed meanwhile (the index is eventually consistent)
    return expired


def active_totals(tenant_id: str) -> dict[tuple[str, str], int]:
    """Sum of active reservation lines per (SKU key, location), for reconcile."""
    totals: dict[tuple[str, str], int] = {}

    def add(reservation: ReservationItem) -> None:
        for line in reservation.lines:
            key = (catalog_rules.sku_key(line.sku), reservation.location_id)
            totals[key] = totals.get(key, 0) + int(line.quantity)

    for shard in range(SHARDS):
        for entry in ReservationItem.query(keys.reservations_of_shard(tenant_id, shard),
                                           ReservationItem.sk.startswith(keys.RESERVATION_PREFIX),
                                           filter_condition=ReservationItem.status == "active", consistent_read=True):
            add(entry)
        for entry in ReservationItem.active_by_shop.query(keys.active_reservations(tenant_id, shard)):
            fresh = load(tenant_id, entry.reservation_id)  # made before ADR 0016; the index may lag
            if fresh.status == "active":
                add(fresh)
    return totals
