"""Catalog rules: SKU and barcode identity, search text, and reading a product CSV."""
import csv
import io
import unicodedata
from dataclasses import dataclass, field

from chalicelib.core.errors import InvalidInput
from chalicelib.core.text import code, csv_cell, fold

CSV_COLUMNS = ["product_name", "category", "sku", "barcode", "attributes", "price", "cost", "unit", "status"]
REQUIRED_COLUMNS = {"product_name", "sku", "price"}
MAX_PRICE = 10**12  # VND
MAX_IMPORT_ROWS = 5000
STATUSES = ("active", "inactive")


def variant_text(attributes: dict | None) -> str | None:
    """How a variant is named on orders and receipts: its attribute values, e.g. "Đỏ / M"."""
    attributes = attributes or {}
    return " / ".join(str(attributes[k]) for k in sorted(attributes)) or None


def sku_key(sku: str) -> str:
    """SKUs are unique per shop regardless of case, Unicode form and surrounding spaces."""
    return unicodedata.normalize("NFC", sku).strip().upper()


def search_text(name: str, category: str | None, variants: list[dict]) -> str:
    parts = [name, category or ""]
    for v in variants:
        parts += [v["sku"], v.get("barcode") or "", " ".join((v.get("attributes") or {}).values())]
    return fold(" ".join(parts))


def check_unique_within(variants: list[dict]) -> None:
    """A product's own variants must not repeat a SKU or a barcode."""
    errors, seen_sku, seen_code = [], {}, {}
    for i, v in enumerate(variants):
        key = sku_key(v["sku"])
        if key in seen_sku:
            errors.append({"field": f"variants.{i}.sku", "message": f"repeats variants.{seen_sku[key]}.sku"})
        seen_sku.setdefault(key, i)
        code = v.get("barcode")
        if code:
            if code in seen_code:
                errors.append({"field": f"variants.{i}.barcode",
                               "message": f"repeats variants.{seen_code[code]}.barcode"})
            seen_code.setdefault(code, i)
    if errors:
        raise InvalidInput("Variants repeat a SKU or barcode.", errors=errors)


@dataclass
class CsvRow:
    line: int
    product_name: str
    category: str | None
    variant: dict


@dataclass
class CsvReading:
    rows: list[CsvRow] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)  # {"line", "field", "message"}


def _money(text: str, column: str, required: bool) -> int | None:
    text = text.strip().replace(".", "").replace(",", "").replace("₫", "").replace(" ", "")
    if not text:
        if required:
            raise ValueError(f"{column} is required")
        return None
    if not text.isdigit():
        raise ValueError(f"{column} must be a whole number of VND")
    value = int(text)
    if value > MAX_PRICE:
        raise ValueError(f"{column} is too large")
    return value


def _attributes(text: str) -> dict[str, str]:
    """'size=M; màu=Đỏ' -> {'size': 'M', 'màu': 'Đỏ'}"""
    out = {}
    for pair in filter(None, (p.strip() for p in text.split(";"))):
        name, sep, value = pair.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise ValueError(f"attribute '{pair}' must look like name=value")
        out[name.strip()] = value.strip()
    return out


def _row(line: int, raw: dict[str, str]) -> CsvRow:
    get = lambda column: (raw.get(column) or "").strip()  # noqa: E731
    name, sku, barcode = get("product_name"), code(get("sku")), code(get("barcode"))
    if not name:
        raise ValueError("product_name is required")
    if not sku or len(sku) > 64:
        raise ValueError("sku is required (at most 64 characters)")
    status = get("status") or "active"
    if status not in STATUSES:
        raise ValueError("status must be active or inactive")
    variant = {"sku": sku, "barcode": barcode or None, "attributes": _attributes(get("attributes")),
               "price": _money(get("price"), "price", True), "cost": _money(get("cost"), "cost", False),
               "unit": get("unit") or "cái", "status": status}
    return CsvRow(line, name, get("category") or None, variant)


def read_csv(text: str) -> CsvReading:
    """Every row is checked on its own: a bad row is reported with its line and skipped."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = {h.strip() for h in (reader.fieldnames or [])}
    missing = REQUIRED_COLUMNS - header
    if missing:
        raise InvalidInput("The CSV header is missing columns.",
                           errors=[{"field": f"csv.{c}", "message": "column missing"} for c in sorted(missing)])
    reading = CsvReading()
    for index, raw in enumerate(reader):
        line = reader.line_num
        if index >= MAX_IMPORT_ROWS:
            raise InvalidInput(f"At most {MAX_IMPORT_ROWS} rows per import.",
                               errors=[{"field": "csv", "message": "too many rows"}])
        if None in raw or None in raw.values():  # extra cells land under None, missing ones are None
            reading.errors.append({"line": line, "field": "csv",
                                   "message": "row has more or fewer cells than the header"})
            continue
        raw = {k.strip(): v for k, v in raw.items()}
        try:
            reading.rows.append(_row(line, raw))
        except ValueError as error:
            reading.errors.append({"line": line, "field": str(error).split(" ")[0], "message": str(error)})
    return reading


def write_csv(products: list[dict], include_cost: bool) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for product in products:
        for v in product["variants"]:
            attributes = "; ".join(f"{k}={val}" for k, val in (v.get("attributes") or {}).items())
            cost = v.get("cost") if include_cost else None
            row = [product["name"], product.get("category") or "", v["sku"], v.get("barcode") or "",
                   attributes, v["price"], "" if cost is None else cost, v.get("unit") or "", v["status"]]
            writer.writerow([csv_cell(cell) for cell in row])
    return out.getvalue()
