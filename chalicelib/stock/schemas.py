"""Stock levels, movements, transfers, stocktakes, reservations, channel availability."""
from typing import Annotated

from pydantic import AwareDatetime, Field, field_validator

from chalicelib.catalog.schemas import Money, Sku
from chalicelib.core.channels import Channel
from chalicelib.core.schemas import Out, Strict
from chalicelib.stock.rules import AdjustmentReason

Quantity = Annotated[int, Field(gt=0, le=1_000_000)]
LocationId = Annotated[str, Field(min_length=1, max_length=64)]
Note = Annotated[str, Field(max_length=500)]


class ReceiptLine(Strict):
    sku: Sku
    quantity: Quantity
    unit_cost: Money | None = None


class ReceiptIn(Strict):
    location_id: LocationId
    lines: list[ReceiptLine] = Field(min_length=1, max_length=40)
    note: Note | None = None


class AdjustmentIn(Strict):
    location_id: LocationId
    sku: Sku
    delta: int = Field(ge=-1_000_000, le=1_000_000, description="signed change of on_hand, not 0")
    reason: AdjustmentReason
    note: Note | None = None

    @field_validator("delta")
    @classmethod
    def not_zero(cls, value: int) -> int:
        if value == 0:
            raise ValueError("delta must not be 0")
        return value


class StockLine(Strict):
    sku: Sku
    quantity: Quantity


class TransferIn(Strict):
    from_location_id: LocationId
    to_location_id: LocationId
    lines: list[StockLine] = Field(min_length=1, max_length=20)
    note: Note | None = None


class TransferReceiveIn(Strict):
    lines: list[StockLine] | None = Field(None, min_length=1, max_length=20,
                                          description="omit to receive everything still in transit")


class CountLine(Strict):
    sku: Sku
    counted: int = Field(ge=0, le=1_000_000)
    counted_at: AwareDatetime | None = Field(None, description="when this line was counted (default: now)")


class StocktakeIn(Strict):
    location_id: LocationId
    lines: list[CountLine] = Field(min_length=1, max_length=40)
    note: Note | None = None


class ReservationIn(Strict):
    reservation_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-:.]+$",
                                description="client token, e.g. the order id: a retry never reserves twice")
    location_id: LocationId
    lines: list[StockLine] = Field(min_length=1, max_length=40)
    expires_at: AwareDatetime | None = None
    reference: str | None = Field(None, max_length=100)


class ThresholdIn(Strict):
    low_stock_threshold: int | None = Field(ge=0, le=1_000_000)


class ChannelRuleIn(Strict):
    buffer: int = Field(0, ge=0, le=1_000_000)
    percent: int = Field(100, ge=0, le=100)


class FlashHoldIn(Strict):
    sku: Sku
    channel: Channel
    quantity: Quantity
    until: AwareDatetime


class AvailabilityQuery(Strict):
    skus: str = Field(min_length=1, max_length=4000, description="comma-separated, at most 100")

    @field_validator("skus")
    @classmethod
    def at_most_100(cls, value: str) -> str:
        skus = [s for s in value.split(",") if s.strip()]
        if len(skus) > 100:
            raise ValueError("at most 100 SKUs")
        if any(len(s.strip()) > 64 for s in skus):
            raise ValueError("a SKU has at most 64 characters")
        return value


class LevelOut(Out):
    location_id: str
    on_hand: int
    reserved: int
    available: int
    incoming: int
    low_stock_threshold: int | None = None
    low_stock: bool = False


class Totals(Out):
    on_hand: int
    reserved: int
    available: int
    incoming: int


class StockOut(Out):
    sku: str
    locations: list[LevelOut]
    totals: Totals


class Reference(Out):
    type: str
    id: str | None


class MovementOut(Out):
    id: str
    sku: str
    location_id: str
    kind: str
    quantity: int
    balance_after: int
    staff_id: str
    at: str
    reason: str | None
    unit_cost: int | None
    reference: Reference | None
    note: str | None


class MovementPage(Out):
    items: list[MovementOut]
    next_cursor: str | None


class ReceiptOut(Out):
    id: str
    location_id: str
    note: str | None
    movements: list[MovementOut]


class TransferLineOut(Out):
    sku: str
    sent: int
    received: int
    in_transit: int


class TransferOut(Out):
    id: str
    from_location_id: str
    to_location_id: str
    status: str
    note: str | None
    created_at: str
    updated_at: str
    lines: list[TransferLineOut]
    movements: list[MovementOut] = Field(default_factory=list)


class CountResult(Out):
    sku: str
    counted: int
    expected: int
    difference: int


class StocktakeOut(Out):
    id: str
    location_id: str
    lines: list[CountResult]
    movements: list[MovementOut]


class ReservationLineOut(Out):
    sku: str
    quantity: int


class ReservationOut(Out):
    id: str
    location_id: str
    status: str
    reference: str | None
    expires_at: str | None
    created_at: str
    updated_at: str
    lines: list[ReservationLineOut]
    movements: list[MovementOut] = Field(default_factory=list)


class ChannelRuleOut(Out):
    channel: str
    buffer: int
    percent: int


class FlashHoldOut(Out):
    sku: str
    channel: str
    quantity: int
    until: str


class SkuAvailability(Out):
    sku: str
    channels: dict[str, int]


class AvailabilityOut(Out):
    items: list[SkuAvailability]


class DriftOut(Out):
    sku: str
    location_id: str
    check: str
    expected: int
    actual: int


class ReconcileOut(Out):
    tenant_id: str
    skus_checked: int
    levels_checked: int
    drifts: list[DriftOut]


