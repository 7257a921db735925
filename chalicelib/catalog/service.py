"""Products and variants: SKU and barcode uniqueness through key items, search, CSV."""
from chalicelib.catalog import rules as catalog
from chalicelib.catalog.store import BarcodeItem, ProductItem, SkuItem, VariantMap
from chalicelib.core import clock, ids, keys, paging, table
from chalicelib.core.errors import DuplicateBarcode, DuplicateSku, InvalidInput, NotFound, VersionMismatch
from chalicelib.core.principal import Principal
from chalicelib.core.text import fold
from chalicelib.core.uow import UnitOfWork


def catalog_pk(tenant_id: str) -> str:
    return keys.catalog(tenant_id)


def variant_view(v: VariantMap) -> dict:
    return {"sku": v.sku, "barcode": v.barcode, "attributes": v.attributes.as_dict() if v.attributes else {},
            "price": int(v.price),
            "cost": None if v.cost is None else int(v.cost), "unit": v.unit, "status": v.status,
            "allow_backorder": int(v.allow_backorder or 0),
            "low_stock_threshold": None if v.low_stock_threshold is None else int(v.low_stock_threshold)}


def product_view(item: ProductItem) -> dict:
    return {"id": item.product_id, "name": item.name, "category": item.category, "status": item.status,
            "variants": [variant_view(v) for v in item.variants], "created_at": item.created_at,
            "updated_at": item.updated_at, "version": int(item.version or 0)}


def _duplicate_sku(field: str, sku: str):
    return lambda: DuplicateSku(f"SKU '{sku}' already exists in this shop.",
                                errors=[{"field": field, "message": "SKU already exists"}])


def _duplicate_barcode(field: str, code: str):
    return lambda: DuplicateBarcode(f"Barcode '{code}' is already used by another variant.",
                                    errors=[{"field": field, "message": "barcode already used"}])


def _sku_item(tenant_id: str, product: ProductItem, variant: dict) -> SkuItem:
    return SkuItem(catalog_pk(tenant_id), keys.sku_sk(catalog.sku_key(variant["sku"])), product_id=product.product_id,
                   sku=variant["sku"], allow_backorder=variant.get("allow_backorder") or 0,
                   low_stock_threshold=variant.get("low_stock_threshold"), price=variant["price"], name=product.name,
                   variant=catalog.variant_text(variant.get("attributes")))


def claim_identifiers(uow: UnitOfWork, tenant_id: str, product: ProductItem, variant: dict, field_prefix: str = "",
                      taken=None) -> None:
    """Unique SKU and barcode through key items written in the same transaction. `taken(field,
    value)` may replace the default DuplicateSku / DuplicateBarcode answer."""
    pk, product_id = catalog_pk(tenant_id), product.product_id
    field = lambda name: f"{field_prefix}.{name}" if field_prefix else name  # noqa: E731
    uow.put(_sku_item(tenant_id, product, variant), condition=SkuItem.pk.does_not_exist(),
            on_fail=(taken or _duplicate_sku)(field("sku"), variant["sku"]))
    if variant.get("barcode"):
        uow.put(BarcodeItem(pk, keys.barcode_sk(variant["barcode"]), product_id=product_id, sku=variant["sku"]),
                condition=BarcodeItem.pk.does_not_exist(),
                on_fail=(taken or _duplicate_barcode)(field("barcode"), variant["barcode"]))


def new_product_item(tenant_id: str, name: str, category: str | None, variants: list[dict]) -> ProductItem:
    product_id, now = ids.new_id(), clock.now_iso()
    return ProductItem(catalog_pk(tenant_id), keys.product_sk(product_id), product_id=product_id, name=name,
                       category=category, variants=[VariantMap(**v) for v in variants],
                       search_text=catalog.search_text(name, category, variants), created_at=now, updated_at=now)


def create_product(actor: Principal, *, name: str, category: str | None, variants: list[dict]) -> dict:
    catalog.check_unique_within(variants)
    item = new_product_item(actor.tenant_id, name, category, variants)
    uow = UnitOfWork(actor)
    uow.put(item, condition=ProductItem.pk.does_not_exist())
    for i, variant in enumerate(variants):
        claim_identifiers(uow, actor.tenant_id, item, variant, f"variants.{i}")
    view = product_view(item)
    view["version"] = 1
    uow.audit("product.created", "product", item.product_id, after=view)
    uow.commit(view)
    return view


def load_product(tenant_id: str, product_id: str) -> ProductItem:
    try:
        return ProductItem.get(catalog_pk(tenant_id), keys.product_sk(product_id), consistent_read=True)
    except ProductItem.DoesNotExist as error:
        raise NotFound("No such product.") from error


