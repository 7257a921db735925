"""Orders from every channel in one canonical shape and one lifecycle. Every action is one
transaction with its stock effect (through the reservation and stock services), the order's
new version, the customer's stats and the audit entry."""
import contextlib
import json
from datetime import timedelta

from chalicelib import clock, ids
from chalicelib.adapters import divisions
from chalicelib.adapters.dynamo import paging
from chalicelib.adapters.dynamo.base import shop_pk
from chalicelib.adapters.dynamo.items import OrderExternalItem, OrderItem, ProductItem
from chalicelib.adapters.dynamo.uow import Actor, IdempotencyRequest, Replay, UnitOfWork
from chalicelib.domain import catalog as catalog_rules
from chalicelib.domain import orders as rules
from chalicelib.domain import phones
from chalicelib.domain import stock as stock_rules
from chalicelib.domain.channels import Channel
from chalicelib.domain.errors import IllegalTransition, InvalidInput, NotFound, OutOfStock, VersionMismatch
from chalicelib.domain.orders import Action, Status, Warning_
from chalicelib.domain.text import fold
from chalicelib.services import customers, locations, reservations
from chalicelib.services.stock import LineChange, apply, read_levels, sku_policies

ROUTING_ATTEMPTS = 3
SYSTEM = "system"


def order_pk(tenant_id: str, order_id: str) -> str:
    return shop_pk(tenant_id, "ORDER", order_id)


# --- loading and saving -----------------------------------------------------------------
def load(tenant_id: str, order_id: str) -> tuple[OrderItem, dict]:
    try:
        item = OrderItem.get(order_pk(tenant_id, order_id), "ORDER", consistent_read=True)
    except OrderItem.DoesNotExist as error:
        raise NotFound("No such order.") from error
    return item, json.loads(item.body)


def view(item: OrderItem, order: dict) -> dict:
    return {**order, "id": item.order_id, "status": item.status, "version": int(item.version or 0),
            "allowed_actions": rules.allowed_actions(Status(item.status))}


def _index(item: OrderItem, order: dict, tenant_id: str) -> None:
    """Copy the fields lists and filters use to the top level of the item."""
    item.status = order["status"]
    item.gsi4pk = shop_pk(tenant_id, "OSTATUS", order["status"])
    item.total, item.payment_status, item.external_id = order["total"], order["payment"]["status"], order["external_id"]
    item.customer_id = order["customer"].get("id") if order.get("customer") else None
    item.customer_name = (order.get("customer") or {}).get("name")
    item.customer_phone = (order.get("customer") or {}).get("phone")
    item.sold_by = order.get("sold_by")
    item.warning_codes = {w["code"] for w in order["warnings"]} or None
    item.body = json.dumps(order, ensure_ascii=False)


def stage_save(uow: UnitOfWork, item: OrderItem, order: dict) -> None:
    order["updated_at"] = clock.now_iso()
    _index(item, order, uow.actor.tenant_id)
    uow.put(item, on_fail=lambda: VersionMismatch(
        "Someone else changed this order at the same moment; reload it and try again.",
        extra={"order_id": item.order_id}))


def add_event(order: dict, actor: Actor, action: str, before: str, after: str, via: str, note: str | None = None) -> None:
    order["timeline"].append({"at": clock.now_iso(), "staff_id": actor.staff_id, "action": action,
                              "from": before, "to": after, "via": via, "note": note})


def _set_warning(order: dict, code: Warning_, detail: str | None) -> None:
    order["warnings"] = [w for w in order["warnings"] if w["code"] != code.value]
    if detail is not None:
        order["warnings"].append(rules.warning(code, detail))


# --- creating ---------------------------------------------------------------------------
def _catalog_prices(tenant_id: str, policies: dict) -> dict[str, dict]:
    """SKU key -> {price, name} from the products of these SKUs (one BatchGet)."""
    product_ids = {p.product_id for p in policies.values()}
    pk = shop_pk(tenant_id, "CATALOG")
    prices = {}
    for product in ProductItem.batch_get([(pk, f"PRODUCT#{pid}") for pid in product_ids]):
        for v in product.variants:
            prices[catalog_rules.sku_key(v.sku)] = {"price": int(v.price), "name": product.name,
                                                    "product_id": product.product_id, "sku": v.sku}
    return prices


