"""Routes: invoice settings, invoices from orders and their actions, XML, print, the buyer directory."""
from chalice import Blueprint, Response

from chalicelib.core.endpoint import endpoint
from chalicelib.invoices.schemas import (
    BuyerIn,
    InvoiceActionIn,
    InvoiceIn,
    InvoiceList,
    InvoiceOut,
    InvoiceQuery,
    InvoiceSettingsIn,
    InvoiceSettingsOut,
    PrintQuery,
)

invoice_routes = Blueprint(__name__)
TAG = "E-invoices"


def _invoices():
    """The use cases, imported on the first invoice request: `import app` stays fast (rules, providers)."""
    from chalicelib.invoices import service

    return service


def _settings():
    from chalicelib.invoices import settings

    return settings


@endpoint(invoice_routes, "/api/v1/invoice-settings", "GET", summary="Seller, provider, symbol (credentials never shown)",
          tag=TAG, response=InvoiceSettingsOut, permission="invoices.view", errors=(401, 403))
def get_settings(caller):
    return _settings().get(caller)


@endpoint(invoice_routes, "/api/v1/invoice-settings", "PUT", summary="Set seller, provider, credentials, symbol",
          tag=TAG, body=InvoiceSettingsIn, response=InvoiceSettingsOut, permission="invoices.manage",
          errors=(400, 401, 403))
def put_settings(caller, body: InvoiceSettingsIn):
    return _settings().put(caller, body.model_dump(mode="json"))


@endpoint(invoice_routes, "/api/v1/invoices", "POST", summary="A draft invoice from an order", tag=TAG, body=InvoiceIn,
          response=InvoiceOut, status=201, permission="invoices.manage", errors=(400, 401, 403, 404, 409))
def create_invoice(caller, body: InvoiceIn):
    return _invoices().create(caller, body.model_dump(mode="json", exclude_none=True))


@endpoint(invoice_routes, "/api/v1/invoices", "GET", summary="Invoices, newest first", tag=TAG, query=InvoiceQuery,
          response=InvoiceList, permission="invoices.view", errors=(400, 401, 403))
def list_invoices(caller, query: InvoiceQuery):
    return _invoices().list_invoices(caller, status=query.status, date_from=query.from_ and query.from_.isoformat(),
                                  date_to=query.to and query.to.isoformat(), limit=query.limit, cursor=query.cursor)


@endpoint(invoice_routes, "/api/v1/invoices/{invoice_id}", "GET", summary="One invoice", tag=TAG, response=InvoiceOut,
          permission="invoices.view", errors=(401, 403, 404))
def get_invoice(caller, invoice_id: str):
    return _invoices().get(caller, invoice_id)


@endpoint(invoice_routes, "/api/v1/invoices/{invoice_id}/actions/{action}", "POST",
          summary="issue, cancel (reason), replace, adjust: replace and adjust answer with the new linked invoice",
          tag=TAG, body=InvoiceActionIn, response=InvoiceOut, permission="invoices.manage",
          errors=(400, 401, 403, 404, 409, 503))
def invoice_action(caller, invoice_id: str, action: str, body: InvoiceActionIn):
    return _invoices().act(caller, invoice_id, action, body.model_dump(mode="json", exclude_none=True))


@endpoint(invoice_routes, "/api/v1/invoices/{invoice_id}/xml", "GET", summary="The XML as sent to the tax authority",
          tag=TAG, permission="invoices.view", response_media="application/xml", errors=(401, 403, 404))
def invoice_xml(caller, invoice_id: str):
    return Response(body=_invoices().xml(caller, invoice_id).decode("utf-8"), status_code=200,
                    headers={"Content-Type": "application/xml; charset=utf-8"})


@endpoint(invoice_routes, "/api/v1/invoices/{invoice_id}/print", "GET", summary="Printable invoice (A4 or 80 mm)",
          tag=TAG, query=PrintQuery, permission="invoices.view", response_media="text/html", errors=(400, 401, 403, 404))
def invoice_print(caller, invoice_id: str, query: PrintQuery):
    return Response(body=_invoices().printable(caller, invoice_id, query.size), status_code=200,
                    headers={"Content-Type": "text/html; charset=utf-8"})


@endpoint(invoice_routes, "/api/v1/invoice-buyers/{tax_code}", "GET", summary="A buyer this shop invoiced, by tax code",
          tag=TAG, response=BuyerIn, permission="invoices.view", errors=(400, 401, 403, 404))
def invoice_buyer(caller, tax_code: str):
    return _invoices().buyer(caller, tax_code)
