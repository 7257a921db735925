"""Order lifecycle use cases: load the order, let the aggregate decide (orders/aggregate.py), stage
the order (carrying its audit entry) with the outcome's stock effect, commit as one transaction. The
customer's statistics follow from the stream (flows/customer_orders.py)."""
import contextlib

from chalicelib.catalog.service import sku_policies
from chalicelib.core import clock, retry
from chalicelib.core.errors import IllegalTransition, NotFound, OutOfStock, VersionMismatch
from chalicelib.core.principal import Principal
from chalicelib.core.uow import UnitOfWork
from chalicelib.orders import rules as rules
from chalicelib.orders.aggregate import Order, Outcome, decide
from chalicelib.orders.documents import audit_order, load, saved_view, stage_save, view
from chalicelib.orders.routing import candidate_locations, route, shipments_for, stage_reservations
from chalicelib.orders.rules import Action
from chalicelib.stock import reservations
from chalicelib.stock.levels import LineChange, apply
from chalicelib.stock.rules import MovementKind

ROUTING_ATTEMPTS = 3


def act(actor: Principal, order_id: str, action: Action, body: dict, *, via: str = "api") -> dict:
    item, document = load(actor, order_id)
    Order(document).check_version(body.get("expected_version"), int(item.version))
    return act_loaded(actor, item, document, action, body, via=via)


def act_loaded(actor: Principal, item, document: dict, action: Action, body: dict, *, via: str = "api",
               stage=None) -> dict:
    """An action on an order already loaded (and changed) by another use case of this area; `stage(uow)`
    adds the caller's writes to the action's own transaction (a carrier's booking record)."""
    order = Order(document)
    target = rules.next_status(order.status, action, received=body.get("received", True))
    if action is Action.confirm:
        return _confirm(actor, item, order, target, body, via)
    return _commit(actor, item, order, decide(order, action, target, actor, via, body), stage)


def _commit(actor: Principal, item, order: Order, outcome: Outcome, extra_stage=None) -> dict:
    """The order (carrying its audit entry) and the stock effect (and the calling use case's own writes,
    `extra_stage(uow)`): one transaction. The customer's statistics follow from the stream."""
    def stage(uow: UnitOfWork, movements: list[dict], at: str) -> None:
        if extra_stage:
            extra_stage(uow)
        stage_save(uow, item, order.document)
        before, after = outcome.audit(movements)
        audit_order(uow, item, f"order.{outcome.action}", before=before, after=after)

    effect = outcome.stock
    answer = saved_view(item, order.document)
    if effect is None or effect.kind == "clear_expiry":
        uow = UnitOfWork(actor)
        for reservation_id in effect.reservation_ids if effect else ():
            reservations.clear_expiry(uow, reservation_id)
        stage(uow, [], clock.now_iso())
        uow.commit(answer, 200)
    elif effect.kind == "release":
        reservations.release(actor, list(effect.reservation_ids), extra=stage, result_of=lambda movements: answer)
    elif effect.kind == "commit":
        reservations.commit(actor, list(effect.reservation_ids), extra=stage, result_of=lambda movements: answer,
                            reference_type="order", reference_id=item.order_id)
    else:  # restock
        changes = [LineChange(r.sku, r.location_id, r.field, on_hand=r.quantity, kind=MovementKind.return_,
                              reference_type="order", reference_id=item.order_id, note=effect.note)
                   for r in effect.restock]
        apply(actor, lambda levels: changes, {c.key for c in changes}, extra=stage, status_code=200)
        return view(item, order.document)
    return answer


def _confirm(actor: Principal, item, order: Order, target, body: dict, via: str) -> dict:
    """Reserve at the location routing picks (or the one named, or the split's own), retrying the
    choice when the stock moved meanwhile; without stock the order stays `new`, held and saying why."""
    blocking = order.confirm_blockers()
    if blocking:
        raise IllegalTransition("Fix the order's warnings before confirming it.",
                                extra={"current_status": order.status.value, "warnings": blocking})
    if order.already_reserved():
        return _commit(actor, item, order, order.confirm_reserved(actor, target, via))
    linked = [x for x in order.document["lines"] if x["linked"]]
    policies = rules.line_policies(linked) or sku_policies(actor.tenant_id, linked)
    split = bool(order.shipments) and not body.get("location_id")
    hint = None if split or body.get("location_id") else _suggested_location(actor, order)
    for attempt in retry.attempts():  # shares the request's retry budget with the commits inside
        if attempt == ROUTING_ATTEMPTS:
            break
        if attempt == 0 and hint:
            location_id = hint  # where create found the stock: the reservation's condition checks it still is
        else:
            location_id = None if split else route(actor, order.document["channel"], linked, policies,
                                                   body.get("location_id"))
        if not split and location_id is None:
            break
        trial, outcome = order.confirmed(actor, target, via, None if split else shipments_for(order.document, location_id),
                                         location_id, body.get("note"))
        uow = UnitOfWork(actor)
        try:
            stage_reservations(uow, trial.document, policies)
            stage_save(uow, item, trial.document)
            before, after = outcome.audit([])
            audit_order(uow, item, "order.confirm", before=before, after=after)
            answer = saved_view(item, trial.document)
            uow.commit(answer, 200)
            return answer
        except OutOfStock as short:
            if split or attempt + 1 == ROUTING_ATTEMPTS:
                return _hold_out_of_stock(actor, item, order, short)
    return _hold_out_of_stock(actor, item, order, None)


def _suggested_location(actor: Principal, order: Order) -> str | None:
    """The location create routed to, if it still serves the channel and the caller works there."""
    hint = order.document.get("suggested_location_id")
    if not hint or not actor.within_my_locations([hint]):
        return None
    serving = candidate_locations(actor.tenant_id, order.document["channel"], None)
    return hint if hint in serving else None


def _hold_out_of_stock(actor: Principal, item, order: Order, cause: OutOfStock | None):
    """Keep the order `new` with a visible out-of-stock warning, then answer 409."""
    detail = cause.detail if cause else "No location serving this channel can fill every line."
    order.hold_out_of_stock(detail)
    uow = UnitOfWork(actor)
    stage_save(uow, item, order.document)
    audit_order(uow, item, "order.held", after={"warning": "out_of_stock", "detail": detail})
    with contextlib.suppress(VersionMismatch):  # changed meanwhile: the 409 below still tells the truth
        uow.commit()
    raise OutOfStock(detail, errors=cause.errors if cause else [], extra={
        "order_id": item.order_id, "current_status": item.status, **(cause.extra if cause else {})})


def on_hold_expired(reservation) -> object:
    """For the expiry job: the order of an expired hold shows it, in the same transaction."""
    if not (reservation.reference or "").startswith("order:"):
        return None
    order_id = reservation.reference.removeprefix("order:")
    system = Principal.system(reservation.tenant_id)
    try:
        item, document = load(system, order_id)
    except NotFound:
        return None

    def stage(uow, movements, at):
        Order(document).hold_expired(system, reservation.reservation_id)
        stage_save(uow, item, document)

    return stage