def _resolve_lines(tenant_id: str, channel: Channel, raw_lines: list[dict]) -> tuple[list[dict], dict]:
    """Linked lines get the catalog's SKU, name and (unless given) price. An unknown SKU refuses
    a staff-typed order (400 naming the line); an external channel's line is kept as sent."""
    external = channel in rules.EXTERNAL_CHANNELS
    try:
        policies = sku_policies(tenant_id, raw_lines)
    except InvalidInput as error:
        if not external:
            raise
        known_errors = {e["field"] for e in error.errors}
        linked = [x for n, x in enumerate(raw_lines) if f"lines.{n}.sku" not in known_errors]
        policies = sku_policies(tenant_id, linked) if linked else {}
    prices = _catalog_prices(tenant_id, policies) if policies else {}
    lines = []
    for n, raw in enumerate(raw_lines):
        key = catalog_rules.sku_key(raw["sku"])
        known = prices.get(key)
        unit_price = raw.get("unit_price")
        if unit_price is None:
            if known is None:
                raise InvalidInput("A line whose product is not linked needs its unit_price.",
                                   errors=[{"field": f"lines.{n}.unit_price", "message": "required for unlinked SKU"}])
            unit_price = known["price"]
        lines.append({"sku": known["sku"] if known else raw["sku"], "name": raw.get("name") or (known or {}).get("name"),
                      "product_id": (known or {}).get("product_id"), "linked": known is not None,
                      "quantity": raw["quantity"], "unit_price": unit_price, "discount": raw.get("discount") or 0})
    for line in lines:
        line["total"] = rules.line_total(line["quantity"], line["unit_price"], line["discount"])
    return lines, policies


def _normalised_customer(channel: Channel, customer: dict | None) -> dict | None:
    if not customer:
        return None
    out = dict(customer)
    if customer.get("phone"):
        try:
            out["phone"] = phones.normalise(customer["phone"], field="customer.phone")
        except InvalidInput:
            if channel not in rules.EXTERNAL_CHANNELS:
                raise
            out["phone"], out["phone_as_sent"] = None, customer["phone"]  # never refuse a marketplace order
    if customer.get("email"):
        out["email"] = customer["email"].strip().lower()
    return out


def _checked_address(channel: Channel, address: dict | None) -> dict | None:
    """Province and ward codes must be on the official list (names are filled in); the text the
    buyer typed is kept as it is. A marketplace's bad code never refuses its order: it is kept
    aside as sent and the text stays."""
    if not address or not (address.get("province_code") or address.get("ward_code")):
        return address
    try:
        return {**address, **divisions.resolve(address.get("province_code"), address.get("ward_code"))}
    except InvalidInput:
        if channel not in rules.EXTERNAL_CHANNELS:
            raise
        codes = {k: address.pop(k) for k in ("province_code", "ward_code") if address.get(k)}
        return {**address, "codes_as_sent": codes}


def _shipments_for(order: dict, location_id: str) -> list[dict]:
    return [{"id": f"{order['id']}-S1", "location_id": location_id, "reservation_id": None, "reserved": False,
             "status": "created", "carrier": None, "tracking_number": None, "cod_amount": None, "weight_grams": None,
             "lines": [{"sku": x["sku"], "quantity": x["quantity"], "scanned": 0} for x in order["lines"] if x["linked"]],
             "created_at": clock.now_iso()}]


def _duplicate_external():
    return _DuplicateExternal()


class _DuplicateExternal(Exception):
    pass


