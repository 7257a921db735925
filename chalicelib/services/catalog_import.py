"""CSV import: each bad row is reported with its line and nothing of it is written;
good rows go in, grouped by product name into products with variants."""
from chalicelib.adapters.dynamo.uow import Actor, UnitOfWork
from chalicelib.domain import catalog
from chalicelib.domain.errors import DuplicateSku
from chalicelib.services.catalog import (
    claim_identifiers,
    existing_barcodes,
    existing_skus,
    new_product_item,
    product_view,
)

MAX_VARIANTS_PER_PRODUCT = 45  # product + SKU + barcode + audit items stay under 100 per transaction


class _RowRejected(Exception):
    def __init__(self, line: int, field: str, message: str):
        super().__init__(message)
        self.error = {"line": line, "field": field, "message": message}


def _reject_known(rows: list[catalog.CsvRow], tenant_id: str, errors: list[dict]) -> list[catalog.CsvRow]:
    """Drop rows whose SKU or barcode the shop (or an earlier row) already uses."""
    taken_skus = existing_skus(tenant_id, [r.variant["sku"] for r in rows])
    taken_codes = existing_barcodes(tenant_id, [r.variant["barcode"] for r in rows if r.variant["barcode"]])
    kept = []
    for row in rows:
        key, code = catalog.sku_key(row.variant["sku"]), row.variant["barcode"]
        if key in taken_skus:
            errors.append({"line": row.line, "field": "sku", "message": f"SKU '{row.variant['sku']}' already exists"})
        elif code and code in taken_codes:
            errors.append({"line": row.line, "field": "barcode", "message": f"barcode '{code}' is already used"})
        else:
            taken_skus.add(key)
            if code:
                taken_codes.add(code)
            kept.append(row)
    return kept


def _groups(rows: list[catalog.CsvRow]) -> list[list[catalog.CsvRow]]:
    by_name: dict[str, list[catalog.CsvRow]] = {}
    for row in rows:
        by_name.setdefault(row.product_name.strip().lower(), []).append(row)
    groups = []
    for rows_of_product in by_name.values():
        for start in range(0, len(rows_of_product), MAX_VARIANTS_PER_PRODUCT):
            groups.append(rows_of_product[start:start + MAX_VARIANTS_PER_PRODUCT])
    return groups


def _write_product(actor: Actor, rows: list[catalog.CsvRow]) -> dict:
    first = rows[0]
    item = new_product_item(actor.tenant_id, first.product_name, first.category, [r.variant for r in rows])
    uow = UnitOfWork(actor)
    uow.put(item)
    for row in rows:
        claim_uow = _RowUow(uow, row)
        claim_identifiers(claim_uow, actor.tenant_id, item.product_id, row.variant, "")
    view = product_view(item)
    uow.audit("product.imported", "product", item.product_id, after=view)
    uow.commit()
    return view


class _RowUow:
    """Tags the uniqueness failures of one row with its CSV line."""

    def __init__(self, uow: UnitOfWork, row: catalog.CsvRow):
        self._uow, self._row = uow, row

    def put(self, item, condition=None, on_fail=None):
        def tagged():
            error = on_fail()
            field = "sku" if isinstance(error, DuplicateSku) else "barcode"
            return _RowRejected(self._row.line, field, error.detail)
        self._uow.put(item, condition=condition, on_fail=tagged)


def import_csv(actor: Actor, text: str) -> dict:
    reading = catalog.read_csv(text)
    errors = list(reading.errors)
    rows = _reject_known(reading.rows, actor.tenant_id, errors)
    created = []
    for group in _groups(rows):
        while group:
            try:
                created.append(_write_product(actor, group))
                break
            except _RowRejected as rejected:  # a concurrent writer took a SKU or barcode meanwhile
                errors.append(rejected.error)
                group = [r for r in group if r.line != rejected.error["line"]]
    errors.sort(key=lambda e: e["line"])
    return {"created_products": len(created), "created_variants": sum(len(p["variants"]) for p in created),
            "rejected_rows": len(errors), "errors": errors, "products": [p["id"] for p in created]}

