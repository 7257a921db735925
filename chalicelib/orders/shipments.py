"""Shipments of an order: carrier details, problems, scan-to-pack, printed documents."""
from chalicelib.catalog import rules as catalog_rules
from chalicelib.catalog import service as catalog
from chalicelib.core import clock
from chalicelib.core.documents import render
from chalicelib.core.errors import Conflict, IllegalTransition, NotFound
from chalicelib.core.principal import Principal
from chalicelib.core.uow import UnitOfWork
from chalicelib.orders import documents as order_documents
from chalicelib.orders.aggregate import add_event
from chalicelib.orders.rules import Status
from chalicelib.staff import service as staff

PACKABLE = {Status.confirmed.value, Status.packing.value}


def _find(principal: Principal, shipment_id: str):
    order_id = shipment_id.rsplit("-S", 1)[0]
    item, order = order_documents.load(principal, order_id)
    shipment = next((s for s in order["shipments"] if s["id"] == shipment_id), None)
    if shipment is None:
        raise NotFound("No such shipment.")
    return item, order, shipment


def _save(actor: Principal, item, order: dict, action: str, after: dict, answer: dict, uow: UnitOfWork | None = None) -> dict:
    """One transaction; `answer` is what the request answers (kept for an idempotent replay)."""
    uow = uow or UnitOfWork(actor)
    order_documents.stage_save(uow, item, order)
    order_documents.audit_order(uow, item, action, after=after)
    uow.commit(answer, 200)
    return answer


def update(actor: Principal, shipment_id: str, changes: dict) -> dict:
    item, order, shipment = _find(actor, shipment_id)
    for key in ("carrier", "tracking_number", "cod_amount", "weight_grams"):
        if key in changes:
            shipment[key] = changes[key]
    if changes.get("problem"):
        shipment["status"] = changes["problem"]
    add_event(order, actor, "shipment.update", item.status, item.status, "api", ", ".join(sorted(changes)))
    return _save(actor, item, order, "shipment.updated", {"shipment": shipment_id, **changes}, shipment)


def scan(actor: Principal, shipment_id: str, code: str) -> dict:
    """One scanned item. A code that is not on the shipment, or one item too many, is refused
    (409) and changes nothing: the packer sees at once that the parcel is wrong."""
    item, order, shipment = _find(actor, shipment_id)
    if item.status not in PACKABLE:
        raise IllegalTransition(f"A {item.status} order is not being packed.", extra={"current_status": item.status})
    sku = catalog.sku_for_code(actor.tenant_id, code)
    line = next((x for x in shipment["lines"] if catalog_rules.sku_key(x["sku"]) == catalog_rules.sku_key(sku)), None)
    if line is None:
        raise Conflict(f"Wrong item: {code} is not in this parcel.", errors=[{"field": "code", "message": "not in shipment"}])
    if line["scanned"] >= line["quantity"]:
        raise Conflict(f"Too many: {line['sku']} needs only {line['quantity']}.",
                       errors=[{"field": "code", "message": "already complete"}])
    line["scanned"] += 1
    remaining = [x for x in shipment["lines"] if x["scanned"] < x["quantity"]]
    answer = {"shipment_id": shipment_id, "sku": line["sku"], "scanned": line["scanned"], "quantity": line["quantity"],
              "complete": not remaining, "remaining": remaining}
    return _save(actor, item, order, "shipment.scanned",
                 {"shipment": shipment_id, "sku": line["sku"], "scanned": line["scanned"]}, answer)


def packing_slip(principal: Principal, shipment_id: str) -> str:
    tenant_id = principal.tenant_id
    item, order, shipment = _find(principal, shipment_id)
    names = {x["sku"]: x.get("name") for x in order["lines"]}
    return render("orders/templates/packing_slip.html", shop=staff.get_shop(tenant_id), order=order_documents.view(item, order),
                  shipment=shipment, names=names, printed_at=clock.now_iso())


def receipt(principal: Principal, order_id: str) -> str:
    tenant_id = principal.tenant_id
    item, order = order_documents.load(principal, order_id)
    return render("orders/templates/receipt.html", shop=staff.get_shop(tenant_id), order=order_documents.view(item, order),
                  printed_at=clock.now_iso())


