"""The table's change stream, read as plain Python: work that follows a write (rollups, stock
pushes, alerts, audit-driven messages) runs from it, not inside the request.

Delivery is at least once and, across items, in no particular order: every subscriber must be
safe to apply twice and late (see each subscriber's docstring for how it guards that)."""
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from chalicelib.core.keys import SHOP_PREFIX


def _plain(value: dict) -> Any:
    """One DynamoDB-typed value ({"S": "x"}, {"N": "3"}, {"M": {...}}) as Python."""
    if not value:  # DynamoDB Local's stream, read through botocore, gives an empty map as {}
        return {}
    (kind, raw), = value.items()
    if kind == "S" or kind == "B":
        return raw
    if kind == "N":
        number = Decimal(raw)
        return int(number) if number == number.to_integral_value() else number
    if kind == "BOOL":
        return bool(raw)
    if kind == "NULL":
        return None
    if kind == "M":
        return {k: _plain(v) for k, v in raw.items()}
    if kind == "L":
        return [_plain(v) for v in raw]
    if kind == "SS" or kind == "BS":
        return set(raw)
    if kind == "NS":
        return {_plain({"N": n}) for n in raw}
    raise ValueError(f"unknown DynamoDB type {kind}")


def plain_image(image: dict | None) -> dict | None:
    return None if image is None else {name: _plain(value) for name, value in image.items()}


@dataclass(frozen=True)
class Change:
    """One stream record: which item, what it was and what it is now (None when absent)."""

    event: str  # INSERT | MODIFY | REMOVE
    pk: str
    sk: str
    new: dict | None
    old: dict | None
    sequence: str
    at: datetime

    @property
    def tenant_id(self) -> str | None:
        parts = self.pk.split("#")
        return parts[1] if parts[0] + "#" == SHOP_PREFIX and len(parts) > 1 else None

    @property
    def kind(self) -> str:
        """The item's kind from its key: SHOP#<t>#ORDER#<month> -> "ORDER"; global items -> their prefix."""
        parts = self.pk.split("#")
        if self.tenant_id is not None:
            return parts[2] if len(parts) > 2 else self.sk.split("#")[0]
        return parts[0]

    @property
    def image(self) -> dict:
        """What the item is after the change, or what it was before a removal."""
        return self.new if self.new is not None else (self.old or {})


def change_from(record: dict) -> Change:
    """A Lambda/Streams-API record (typed images) as a Change."""
    body = record["dynamodb"]
    keys = plain_image(body["Keys"])
    stamp = body.get("ApproximateCreationDateTime")
    at = stamp if isinstance(stamp, datetime) else datetime.fromtimestamp(float(stamp or 0), UTC)
    return Change(record["eventName"], keys["pk"], keys["sk"], plain_image(body.get("NewImage")),
                  plain_image(body.get("OldImage")), body.get("SequenceNumber", ""), at)
