"""Orders from every channel in one canonical shape: creating (with customer matching and the
unpaid hold), finding, fixing, splitting. The lifecycle is in order_actions."""
import contextlib
from datetime import UTC, datetime, timedelta

from chalicelib.catalog import rules as catalog_rules
from chalicelib.catalog import service as catalog
from chalicelib.catalog.service import sku_policies
from chalicelib.core import clock, divisions, ids, keys, paging, phones, table
from chalicelib.core.channels import Channel
from chalicelib.core.errors import IllegalTransition, InvalidInput, VersionMismatch
from chalicelib.core.idempotency import Replay
from chalicelib.core.principal import Principal
from chalicelib.core.text import fold
from chalicelib.core.uow import UnitOfWork
from chalicelib.customers import service as customers
from chalicelib.orders import rules as rules
from chalicelib.orders.aggregate import add_event, set_warning
from chalicelib.orders.documents import (
    MAX_ID_LENGTH,
    audit_order,
    copy_index_fields,
    document_of,
    load,
    merged_lines,
    order_months,
    saved_view,
    stage_month,
    stage_save,
    summary,
    view,
)
from chalicelib.orders.routing import candidate_locations, hold_unpaid, route, shipments_for, stage_reservations
from chalicelib.orders.rules import Status, Warning_
from chalicelib.orders.store import OrderExternalItem, OrderItem
from chalicelib.stock import locations
from chalicelib.stock import rules as stock_rules
from chalicelib.stock.levels import LineChange, apply


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
    prices = catalog.prices_for(tenant_id, policies) if policies else {}
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
                      "variant": (known or {}).get("variant"),
                      "product_id": (known or {}).get("product_id"), "linked": known is not None,
                      "quantity": raw["quantity"], "unit_price": unit_price, "discount": raw.get("discount") or 0})
        if known is not None:  # the stock policy as sold: confirm reserves without reading the catalog again
            lines[-1]["backorder"] = int(policies[key].allow_backorder or 0)
        if raw.get("listing_id"):  # a channel's listing, so linking that listing later relinks this line
            lines[-1]["listing_id"] = raw["listing_id"]
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


def _duplicate_external():
    return _DuplicateExternal()


class _DuplicateExternal(Exception):
    pass


def _reads_of_create(tenant_id: str, channel: Channel, data: dict, customer: dict | None) -> list[tuple[str, str]]:
    """Every item a create reads before its transaction, known from the request alone: the SKUs,
    their levels where the order could be filled, the buyer's match keys (one BatchGetItem)."""
    skus = {catalog_rules.sku_key(line["sku"]) for line in data["lines"]}
    wanted = [(keys.catalog(tenant_id), keys.sku_sk(sku)) for sku in skus]
    with contextlib.suppress(InvalidInput):  # an unknown location is refused later, naming the field
        where = candidate_locations(tenant_id, channel.value, data.get("location_id"))
        wanted += [(keys.stock(tenant_id, sku), keys.level_sk(location_id)) for sku in skus for location_id in where]
    wanted.append(keys.order_months(tenant_id))
    customer = customer or {}
    wanted += [(keys.customer_keys(tenant_id), key) for key in
               customers.match_keys(customer.get("phone"), customer.get("email"), channel.value, customer.get("buyer_id"))]
    return wanted


def create(actor: Principal, data: dict, *, via: str = "api", hold_at: str | None = None, require_hold: bool = False,
           stage_extra=None) -> dict:
    """`hold_at`/`require_hold`: an unpaid order holds at that location or is not created (live capture);
    `stage_extra(uow, answer)` adds the caller's writes to the same transaction and may return the
    answer to record for the request's Idempotency-Key instead (the caller's own answer)."""
    channel = Channel(data["channel"])
    if channel is Channel.pos and not data.get("location_id"):
        raise InvalidInput("A counter sale needs the location it is sold at.",
                           errors=[{"field": "location_id", "message": "required for pos"}])
    customer = _normalised_customer(channel, data.get("customer"))
    with table.prefetched(_reads_of_create(actor.tenant_id, channel, data, customer)):
        return _create(actor, channel, data, customer, via, hold_at, require_hold, stage_extra)