def get_product(tenant_id: str, product_id: str) -> dict:
    return product_view(load_product(tenant_id, product_id))


def _changed_meanwhile() -> VersionMismatch:
    return VersionMismatch("The product was changed meanwhile; reload and try again.")


def update_product(actor: Principal, product_id: str, changes: dict) -> dict:
    """Name, category, status of the product; optimistic lock through its version."""
    item = load_product(actor.tenant_id, product_id)
    before = product_view(item)
    if "expected_version" in changes and changes.pop("expected_version") != int(item.version):
        raise _changed_meanwhile()
    for key in ("name", "category", "status"):
        if key in changes:
            setattr(item, key, changes[key])
    renamed = [] if changes.get("name", before["name"]) == before["name"] else [  # the SKU items carry the name
        lambda uow, copy=_sku_item(actor.tenant_id, item, variant_view(v)): uow.put(copy, condition=SkuItem.pk.exists())
        for v in item.variants]
    return save_product(actor, item, before, "product.updated", renamed)


def save_product(actor: Principal, item: ProductItem, before: dict, action: str,
                  extra: list | None = None) -> dict:
    item.updated_at = clock.now_iso()
    item.search_text = catalog.search_text(item.name, item.category, [variant_view(v) for v in item.variants])
    uow = UnitOfWork(actor)
    for register in extra or []:
        register(uow)
    uow.put(item, on_fail=_changed_meanwhile)
    after = product_view(item)
    after["version"] = before["version"] + 1
    uow.audit(action, "product", item.product_id, before=before, after=after)
    uow.commit(after, 200)
    return after


def add_variant(actor: Principal, product_id: str, variant: dict) -> dict:
    item = load_product(actor.tenant_id, product_id)
    before = product_view(item)
    catalog.check_unique_within(before["variants"] + [variant])
    item.variants = list(item.variants) + [VariantMap(**variant)]
    claim = lambda uow: claim_identifiers(uow, actor.tenant_id, item, variant)  # noqa: E731
    return save_product(actor, item, before, "variant.added", [claim])


def change_variant(tenant_id: str, item: ProductItem, sku: str, changes: dict, registers: list,
                   barcode_taken=None) -> None:
    """Applies changes to one variant of a loaded product; the key-item writes they need (barcode
    moved, stock policy copied) are appended to `registers` for the product's transaction."""
    matches = [v for v in item.variants if catalog.sku_key(v.sku) == catalog.sku_key(sku)]
    if not matches:
        raise NotFound("No such variant in this product.")
    variant, pk, product_id = matches[0], catalog_pk(tenant_id), item.product_id
    if "barcode" in changes and changes["barcode"] != variant.barcode:
        old, new = variant.barcode, changes["barcode"]
        if old:
            registers.append(lambda uow: uow.delete(BarcodeItem(pk, keys.barcode_sk(old))))
        if new:
            registers.append(lambda uow: uow.put(
                BarcodeItem(pk, keys.barcode_sk(new), product_id=product_id, sku=variant.sku),
                condition=BarcodeItem.pk.does_not_exist(),
                on_fail=(barcode_taken or _duplicate_barcode)("barcode", new)))
    for key, value in changes.items():
        setattr(variant, key, value)
    if COPIED_TO_SKU_ITEM & changes.keys():
        copy = _sku_item(tenant_id, item, variant_view(variant))
        registers.append(lambda uow: uow.put(copy, condition=SkuItem.pk.exists()))


COPIED_TO_SKU_ITEM = frozenset({"allow_backorder", "low_stock_threshold", "price", "attributes"})


def update_variant(actor: Principal, product_id: str, sku: str, changes: dict) -> dict:
    """Price, cost, barcode, unit, status, attributes, backorder allowance, low-stock threshold."""
    item = load_product(actor.tenant_id, product_id)
    before, registers = product_view(item), []
    change_variant(actor.tenant_id, item, sku, changes, registers)
    return save_product(actor, item, before, "variant.updated", registers)



def list_products(tenant_id: str, q: str | None, status: str | None, limit: int, cursor: str | None) -> dict:
    """Accent-insensitive match on name, SKU, barcode, category and attributes."""
    pk = catalog_pk(tenant_id)
    condition = None
    if q:
        condition = ProductItem.search_text.contains(fold(q))
    if status:
        status_condition = ProductItem.status == status
        condition = status_condition if condition is None else condition & status_condition
    results = ProductItem.query(pk, ProductItem.sk.startswith(keys.PRODUCT_PREFIX), filter_condition=condition,
                                limit=limit, last_evaluated_key=paging.decode(cursor, pk))
    items = [product_view(i) for i in results]
    return {"items": items, "next_cursor": paging.encode(results.last_evaluated_key)}


