"""Products, variants, CSV import."""
from typing import Annotated, Literal

from pydantic import Field, field_validator

from chalicelib.core.schemas import Out, Strict, code_field

Money = Annotated[int, Field(ge=0, le=10**12, description="integer VND")]
Sku = code_field(64, pattern=r"^[^#\s][^#]*$")
Barcode = code_field(64, pattern=r"^[0-9A-Za-z\-\.]{3,}$")
Status = Literal["active", "inactive"]


Attributes = Annotated[dict[Annotated[str, Field(min_length=1, max_length=40)],
                            Annotated[str, Field(min_length=1, max_length=80)]], Field(max_length=10)]


class VariantIn(Strict):
    sku: Sku
    barcode: Barcode | None = None
    attributes: Attributes = Field(default_factory=dict)
    price: Money
    cost: Money | None = None
    unit: str = Field("cái", min_length=1, max_length=20)
    status: Status = "active"
    allow_backorder: int = Field(0, ge=0, le=100000, description="units that may be sold below zero")
    low_stock_threshold: int | None = Field(None, ge=0, le=10**6)


class ProductIn(Strict):
    name: str = Field(min_length=1, max_length=200)
    category: str | None = Field(None, max_length=100)
    variants: list[VariantIn] = Field(min_length=1, max_length=45)


class ProductPatch(Strict):
    name: str | None = Field(None, min_length=1, max_length=200)
    category: str | None = Field(None, max_length=100)
    status: Status | None = None
    expected_version: int | None = Field(None, ge=1, description="refuse with 409 if the product changed")


class VariantPatch(Strict):
    barcode: Barcode | None = None
    attributes: Attributes | None = None
    price: Money | None = None
    cost: Money | None = None
    unit: str | None = Field(None, min_length=1, max_length=20)
    status: Status | None = None
    allow_backorder: int | None = Field(None, ge=0, le=100000)
    low_stock_threshold: int | None = Field(None, ge=0, le=10**6)


class VariantOut(Out):
    sku: str
    barcode: str | None
    attributes: dict[str, str]
    price: int
    cost: int | None = None
    unit: str
    status: str
    allow_backorder: int
    low_stock_threshold: int | None


class ProductOut(Out):
    id: str
    name: str
    category: str | None
    status: str
    variants: list[VariantOut]
    created_at: str
    updated_at: str
    version: int


class ProductList(Out):
    items: list[ProductOut]
    next_cursor: str | None


class ProductQuery(Strict):
    q: str | None = Field(None, max_length=100)
    status: Status | None = None
    limit: int = Field(50, ge=1, le=200)
    cursor: str | None = Field(None, max_length=2048)

    @field_validator("q")
    @classmethod
    def blank_is_none(cls, value: str | None) -> str | None:
        return value or None


class VariantWithProduct(Out):
    variant: VariantOut
    product: ProductOut


class ImportError_(Out):
    line: int
    field: str
    message: str


class ImportOut(Out):
    created_products: int
    created_variants: int
    updated_variants: int
    rejected_rows: int
    errors: list[ImportError_]
    products: list[str]