def _create(actor: Principal, channel: Channel, data: dict, customer: dict | None, via: str, hold_at: str | None,
            require_hold: bool, stage_extra) -> dict:
    lines, policies = _resolve_lines(actor.tenant_id, channel, data["lines"])
    money = rules.totals(lines, data.get("shipping_fee") or 0, data.get("discount") or 0)
    payment = {"method": "cash" if channel is Channel.pos else "cod", "status": "unpaid", "amount_paid": 0,
               **(data.get("payment") or {})}
    if channel is Channel.pos and payment["status"] == "unpaid" and payment["method"] == "cash":
        payment.update(status="paid", amount_paid=money.total)
    if payment.get("cash_given") is not None and payment["cash_given"] < money.total:
        raise InvalidInput("The cash given is less than the total.", errors=[
            {"field": "payment.cash_given", "message": f"at least {money.total}"}])
    moment = clock.now()
    now, order_id = clock.iso(moment), ids.new_id(moment)  # the id's month is the month it is listed under
    pay_first = payment["method"] in rules.PAY_FIRST_METHODS and payment["status"] != "paid"
    status = Status.completed if channel is Channel.pos else Status.pending_payment if pay_first else Status.new
    order = {"id": order_id, "channel": channel.value, "external_id": data.get("external_id"), "status": status.value,
             "customer": customer, "lines": lines,
             "shipping_address": rules.recipient_defaulted(_checked_address(channel, data.get("shipping_address")),
                                                           None if channel is Channel.pos else customer),
             "payment": payment, "shipping_fee": money.shipping_fee, "discount": money.discount,
             "subtotal": money.subtotal, "total": money.total, "note": data.get("note"), "tags": data.get("tags") or [],
             "sold_by": data.get("sold_by") or actor.staff_id, "handled_by": data.get("handled_by"),
             "location_id": data.get("location_id"), "warnings": [], "shipments": [], "hold": None,
             "returned_lines": [], "timeline": [], "created_at": now, "updated_at": now}
    if data.get("channel_connection_id"):  # which connection the order came through (status pushes go back there)
        order["channel_connection_id"] = data["channel_connection_id"]
    unlinked = [x["sku"] for x in lines if not x["linked"]]
    if unlinked:
        set_warning(order, Warning_.product_not_linked, f"Not linked: {', '.join(unlinked)}")
    actor.require_location(data.get("location_id"))
    shop_wide = Principal.system(actor.tenant_id)
    if status is Status.new and not unlinked:
        # Where it can be filled now: confirm tries there first without reading stock again.
        order["suggested_location_id"] = route(shop_wide, channel.value, lines, policies)
        if order["suggested_location_id"] is None:
            set_warning(order, Warning_.out_of_stock, "No location serving this channel has enough stock for every line.")
    if channel is not Channel.pos and not rules.recipient_complete(order["shipping_address"]):
        set_warning(order, Warning_.incomplete_recipient, "The recipient's phone or address is missing.")
    add_event(order, actor, "create", "", status.value, via)
    item = OrderItem(*keys.order(actor.tenant_id, order_id), order_id=order_id, channel=channel.value,
                     gsi4sk=keys.by_time_sk(now, order_id), created_at=now, search_text=_search_text(order))

    def stage_order(uow: UnitOfWork) -> None:
        if data.get("external_id"):
            uow.put(OrderExternalItem(*keys.order_external(actor.tenant_id, channel.value, data["external_id"]),
                                      order_id=order_id), condition=OrderExternalItem.pk.does_not_exist(),
                    on_fail=_duplicate_external)
        customer_id, existed = customers.stage_for_order(
            uow, name=(customer or {}).get("name"), phone=(customer or {}).get("phone"),
            email=(customer or {}).get("email"), channel=channel.value, buyer_id=(customer or {}).get("buyer_id"),
            address=order["shipping_address"], order_id=order_id, total=money.total, at=now)
        if customer_id:
            order["customer"]["id"] = customer_id
        if existed and channel is Channel.pos and rules.is_walk_in(customer.get("name")):
            set_warning(order, Warning_.customer_matched,
                        "A walk-in sale was matched by phone to an existing customer.")
        copy_index_fields(item, order, actor.tenant_id)
        uow.put(item, condition=OrderItem.pk.does_not_exist())
        stage_month(uow, actor.tenant_id, keys.order_month(order_id))
        audit_order(uow, item, "order.created", after={"channel": channel.value, "total": money.total,
                                                             "status": status.value, "lines": lines})

    try:
        if channel is Channel.pos:
            return _counter_sale(actor, order, item, policies, stage_order)
        uow = UnitOfWork(actor)
        if status is Status.pending_payment and not unlinked:
            hold_unpaid(uow, order, policies, data.get("hold_minutes") or 30, location_id=hold_at, required=require_hold)
        stage_order(uow)
        result = view(item, order) | {"version": 1}
        recorded = stage_extra(uow, result) if stage_extra is not None else None
        uow.commit(result if recorded is None else recorded)
        return result
    except _DuplicateExternal as duplicate:
        existing = OrderExternalItem.get(*keys.order_external(actor.tenant_id, channel.value, data["external_id"]))
        raise Replay(200, view(*load(Principal.system(actor.tenant_id), existing.order_id))) from duplicate


