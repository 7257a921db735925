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


def _save(actor: Principal, item, order: dict, action: str, after: dict, answer: dict) -> dict:
    """One transaction; `answer` is what the request answers (kept for an idempotent replay)."""
    uow = UnitOfWork(actor)
    order_documents.stage_save(uow, item, order)
    uow.audit(action, "order", item.order_id, after=after)
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