# --- carriers (chalicelib/carriers reaches shipments only through these) ----------------------
CARRIER_FIELDS = frozenset({"carrier", "carrier_account_id", "tracking_number", "carrier_order_id", "shipping_fee",
                            "cod_amount", "carrier_status", "carrier_state", "weight_grams", "expected_delivery"})


def for_carrier(principal: Principal, shipment_id: str) -> tuple[dict, dict]:
    """The order (as its view) and one of its shipments, for quoting, booking and labels: the
    principal's location scope is decided on the order as stored."""
    item, order, shipment = _find(principal, shipment_id)
    return order_documents.view(item, order), shipment


def _carrier_actions(status: Status, order_action: str | None) -> list[tuple[str, dict]]:
    """The order actions that bring an order in `status` to where the carrier's parcel is: a parcel
    delivered before we heard it was picked is handed over, then completed. Nothing moves back."""
    handed = [] if status is not Status.ready_to_ship else [("hand_over", {})]
    if order_action == "hand_over":
        return handed
    if order_action == "complete" and status in (Status.ready_to_ship, Status.shipping):
        return handed + [("complete", {"cod_held_by_carrier": True})]
    if order_action == "return" and status in (Status.ready_to_ship, Status.shipping, Status.completed):
        return handed + [("return", {"received": False, "reason": "carrier return"})]
    return []


def apply_carrier(actor: Principal, shipment_id: str, fields: dict, *, order_action: str | None = None,
                  stage=None, note: str | None = None, via: str = "carrier") -> dict:
    """Carrier facts on a shipment (booked, a new status, canceled) and the order actions its status
    calls for (hand_over, complete, return on its way back), with the caller's writes (`stage(uow)`,
    e.g. the booking record) in the same transaction as the last change. Returns the shipment."""
    from chalicelib.orders import lifecycle
    from chalicelib.orders.rules import Action

    unknown = set(fields) - CARRIER_FIELDS
    if unknown:
        raise ValueError(f"not carrier fields: {sorted(unknown)}")
    item, order, shipment = _find(actor, shipment_id)
    actions = _carrier_actions(Status(item.status), order_action)
    shipment.update(fields)
    if not actions:
        add_event(order, actor, "shipment.carrier", item.status, item.status, via, note)
        uow = UnitOfWork(actor)
        if stage:
            stage(uow)
        return _save(actor, item, order, "shipment.carrier", {"shipment": shipment_id, **fields}, shipment, uow)
    for n, (action, body) in enumerate(actions):
        if n:
            item, order, shipment = _find(actor, shipment_id)
            shipment.update(fields)
        last = n == len(actions) - 1
        lifecycle.act_loaded(actor, item, order, Action(action), {**body, "note": note}, via=via,
                             stage=stage if last else None)
    return shipment


def settle_cod(actor: Principal, shipment_id: str, amount: int, *, stage=None, note: str | None = None) -> dict:
    """A carrier paid out the cash it collected for this parcel: the order is marked paid (mark_paid,
    adding to what was paid before), with the caller's writes (the statement's mark on the booking)."""
    from chalicelib.orders import lifecycle
    from chalicelib.orders.rules import Action, allowed_actions

    item, order, shipment = _find(actor, shipment_id)
    shipment["cod_paid"] = amount
    payment = order["payment"]
    if payment.get("status") == "paid" or Action.mark_paid.value not in allowed_actions(Status(item.status)):
        add_event(order, actor, "shipment.cod_paid", item.status, item.status, "carrier.cod", note)
        uow = UnitOfWork(actor)
        if stage:
            stage(uow)
        return _save(actor, item, order, "shipment.cod_paid", {"shipment": shipment_id, "amount": amount}, shipment, uow)
    total_paid = int(payment.get("amount_paid") or 0) + amount
    lifecycle.act_loaded(actor, item, order, Action.mark_paid, {"amount": total_paid, "method": payment.get("method") or "cod",
                                                                "note": note}, via="carrier.cod", stage=stage)
    return shipment