def create(actor: Actor, data: dict, *, idempotency: IdempotencyRequest | None = None, via: str = "api") -> dict:
    channel = Channel(data["channel"])
    if channel is Channel.pos and not data.get("location_id"):
        raise InvalidInput("A counter sale needs the location it is sold at.",
                           errors=[{"field": "location_id", "message": "required for pos"}])
    lines, policies = _resolve_lines(actor.tenant_id, channel, data["lines"])
    money = rules.totals(lines, data.get("shipping_fee") or 0, data.get("discount") or 0)
    customer = _normalised_customer(channel, data.get("customer"))
    payment = {"method": "cash" if channel is Channel.pos else "cod", "status": "unpaid", "amount_paid": 0,
               **(data.get("payment") or {})}
    if channel is Channel.pos and payment["status"] == "unpaid" and payment["method"] == "cash":
        payment.update(status="paid", amount_paid=money.total)
    now, order_id = clock.now_iso(), ids.new_id()
    pay_first = payment["method"] in rules.PAY_FIRST_METHODS and payment["status"] != "paid"
    status = Status.completed if channel is Channel.pos else Status.pending_payment if pay_first else Status.new
    order = {"id": order_id, "channel": channel.value, "external_id": data.get("external_id"), "status": status.value,
             "customer": customer, "lines": lines,
             "shipping_address": _checked_address(channel, data.get("shipping_address")),
             "payment": payment, "shipping_fee": money.shipping_fee, "discount": money.discount,
             "subtotal": money.subtotal, "total": money.total, "note": data.get("note"), "tags": data.get("tags") or [],
             "sold_by": data.get("sold_by") or actor.staff_id, "handled_by": data.get("handled_by"),
             "location_id": data.get("location_id"), "warnings": [], "shipments": [], "hold": None,
             "returned_lines": [], "timeline": [], "created_at": now, "updated_at": now}
    unlinked = [x["sku"] for x in lines if not x["linked"]]
    if unlinked:
        _set_warning(order, Warning_.product_not_linked, f"Not linked: {', '.join(unlinked)}")
    if channel is not Channel.pos and not rules.recipient_complete(order["shipping_address"]):
        _set_warning(order, Warning_.incomplete_recipient, "The recipient's phone or address is missing.")
    add_event(order, actor, "create", "", status.value, via)
    item = OrderItem(order_pk(actor.tenant_id, order_id), "ORDER", order_id=order_id, channel=channel.value,
                     gsi3pk=shop_pk(actor.tenant_id, "ORDERS"), gsi3sk=f"{now}#{order_id}",
                     gsi4sk=f"{now}#{order_id}", created_at=now, search_text=_search_text(order))

    def stage_order(uow: UnitOfWork) -> None:
        if data.get("external_id"):
            uow.put(OrderExternalItem(shop_pk(actor.tenant_id, "ORDEREXT", channel.value, data["external_id"]), "EXT",
                                      order_id=order_id), condition=OrderExternalItem.pk.does_not_exist(),
                    on_fail=_duplicate_external)
        customer_id = customers.stage_for_order(
            uow, name=(customer or {}).get("name"), phone=(customer or {}).get("phone"),
            email=(customer or {}).get("email"), channel=channel.value, buyer_id=(customer or {}).get("buyer_id"),
            address=order["shipping_address"], order_id=order_id, total=money.total, at=now)
        if customer_id:
            order["customer"]["id"] = customer_id
        _index(item, order, actor.tenant_id)
        uow.put(item, condition=OrderItem.pk.does_not_exist())
        uow.audit("order.created", "order", order_id, after={"channel": channel.value, "total": money.total,
                                                             "status": status.value, "lines": lines})

    try:
        if channel is Channel.pos:
            return _counter_sale(actor, order, item, policies, stage_order, idempotency)
        uow = UnitOfWork(actor, idempotency)
        if status is Status.pending_payment and not unlinked:
            _hold_unpaid(uow, order, policies, data.get("hold_minutes") or 30)
        stage_order(uow)
        result = view(item, order) | {"version": 1}
        uow.commit(result)
        return result
    except _DuplicateExternal as duplicate:
        existing = OrderExternalItem.get(shop_pk(actor.tenant_id, "ORDEREXT", channel.value, data["external_id"]), "EXT")
        raise Replay(200, view(*load(actor.tenant_id, existing.order_id))) from duplicate


