"""Routes: orders (every channel, one lifecycle), their shipments, scan-to-pack, documents."""
from chalice import Blueprint, Response

from chalicelib.core.endpoint import endpoint
from chalicelib.core.errors import InvalidInput
from chalicelib.core.lazy import lazy
from chalicelib.orders.rules import Action
from chalicelib.orders.schemas import (
    ActionIn,
    OrderIn,
    OrderList,
    OrderOut,
    OrderPatch,
    OrderQuery,
    ScanIn,
    ScanOut,
    ShipmentOut,
    ShipmentPatch,
    SplitIn,
    StatusCounts,
    bound,
)

order_actions = lazy("chalicelib.orders.lifecycle")
orders = lazy("chalicelib.orders.service")
shipments = lazy("chalicelib.orders.shipments")

order_routes = Blueprint(__name__)
TAG = "Orders"
ACTION_PERMISSION = {Action.confirm: "orders.process", Action.pack: "orders.process",
                     Action.mark_ready: "orders.process", Action.hand_over: "orders.process",
                     Action.complete: "orders.process", Action.cancel: "orders.cancel",
                     Action.return_: "orders.return", Action.mark_paid: "payments.mark_paid"}


def _via() -> str:
    return (order_routes.current_request.headers.get("x-quay-client") or "api")[:40]


def _html(body: str) -> Response:
    return Response(body=body, status_code=200, headers={"Content-Type": "text/html; charset=utf-8"})


@endpoint(order_routes, "/api/v1/orders", "POST", summary="Create an order from any channel", tag=TAG, body=OrderIn,
          response=OrderOut, status=201, permission="orders.create",
          errors=(400, 401, 403, 409, 422, 503))
def create_order(caller, body: OrderIn):
    return orders.create(caller, body.model_dump(mode="json", exclude_none=True),
                         via=_via())


@endpoint(order_routes, "/api/v1/orders", "GET", summary="Find orders", tag=TAG, query=OrderQuery, response=OrderList,
          permission="orders.view", errors=(400, 401, 403))
def list_orders(caller, query: OrderQuery):
    return orders.list_orders(caller.tenant_id, status=query.status and query.status.value,
                              channel=query.channel and query.channel.value, q=query.q, warning=query.warning,
                              phone=query.phone, staff_id=query.staff,
                              date_from=query.from_ and bound(query.from_), date_to=query.to and bound(query.to, end=True),
                              limit=query.limit, cursor=query.cursor, location_ids=caller.location_ids)


@endpoint(order_routes, "/api/v1/orders/counts", "GET", summary="Orders per status (inbox badges)", tag=TAG,
          response=StatusCounts, permission="orders.view", errors=(401, 403))
def status_counts(caller):
    return {"counts": orders.counts(caller.tenant_id, caller.location_ids)}


@endpoint(order_routes, "/api/v1/orders/{order_id}", "GET", summary="One order with lines, warnings, timeline",
          tag=TAG, response=OrderOut, permission="orders.view", errors=(401, 403, 404))
def get_order(caller, order_id: str):
    return orders.get(caller, order_id)


@endpoint(order_routes, "/api/v1/orders/{order_id}", "PATCH", summary="Fix recipient, link lines, notes, tags",
          tag=TAG, body=OrderPatch, response=OrderOut, permission="orders.process", errors=(400, 401, 403, 404, 409))
def update_order(caller, order_id: str, body: OrderPatch):
    return orders.update(caller, order_id, body.model_dump(mode="json", exclude_unset=True), via=_via())


@endpoint(order_routes, "/api/v1/orders/{order_id}/actions/{action}", "POST",
          summary="Move an order: confirm, pack, mark_ready, hand_over, complete, cancel, return, mark_paid",
          tag=TAG, body=ActionIn, response=OrderOut, permission="orders.view", errors=(400, 401, 403, 404, 409, 503))
def order_action(caller, order_id: str, action: str, body: ActionIn):
    try:
        known = Action(action)
    except ValueError as error:
        raise InvalidInput(f"Unknown action '{action}'.", errors=[{"field": "action", "message": "one of " + ", ".join(
            a.value for a in Action)}]) from error
    caller.require(ACTION_PERMISSION[known])
    return order_actions.act(caller, order_id, known, body.model_dump(mode="json", exclude_none=True), via=_via())


@endpoint(order_routes, "/api/v1/orders/{order_id}/split", "POST", summary="Ship a new order from several locations",
          tag=TAG, body=SplitIn, response=OrderOut, permission="orders.process", errors=(400, 401, 403, 404, 409))
def split_order(caller, order_id: str, body: SplitIn):
    return orders.split(caller, order_id, [part.model_dump() for part in body.shipments])


@endpoint(order_routes, "/api/v1/orders/{order_id}/receipt", "GET", summary="80 mm counter receipt (HTML)", tag=TAG,
          permission="orders.view", response_media="text/html", errors=(401, 403, 404))
def order_receipt(caller, order_id: str):
    return _html(shipments.receipt(caller, order_id))


@endpoint(order_routes, "/api/v1/shipments/{shipment_id}", "PATCH", summary="Carrier, tracking, COD, weight, problem",
          tag=TAG, body=ShipmentPatch, response=ShipmentOut, permission="orders.process",
          errors=(400, 401, 403, 404, 409))
def update_shipment(caller, shipment_id: str, body: ShipmentPatch):
    return shipments.update(caller, shipment_id, body.model_dump(exclude_unset=True))


@endpoint(order_routes, "/api/v1/shipments/{shipment_id}/scan", "POST", summary="Scan one item into the parcel",
          tag=TAG, body=ScanIn, response=ScanOut, permission="orders.process", errors=(400, 401, 403, 404, 409))
def scan_item(caller, shipment_id: str, body: ScanIn):
    return shipments.scan(caller, shipment_id, body.code)


@endpoint(order_routes, "/api/v1/shipments/{shipment_id}/packing-slip", "GET", summary="Packing slip (HTML)", tag=TAG,
          permission="orders.view", response_media="text/html", errors=(401, 403, 404))
def packing_slip(caller, shipment_id: str):
    return _html(shipments.packing_slip(caller, shipment_id))
