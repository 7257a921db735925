"""Stock rules (PRODUCT.md "Stock, per SKU per location"), free of I/O.

on_hand changes only through movements; reserved is the sum of active reservations;
available = on_hand - reserved and never goes below -allowance (the SKU's backorder
allowance, 0 unless it sells "supplementary stock" while goods are on the way)."""
from dataclasses import dataclass
from datetime import datetime
from enum import Enum


class MovementKind(str, Enum):
    receipt = "receipt"
    adjustment = "adjustment"
    transfer_out = "transfer_out"
    transfer_in = "transfer_in"
    stocktake = "stocktake"
    sale = "sale"  # a counter sale: deducted at once
    shipment = "shipment"  # a reservation handed to the carrier
    return_ = "return"


class AdjustmentReason(str, Enum):
    damaged = "damaged"
    lost = "lost"
    found = "found"
    expired = "expired"
    correction = "correction"
    gift = "gift"
    internal_use = "internal_use"


def minimum_available_to_reserve(quantity: int, backorder_allowance: int) -> int:
    """The reservation is allowed iff available >= this, before it is taken."""
    return quantity - backorder_allowance


def minimum_available_to_remove(quantity: int) -> int:
    """Removing goods (adjustment down, transfer out) may not take what orders were promised."""
    return quantity


def stocktake_delta(counted: int, on_hand_when_counted: int) -> int:
    """Only the difference found at counting time is applied; movements after the count
    (sales that kept going during the count) stay as they are."""
    return counted - on_hand_when_counted


@dataclass(frozen=True)
class ChannelRule:
    buffer: int = 0
    percent: int = 100


@dataclass(frozen=True)
class FlashHold:
    channel: str
    quantity: int
    until: datetime


def channel_availability(available_by_location: dict[str, int], locations_for_channel: set[str],
                         rule: ChannelRule, channel: str, holds: list[FlashHold], now: datetime) -> int:
    """What a channel may sell: available at the locations serving it, less what flash-sale
    holds keep for other channels, less the buffer, times the allocation percentage, rounded down.
    A channel's own hold is always offered to it in full."""
    pool = sum(max(0, q) for loc, q in available_by_location.items() if loc in locations_for_channel)
    active = [h for h in holds if h.until > now]
    held_for_others = sum(h.quantity for h in active if h.channel != channel)
    own_hold = sum(h.quantity for h in active if h.channel == channel)
    free = max(0, pool - held_for_others - own_hold)
    shared = max(0, free - rule.buffer) * rule.percent // 100
    return min(pool, shared + min(own_hold, max(0, pool - held_for_others)))


@dataclass(frozen=True)
class Drift:
    sku: str
    location_id: str
    check: str
    expected: int
    actual: int


def invariant_drifts(sku: str, location_id: str, *, on_hand: int, reserved: int, available: int,
                     ledger_sum: int, active_reservations: int) -> list[Drift]:
    drifts = []
    if on_hand != ledger_sum:
        drifts.append(Drift(sku, location_id, "on_hand == sum(ledger)", ledger_sum, on_hand))
    if reserved != active_reservations:
        drifts.append(Drift(sku, location_id, "reserved == sum(active reservations)", active_reservations, reserved))
    if available != on_hand - reserved:
        drifts.append(Drift(sku, location_id, "available == on_hand - reserved", on_hand - reserved, available))
    return drifts
