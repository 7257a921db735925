"""Order lifecycle: each action is one transaction with its stock effect (reservations, movements),
the order's new version, customer stats and the audit entry."""
import contextlib
import json

from chalicelib.catalog import rules as catalog_rules
from chalicelib.catalog.service import sku_policies
from chalicelib.core import clock, retry
from chalicelib.core.errors import IllegalTransition, InvalidInput, NotFound, OutOfStock, VersionMismatch
from chalicelib.core.principal import Principal
from chalicelib.core.uow import UnitOfWork
from chalicelib.customers import service as customers
from chalicelib.orders import rules as rules
from chalicelib.orders.documents import add_event, load, saved_view, set_warning, stage_save, view
from chalicelib.orders.routing import route, shipments_for, stage_reservations
from chalicelib.orders.rules import Action, Status, Warning_
from chalicelib.stock import reservations
from chalicelib.stock import rules as stock_rules
from chalicelib.stock.levels import LineChange, apply

ROUTING_ATTEMPTS = 3




def act(actor: Principal, order_id: str, action: Action, body: dict, *, via: str = "api") -> dict:
    item, order = load(actor, order_id)
    if body.get("expected_version") is not None and body["expected_version"] != int(item.version):
        raise VersionMismatch("The order changed since you loaded it; reload it.",
                              extra={"current_version": int(item.version)})
    return act_loaded(actor, item, order, action, body, via=via)


def act_loaded(actor: Principal, item, order: dict, action: Action, body: dict, *, via: str = "api",
               stage=None) -> dict:
    """An action on an order already loaded (and changed) by another use case of this area; `stage(uow)`
    adds the caller's writes to the action's own transaction (a carrier's booking record)."""
    current = Status(item.status)
    target = rules.next_status(current, action, received=body.get("received", True))
    return _HANDLERS[action](actor, item, order, current, target, {**body, "_action": action.value, "_stage": stage}, via)


def _extra(body: dict, uow) -> None:
    if body.get("_stage"):
        body["_stage"](uow)


def _simple(actor, item, order, current, target, body, via, shipment_status=None, note=None, extra_stage=None):
    """A move with no stock effect: status, shipments, timeline, audit, one transaction."""
    order["status"] = target.value
    if shipment_status:
        for shipment in order["shipments"]:
            shipment["status"] = shipment_status
    add_event(order, actor, body["_action"], current.value, target.value, via, note)
    uow = UnitOfWork(actor)
    if extra_stage:
        extra_stage(uow)
    _extra(body, uow)
    stage_save(uow, item, order)
    uow.audit(f"order.{body['_action']}", "order", item.order_id, before={"status": current.value},
              after={"status": target.value, "note": note})
    answer = saved_view(item, order)
    uow.commit(answer, 200)
    return answer


def _confirm(actor, item, order, current, target, body, via):
    blocking = [w for w in order["warnings"] if Warning_(w["code"]) in rules.BLOCKS_CONFIRM]
    if blocking:
        raise IllegalTransition("Fix the order's warnings before confirming it.",
                                extra={"current_status": current.value, "warnings": blocking})
    linked = [x for x in order["lines"] if x["linked"]]
    if order["shipments"] and all(s["reserved"] for s in order["shipments"]):  # paid hold or split
        return _simple(actor, item, order, current, target, body, via)
    policies = rules.line_policies(linked) or sku_policies(actor.tenant_id, linked)
    for attempt in retry.attempts():  # shares the request's retry budget with the commits inside
        if attempt == ROUTING_ATTEMPTS:
            break
        split = bool(order["shipments"]) and not body.get("location_id")
        location_id = None if split else route(actor, order["channel"], linked, policies, body.get("location_id"))
        if not split and location_id is None:
            break
        trial = json.loads(json.dumps(order))
        if not split:
            trial["shipments"] = shipments_for(trial, location_id)
            trial["location_id"] = location_id
        set_warning(trial, Warning_.out_of_stock, None)
        set_warning(trial, Warning_.hold_expired, None)
        trial["status"] = target.value
        add_event(trial, actor, "confirm", current.value, target.value, via, body.get("note"))
        uow = UnitOfWork(actor)
        try:
            stage_reservations(uow, trial, policies)
            stage_save(uow, item, trial)
            uow.audit("order.confirm", "order", item.order_id, before={"status": current.value},
                      after={"status": target.value, "locations": [s["location_id"] for s in trial["shipments"]]})
            answer = saved_view(item, trial)
            uow.commit(answer, 200)
            return answer
        except OutOfStock as short:
            if split or attempt + 1 == ROUTING_ATTEMPTS:
                return _hold_out_of_stock(actor, item, order, short)
    return _hold_out_of_stock(actor, item, order, None)