def _search_text(order: dict) -> str:
    customer = order.get("customer") or {}
    return fold(" ".join(filter(None, [order["id"], order.get("external_id"), customer.get("name"),
                                       customer.get("phone"), customer.get("email")])))


def _counter_sale(actor: Actor, order: dict, item: OrderItem, policies: dict, stage_order, idempotency) -> dict:
    """A pos order deducts at its location at once (sale movements) and is completed."""
    location_id = _candidates(actor.tenant_id, Channel.pos.value, order["location_id"])[0]
    changes = []
    for n, line in enumerate(_merged_lines(order["lines"])):
        allowance = int(policies[catalog_rules.sku_key(line["sku"])].allow_backorder or 0)
        changes.append(LineChange(line["sku"], location_id, f"lines.{n}", on_hand=-line["quantity"],
                                  kind=stock_rules.MovementKind.sale, reference_type="order", reference_id=order["id"],
                                  require_available=stock_rules.minimum_available_to_reserve(line["quantity"], allowance)))
    return apply(actor, lambda levels: changes, {c.key for c in changes}, idempotency=idempotency,
                 extra=lambda uow, movements, at: stage_order(uow),
                 result_for=lambda movements: view(item, order) | {"version": 1})


def _merged_lines(lines: list[dict]) -> list[dict]:
    totals: dict[str, dict] = {}
    for line in lines:
        key = catalog_rules.sku_key(line["sku"])
        totals.setdefault(key, {"sku": line["sku"], "quantity": 0})["quantity"] += line["quantity"]
    return list(totals.values())


# --- routing ----------------------------------------------------------------------------
def _candidates(tenant_id: str, channel: str, preferred: str | None) -> list[str]:
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


def route(tenant_id: str, channel: str, lines: list[dict], policies: dict, preferred: str | None = None) -> str | None:
    """The first location (by priority for this channel) that can fill every line; no split."""
    candidates = _candidates(tenant_id, channel, preferred)
    wanted = _merged_lines(lines)
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


def _stage_reservations(uow: UnitOfWork, order: dict, policies: dict, expires_at: str | None = None) -> None:
    for shipment in order["shipments"]:
        shipment["reservation_id"] = f"{shipment['id']}.{ids.new_id()[-8:]}"
        reservations.stage_reserve(uow, policies, reservation_id=shipment["reservation_id"],
                                   location_id=shipment["location_id"], lines=_merged_lines(shipment["lines"]),
                                   expires_at=expires_at, reference=f"order:{order['id']}")
        shipment["reserved"] = True


def _hold_unpaid(uow: UnitOfWork, order: dict, policies: dict, minutes: int) -> None:
    location_id = route(uow.actor.tenant_id, order["channel"], order["lines"], policies)
    if location_id is None:
        _set_warning(order, Warning_.out_of_stock, "Not enough stock to hold for this unpaid order.")
        return
    expires_at = clock.iso(clock.now() + timedelta(minutes=minutes))
    order["shipments"] = _shipments_for(order, location_id)
    order["hold"] = {"expires_at": expires_at}
    _stage_reservations(uow, order, policies, expires_at)


# --- actions ----------------------------------------------------------------------------
def act(actor: Actor, order_id: str, action: Action, body: dict, *, via: str = "api") -> dict:
    item, order = load(actor.tenant_id, order_id)
    if body.get("expected_version") is not None and body["expected_version"] != int(item.version):
        raise VersionMismatch("The order changed since you loaded it; reload it.",
                              extra={"current_version": int(item.version)})
    current = Status(item.status)
    target = rules.next_status(current, action, received=body.get("received", True))
    return _HANDLERS[action](actor, item, order, current, target, {**body, "_action": action.value}, via)


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
    stage_save(uow, item, order)
    uow.audit(f"order.{body['_action']}", "order", item.order_id, before={"status": current.value},
              after={"status": target.value, "note": note})
    uow.commit()
    return view(item, order)


