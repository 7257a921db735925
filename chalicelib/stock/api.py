"""Routes: stock levels, ledger, receipts, adjustments, transfers, stocktakes, reservations,
channel rules, flash-sale holds, availability per channel, reconcile."""
from chalice import Blueprint

from chalicelib.core import clock
from chalicelib.core.channels import Channel
from chalicelib.core.endpoint import endpoint
from chalicelib.core.errors import InvalidInput
from chalicelib.core.lazy import lazy
from chalicelib.core.schemas import ListQuery
from chalicelib.stock.schemas import (
    AdjustmentIn,
    AvailabilityOut,
    AvailabilityQuery,
    ChannelRuleIn,
    ChannelRuleOut,
    FlashHoldIn,
    FlashHoldOut,
    MovementOut,
    MovementPage,
    ReceiptIn,
    ReceiptOut,
    ReconcileOut,
    ReservationIn,
    ReservationOut,
    StockOut,
    StocktakeIn,
    StocktakeOut,
    ThresholdIn,
    TransferIn,
    TransferOut,
    TransferReceiveIn,
)

catalog = lazy("chalicelib.catalog.service")
availability = lazy("chalicelib.stock.availability")
movements = lazy("chalicelib.stock.movements")
reconcile = lazy("chalicelib.stock.reconcile")
reservations = lazy("chalicelib.stock.reservations")
stock = lazy("chalicelib.stock.levels")

stock_routes = Blueprint(__name__)
TAG = "Stock"
WRITE_ERRORS = (400, 401, 403, 409, 422, 503)


def _lines(lines) -> list[dict]:
    return [line.model_dump() for line in lines]


@endpoint(stock_routes, "/api/v1/stock/receipts", "POST", summary="Record goods received", tag=TAG,
          body=ReceiptIn, response=ReceiptOut, status=201, permission="stock.receive",
          errors=WRITE_ERRORS)
def receive(caller, body: ReceiptIn):
    return movements.receive_goods(caller, location_id=body.location_id, lines=_lines(body.lines),
                                   note=body.note)


@endpoint(stock_routes, "/api/v1/stock/adjustments", "POST", summary="Adjust stock with a reason", tag=TAG,
          body=AdjustmentIn, response=MovementOut, status=201, permission="stock.adjust",
          errors=WRITE_ERRORS)
def adjust(caller, body: AdjustmentIn):
    return movements.adjust(caller, location_id=body.location_id, sku=body.sku, delta=body.delta,
                            reason=body.reason.value, note=body.note)


@endpoint(stock_routes, "/api/v1/stock/transfers", "POST", summary="Send goods to another location", tag=TAG,
          body=TransferIn, response=TransferOut, status=201, permission="stock.transfer",
          errors=WRITE_ERRORS)
def send_transfer(caller, body: TransferIn):
    return movements.send_transfer(caller, from_location_id=body.from_location_id,
                                   to_location_id=body.to_location_id, lines=_lines(body.lines), note=body.note)


@endpoint(stock_routes, "/api/v1/stock/transfers/{transfer_id}", "GET", summary="One transfer", tag=TAG,
          response=TransferOut, permission="stock.view", errors=(401, 403, 404))
def get_transfer(caller, transfer_id: str):
    return movements.get_transfer(caller.tenant_id, transfer_id)


@endpoint(stock_routes, "/api/v1/stock/transfers/{transfer_id}/receive", "POST",
          summary="Receive a transfer, whole or in part", tag=TAG, body=TransferReceiveIn, response=TransferOut,
          permission="stock.transfer", errors=WRITE_ERRORS + (404,))
def receive_transfer(caller, transfer_id: str, body: TransferReceiveIn):
    return movements.receive_transfer(caller, transfer_id, _lines(body.lines) if body.lines else None)


@endpoint(stock_routes, "/api/v1/stock/stocktakes", "POST", summary="Submit a count sheet", tag=TAG,
          body=StocktakeIn, response=StocktakeOut, status=201, permission="stock.adjust",
          errors=WRITE_ERRORS)
def stocktake(caller, body: StocktakeIn):
    lines = [{"sku": x.sku, "counted": x.counted, "counted_at": clock.iso(x.counted_at) if x.counted_at else None}
             for x in body.lines]
    return movements.submit_stocktake(caller, location_id=body.location_id, lines=lines, note=body.note)


@endpoint(stock_routes, "/api/v1/stock/reservations", "POST", summary="Reserve order lines at a location", tag=TAG,
          body=ReservationIn, response=ReservationOut, status=201, permission="stock.reserve", errors=WRITE_ERRORS)
