"""Request and answer shapes of the e-invoice routes (API.md "E-invoices")."""
import re
from datetime import date
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, field_validator

from chalicelib.core.schemas import ListQuery, Out, Strict

Money = Annotated[int, Field(ge=0, le=10**12, description="integer VND")]
VatRate = Annotated[int | str, Field(description="0, 5, 8 (while the reduction applies), 10, KCT or KKKNT")]
Provider = Literal["manual", "viettel", "vnpt", "misa"]
Status = Literal["draft", "issued", "canceled", "replaced", "adjusted"]


class SellerIn(Strict):
    name: str = Field(min_length=1, max_length=400)
    tax_code: str = Field(min_length=10, max_length=14)
    address: str = Field(min_length=1, max_length=400)
    phone: str | None = Field(None, max_length=20)
    email: str | None = Field(None, max_length=254)
    bank_account: str | None = Field(None, max_length=30)
    bank_name: str | None = Field(None, max_length=200)


class InvoiceSettingsIn(Strict):
    seller: SellerIn
    provider: Provider
    template_code: str = Field(min_length=1, max_length=11, description="form digit, or the provider's (1/001)")
    symbol: str = Field(min_length=6, max_length=7, description="e.g. C26TAA or 1C26TAA")
    default_vat_rate: VatRate = 10
    auto_issue_pos: bool = Field(False, description="issue an invoice for every counter sale by itself")
    credentials: dict[str, Annotated[str, Field(max_length=200)]] | None = Field(
        None, max_length=5, description="the provider's account (username, password, supplier_tax_code?); never returned")
    api_base: str | None = Field(None, max_length=200, description="the provider's sandbox host")


class InvoiceSettingsOut(Out):
    model_config = ConfigDict(extra="allow", defer_build=True)
    configured: bool
    seller: dict | None = None
    provider: str | None = None
    template_code: str | None = None
    symbol: str | None = None
    default_vat_rate: str | None = None
    auto_issue_pos: bool | None = None
    api_base: str | None = None
    credentials_set: list[str] | None = Field(None, description="names stored; the values are never returned")


class BuyerIn(Strict):
    name: str | None = Field(None, max_length=200)
    company: str | None = Field(None, max_length=400)
    tax_code: str | None = Field(None, max_length=14)
    address: str | None = Field(None, max_length=400)
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=20)


class InvoiceIn(Strict):
    order_id: str = Field(min_length=1, max_length=64)
    buyer: BuyerIn | None = None
    vat_rate: VatRate | None = None


class AdjustLineIn(Strict):
    name: str = Field(min_length=1, max_length=500)
    unit: str | None = Field(None, max_length=30)
    quantity: int = Field(1, gt=0, le=100_000)
    unit_price: Money
    vat_rate: VatRate | None = None


class InvoiceActionIn(Strict):
    """cancel: reason (agreement?); replace: reason, buyer?, vat_rate?; adjust: reason, adjustment_kind, lines."""
    reason: str | None = Field(None, max_length=500)
    agreement: str | None = Field(None, max_length=500, description="the document agreed with the buyer")
    buyer: BuyerIn | None = None
    vat_rate: VatRate | None = None
    adjustment_kind: Literal["money", "info"] | None = None
    lines: list[AdjustLineIn] | None = Field(None, max_length=50, description="adjust: the lines that increase it")


class LineOut(Out):
    model_config = ConfigDict(extra="allow", defer_build=True)
    name: str
    unit: str
    quantity: int | str
    unit_price: int
    amount: int
    vat_rate: str
    vat_amount: int


class TotalsOut(Out):
    before_vat: int
    vat: int
    total: int
    total_in_words: str


class InvoiceOut(Out):
    model_config = ConfigDict(extra="allow", defer_build=True)
    id: str
    order_id: str
    status: Status
    kind: str
    symbol: str | None = None
    number: int | None = None
    issued_at: str | None = None
    lines: list[LineOut]
    totals: TotalsOut
    lookup_code: str | None = None
    buyer: dict
    link: dict | None = None
    replaced_by: str | None = None
    adjusted_by: list[str] = []
    allowed_actions: list[str]
    version: int


class InvoiceList(Out):
    items: list[InvoiceOut]
    next_cursor: str | None = None


class InvoiceQuery(ListQuery):
    status: Status | None = None
    from_: date | None = Field(None, alias="from", description="ISO date: made on or after (UTC day)")
    to: date | None = Field(None, description="ISO date: made on or before (UTC day)")

    @field_validator("from_", "to", mode="before")
    @classmethod
    def iso_text_only(cls, value):
        """2026-12-02 only (pydantic would also take a Unix timestamp)."""
        if value is not None and not (isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)):
            raise ValueError("use an ISO date (2026-12-02)")
        return value


class PrintQuery(Strict):
    size: Literal["a4", "80mm"] = "a4"
