"""Routes: catalog of products and variants, barcode lookup, CSV import and export."""
from chalice import Blueprint, Response

from chalicelib.catalog import rules as catalog_rules
from chalicelib.catalog.schemas import (
    ImportOut,
    ProductIn,
    ProductList,
    ProductOut,
    ProductPatch,
    ProductQuery,
    VariantIn,
    VariantPatch,
    VariantWithProduct,
)
from chalicelib.core.endpoint import endpoint
from chalicelib.core.errors import InvalidInput
from chalicelib.core.lazy import lazy
from chalicelib.core.principal import Principal

catalog_import = lazy("chalicelib.catalog.importing")
catalog = lazy("chalicelib.catalog.service")

products = Blueprint(__name__)
TAG = "Catalog"


def _visible(caller: Principal, product: dict) -> dict:
    """Cost prices only for those allowed to see them."""
    if "catalog.view_cost" not in caller.permissions:
        for variant in product["variants"]:
            variant["cost"] = None
    return product


@endpoint(products, "/api/v1/products", "POST", summary="Create a product with its variants", tag=TAG,
          body=ProductIn, response=ProductOut, status=201, permission="catalog.manage",
          errors=(400, 401, 403, 409, 422))
def create_product(caller, body: ProductIn):
    return catalog.create_product(caller, name=body.name, category=body.category,
                                  variants=[v.model_dump() for v in body.variants])


@endpoint(products, "/api/v1/products", "GET", summary="List and search products (accent-insensitive)", tag=TAG,
          query=ProductQuery, response=ProductList, permission="catalog.view", errors=(400, 401, 403))
def list_products(caller, query: ProductQuery):
    page = catalog.list_products(caller.tenant_id, query.q, query.status, query.limit, query.cursor)
    page["items"] = [_visible(caller, p) for p in page["items"]]
    return page


@endpoint(products, "/api/v1/products/{product_id}", "GET", summary="One product", tag=TAG,
          response=ProductOut, permission="catalog.view", errors=(401, 403, 404))
def get_product(caller, product_id: str):
    return _visible(caller, catalog.get_product(caller.tenant_id, product_id))


@endpoint(products, "/api/v1/products/{product_id}", "PATCH", summary="Change name, category or status", tag=TAG,
          body=ProductPatch, response=ProductOut, permission="catalog.manage", errors=(400, 401, 403, 404, 409))
def update_product(caller, product_id: str, body: ProductPatch):
    changes = body.model_dump(exclude_unset=True)
    if changes.get("name", "") is None or changes.get("status", "") is None:
        raise InvalidInput("name and status cannot be null.", errors=[{"field": "name", "message": "null"}])
    return _visible(caller, catalog.update_product(caller, product_id, changes))


@endpoint(products, "/api/v1/products/{product_id}/variants", "POST", summary="Add a variant", tag=TAG,
          body=VariantIn, response=ProductOut, status=201, permission="catalog.manage",
          errors=(400, 401, 403, 404, 409))
def add_variant(caller, product_id: str, body: VariantIn):
    return _visible(caller, catalog.add_variant(caller, product_id, body.model_dump()))


@endpoint(products, "/api/v1/products/{product_id}/variants/{sku}", "PATCH", summary="Change a variant", tag=TAG,
          body=VariantPatch, response=ProductOut, permission="catalog.manage", errors=(400, 401, 403, 404, 409))
def update_variant(caller, product_id: str, sku: str, body: VariantPatch):
    changes = body.model_dump(exclude_unset=True)
    nulls = [k for k, v in changes.items() if v is None and k not in ("barcode", "cost", "low_stock_threshold")]
    if nulls:
        raise InvalidInput("These fields cannot be null.", errors=[{"field": k, "message": "null"} for k in nulls])
    return _visible(caller, catalog.update_variant(caller, product_id, sku, changes))


@endpoint(products, "/api/v1/variants/by-barcode/{code}", "GET", summary="Find a variant by barcode", tag=TAG,
          response=VariantWithProduct, permission="catalog.view", errors=(401, 403, 404))
def by_barcode(caller, code: str):
    found = catalog.find_variant(caller.tenant_id, barcode=code)
    _visible(caller, found["product"])
    if "catalog.view_cost" not in caller.permissions:
        found["variant"]["cost"] = None
    return found


@endpoint(products, "/api/v1/products/import", "POST", summary="Import products from CSV", tag=TAG,
          response=ImportOut, permission="catalog.manage", request_media="text/csv", errors=(400, 401, 403, 413))
def import_products(caller, raw: bytes):
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidInput("The CSV must be UTF-8.", errors=[{"field": "csv", "message": "not UTF-8"}]) from error
    return catalog_import.import_csv(caller, text)


@endpoint(products, "/api/v1/products/export", "GET", summary="Export products as CSV", tag=TAG,
          permission="catalog.view", response_media="text/csv", errors=(401, 403))
def export_products(caller):
    body = catalog_rules.write_csv(catalog.all_products(caller.tenant_id),
                                   include_cost="catalog.view_cost" in caller.permissions)
    return Response(body="\ufeff" + body, status_code=200, headers={
        "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": 'attachment; filename="products.csv"'})
