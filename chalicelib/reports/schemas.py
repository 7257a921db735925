"""Report queries and answers (money in whole VND, days in the shop's time zone)."""
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from chalicelib.core.schemas import Out


class Query(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class SalesQuery(Query):
    day_from: date = Field(alias="from", description="first local day, YYYY-MM-DD")
    day_to: date = Field(alias="to", description="last local day, YYYY-MM-DD")
    group_by: Literal["day", "week", "month", "channel", "product", "staff", "location"] = "day"
    channel: str | None = Field(None, max_length=32)
    location_id: str | None = Field(None, max_length=64)
    format: Literal["json", "csv"] = "json"


class RangeQuery(Query):
    day_from: date = Field(alias="from")
    day_to: date = Field(alias="to")


class StockQuery(Query):
    location_id: str | None = Field(None, max_length=64)
    slow_days: int = Field(30, ge=1, le=365, description="no sale in this many days = slow mover")


class Figures(Out):
    orders: int
    units: int
    revenue: int
    canceled: int
    returned: int
    aov: int


class SalesRow(Figures):
    key: str
    label: str


class RangeAnswer(Out):
    """An answer about a range of local days, named as the query names them (from, to)."""
    model_config = ConfigDict(populate_by_name=True, defer_build=True)
    day_from: str = Field(alias="from")
    day_to: str = Field(alias="to")


class SalesReport(RangeAnswer):
    group_by: str
    rows: list[SalesRow]
    totals: Figures


class TopCustomer(Out):
    customer_id: str
    name: str | None
    orders: int
    revenue: int


class CustomersReport(RangeAnswer):
    new: int
    returning: int
    top: list[TopCustomer]


class LowStock(Out):
    sku: str
    name: str | None
    location_id: str
    available: int
    threshold: int | None


class SlowMover(Out):
    sku: str
    name: str | None
    on_hand: int
    value: int


class StockReport(Out):
    stock_value: int
    low_stock: list[LowStock]
    slow_movers: list[SlowMover]
    slow_days: int
