"""Goods in, out and between locations: receipts, adjustments, transfers, stocktakes."""
from chalicelib.catalog import rules as catalog_rules
from chalicelib.catalog.service import sku_policies
from chalicelib.core import clock, ids, keys
from chalicelib.core.errors import InvalidInput, NotFound, VersionMismatch
from chalicelib.core.principal import Principal
from chalicelib.stock import locations
from chalicelib.stock import rules as rules
from chalicelib.stock.levels import LineChange, apply, on_hand_at, refuse_repeated_skus
from chalicelib.stock.store import TransferItem, TransferLineMap


def _check_lines(actor: Principal, lines: list[dict], *location_ids: str) -> None:
    """The first location is where stock moves: the principal must work there (a transfer may go
    to any destination)."""
    actor.require_location(location_ids[0])
    for n, location_id in enumerate(location_ids):
        locations.require_existing(actor.tenant_id, [location_id], field=("location_id", "to_location_id")[min(n, 1)])
    refuse_repeated_skus(lines)
    sku_policies(actor.tenant_id, lines)


def receive_goods(actor: Principal, *, location_id: str, lines: list[dict], note: str | None) -> dict:
    """Goods from a supplier: on_hand up, with the unit cost for stock value."""
    _check_lines(actor, lines, location_id)
    receipt_id = ids.new_id()
    changes = [LineChange(line["sku"], location_id, f"lines.{n}", on_hand=line["quantity"],
                          kind=rules.MovementKind.receipt, unit_cost=line.get("unit_cost"),
                          reference_type="receipt", reference_id=receipt_id, note=note)
               for n, line in enumerate(lines)]

    def extra(uow, movements, at):
        uow.audit("stock.received", "stock", receipt_id, after={"location_id": location_id, "lines": lines})

    return apply(actor, lambda levels: changes, {c.key for c in changes}, extra=extra,
                 result_for=lambda movements: {"id": receipt_id, "location_id": location_id, "note": note,
                                               "movements": movements})


def adjust(actor: Principal, *, location_id: str, sku: str, delta: int, reason: str, note: str | None) -> dict:
    """A signed correction with a reason; a decrease may not take stock promised to orders."""
    _check_lines(actor, [{"sku": sku}], location_id)
    change = LineChange(sku, location_id, "body", on_hand=delta, kind=rules.MovementKind.adjustment,
                        reason=reason, note=note,
                        require_available=rules.minimum_available_to_remove(-delta) if delta < 0 else None)

    def extra(uow, movements, at):
        uow.audit("stock.adjusted", "stock", movements[0]["id"], after=movements[0])

    return apply(actor, lambda levels: [change], {change.key}, extra=extra,
                 result_for=lambda movements: movements[0])


# --- transfers --------------------------------------------------------------------------
def _transfer_view(item: TransferItem) -> dict:
    return {"id": item.transfer_id, "from_location_id": item.from_location_id, "to_location_id": item.to_location_id,
            "status": item.status, "note": item.note, "created_at": item.created_at, "updated_at": item.updated_at,
            "lines": [{"sku": line.sku, "sent": int(line.sent), "received": int(line.received or 0),
                       "in_transit": int(line.sent) - int(line.received or 0)} for line in item.lines]}


def send_transfer(actor: Principal, *, from_location_id: str, to_location_id: str, lines: list[dict],
                  note: str | None) -> dict:
    """Step one: goods leave the source (on_hand down) and show as incoming at the destination."""
    if from_location_id == to_location_id:
        raise InvalidInput("A transfer needs two different locations.",
                           errors=[{"field": "to_location_id", "message": "same as from_location_id"}])
    _check_lines(actor, lines, from_location_id, to_location_id)
    transfer_id, now = ids.new_id(), clock.now_iso()
    changes = []
    for n, line in enumerate(lines):
        changes.append(LineChange(line["sku"], from_location_id, f"lines.{n}", on_hand=-line["quantity"],
                                  kind=rules.MovementKind.transfer_out, reference_type="transfer",
                                  reference_id=transfer_id, note=note,
                                  require_available=rules.minimum_available_to_remove(line["quantity"])))
        changes.append(LineChange(line["sku"], to_location_id, f"lines.{n}", incoming=line["quantity"]))
    item = TransferItem(*keys.transfer(actor.tenant_id, transfer_id), transfer_id=transfer_id,
                        from_location_id=from_location_id, to_location_id=to_location_id, status="in_transit",
                        note=note, created_at=now, updated_at=now,
                        lines=[TransferLineMap(sku=line["sku"], sent=line["quantity"], received=0) for line in lines])
    view = _transfer_view(item)

    def extra(uow, movements, at):
        uow.put(item, condition=TransferItem.pk.does_not_exist())
        uow.audit("transfer.sent", "stock", transfer_id, after=view)

    return apply(actor, lambda levels: changes, {c.key for c in changes}, extra=extra,
                 result_for=lambda movements: {**view, "movements": movements})