def _search_text(order: dict) -> str:
    customer = order.get("customer") or {}
    return fold(" ".join(filter(None, [order["id"], order.get("external_id"), customer.get("name"),
                                       customer.get("phone"), customer.get("email")])))


def _counter_sale(actor: Principal, order: dict, item: OrderItem, policies: dict, stage_order) -> dict:
    """A pos order deducts at its location at once (sale movements) and is completed."""
    location_id = candidate_locations(actor.tenant_id, Channel.pos.value, order["location_id"])[0]
    changes = []
    for n, line in enumerate(merged_lines(order["lines"])):
        allowance = int(policies[catalog_rules.sku_key(line["sku"])].allow_backorder or 0)
        changes.append(LineChange(line["sku"], location_id, f"lines.{n}", on_hand=-line["quantity"],
                                  kind=stock_rules.MovementKind.sale, reference_type="order", reference_id=order["id"],
                                  require_available=stock_rules.minimum_available_to_reserve(line["quantity"], allowance)))
    return apply(actor, lambda levels: changes, {c.key for c in changes},
                 extra=lambda uow, movements, at: stage_order(uow),
                 result_for=lambda movements: view(item, order) | {"version": 1})


def get(principal: Principal, order_id: str) -> dict:
    return view(*load(principal, order_id))


def find_external(principal: Principal, channel: str, external_id: str) -> dict | None:
    """The order made from one channel order (webhook or pull), or None: for channel sync."""
    try:
        pointer = OrderExternalItem.get(*keys.order_external(principal.tenant_id, channel, external_id),
                                        consistent_read=True)
    except OrderExternalItem.DoesNotExist:
        return None
    return get(principal, pointer.order_id)


def _only_at(tenant_id: str, location_ids: tuple[str, ...]):
    """A filter keeping the orders a staff member limited to `location_ids` may open (ADR 0016): none
    of the order's locations is another of the shop's (an order not routed yet is at none)."""
    others = [x["id"] for x in locations.list_all(tenant_id) if x["id"] not in location_ids]
    condition = None
    for other in others:
        clause = ~OrderItem.location_ids.contains(other)
        condition = clause if condition is None else condition & clause
    return condition


