"""Stock levels and the movement ledger. on_hand changes only through a movement written in
the same transaction as the level, guarded by the on_hand value it was computed from, so
the ledger's balance_after is exact and the ledger always sums to on_hand."""
from dataclasses import dataclass

from chalicelib.catalog import rules as catalog_rules
from chalicelib.catalog.service import known_sku
from chalicelib.core import clock, ids, keys, paging, retry, table
from chalicelib.core.errors import Contention, InvalidInput, NotFound, OutOfStock
from chalicelib.core.principal import Principal
from chalicelib.core.uow import UnitOfWork
from chalicelib.stock import rules as rules
from chalicelib.stock.store import LedgerItem, StockItem


def stock_pk(tenant_id: str, sku: str) -> str:
    return keys.stock(tenant_id, catalog_rules.sku_key(sku))


def ledger_pk(tenant_id: str, sku: str) -> str:
    return keys.ledger(tenant_id, catalog_rules.sku_key(sku))


def level_sk(location_id: str) -> str:
    return keys.level_sk(location_id)


@dataclass
class LineChange:
    """The effect of one request line on one stock level (and its ledger entry)."""
    sku: str
    location_id: str
    field: str  # names the line in errors, e.g. "lines.2"
    on_hand: int = 0
    reserved: int = 0
    incoming: int = 0
    kind: rules.MovementKind | None = None
    require_available: int | None = None
    reason: str | None = None
    unit_cost: int | None = None
    reference_type: str | None = None
    reference_id: str | None = None
    note: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        return catalog_rules.sku_key(self.sku), self.location_id


class _Stale(Exception):
    """A level changed between our read and our write: read again and retry."""


def level_view(item: StockItem | None, sku: str, location_id: str) -> dict:
    if item is None:
        return {"location_id": location_id, "on_hand": 0, "reserved": 0, "available": 0, "incoming": 0}
    return {"location_id": item.location_id, "on_hand": int(item.on_hand or 0), "reserved": int(item.reserved or 0),
            "available": int(item.available or 0), "incoming": int(item.incoming or 0)}


def read_levels(tenant_id: str, level_keys: set[tuple[str, str]]) -> dict[tuple[str, str], StockItem]:
    found = table.batch_get(StockItem, [(stock_pk(tenant_id, sku), level_sk(loc)) for sku, loc in level_keys])
    return {(catalog_rules.sku_key(i.sku), i.location_id): i for i in found}


def refuse_repeated_skus(lines: list[dict], field: str = "lines") -> None:
    seen: dict[str, int] = {}
    errors = []
    for n, line in enumerate(lines):
        key = catalog_rules.sku_key(line["sku"])
        if key in seen:
            errors.append({"field": f"{field}.{n}.sku", "message": f"repeats {field}.{seen[key]}.sku"})
        seen.setdefault(key, n)
    if errors:
        raise InvalidInput("A SKU appears on more than one line; put it on one line.", errors=errors)


def out_of_stock(change: LineChange, available: int, quantity: int) -> OutOfStock:
    return OutOfStock(
        f"Not enough stock of {change.sku} at this location: {available} available, {quantity} needed.",
        errors=[{"field": f"{change.field}.quantity", "message": f"only {available} available"}],
        extra={"sku": change.sku, "location_id": change.location_id, "available": available})


def stage(uow: UnitOfWork, changes: list[LineChange], levels: dict, at: str) -> list[dict]:
    """Adds each change's level update (and ledger entry) to the unit of work.
    Returns the movements written."""
    movements = []
    tenant_id = uow.actor.tenant_id
    # Every stock move goes through here, so location scope is decided here: goods may be sent
    # *to* any location (incoming), but on_hand and reservations change only where one works.
    uow.actor.require_locations({c.location_id for c in changes if c.on_hand or c.reserved})
    for change in changes:
        current = levels.get(change.key)
        old_on_hand = int(current.on_hand or 0) if current else 0
        old_available = int(current.available or 0) if current else 0
        if change.require_available is not None and old_available < change.require_available:
            raise out_of_stock(change, old_available, change.require_available)
        target = StockItem(stock_pk(tenant_id, change.sku), level_sk(change.location_id))
        actions = [StockItem.sku.set(change.sku), StockItem.location_id.set(change.location_id),
                   StockItem.available.set((StockItem.available | 0) + (change.on_hand - change.reserved)),
                   StockItem.reserved.set((StockItem.reserved | 0) + change.reserved),
                   StockItem.incoming.set((StockItem.incoming | 0) + change.incoming)]
        condition = None
        if change.on_hand:
            # Guarded by the value it was computed from, so the ledger's balance_after is exact.
            actions.append(StockItem.on_hand.set(old_on_hand + change.on_hand))
            condition = (StockItem.on_hand == old_on_hand) if current else StockItem.pk.does_not_exist()
        else:
            actions.append(StockItem.on_hand.set(StockItem.on_hand | 0))
        if change.require_available is not None:
            enough = StockItem.available >= change.require_available
            if change.require_available <= 0:  # a backorder allowance covers a level never stocked
                enough = enough | StockItem.available.does_not_exist()
            condition = enough if condition is None else condition & enough
        uow.update(target, actions, condition=condition, on_fail=lambda: _Stale())
        if change.on_hand:
            movements.append(_ledger(uow, change, old_on_hand + change.on_hand, at))
    return movements


