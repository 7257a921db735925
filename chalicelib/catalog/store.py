"""Products, variants and the SKU/barcode uniqueness items. Key layout: docs/architecture.md#access-patterns."""
from pynamodb.attributes import (
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    VersionAttribute,
)

from chalicelib.core.table import Item


class VariantMap(MapAttribute):
    sku = UnicodeAttribute()
    barcode = UnicodeAttribute(null=True)
    attributes = MapAttribute(null=True)
    price = NumberAttribute()
    cost = NumberAttribute(null=True)
    unit = UnicodeAttribute(default="cái")
    status = UnicodeAttribute(default="active")
    allow_backorder = NumberAttribute(default=0)
    low_stock_threshold = NumberAttribute(null=True)


class ProductItem(Item):
    """pk=SHOP#<tenant>#CATALOG sk=PRODUCT#<product>"""
    product_id = UnicodeAttribute()
    name = UnicodeAttribute()
    category = UnicodeAttribute(null=True)
    status = UnicodeAttribute(default="active")
    variants = ListAttribute(of=VariantMap)
    search_text = UnicodeAttribute()
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()
    version = VersionAttribute()


class SkuItem(Item):
    """pk=SHOP#<tenant>#CATALOG sk=SKU#<SKU upper>: uniqueness and lookup of a variant, with the
    variant's stock policy, price and names copied here (kept by every catalog write), so a
    reservation or an order line needs this one read, not the whole product."""
    product_id = UnicodeAttribute()
    sku = UnicodeAttribute()
    allow_backorder = NumberAttribute(default=0)
    low_stock_threshold = NumberAttribute(null=True)
    price = NumberAttribute(null=True)  # null on items written before the copy existed
    name = UnicodeAttribute(null=True)  # the product's name
    variant = UnicodeAttribute(null=True)  # rules.variant_text of its attributes


class BarcodeItem(Item):
    """pk=SHOP#<tenant>#CATALOG sk=BARCODE#<code>"""
    product_id = UnicodeAttribute()
    sku = UnicodeAttribute()