def list_orders(tenant_id: str, *, status: str | None, channel: str | None, q: str | None, warning: str | None,
                phone: str | None, staff_id: str | None, date_from: str | None, date_to: str | None,
                limit: int, cursor: str | None, location_ids: tuple[str, ...] = ()) -> dict:
    """`location_ids`: the caller's, when limited to some (empty: the whole shop)."""
    low, high = (date_from or "0"), (date_to or "9999") + "~"  # sort keys are "<time>#<id>"
    range_condition = None
    conditions = []
    only = _only_at(tenant_id, location_ids) if location_ids else None
    if only is not None:
        conditions.append(only)
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
    start = paging.decode(cursor, keys.cursor_scope(tenant_id))
    if not status:
        return _list_by_month(tenant_id, low, high, condition, limit, start)
    range_condition = OrderItem.gsi4sk.between(low, high)
    results = OrderItem.by_status.query(keys.orders_by_status(tenant_id, status), range_condition,
                                        filter_condition=condition, scan_index_forward=False, limit=limit,
                                        last_evaluated_key=start)
    return {"items": [summary(i) for i in results], "next_cursor": paging.encode(results.last_evaluated_key)}


_MONTH_START = keys.ORDER_SK_PREFIX + "~"  # a cursor's sort key meaning "from the newest order of its month"


def _list_by_month(tenant_id: str, low: str, high: str, condition, limit: int, start: dict | None) -> dict:
    """Newest first across the shop's month partitions (ADR 0016): each month a Query whose sort-key
    range comes from the id bounds of [low, high]; a page ends inside a month (its last key) or at a
    month's end (the next month's start)."""
    first, last = _month_of(low, "000000"), _month_of(high, "999999")
    months = [m for m in order_months(tenant_id) if first <= m <= last]
    if start:
        resume = start["pk"]["S"].rsplit("#", 1)[-1]
        months = [m for m in months if m <= resume]
    range_condition = OrderItem.sk.between(_id_bound(low, keys.ORDER_SK_PREFIX),
                                           _id_bound(high, keys.ORDER_SK_PREFIX + "~", end=True))
    in_range = OrderItem.created_at.between(low, high)
    condition = in_range if condition is None else in_range & condition
    items: list = []
    for n, month in enumerate(months):
        exclusive = start if start and n == 0 and start["sk"]["S"] != _MONTH_START and \
            start["pk"]["S"] == keys.orders_of_month(tenant_id, month) else None
        results = OrderItem.query(keys.orders_of_month(tenant_id, month), range_condition, filter_condition=condition,
                                  scan_index_forward=False, limit=limit - len(items), last_evaluated_key=exclusive)
        items += list(results)
        if len(items) >= limit:
            following = results.last_evaluated_key
            if following is None and n + 1 < len(months):
                following = {"pk": {"S": keys.orders_of_month(tenant_id, months[n + 1])}, "sk": {"S": _MONTH_START}}
            return {"items": [summary(i) for i in items], "next_cursor": paging.encode(following)}
    return {"items": [summary(i) for i in items], "next_cursor": None}


def _month_of(bound: str, unbounded: str) -> str:
    return bound[:7].replace("-", "") if bound[:4].isdigit() and len(bound) >= 7 else unbounded


def _id_bound(bound: str, unbounded: str, end: bool = False) -> str:
    """The sort key of the first (or, `end`, past the last) order id made at a bound's moment."""
    try:
        moment = datetime.fromisoformat(bound.rstrip("~").replace("Z", "+00:00"))
    except ValueError:
        return unbounded
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return keys.ORDER_SK_PREFIX + ids.floor_at(moment) + ("~" if end else "")


def counts(tenant_id: str, location_ids: tuple[str, ...] = ()) -> dict:
    """Orders per status, for inbox badges (a COUNT query per status on the status index), of the
    caller's locations when limited to some."""
    only = _only_at(tenant_id, location_ids) if location_ids else None
    return {s.value: OrderItem.by_status.count(keys.orders_by_status(tenant_id, s.value), filter_condition=only)
            for s in Status}


