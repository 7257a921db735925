"""Customers: profiles matched across channels, lookups, merges."""
from typing import Any

from pydantic import Field

from chalicelib.core.schemas import Out, Strict


class CustomerQuery(Strict):
    phone: str | None = Field(None, max_length=30, description="prefix, e.g. 0901")
    q: str | None = Field(None, max_length=100)
    limit: int = Field(50, ge=1, le=200)
    cursor: str | None = Field(None, max_length=2048)


class CustomerStats(Out):
    order_count: int
    total_spend: int
    average_order_value: int
    first_order_at: str | None
    last_order_at: str | None
    repeat: str


class CustomerOut(Out):
    id: str
    name: str
    phones: list[str]
    emails: list[str]
    buyer_ids: list[str]
    source_channels: list[str]
    addresses: list[dict[str, Any]]
    group: str | None
    notes: str | None
    merged_into: str | None
    stats: CustomerStats


class CustomerOrderOut(Out):
    id: str
    channel: str
    total: int
    created_at: str


class CustomerProfile(CustomerOut):
    orders: list[CustomerOrderOut]


class CustomerList(Out):
    items: list[CustomerOut]
    next_cursor: str | None


class CustomerPatch(Strict):
    name: str | None = Field(None, min_length=1, max_length=120)
    group: str | None = Field(None, max_length=40)
    notes: str | None = Field(None, max_length=1000)


class MergeIn(Strict):
    other_id: str = Field(min_length=1, max_length=64, description="the duplicate to merge into this one")