def _confirm(actor, item, order, current, target, body, via):
    blocking = [w for w in order["warnings"] if Warning_(w["code"]) in rules.BLOCKS_CONFIRM]
    if blocking:
        raise IllegalTransition("Fix the order's warnings before confirming it.",
                                extra={"current_status": current.value, "warnings": blocking})
    linked = [x for x in order["lines"] if x["linked"]]
    if order["shipments"] and all(s["reserved"] for s in order["shipments"]):  # paid hold or split
        return _simple(actor, item, order, current, target, body, via)
    policies = sku_policies(actor.tenant_id, linked)
    for attempt in range(ROUTING_ATTEMPTS):
        split = bool(order["shipments"]) and not body.get("location_id")
        location_id = None if split else route(actor.tenant_id, order["channel"], linked, policies, body.get("location_id"))
        if not split and location_id is None:
            break
        trial = json.loads(json.dumps(order))
        if not split:
            trial["shipments"] = _shipments_for(trial, location_id)
            trial["location_id"] = location_id
        _set_warning(trial, Warning_.out_of_stock, None)
        _set_warning(trial, Warning_.hold_expired, None)
        trial["status"] = target.value
        add_event(trial, actor, "confirm", current.value, target.value, via, body.get("note"))
        uow = UnitOfWork(actor)
        try:
            _stage_reservations(uow, trial, policies)
            stage_save(uow, item, trial)
            uow.audit("order.confirm", "order", item.order_id, before={"status": current.value},
                      after={"status": target.value, "locations": [s["location_id"] for s in trial["shipments"]]})
            uow.commit()
            return view(item, trial)
        except OutOfStock as short:
            if split or attempt + 1 == ROUTING_ATTEMPTS:
                return _hold_out_of_stock(actor, item, order, short)
    return _hold_out_of_stock(actor, item, order, None)


def _hold_out_of_stock(actor, item, order, cause: OutOfStock | None):
    """Keep the order `new` with a visible out-of-stock warning, then answer 409."""
    detail = cause.detail if cause else "No location serving this channel can fill every line."
    _set_warning(order, Warning_.out_of_stock, detail)
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
        uow.audit(f"order.{action}", "order", item.order_id, before={"status": current.value},
                  after={"status": target.value, "movements": [m["id"] for m in movements]})
        if action == "cancel":
            customers.stage_order_undone(uow, order["customer"]["id"] if order.get("customer") else None, order["total"])

    for shipment in order["shipments"]:
        shipment["reserved"] = False
    order["status"] = target.value
    add_event(order, actor, action, current.value, target.value, via, body.get("reason") or body.get("note"))
    if not rids:
        uow = UnitOfWork(actor)
        stage(uow, [], clock.now_iso())
        uow.commit()
    else:
        operation(actor, rids, extra=stage, result_of=lambda movements: None, **kwargs)
    return view(item, order)


def _cancel(actor, item, order, current, target, body, via):
    order["cancel_reason"] = body.get("reason")
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
    if order["payment"]["method"] == "cod" and order["payment"]["status"] != "paid":
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
        customers.stage_order_undone(uow, order["customer"]["id"] if order.get("customer") else None, order["total"])
        uow.audit("order.return", "order", item.order_id, before={"status": current.value},
                  after={"status": target.value, "lines": lines})

    apply(actor, lambda levels: changes, {c.key for c in changes}, extra=stage, status_code=200)
    return view(item, order)


_HANDLERS = {Action.confirm: _confirm, Action.pack: _pack, Action.mark_ready: _mark_ready,
             Action.hand_over: _hand_over, Action.complete: _complete, Action.cancel: _cancel,
             Action.return_: _return, Action.mark_paid: _mark_paid}