def update(actor: Principal, order_id: str, changes: dict, *, via: str = "api") -> dict:
    """Fix what holds an order (recipient, links of unlinked lines), notes, tags, handler,
    or record that the buyer asked to cancel."""
    item, order = load(actor, order_id)
    if changes.get("expected_version") is not None and changes["expected_version"] != int(item.version):
        raise VersionMismatch("The order changed since you loaded it; reload it.")
    if Status(item.status) in (Status.completed, Status.canceled, Status.returned) and \
            ({"shipping_address", "links"} & changes.keys()):
        raise IllegalTransition(f"A {item.status} order can no longer be changed.",
                                extra={"current_status": item.status})
    before = {k: order.get(k) for k in ("shipping_address", "note", "tags", "handled_by", "warnings", "lines")}
    if "shipping_address" in changes:
        changes["shipping_address"] = _checked_address(Channel(order["channel"]), changes["shipping_address"])
    if "tags" in changes:
        changes["tags"] = changes["tags"] or []
    for key in ("shipping_address", "note", "tags", "handled_by"):
        if key in changes:
            order[key] = changes[key]
    for n, link in enumerate(changes.get("links") or []):
        index = link["line"]
        if index >= len(order["lines"]) or order["lines"][index]["linked"]:
            raise InvalidInput("Only an unlinked line can be linked.",
                               errors=[{"field": f"links.{n}.line", "message": "not an unlinked line"}])
        policy = sku_policies(actor.tenant_id, [{"sku": link["sku"]}])
        prices = catalog.prices_for(actor.tenant_id, policy)
        known = prices[catalog_rules.sku_key(link["sku"])]
        order["lines"][index].update(sku=known["sku"], product_id=known["product_id"], linked=True,
                                     sku_as_sent=order["lines"][index]["sku"])
    unlinked = [x["sku"] for x in order["lines"] if not x["linked"]]
    set_warning(order, Warning_.product_not_linked, f"Not linked: {', '.join(unlinked)}" if unlinked else None)
    if order["channel"] != Channel.pos.value:
        complete = rules.recipient_complete(order["shipping_address"])
        set_warning(order, Warning_.incomplete_recipient,
                     None if complete else "The recipient's phone or address is missing.")
    if "cancel_requested" in changes:
        set_warning(order, Warning_.cancel_requested, "The buyer asked to cancel." if changes["cancel_requested"] else None)
    changed = ", ".join(sorted(k for k in changes if k != "expected_version"))
    add_event(order, actor, "update", item.status, item.status, via, changed)
    uow = UnitOfWork(actor)
    stage_save(uow, item, order)
    audit_order(uow, item, "order.updated", before=before,
              after={k: order.get(k) for k in before})
    answer = saved_view(item, order)
    uow.commit(answer, 200)
    return answer


def stage_customer_change(uow: UnitOfWork, order_id: str, customer_id: str) -> None:
    """A customer merge moves the order to the kept profile (version-guarded like any change)."""
    item, order = load(uow.actor, order_id)
    order["customer"] = {**(order.get("customer") or {}), "id": customer_id}
    add_event(order, uow.actor, "customer_merged", item.status, item.status, "api", customer_id)
    stage_save(uow, item, order)


def split(actor: Principal, order_id: str, parts: list[dict]) -> dict:
    """Before confirming: ship the order as several shipments from chosen locations. The parts
    must add up to the order's linked lines exactly."""
    item, order = load(actor, order_id)
    if Status(item.status) is not Status.new:
        raise IllegalTransition("Only a new order can be split.", extra={"current_status": item.status})
    wanted = {catalog_rules.sku_key(x["sku"]): x["quantity"] for x in merged_lines([x for x in order["lines"] if x["linked"]])}
    given: dict[str, int] = {}
    actor.require_locations(part["location_id"] for part in parts)
    for part in parts:
        locations.get(actor.tenant_id, part["location_id"])
        for line in part["lines"]:
            key = catalog_rules.sku_key(line["sku"])
            given[key] = given.get(key, 0) + line["quantity"]
    if given != wanted:
        raise InvalidInput("The shipments must together hold exactly the order's lines.",
                           errors=[{"field": "shipments", "message": f"expected {wanted}, got {given}"}])
    order["shipments"] = [{**shipments_for(order, part["location_id"])[0], "id": f"{order_id}-S{n + 1}",
                           "lines": [{"sku": x["sku"], "quantity": x["quantity"], "scanned": 0} for x in part["lines"]]}
                          for n, part in enumerate(parts)]
    add_event(order, actor, "split", item.status, item.status, "api", f"{len(parts)} shipments")
    uow = UnitOfWork(actor)
    stage_save(uow, item, order)
    audit_order(uow, item, "order.split", after={"shipments": order["shipments"]})
    answer = saved_view(item, order)
    uow.commit(answer, 200)
    return answer


