"""CSV import: each bad row is reported with its line and nothing of it is written; good rows
go in. A row whose SKU is new joins a new product (rows grouped by product name); a row whose
SKU exists updates that variant (price, cost, barcode, unit, status, attributes): re-importing
an exported file after editing prices is the usual way to change many prices at once."""
from chalicelib.catalog import rules as catalog
from chalicelib.catalog.service import (
    change_variant,
    claim_identifiers,
    existing_barcodes,
    existing_skus,
    load_product,
    new_product_item,
    product_view,
    save_product,
)
from chalicelib.core.errors import VersionMismatch
from chalicelib.core.principal import Principal
from chalicelib.core.uow import UnitOfWork

MAX_VARIANTS_PER_PRODUCT = 45  # product + SKU + barcode + audit items stay under 100 per transaction
UPDATABLE = ("price", "unit", "status", "attributes")


class _RowRejected(Exception):
    def __init__(self, line: int, field: str, message: str):
        super().__init__(message)
        self.error = {"line": line, "field": field, "message": message}


def _sort(rows: list[catalog.CsvRow], tenant_id: str, errors: list[dict]):
    """New rows (checked against SKUs and barcodes in use) and updates of existing variants."""
    known = existing_skus(tenant_id, [r.variant["sku"] for r in rows])
    taken_codes = existing_barcodes(tenant_id, [r.variant["barcode"] for r in rows if r.variant["barcode"]])
    new_rows, updates, seen = [], {}, set()
    for row in rows:
        key, code = catalog.sku_key(row.variant["sku"]), row.variant["barcode"]
        if key in seen:
            errors.append({"line": row.line, "field": "sku", "message": f"SKU '{row.variant['sku']}' repeats an earlier row"})
            continue
        seen.add(key)
        if key in known:
            updates.setdefault(known[key], []).append(row)
        elif code and code in taken_codes:
            errors.append({"line": row.line, "field": "barcode", "message": f"barcode '{code}' is already used"})
        else:
            if code:
                taken_codes.add(code)
            new_rows.append(row)
    return new_rows, updates


def _groups(rows: list[catalog.CsvRow]) -> list[list[catalog.CsvRow]]:
    by_name: dict[str, list[catalog.CsvRow]] = {}
    for row in rows:
        by_name.setdefault(row.product_name.strip().lower(), []).append(row)
    groups = []
    for rows_of_product in by_name.values():
        for start in range(0, len(rows_of_product), MAX_VARIANTS_PER_PRODUCT):
            groups.append(rows_of_product[start:start + MAX_VARIANTS_PER_PRODUCT])
    return groups


def _tagged(row: catalog.CsvRow):
    """Turns a uniqueness failure of one row into a _RowRejected naming its line."""
    def handler(field: str, value: str):
        label = "SKU" if field == "sku" else field
        return lambda: _RowRejected(row.line, field, f"{label} '{value}' is already used")
    return handler


def _write_product(actor: Principal, rows: list[catalog.CsvRow]) -> dict:
    first = rows[0]
    item = new_product_item(actor.tenant_id, first.product_name, first.category, [r.variant for r in rows])
    uow = UnitOfWork(actor)
    uow.put(item)
    for row in rows:
        claim_identifiers(uow, actor.tenant_id, item, row.variant, taken=_tagged(row))
    view = product_view(item)
    uow.audit("product.imported", "product", item.product_id, after=view)
    uow.commit()
    return view


def _update_product(actor: Principal, product_id: str, rows: list[catalog.CsvRow]) -> None:
    item = load_product(actor.tenant_id, product_id)
    before, registers = product_view(item), []
    for row in rows:
        changes = {k: row.variant[k] for k in UPDATABLE}
        for optional in ("cost", "barcode"):  # an empty cell leaves the value as it is
            if row.variant[optional] is not None:
                changes[optional] = row.variant[optional]
        change_variant(actor.tenant_id, item, row.variant["sku"], changes, registers, barcode_taken=_tagged(row))
    save_product(actor, item, before, "product.import_updated", registers)


def _with_retries(write, rows: list[catalog.CsvRow], errors: list[dict]) -> list[catalog.CsvRow]:
    """Runs write(rows); a row refused by a uniqueness check is reported and the rest retried."""
    while rows:
        try:
            write(rows)
            return rows
        except _RowRejected as rejected:  # a concurrent writer took a SKU or barcode meanwhile
            errors.append(rejected.error)
            rows = [r for r in rows if r.line != rejected.error["line"]]
        except VersionMismatch:  # the product changed meanwhile: read it again
            continue
    return rows


def import_csv(actor: Principal, text: str) -> dict:
    reading = catalog.read_csv(text)
    errors = list(reading.errors)
    new_rows, updates = _sort(reading.rows, actor.tenant_id, errors)
    created, updated_rows = [], 0
    for group in _groups(new_rows):
        _with_retries(lambda rows: created.append(_write_product(actor, rows)), group, errors)
    for product_id, rows in updates.items():
        updated_rows += len(_with_retries(lambda rows, pid=product_id: _update_product(actor, pid, rows), rows, errors))
    errors.sort(key=lambda e: e["line"])
    return {"created_products": len(created), "created_variants": sum(len(p["variants"]) for p in created),
            "updated_variants": updated_rows, "rejected_rows": len(errors), "errors": errors,
            "products": [p["id"] for p in created]}