# --- expiry of unpaid holds -------------------------------------------------------------
def on_hold_expired(reservation) -> object:
    """For the expiry job: the order of an expired hold shows it, in the same transaction."""
    if not (reservation.reference or "").startswith("order:"):
        return None
    order_id = reservation.reference.removeprefix("order:")
    try:
        item, order = load(reservation.tenant_id, order_id)
    except NotFound:
        return None

    def stage(uow, movements, at):
        for shipment in order["shipments"]:
            if shipment["reservation_id"] == reservation.reservation_id:
                shipment["reserved"] = False
        order["shipments"] = [s for s in order["shipments"] if s["reserved"]]
        order["hold"] = None
        _set_warning(order, Warning_.hold_expired, "The unpaid hold expired and its stock was released.")
        add_event(order, Actor(reservation.tenant_id, SYSTEM), "hold_expired", order["status"], order["status"], "system")
        stage_save(uow, item, order)

    return stage


# --- reading ----------------------------------------------------------------------------
def get(tenant_id: str, order_id: str) -> dict:
    return view(*load(tenant_id, order_id))


def list_orders(tenant_id: str, *, status: str | None, channel: str | None, q: str | None, warning: str | None,
                phone: str | None, staff_id: str | None, date_from: str | None, date_to: str | None,
                limit: int, cursor: str | None) -> dict:
    low, high = (date_from or "0"), (date_to or "9999") + "~"
    range_condition = None
    conditions = []
    if channel:
        conditions.append(OrderItem.channel == channel)
    if q:
        conditions.append(OrderItem.search_text.contains(fold(q)))
    if warning:
        conditions.append(OrderItem.warning_codes.contains(warning))
    if phone:
        conditions.append(OrderItem.customer_phone == phones.normalise(phone))
    if staff_id:
        conditions.append(OrderItem.sold_by == staff_id)
    condition = None
    for c in conditions:
        condition = c if condition is None else condition & c
    start = paging.decode(cursor, shop_pk(tenant_id))
    if status:
        range_condition = OrderItem.gsi4sk.between(low, high)
        results = OrderItem.by_status.query(shop_pk(tenant_id, "OSTATUS", status), range_condition,
                                            filter_condition=condition, scan_index_forward=False, limit=limit,
                                            last_evaluated_key=start)
    else:
        range_condition = OrderItem.gsi3sk.between(low, high)
        results = OrderItem.by_date.query(shop_pk(tenant_id, "ORDERS"), range_condition, filter_condition=condition,
                                          scan_index_forward=False, limit=limit, last_evaluated_key=start)
    return {"items": [summary(i) for i in results], "next_cursor": paging.encode(results.last_evaluated_key)}


def summary(item: OrderItem) -> dict:
    """An order as lists show it (only what the order indexes project)."""
    return {"id": item.order_id, "status": item.status, "channel": item.channel, "external_id": item.external_id,
            "total": int(item.total), "payment_status": item.payment_status, "customer_name": item.customer_name,
            "customer_phone": item.customer_phone, "sold_by": item.sold_by,
            "warnings": sorted(item.warning_codes or []), "created_at": item.created_at}


def counts(tenant_id: str) -> dict:
    """Orders per status, for inbox badges (a COUNT query per status on the status index)."""
    return {s.value: OrderItem.by_status.count(shop_pk(tenant_id, "OSTATUS", s.value)) for s in Status}