def add_held_lines(actor: Principal, order_id: str, raw_lines: list[dict], *, location_id: str, hold_minutes: int,
                   expected_version: int | None = None, stage_extra=None, via: str = "live") -> dict:
    """More units on an unpaid held order (a live buyer's next comment): the new units are held at
    `location_id` in the same transaction as the order (one more shipment with its own hold and
    expiry), or nothing changes (OutOfStock). A known SKU's line grows; a new SKU adds a line.
    `expected_version`: the version the caller computed the lines from (else VersionMismatch)."""
    item, order = load(actor, order_id)
    if expected_version is not None and expected_version != int(item.version):  # the caller decided on that version
        raise VersionMismatch("The order changed since you loaded it; reload it.")
    if Status(item.status) is not Status.pending_payment:
        raise IllegalTransition("Only an unpaid, held order can take more lines.", extra={"current_status": item.status})
    added, policies = _resolve_lines(actor.tenant_id, Channel(order["channel"]), raw_lines)
    for line in added:
        same = next((x for x in order["lines"] if catalog_rules.sku_key(x["sku"]) == catalog_rules.sku_key(line["sku"])), None)
        if same is None:
            order["lines"].append(dict(line))
        else:
            same["quantity"] += line["quantity"]
            same["total"] = rules.line_total(same["quantity"], same["unit_price"], same.get("discount") or 0)
    money = rules.totals(order["lines"], order["shipping_fee"], order["discount"])
    order.update(subtotal=money.subtotal, total=money.total)
    expires_at = clock.iso(clock.now() + timedelta(minutes=hold_minutes))
    shipment = {"id": f"{order_id}-S{ids.new_id()[-6:]}", "location_id": location_id, "reservation_id": None,
                "reserved": False, "status": "created", "carrier": None, "tracking_number": None, "cod_amount": None,
                "weight_grams": None, "created_at": clock.now_iso(),
                "lines": [{"sku": x["sku"], "quantity": x["quantity"], "scanned": 0} for x in added if x["linked"]]}
    uow = UnitOfWork(actor)
    stage_reservations(uow, {"id": order_id, "shipments": [shipment]}, policies, expires_at)
    order["shipments"].append(shipment)
    order["hold"] = {"expires_at": expires_at}
    add_event(order, actor, "lines_added", item.status, item.status, via,
              ", ".join(f"{x['sku']} x{x['quantity']}" for x in added))
    stage_save(uow, item, order)
    audit_order(uow, item, "order.lines_added", after={"lines": added, "total": money.total})
    answer = saved_view(item, order)
    recorded = stage_extra(uow, answer) if stage_extra is not None else None
    uow.commit(answer if recorded is None else recorded, 200 if recorded is None else 201)
    return answer


def get_many(principal: Principal, order_ids: list[str]) -> list[dict]:
    """Several orders at once (one BatchGetItem per 100), those the principal may see."""
    wanted = [keys.order(principal.tenant_id, order_id) for order_id in dict.fromkeys(order_ids)
              if len(order_id) <= MAX_ID_LENGTH]
    found = []
    for item in table.batch_get(OrderItem, wanted):
        order = document_of(item)
        if all(principal.may_use_location(x) for x in rules.order_locations(order)):
            found.append(view(item, order))
    return found