def _hold_out_of_stock(actor, item, order, cause: OutOfStock | None):
    """Keep the order `new` with a visible out-of-stock warning, then answer 409."""
    detail = cause.detail if cause else "No location serving this channel can fill every line."
    set_warning(order, Warning_.out_of_stock, detail)
    uow = UnitOfWork(actor)
    stage_save(uow, item, order)
    uow.audit("order.held", "order", item.order_id, after={"warning": "out_of_stock", "detail": detail})
    with contextlib.suppress(VersionMismatch):  # changed meanwhile: the 409 below still tells the truth
        uow.commit()
    raise OutOfStock(detail, errors=cause.errors if cause else [], extra={
        "order_id": item.order_id, "current_status": item.status, **(cause.extra if cause else {})})


def _reserved_ids(order: dict) -> list[str]:
    return [s["reservation_id"] for s in order["shipments"] if s["reserved"]]


def _with_reservations(operation, actor, item, order, current, target, body, via, **kwargs):
    """Release or commit the order's reservations in the same transaction as the order."""
    rids = _reserved_ids(order)
    action = body["_action"]

    def stage(uow, movements, at):
        stage_save(uow, item, order)
        _extra(body, uow)
        uow.audit(f"order.{action}", "order", item.order_id, before={"status": current.value},
                  after={"status": target.value, "movements": [m["id"] for m in movements]})
        if action == "cancel":
            customers.stage_order_undone(uow, order["customer"]["id"] if order.get("customer") else None, order["total"])

    for shipment in order["shipments"]:
        shipment["reserved"] = False
    order["status"] = target.value
    add_event(order, actor, action, current.value, target.value, via, body.get("reason") or body.get("note"))
    answer = saved_view(item, order)
    if not rids:
        uow = UnitOfWork(actor)
        stage(uow, [], clock.now_iso())
        uow.commit(answer, 200)
    else:
        operation(actor, rids, extra=stage, result_of=lambda movements: answer, **kwargs)
    return answer


def _cancel(actor, item, order, current, target, body, via):
    booked = [s["id"] for s in order["shipments"] if s.get("carrier_account_id") and s.get("tracking_number")]
    if booked:  # the carrier would still come for the parcel
        raise IllegalTransition("Cancel the carrier booking of this parcel first.",
                                extra={"current_status": current.value, "booked_shipments": booked})
    order["cancel_reason"] = body["note"] = rules.cancel_reason(body.get("reason"))
    order["hold"] = None
    for shipment in order["shipments"]:
        shipment["status"] = "canceled"
    return _with_reservations(reservations.release, actor, item, order, current, target, body, via)


def _hand_over(actor, item, order, current, target, body, via):
    for shipment in order["shipments"]:
        shipment["status"] = "handed_over"
    return _with_reservations(reservations.commit, actor, item, order, current, target, body, via,
                              reference_type="order", reference_id=item.order_id)


def _pack(actor, item, order, current, target, body, via):
    return _simple(actor, item, order, current, target, body, via, shipment_status="processing")


def _mark_ready(actor, item, order, current, target, body, via):
    missing = [{"field": f"shipments.{s['id']}.{x['sku']}", "message": f"scanned {x['scanned']} of {x['quantity']}"}
               for s in order["shipments"] for x in s["lines"] if x["scanned"] != x["quantity"]]
    if missing and not body.get("verified_without_scan"):
        raise IllegalTransition("Scan every item before marking the order ready (or confirm you checked it by hand).",
                                errors=missing, extra={"current_status": current.value})
    note = "verified without scanning" if missing else body.get("note")
    return _simple(actor, item, order, current, target, body, via, shipment_status="ready_to_ship", note=note)


def _complete(actor, item, order, current, target, body, via):
    """Delivered: a COD order is paid, unless a carrier collected the cash (paid when its statement says so)."""
    if order["payment"]["method"] == "cod" and order["payment"]["status"] != "paid" and not body.get("cod_held_by_carrier"):
        order["payment"].update(status="paid", amount_paid=order["total"])
    return _simple(actor, item, order, current, target, body, via, shipment_status="delivered")