# --- changes that are not status moves ----------------------------------------------------
def update(actor: Actor, order_id: str, changes: dict, *, via: str = "api") -> dict:
    """Fix what holds an order (recipient, links of unlinked lines), notes, tags, handler,
    or record that the buyer asked to cancel."""
    item, order = load(actor.tenant_id, order_id)
    if changes.get("expected_version") is not None and changes["expected_version"] != int(item.version):
        raise VersionMismatch("The order changed since you loaded it; reload it.")
    if Status(item.status) in (Status.completed, Status.canceled, Status.returned) and \
            ({"shipping_address", "links"} & changes.keys()):
        raise IllegalTransition(f"A {item.status} order can no longer be changed.",
                                extra={"current_status": item.status})
    before = {k: order.get(k) for k in ("shipping_address", "note", "tags", "handled_by", "warnings", "lines")}
    if "shipping_address" in changes:
        changes["shipping_address"] = _checked_address(Channel(order["channel"]), changes["shipping_address"])
    for key in ("shipping_address", "note", "tags", "handled_by"):
        if key in changes:
            order[key] = changes[key]
    for n, link in enumerate(changes.get("links") or []):
        index = link["line"]
        if index >= len(order["lines"]) or order["lines"][index]["linked"]:
            raise InvalidInput("Only an unlinked line can be linked.",
                               errors=[{"field": f"links.{n}.line", "message": "not an unlinked line"}])
        policy = sku_policies(actor.tenant_id, [{"sku": link["sku"]}])
        prices = _catalog_prices(actor.tenant_id, policy)
        known = prices[catalog_rules.sku_key(link["sku"])]
        order["lines"][index].update(sku=known["sku"], product_id=known["product_id"], linked=True,
                                     sku_as_sent=order["lines"][index]["sku"])
    unlinked = [x["sku"] for x in order["lines"] if not x["linked"]]
    _set_warning(order, Warning_.product_not_linked, f"Not linked: {', '.join(unlinked)}" if unlinked else None)
    if order["channel"] != Channel.pos.value:
        complete = rules.recipient_complete(order["shipping_address"])
        _set_warning(order, Warning_.incomplete_recipient,
                     None if complete else "The recipient's phone or address is missing.")
    if "cancel_requested" in changes:
        _set_warning(order, Warning_.cancel_requested, "The buyer asked to cancel." if changes["cancel_requested"] else None)
    changed = ", ".join(sorted(k for k in changes if k != "expected_version"))
    add_event(order, actor, "update", item.status, item.status, via, changed)
    uow = UnitOfWork(actor)
    stage_save(uow, item, order)
    uow.audit("order.updated", "order", order_id, before=before,
              after={k: order.get(k) for k in before})
    uow.commit()
    return view(item, order)


def stage_customer_change(uow: UnitOfWork, order_id: str, customer_id: str) -> None:
    """A customer merge moves the order to the kept profile (version-guarded like any change)."""
    item, order = load(uow.actor.tenant_id, order_id)
    order["customer"] = {**(order.get("customer") or {}), "id": customer_id}
    add_event(order, uow.actor, "customer_merged", item.status, item.status, "api", customer_id)
    stage_save(uow, item, order)


def split(actor: Actor, order_id: str, parts: list[dict]) -> dict:
    """Before confirming: ship the order as several shipments from chosen locations. The parts
    must add up to the order's linked lines exactly."""
    item, order = load(actor.tenant_id, order_id)
    if Status(item.status) is not Status.new:
        raise IllegalTransition("Only a new order can be split.", extra={"current_status": item.status})
    wanted = {catalog_rules.sku_key(x["sku"]): x["quantity"] for x in _merged_lines([x for x in order["lines"] if x["linked"]])}
    given: dict[str, int] = {}
    for part in parts:
        locations.get(actor.tenant_id, part["location_id"])
        for line in part["lines"]:
            key = catalog_rules.sku_key(line["sku"])
            given[key] = given.get(key, 0) + line["quantity"]
    if given != wanted:
        raise InvalidInput("The shipments must together hold exactly the order's lines.",
                           errors=[{"field": "shipments", "message": f"expected {wanted}, got {given}"}])
    order["shipments"] = [{**_shipments_for(order, part["location_id"])[0], "id": f"{order_id}-S{n + 1}",
                           "lines": [{"sku": x["sku"], "quantity": x["quantity"], "scanned": 0} for x in part["lines"]]}
                          for n, part in enumerate(parts)]
    add_event(order, actor, "split", item.status, item.status, "api", f"{len(parts)} shipments")
    uow = UnitOfWork(actor)
    stage_save(uow, item, order)
    uow.audit("order.split", "order", order_id, after={"shipments": order["shipments"]})
    uow.commit()
    return view(item, order)