def all_products(tenant_id: str) -> list[dict]:
    return [product_view(i) for i in ProductItem.query(catalog_pk(tenant_id), ProductItem.sk.startswith(keys.PRODUCT_PREFIX))]


def find_variant(tenant_id: str, *, sku: str | None = None, barcode: str | None = None) -> dict:
    """The variant with its product, by SKU or by barcode."""
    pk = catalog_pk(tenant_id)
    try:
        if barcode is not None:
            pointer = BarcodeItem.get(pk, keys.barcode_sk(barcode))
        else:
            pointer = SkuItem.get(pk, keys.sku_sk(catalog.sku_key(sku)))
    except (BarcodeItem.DoesNotExist, SkuItem.DoesNotExist) as error:
        raise NotFound("No variant with this code.") from error
    product = get_product(tenant_id, pointer.product_id)
    variant = next(v for v in product["variants"] if catalog.sku_key(v["sku"]) == catalog.sku_key(pointer.sku))
    return {"variant": variant, "product": product}


def existing_skus(tenant_id: str, skus: list[str]) -> dict[str, str]:
    """SKU key -> product id, for those of these SKUs that already exist (batched reads)."""
    pk = catalog_pk(tenant_id)
    wanted = [(pk, keys.sku_sk(catalog.sku_key(s))) for s in dict.fromkeys(skus)]
    return {item.sk.removeprefix(keys.SKU_PREFIX): item.product_id for item in SkuItem.batch_get(wanted)}


def existing_barcodes(tenant_id: str, codes: list[str]) -> set[str]:
    pk = catalog_pk(tenant_id)
    wanted = [(pk, keys.barcode_sk(c)) for c in dict.fromkeys(codes)]
    return {item.sk.removeprefix(keys.BARCODE_PREFIX) for item in BarcodeItem.batch_get(wanted)}


# --- what other areas ask of the catalog ------------------------------------------------------
def sku_policies(tenant_id: str, lines: list[dict]) -> dict[str, SkuItem]:
    """The catalog entry of every line's SKU; an unknown SKU is a 400 naming its line."""
    pk = catalog_pk(tenant_id)
    wanted = {catalog.sku_key(line["sku"]) for line in lines}
    found = {i.sk.removeprefix(keys.SKU_PREFIX): i for i in table.batch_get(SkuItem, [(pk, keys.sku_sk(k)) for k in wanted])}
    unknown = [{"field": f"lines.{n}.sku", "message": f"unknown SKU '{line['sku']}'"}
               for n, line in enumerate(lines) if catalog.sku_key(line["sku"]) not in found]
    if unknown:
        raise InvalidInput("Some lines name a SKU this shop does not have.", errors=unknown)
    return found


def known_sku(tenant_id: str, sku: str) -> SkuItem:
    """For a SKU named in a path: 404 when the shop has no such SKU."""
    try:
        return sku_policies(tenant_id, [{"sku": sku}])[catalog.sku_key(sku)]
    except InvalidInput as error:
        raise NotFound("This shop has no such SKU.") from error


def prices_for(tenant_id: str, policies: dict[str, SkuItem], *, with_attributes: bool = False) -> dict[str, dict]:
    """SKU key -> {price, name, variant, product_id, sku}: from the SKU items themselves, and from
    their products (one BatchGet) only for items written before the price was copied there, or when
    the caller needs each variant's `attributes` too (the live parser)."""
    prices = {} if with_attributes else {
        key: {"price": int(p.price), "name": p.name, "product_id": p.product_id, "sku": p.sku, "variant": p.variant}
        for key, p in policies.items() if p.price is not None}
    older = {p.product_id for key, p in policies.items() if key not in prices}
    for product in table.batch_get(ProductItem, [(catalog_pk(tenant_id), keys.product_sk(pid)) for pid in older]):
        for v in product.variants:
            attributes = (v.attributes.as_dict() if v.attributes else None) or {}
            prices.setdefault(catalog.sku_key(v.sku), {
                "price": int(v.price), "name": product.name, "product_id": product.product_id, "sku": v.sku,
                "variant": catalog.variant_text(attributes), "attributes": attributes})
    return prices


def sku_for_code(tenant_id: str, code: str) -> str:
    """What a scanner read: a barcode's SKU, or the code itself (a SKU label)."""
    try:
        return BarcodeItem.get(catalog_pk(tenant_id), keys.barcode_sk(code)).sku
    except BarcodeItem.DoesNotExist:
        return code


def all_skus(tenant_id: str) -> list[str]:
    return [i.sku for i in SkuItem.query(catalog_pk(tenant_id), SkuItem.sk.startswith(keys.SKU_PREFIX))]
