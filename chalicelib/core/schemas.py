"""Shapes shared by every area: pages, list queries, problems."""
from typing import Annotated, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from chalicelib.core import text

T = TypeVar("T")


class Out(BaseModel):
    """Response shapes. Validators are built on first use, not at import (cold start)."""
    model_config = ConfigDict(defer_build=True)


class Strict(BaseModel):
    """Request bodies refuse unknown fields, so a typo is an error rather than a silent drop."""
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)


def code_field(max_length: int = 64, **constraints):
    """A SKU, barcode or short code: NFC, no control characters (core.text.code)."""
    return Annotated[str, Field(min_length=1, max_length=max_length, **constraints), AfterValidator(text.code)]


class Page(Out, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


class ListQuery(Strict):
    limit: int = Field(50, ge=1, le=200)
    cursor: str | None = Field(None, max_length=2048)


class FieldError(Out):
    field: str
    message: str


class Problem(Out):
    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = None