def _mark_paid(actor, item, order, current, target, body, via):
    amount = body.get("amount") if body.get("amount") is not None else order["total"]
    order["payment"].update(status="paid" if amount >= order["total"] else "partially_paid", amount_paid=amount,
                            method=body.get("method") or order["payment"]["method"])
    holds = _reserved_ids(order) if current is Status.pending_payment and order.get("hold") else []
    order["hold"] = None if holds else order.get("hold")

    def clear(uow):
        for rid in holds:
            reservations.clear_expiry(uow, rid)

    return _simple(actor, item, order, current, target, body, via, extra_stage=clear)


def _return(actor, item, order, current, target, body, via):
    if target is Status.returning:
        for shipment in order["shipments"]:
            shipment["status"] = "returning"
        return _simple(actor, item, order, current, target, body, via, note=body.get("reason"))
    shipped = {}
    for shipment in order["shipments"]:
        for x in shipment["lines"]:
            shipped.setdefault(catalog_rules.sku_key(x["sku"]), (x["sku"], shipment["location_id"], 0))
            sku, loc, q = shipped[catalog_rules.sku_key(x["sku"])]
            shipped[catalog_rules.sku_key(x["sku"])] = (sku, loc, q + x["quantity"])
    lines = body.get("lines") or [{"sku": sku, "quantity": q, "condition": "restock"} for sku, _, q in shipped.values()]
    errors = []
    for n, line in enumerate(lines):
        known = shipped.get(catalog_rules.sku_key(line["sku"]))
        if known is None:
            errors.append({"field": f"lines.{n}.sku", "message": "not shipped on this order"})
        elif line["quantity"] > known[2]:
            errors.append({"field": f"lines.{n}.quantity", "message": f"only {known[2]} shipped"})
    if errors:
        raise InvalidInput("These lines cannot be returned.", errors=errors)
    for shipment in order["shipments"]:
        shipment["status"] = "returned"
    order["returned_lines"] = lines
    order["status"] = target.value
    add_event(order, actor, "return", current.value, target.value, via, body.get("reason"))
    changes = [LineChange(shipped[catalog_rules.sku_key(x["sku"])][0], shipped[catalog_rules.sku_key(x["sku"])][1],
                          f"lines.{n}", on_hand=x["quantity"], kind=stock_rules.MovementKind.return_,
                          reference_type="order", reference_id=item.order_id, note=body.get("reason"))
               for n, x in enumerate(lines) if x.get("condition", "restock") == "restock"]

    def stage(uow, movements, at):
        stage_save(uow, item, order)
        _extra(body, uow)
        customers.stage_order_undone(uow, order["customer"]["id"] if order.get("customer") else None, order["total"])
        uow.audit("order.return", "order", item.order_id, before={"status": current.value},
                  after={"status": target.value, "lines": lines})

    apply(actor, lambda levels: changes, {c.key for c in changes}, extra=stage, status_code=200)
    return view(item, order)


_HANDLERS = {Action.confirm: _confirm, Action.pack: _pack, Action.mark_ready: _mark_ready,
             Action.hand_over: _hand_over, Action.complete: _complete, Action.cancel: _cancel,
             Action.return_: _return, Action.mark_paid: _mark_paid}


def on_hold_expired(reservation) -> object:
    """For the expiry job: the order of an expired hold shows it, in the same transaction."""
    if not (reservation.reference or "").startswith("order:"):
        return None
    order_id = reservation.reference.removeprefix("order:")
    try:
        item, order = load(Principal.system(reservation.tenant_id), order_id)
    except NotFound:
        return None

    def stage(uow, movements, at):
        for shipment in order["shipments"]:
            if shipment["reservation_id"] == reservation.reservation_id:
                shipment["reserved"] = False
        order["shipments"] = [s for s in order["shipments"] if s["reserved"]]
        order["hold"] = None
        set_warning(order, Warning_.hold_expired, "The unpaid hold expired and its stock was released.")
        add_event(order, Principal.system(reservation.tenant_id), "hold_expired", order["status"], order["status"], "system")
        stage_save(uow, item, order)

    return stage