def reserve(caller, body: ReservationIn):
    return reservations.reserve(caller, reservation_id=body.reservation_id, location_id=body.location_id,
                                lines=_lines(body.lines), expires_at=body.expires_at, reference=body.reference)


@endpoint(stock_routes, "/api/v1/stock/reservations/{reservation_id}", "GET", summary="One reservation", tag=TAG,
          response=ReservationOut, permission="stock.view", errors=(401, 403, 404))
def get_reservation(caller, reservation_id: str):
    return reservations.view(reservations.load(caller.tenant_id, reservation_id))


@endpoint(stock_routes, "/api/v1/stock/reservations/{reservation_id}/release", "POST",
          summary="Give reserved stock back", tag=TAG, response=ReservationOut, permission="stock.reserve",
          errors=(401, 403, 404, 409, 503))
def release(caller, reservation_id: str):
    return reservations.release(caller, reservation_id)


@endpoint(stock_routes, "/api/v1/stock/reservations/{reservation_id}/commit", "POST",
          summary="Hand reserved stock over (shipment movement)", tag=TAG, response=ReservationOut,
          permission="orders.process", errors=(401, 403, 404, 409, 503))
def commit(caller, reservation_id: str):
    return reservations.commit(caller, reservation_id)


@endpoint(stock_routes, "/api/v1/stock/availability", "GET", summary="What every channel may sell, per SKU",
          tag=TAG, query=AvailabilityQuery, response=AvailabilityOut, permission="stock.view", errors=(400, 401, 403))
def channel_availability(caller, query: AvailabilityQuery):
    skus = list(dict.fromkeys(s.strip() for s in query.skus.split(",") if s.strip()))
    return {"items": availability.for_skus(caller.tenant_id, skus)}


@endpoint(stock_routes, "/api/v1/stock/holds", "POST", summary="Keep a quantity for one channel until a time",
          tag=TAG, body=FlashHoldIn, response=FlashHoldOut, status=201, permission="stock.adjust",
          errors=(400, 401, 403))
def flash_hold(caller, body: FlashHoldIn):
    return availability.hold_for_flash_sale(caller, body.sku, body.channel, body.quantity, body.until)


@endpoint(stock_routes, "/api/v1/channels/{channel}/rule", "PUT", summary="Set a channel's buffer and allocation",
          tag=TAG, body=ChannelRuleIn, response=ChannelRuleOut, permission="shop.manage", errors=(400, 401, 403))
def set_channel_rule(caller, channel: str, body: ChannelRuleIn):
    try:
        known = Channel(channel)
    except ValueError as error:
        raise InvalidInput("Unknown channel.", errors=[{"field": "channel", "message": "unknown channel"}]) from error
    return availability.set_rule(caller, known, body.buffer, body.percent)


@endpoint(stock_routes, "/api/v1/stock/reconcile", "GET", summary="Check the stock invariants of my shop", tag=TAG,
          response=ReconcileOut, permission="stock.adjust", errors=(401, 403))
def reconcile_shop(caller):
    return reconcile.check_shop(caller.tenant_id)


@endpoint(stock_routes, "/api/v1/stock/{sku}", "GET", summary="Levels of a SKU at every location", tag=TAG,
          response=StockOut, permission="stock.view", errors=(401, 403, 404))
def levels(caller, sku: str):
    return stock.levels_for_sku(caller.tenant_id, sku)


@endpoint(stock_routes, "/api/v1/stock/{sku}/ledger", "GET", summary="Movements of a SKU, newest first", tag=TAG,
          query=ListQuery, response=MovementPage, permission="stock.view", errors=(400, 401, 403, 404))
def ledger(caller, sku: str, query: ListQuery):
    catalog.known_sku(caller.tenant_id, sku)
    page = stock.ledger_for_sku(caller.tenant_id, sku, query.limit, query.cursor)
    if "catalog.view_cost" not in caller.permissions:  # as the product routes: cost only for those allowed
        for movement in page["items"]:
            movement["unit_cost"] = None
    return page


@endpoint(stock_routes, "/api/v1/stock/{sku}/locations/{location_id}/threshold", "PUT",
          summary="Low-stock threshold of a SKU at one location", tag=TAG, body=ThresholdIn, response=StockOut,
          permission="stock.adjust", errors=(400, 401, 403, 404))
def threshold(caller, sku: str, location_id: str, body: ThresholdIn):
    return stock.set_location_threshold(caller, sku, location_id, body.low_stock_threshold)
