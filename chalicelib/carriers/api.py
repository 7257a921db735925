"""Routes: carrier accounts, quotes, booking, labels, carrier callbacks, COD statements and report."""
from chalice import Blueprint, Response

from chalicelib.carriers.schemas import (
    BookedShipmentOut,
    BookIn,
    CallbackOut,
    CancelBookingIn,
    CarrierAccountIn,
    CarrierAccountList,
    CarrierAccountOut,
    CarrierAccountPatch,
    CodReportOut,
    CodReportQuery,
    LabelQuery,
    LabelsQuery,
    QuoteIn,
    QuotesOut,
    StatementIn,
    StatementOut,
)
from chalicelib.core.endpoint import endpoint
from chalicelib.core.errors import InvalidInput, PayloadTooLarge

carrier_routes = Blueprint(__name__)
TAG = "Shipping carriers and COD"
MAX_CALLBACK_BYTES = 64 * 1024
MAX_WAVE = 100


def _html(body: str) -> Response:
    return Response(body=body, status_code=200, headers={"Content-Type": "text/html; charset=utf-8"})


@endpoint(carrier_routes, "/api/v1/carrier-accounts", "POST", summary="Connect a carrier account (token never returned)",
          tag=TAG, body=CarrierAccountIn, response=CarrierAccountOut, status=201, permission="shop.manage",
          errors=(400, 401, 403, 404, 422))
def create_account(caller, body: CarrierAccountIn):
    from chalicelib.carriers import accounts

    return accounts.create(caller, body.model_dump(mode="json", exclude_none=True))


@endpoint(carrier_routes, "/api/v1/carrier-accounts", "GET", summary="The shop's carrier accounts", tag=TAG,
          response=CarrierAccountList, permission="orders.view", errors=(401, 403))
def list_accounts(caller):
    from chalicelib.carriers import accounts

    return accounts.list_accounts(caller)


@endpoint(carrier_routes, "/api/v1/carrier-accounts/{account_id}", "GET", summary="One carrier account", tag=TAG,
          response=CarrierAccountOut, permission="orders.view", errors=(401, 403, 404))
def get_account(caller, account_id: str):
    from chalicelib.carriers import accounts

    return accounts.get(caller, account_id)


@endpoint(carrier_routes, "/api/v1/carrier-accounts/{account_id}", "PATCH",
          summary="Change a carrier account (new token, pick-up, service, disable)", tag=TAG, body=CarrierAccountPatch,
          response=CarrierAccountOut, permission="shop.manage", errors=(400, 401, 403, 404, 409))
def update_account(caller, account_id: str, body: CarrierAccountPatch):
    from chalicelib.carriers import accounts

    return accounts.update(caller, account_id, body.model_dump(mode="json", exclude_unset=True))


@endpoint(carrier_routes, "/api/v1/shipments/{shipment_id}/quotes", "POST",
          summary="Each carrier account's fee and expected delivery, side by side", tag=TAG, body=QuoteIn,
          response=QuotesOut, permission="orders.process", errors=(400, 401, 403, 404))
def quote_shipment(caller, shipment_id: str, body: QuoteIn):
    from chalicelib.carriers import booking

    return booking.quotes(caller, shipment_id, body.model_dump(mode="json", exclude_none=True))


@endpoint(carrier_routes, "/api/v1/shipments/{shipment_id}/actions/book", "POST",
          summary="Book the packed parcel at a carrier, exactly once", tag=TAG, body=BookIn, response=BookedShipmentOut,
          permission="orders.process", errors=(400, 401, 403, 404, 409, 422, 503))
def book_shipment(caller, shipment_id: str, body: BookIn):
    from chalicelib.carriers import booking

    return booking.book(caller, shipment_id, body.model_dump(mode="json", exclude_none=True))


@endpoint(carrier_routes, "/api/v1/shipments/{shipment_id}/actions/cancel_booking", "POST",
          summary="Cancel the carrier booking (the carrier's cancel first)", tag=TAG, body=CancelBookingIn,
          response=BookedShipmentOut, permission="orders.process", errors=(400, 401, 403, 404, 409, 422, 503))
def cancel_booking(caller, shipment_id: str, body: CancelBookingIn):
    from chalicelib.carriers import booking

    return booking.cancel(caller, shipment_id, body.reason)


@endpoint(carrier_routes, "/api/v1/shipments/{shipment_id}/label", "GET",
          summary="Printable shipping label (HTML, A6 or 80 mm): Code 128, recipient, COD", tag=TAG, query=LabelQuery,
          permission="orders.view", response_media="text/html", errors=(400, 401, 403, 404))
def shipment_label(caller, shipment_id: str, query: LabelQuery):
    from chalicelib.carriers import booking

    return _html(booking.labels(caller, [shipment_id], query.size))


@endpoint(carrier_routes, "/api/v1/shipment-labels", "GET", summary="The labels of a wave as one printable document",
          tag=TAG, query=LabelsQuery, permission="orders.view", response_media="text/html", errors=(400, 401, 403, 404))
def wave_labels(caller, query: LabelsQuery):
    from chalicelib.carriers import booking

    wanted = list(dict.fromkeys(x.strip() for x in query.ids.split(",") if x.strip()))
    if not wanted or len(wanted) > MAX_WAVE:
        raise InvalidInput("Name between 1 and 100 shipments.", errors=[{"field": "ids", "message": "1-100 ids"}])
    return _html(booking.labels(caller, wanted, query.size))


@endpoint(carrier_routes, "/api/v1/webhooks/carriers/{carrier}/{account_id}", "POST",
          summary="A carrier's status callback (secret in the URL the shop registered)", tag=TAG, public=True,
          response=CallbackOut, errors=(400, 401, 404, 413))
def carrier_callback(carrier: str, account_id: str):
    from chalicelib.carriers import tracking

    request = carrier_routes.current_request
    raw = request.raw_body or b""
    if len(raw) > MAX_CALLBACK_BYTES:
        raise PayloadTooLarge(f"The body is {len(raw)} bytes; the limit is {MAX_CALLBACK_BYTES}.")
    return tracking.callback(carrier, account_id, dict(request.headers), raw, dict(request.query_params or {}))


@endpoint(carrier_routes, "/api/v1/cod-statements", "POST",
          summary="Import a carrier's COD statement (lines or its CSV): matched orders are paid", tag=TAG,
          body=StatementIn, response=StatementOut, status=201, permission="payments.mark_paid",
          errors=(400, 401, 403, 404, 422))
def import_statement(caller, body: StatementIn):
    from chalicelib.carriers import statements

    return statements.import_statement(caller, body.model_dump(mode="json", exclude_none=True))


@endpoint(carrier_routes, "/api/v1/reports/cod", "GET",
          summary="COD outstanding per carrier (delivered not paid, in transit) and mismatches", tag=TAG,
          query=CodReportQuery, response=CodReportOut, permission="reports.view", errors=(400, 401, 403, 404))
def cod_report(caller, query: CodReportQuery):
    from chalicelib.carriers import statements

    return statements.outstanding(caller, query.carrier_account_id)