def load_transfer(tenant_id: str, transfer_id: str) -> TransferItem:
    try:
        return TransferItem.get(*keys.transfer(tenant_id, transfer_id), consistent_read=True)
    except TransferItem.DoesNotExist as error:
        raise NotFound("No such transfer.") from error


def get_transfer(tenant_id: str, transfer_id: str) -> dict:
    return _transfer_view(load_transfer(tenant_id, transfer_id))


def receive_transfer(actor: Principal, transfer_id: str, lines: list[dict] | None) -> dict:
    """Step two: what arrived moves from incoming to on_hand; the rest stays in transit."""
    item = load_transfer(actor.tenant_id, transfer_id)
    actor.require_location(item.to_location_id)
    by_sku = {catalog_rules.sku_key(line.sku): line for line in item.lines}
    if lines is None:  # everything still in transit
        lines = [{"sku": line.sku, "quantity": int(line.sent) - int(line.received or 0)}
                 for line in item.lines if int(line.sent) > int(line.received or 0)]
    refuse_repeated_skus(lines)
    errors = []
    for n, line in enumerate(lines):
        sent = by_sku.get(catalog_rules.sku_key(line["sku"]))
        if sent is None:
            errors.append({"field": f"lines.{n}.sku", "message": "not on this transfer"})
        elif line["quantity"] > int(sent.sent) - int(sent.received or 0):
            errors.append({"field": f"lines.{n}.quantity",
                           "message": f"only {int(sent.sent) - int(sent.received or 0)} in transit"})
    if errors or not lines:
        raise InvalidInput("These lines cannot be received.",
                           errors=errors or [{"field": "lines", "message": "nothing left in transit"}])
    changes = [LineChange(line["sku"], item.to_location_id, f"lines.{n}", on_hand=line["quantity"],
                          incoming=-line["quantity"], kind=rules.MovementKind.transfer_in,
                          reference_type="transfer", reference_id=transfer_id) for n, line in enumerate(lines)]
    before = _transfer_view(item)
    for line in lines:
        target = by_sku[catalog_rules.sku_key(line["sku"])]
        target.received = int(target.received or 0) + line["quantity"]
    item.status = "received" if all(int(x.received) >= int(x.sent) for x in item.lines) else "partially_received"
    item.updated_at = clock.now_iso()
    after = _transfer_view(item)

    def extra(uow, movements, at):
        uow.put(item, on_fail=lambda: VersionMismatch("This transfer was received meanwhile; reload it."))
        uow.audit("transfer.received", "stock", transfer_id, before=before, after=after)

    return apply(actor, lambda levels: changes, {c.key for c in changes}, extra=extra,
                 result_for=lambda movements: {**after, "movements": movements}, status_code=200)


# --- stocktake --------------------------------------------------------------------------
def submit_stocktake(actor: Principal, *, location_id: str, lines: list[dict], note: str | None) -> dict:
    """A count sheet. Each line's difference is taken against on_hand when that line was
    counted (`counted_at`), so sales during the count are not erased."""
    _check_lines(actor, lines, location_id)
    stocktake_id, now = ids.new_id(), clock.now_iso()
    expected = {}
    for n, line in enumerate(lines):
        counted_at = line.get("counted_at") or now
        if counted_at > now:
            raise InvalidInput("A count cannot be in the future.",
                               errors=[{"field": f"lines.{n}.counted_at", "message": "in the future"}])
        expected[n] = on_hand_at(actor.tenant_id, line["sku"], location_id, counted_at)
    report = [{"sku": line["sku"], "counted": line["counted"], "expected": expected[n],
               "difference": rules.stocktake_delta(line["counted"], expected[n])} for n, line in enumerate(lines)]
    changes = [LineChange(line["sku"], location_id, f"lines.{n}", on_hand=report[n]["difference"],
                          kind=rules.MovementKind.stocktake, reason="stocktake", reference_type="stocktake",
                          reference_id=stocktake_id, note=note,
                          require_available=(rules.minimum_available_to_remove(-report[n]["difference"])
                                             if report[n]["difference"] < 0 else None))
               for n, line in enumerate(lines) if report[n]["difference"] != 0]

    def extra(uow, movements, at):
        uow.audit("stocktake.submitted", "stock", stocktake_id, after={"location_id": location_id, "lines": report})

    return apply(actor, lambda levels: changes, {c.key for c in changes}, extra=extra,
                 result_for=lambda movements: {"id": stocktake_id, "location_id": location_id, "lines": report,
                                               "movements": movements})