def _ledger(uow: UnitOfWork, change: LineChange, balance_after: int, at: str) -> dict:
    movement_id = ids.new_id()
    tenant_id = uow.actor.tenant_id
    item = LedgerItem(ledger_pk(tenant_id, change.sku), keys.ledger_sk(change.location_id, at, movement_id),
                      gsi1pk=ledger_pk(tenant_id, change.sku), gsi1sk=f"{at}#{movement_id}",
                      movement_id=movement_id, sku=change.sku, location_id=change.location_id,
                      kind=change.kind.value, quantity=change.on_hand, balance_after=balance_after,
                      staff_id=uow.actor.staff_id, at=at, reason=change.reason, unit_cost=change.unit_cost,
                      reference_type=change.reference_type, reference_id=change.reference_id, note=change.note)
    uow.put(item)
    return movement_view(item)


def movement_view(item: LedgerItem) -> dict:
    return {"id": item.movement_id, "sku": item.sku, "location_id": item.location_id, "kind": item.kind,
            "quantity": int(item.quantity), "balance_after": int(item.balance_after), "staff_id": item.staff_id,
            "at": item.at, "reason": item.reason, "unit_cost": None if item.unit_cost is None else int(item.unit_cost),
            "reference": {"type": item.reference_type, "id": item.reference_id} if item.reference_type else None,
            "note": item.note}


def apply(actor: Principal, changes_for, level_keys: set[tuple[str, str]], *,
          extra=None, result_for=None, status_code: int = 201):
    """Read the levels, stage the changes, commit; on a concurrent change, read again.
    `changes_for(levels)` builds the LineChanges; `extra(uow, movements)` adds other items;
    `result_for(movements)` shapes the answer (stored for idempotent replays)."""
    for _ in retry.attempts():
        levels = read_levels(actor.tenant_id, level_keys)
        changes = changes_for(levels)
        uow = UnitOfWork(actor)
        at = clock.now_iso()
        movements = stage(uow, changes, levels, at)
        if extra:
            extra(uow, movements, at)
        result = result_for(movements) if result_for else movements
        try:
            uow.commit(result, status_code)
            return result
        except _Stale:
            continue  # core/retry.py waits before the next attempt
    raise Contention("Stock is changing fast at this location; please retry.")


def levels_for_sku(tenant_id: str, sku: str) -> dict:
    """Every location's level with its low-stock flag (location override, else the SKU's threshold)."""
    policy = known_sku(tenant_id, sku)
    items = StockItem.query(stock_pk(tenant_id, sku), StockItem.sk.startswith(keys.LEVEL_PREFIX), consistent_read=True)
    locations = []
    for item in items:
        level = level_view(item, sku, item.location_id)
        threshold = item.low_stock_threshold if item.low_stock_threshold is not None else policy.low_stock_threshold
        level["low_stock_threshold"] = None if threshold is None else int(threshold)
        level["low_stock"] = threshold is not None and level["available"] <= int(threshold)
        locations.append(level)
    totals = {k: sum(loc[k] for loc in locations) for k in ("on_hand", "reserved", "available", "incoming")}
    return {"sku": policy.sku, "locations": locations, "totals": totals}


def set_location_threshold(actor: Principal, sku: str, location_id: str, threshold: int | None) -> dict:
    actor.require_location(location_id)
    known_sku(actor.tenant_id, sku)
    uow = UnitOfWork(actor)
    uow.update(StockItem(stock_pk(actor.tenant_id, sku), level_sk(location_id)), [
        StockItem.low_stock_threshold.set(threshold) if threshold is not None else StockItem.low_stock_threshold.remove()],
        condition=StockItem.pk.exists(), on_fail=lambda: NotFound("This SKU has no stock level at that location yet."))
    uow.audit("stock.threshold_changed", "stock", f"{sku}@{location_id}", after={"low_stock_threshold": threshold})
    uow.commit()
    return levels_for_sku(actor.tenant_id, sku)


def ledger_for_sku(tenant_id: str, sku: str, limit: int, cursor: str | None) -> dict:
    pk = ledger_pk(tenant_id, sku)
    results = LedgerItem.by_time.query(pk, scan_index_forward=False, limit=limit,
                                       last_evaluated_key=paging.decode(cursor, keys.cursor_scope(tenant_id)))
    return {"items": [movement_view(i) for i in results], "next_cursor": paging.encode(results.last_evaluated_key)}


def on_hand_at(tenant_id: str, sku: str, location_id: str, moment: str) -> int:
    """on_hand at a past moment: the balance after the last movement at or before it."""
    results = LedgerItem.query(ledger_pk(tenant_id, sku),
                               LedgerItem.sk.between(*keys.ledger_until(location_id, moment)),
                               scan_index_forward=False, limit=1, consistent_read=True)
    last = next(iter(results), None)
    return int(last.balance_after) if last else 0
