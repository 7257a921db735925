"""The order document: one versioned item holding the whole order (compact JSON, orders/codec.py), with the fields lists
filter on copied to the top level (ADR 0006). Loading, saving, timeline and warnings."""
from chalicelib.catalog import rules as catalog_rules
from chalicelib.core import clock, keys, table
from chalicelib.core.errors import NotFound, VersionMismatch
from chalicelib.core.principal import Principal
from chalicelib.core.uow import UnitOfWork
from chalicelib.orders import codec
from chalicelib.orders import rules as rules
from chalicelib.orders.rules import Status
from chalicelib.orders.store import OrderItem, OrderMonthsItem


def load(principal: Principal, order_id: str) -> tuple[OrderItem, dict]:
    """The order, if it is the principal's shop's and at the principal's locations: every use case
    loads through here, so location scope is decided on the order as stored."""
    item = _get(principal.tenant_id, order_id)
    order = document_of(item)
    principal.require_locations(rules.order_locations(order))
    return item, order


MAX_ID_LENGTH = 64  # ids we make are 26 characters; a longer one names no order (and no valid key)


def _get(tenant_id: str, order_id: str) -> OrderItem:
    if len(order_id) > MAX_ID_LENGTH:
        raise NotFound("No such order.")
    item = table.get_first(OrderItem, (keys.order(tenant_id, order_id), keys.legacy_order(tenant_id, order_id)))
    if item is None:
        raise NotFound("No such order.")
    return item


def document_of(item: OrderItem) -> dict:
    return codec.from_attributes(item.doc, item.body)


def view(item: OrderItem, order: dict) -> dict:
    return {**order, "id": item.order_id, "status": item.status, "version": int(item.version or 0),
            "allowed_actions": rules.allowed_actions(Status(item.status))}


def saved_view(item: OrderItem, order: dict) -> dict:
    """The view as it will be once the staged save commits (the version goes up by one): the
    answer a unit of work stores for an idempotent replay before it commits."""
    status = Status(order["status"])
    return {**order, "id": item.order_id, "status": status.value, "version": int(item.version or 0) + 1,
            "allowed_actions": rules.allowed_actions(status)}


def copy_index_fields(item: OrderItem, order: dict, tenant_id: str) -> None:
    """Copy the fields lists and filters use to the top level of the item."""
    item.status = order["status"]
    item.gsi4pk = keys.orders_by_status(tenant_id, order["status"])
    item.total, item.payment_status, item.external_id = order["total"], order["payment"]["status"], order["external_id"]
    item.customer_name = (order.get("customer") or {}).get("name")
    item.customer_phone = (order.get("customer") or {}).get("phone")
    item.sold_by = order.get("sold_by")
    item.warning_codes = {w["code"] for w in order["warnings"]} or None
    item.location_ids = rules.order_locations(order) or None
    item.doc, item.body = codec.encode(order), None


def stage_save(uow: UnitOfWork, item: OrderItem, order: dict) -> None:
    order["updated_at"] = clock.now_iso()
    copy_index_fields(item, order, uow.actor.tenant_id)
    uow.put(item, on_fail=lambda: VersionMismatch(
        "Someone else changed this order at the same moment; reload it and try again.",
        extra={"order_id": item.order_id}))


def audit_order(uow: UnitOfWork, item: OrderItem, action: str, *, before=None, after=None) -> None:
    """The audit entry of an order's write, carried by the order item itself (filed from the stream)."""
    uow.audit(action, "order", item.order_id, before=before, after=after, carried_by=item)


def summary(item: OrderItem) -> dict:
    """An order as lists show it (only what the order indexes project)."""
    return {"id": item.order_id, "status": item.status, "channel": item.channel, "external_id": item.external_id,
            "total": int(item.total), "payment_status": item.payment_status, "customer_name": item.customer_name,
            "customer_phone": item.customer_phone, "sold_by": item.sold_by,
            "warnings": sorted(item.warning_codes or []), "created_at": item.created_at}


def merged_lines(lines: list[dict]) -> list[dict]:
    totals: dict[str, dict] = {}
    for line in lines:
        key = catalog_rules.sku_key(line["sku"])
        totals.setdefault(key, {"sku": line["sku"], "quantity": 0})["quantity"] += line["quantity"]
    return list(totals.values())


def stage_month(uow: UnitOfWork, tenant_id: str, month: str) -> None:
    """The first order of a month adds the month to the shop's order months (ADD is idempotent, so
    two first orders at once both add it); the create's prefetch says whether it is there already."""
    known = table.batch_get(OrderMonthsItem, [keys.order_months(tenant_id)])
    if known and month in (known[0].months or set()):
        return
    uow.update(OrderMonthsItem(*keys.order_months(tenant_id)), [OrderMonthsItem.months.add({month})])


def order_months(tenant_id: str) -> list[str]:
    """The months in which the shop has orders, newest first."""
    try:
        item = OrderMonthsItem.get(*keys.order_months(tenant_id), consistent_read=True)
    except OrderMonthsItem.DoesNotExist:
        return []
    return sorted(item.months or (), reverse=True)
