"""Orders, shipments, customers."""
import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, Field, field_validator, model_validator

from chalicelib.catalog.schemas import Money
from chalicelib.core import clock
from chalicelib.core.channels import Channel
from chalicelib.core.schemas import Out, Strict, code_field
from chalicelib.orders.rules import Status

Quantity = Annotated[int, Field(gt=0, le=100_000)]
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ].+)?$")


def bound(value: date | datetime, end: bool = False) -> str:
    """A date or time as the UTC sort key of the order indexes (a date covers its whole day)."""
    if isinstance(value, datetime):
        return clock.iso(value)
    return value.isoformat() + ("T23:59:59.999999Z" if end else "T00:00:00.000000Z")
PaymentMethod = Literal["cash", "bank_transfer", "cod", "card", "e_wallet"]
PaymentStatus = Literal["unpaid", "paid", "partially_paid", "refunded"]


class CustomerIn(Strict):
    name: str | None = Field(None, max_length=120)
    phone: str | None = Field(None, max_length=30)
    email: str | None = Field(None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    buyer_id: str | None = Field(None, max_length=100, description="the channel's own buyer id")


class AddressIn(Strict):
    name: str | None = Field(None, max_length=120)
    phone: str | None = Field(None, max_length=30)
    text: str | None = Field(None, max_length=500, description="the address as the buyer typed it")
    street: str | None = Field(None, max_length=200)
    ward_code: str | None = Field(None, max_length=10)
    province_code: str | None = Field(None, max_length=10)
    district: str | None = Field(None, max_length=100, description="old three-level addresses")


class OrderLineIn(Strict):
    sku: code_field(100)
    quantity: Quantity
    unit_price: Money | None = Field(None, description="defaults to the catalog price")
    discount: Money = 0
    name: str | None = Field(None, max_length=200, description="the channel's product name")


class PaymentIn(Strict):
    method: PaymentMethod
    status: PaymentStatus = "unpaid"
    amount_paid: Money = 0
    cash_given: Money | None = Field(None, description="cash at the counter: what the buyer handed over (change is printed)")


class OrderIn(Strict):
    channel: Channel
    external_id: str | None = Field(None, min_length=1, max_length=100)
    customer: CustomerIn | None = None
    lines: list[OrderLineIn] = Field(min_length=1, max_length=40)
    shipping_address: AddressIn | None = None
    payment: PaymentIn | None = None
    shipping_fee: Money = 0
    discount: Money = 0
    note: str | None = Field(None, max_length=1000)
    tags: list[Annotated[str, Field(min_length=1, max_length=40)]] = Field(default_factory=list, max_length=20)
    sold_by: str | None = Field(None, max_length=64, description="staff id credited with the sale")
    handled_by: str | None = Field(None, max_length=64)
    location_id: str | None = Field(None, max_length=64, description="required for pos")
    hold_minutes: int | None = Field(None, ge=5, le=1440, description="unpaid hold (pending_payment), default 30")


class ReturnLineIn(Strict):
    sku: code_field(100)
    quantity: Quantity
    condition: Literal["restock", "damaged"] = "restock"


class ActionIn(Strict):
    """Every field is optional; each action reads the ones it needs."""
    location_id: str | None = Field(None, max_length=64, description="confirm: reserve here")
    reason: str | None = Field(None, max_length=500, description="cancel / return")
    note: str | None = Field(None, max_length=500)
    lines: list[ReturnLineIn] | None = Field(None, max_length=40, description="return: what came back")
    received: bool = Field(True, description="return: false = on its way back (returning)")
    amount: Money | None = Field(None, description="mark_paid: amount received (default: the total)")
    method: PaymentMethod | None = None
    verified_without_scan: bool = Field(False, description="mark_ready: checked by hand, no scan")
    expected_version: int | None = Field(None, ge=1)


class LinkIn(Strict):
    line: int = Field(ge=0, le=100)
    sku: code_field(64)


class OrderPatch(Strict):
    shipping_address: AddressIn | None = None
    note: str | None = Field(None, max_length=1000)
    tags: list[str] | None = Field(None, max_length=20)
    handled_by: str | None = Field(None, max_length=64)
    cancel_requested: bool | None = None
    links: list[LinkIn] | None = Field(None, max_length=40)
    expected_version: int | None = Field(None, ge=1)


class SplitPart(Strict):
    location_id: str = Field(min_length=1, max_length=64)
    lines: list[OrderLineIn] = Field(min_length=1, max_length=40)


class SplitIn(Strict):
    shipments: list[SplitPart] = Field(min_length=2, max_length=5)


class OrderQuery(Strict):
    status: Status | None = None
    channel: Channel | None = None
    q: str | None = Field(None, max_length=100)
    warning: str | None = Field(None, max_length=40)
    phone: str | None = Field(None, max_length=30)
    staff: str | None = Field(None, max_length=64)
    from_: date | AwareDatetime | None = Field(None, alias="from", description="ISO date (UTC day) or time")
    to: date | AwareDatetime | None = Field(None, description="ISO date (whole UTC day) or time")

    @field_validator("from_", "to", mode="before")
    @classmethod
    def iso_text_only(cls, value):
        """Dates as ISO text only (no Unix timestamps): 2026-11-23 or 2026-11-23T08:00:00+07:00."""
        if value is not None and not (isinstance(value, str) and ISO_DATE.match(value)):
            raise ValueError("use an ISO date (2026-11-23) or time (2026-11-23T08:00:00+07:00)")
        return value

    @model_validator(mode="after")
    def from_before_to(self):
        if self.from_ and self.to and bound(self.from_) > bound(self.to, end=True):
            raise ValueError("from must not be after to")
        return self
    limit: int = Field(50, ge=1, le=200)
    cursor: str | None = Field(None, max_length=2048)


class WarningOut(Out):
    code: str
    detail: str
    how_to_fix: str


class OrderLineOut(Out):
    sku: str
    name: str | None
    product_id: str | None
    linked: bool
    quantity: int
    unit_price: int
    discount: int
    total: int


class ShipmentLineOut(Out):
    sku: str
    quantity: int
    scanned: int


class ShipmentOut(Out):
    id: str
    location_id: str
    reservation_id: str | None
    reserved: bool
    status: str
    carrier: str | None
    tracking_number: str | None
    cod_amount: int | None
    weight_grams: int | None
    lines: list[ShipmentLineOut]
    created_at: str


class TimelineOut(Out):
    at: str
    staff_id: str
    action: str
    from_: str = Field(alias="from")
    to: str
    via: str
    note: str | None = None


class OrderOut(Out):
    id: str
    channel: str
    external_id: str | None
    status: str
    version: int
    allowed_actions: list[str]
    customer: dict[str, Any] | None
    lines: list[OrderLineOut]
    shipping_address: dict[str, Any] | None
    payment: dict[str, Any]
    shipping_fee: int
    discount: int
    subtotal: int
    total: int
    note: str | None
    tags: list[str]
    sold_by: str | None
    handled_by: str | None
    location_id: str | None
    suggested_location_id: str | None = Field(None, description="where create found stock for every line; "
                                                                 "confirm reserves there first")
    warnings: list[WarningOut]
    shipments: list[ShipmentOut]
    hold: dict[str, Any] | None
    returned_lines: list[dict[str, Any]]
    timeline: list[TimelineOut]
    created_at: str
    updated_at: str


class OrderSummary(Out):
    id: str
    status: str
    channel: str
    external_id: str | None
    total: int
    payment_status: str
    customer_name: str | None
    customer_phone: str | None
    sold_by: str | None
    warnings: list[str]
    created_at: str


class OrderList(Out):
    items: list[OrderSummary]
    next_cursor: str | None


class StatusCounts(Out):
    counts: dict[str, int]


class ShipmentPatch(Strict):
    carrier: str | None = Field(None, max_length=60)
    tracking_number: str | None = Field(None, max_length=60)
    cod_amount: Money | None = None
    weight_grams: int | None = Field(None, ge=1, le=1_000_000)
    problem: Literal["fulfill_failed", "problem"] | None = Field(None, description="flag a carrier or channel problem")


class ScanIn(Strict):
    code: code_field(64, description="a barcode or a SKU")


class ScanOut(Out):
    shipment_id: str
    sku: str
    scanned: int
    quantity: int
    complete: bool
    remaining: list[ShipmentLineOut]
