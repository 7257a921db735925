"""Pure carrier rules: the recipient of a parcel from our order, the COD the buyer still owes, the
parcel's weight, and whether a carrier status is news (callbacks come twice and out of order).
No I/O."""
from __future__ import annotations

import re
from datetime import datetime

from chalicelib.carriers.providers.base import Address, Viewing
from chalicelib.carriers.statuses import ShipmentState
from chalicelib.core import clock
from chalicelib.core.errors import InvalidInput

DEFAULT_ITEM_WEIGHT_G = 300     # a variant with no weight of its own (apparel, the common case)
MAX_WEIGHT_G = 50_000
PAYERS = ("shop", "buyer")
S = ShipmentState
# How far a parcel has gone: a status that is not further than the one we have changes nothing,
# except a problem, which may come and go while the parcel is with the carrier.
PROGRESS = {S.ready_to_ship: 0, S.handed_over: 1, S.delivering: 2, S.problem: 2, S.returning: 3,
            S.delivered: 4, S.returned: 5, S.canceled: 6}
IN_TRANSIT = frozenset({S.ready_to_ship, S.handed_over, S.delivering, S.problem, S.returning})


def _split_text(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,\n]", text or "") if part.strip()]


def recipient(address: dict | None, customer: dict | None = None) -> Address:
    """The parcel's recipient from the order's shipping address: official names when the order
    has codes, otherwise read from the text the buyer typed ("12 Lê Lợi, Phường Bến Thành, TP.HCM",
    or four parts with the old district). A 400 names what is missing; nothing is guessed."""
    address = dict(address or {})
    name = address.get("name") or (customer or {}).get("name") or ""
    phone = address.get("phone") or (customer or {}).get("phone") or ""
    province, ward, district = address.get("province_name"), address.get("ward_name"), address.get("district")
    parts = _split_text(address.get("text") or "")
    street = address.get("street") or ""
    if not (province and ward) and len(parts) >= 3:
        province = province or parts[-1]
        if len(parts) >= 4 and not district:
            ward, district, street = ward or parts[-3], parts[-2], street or ", ".join(parts[:-3])
        else:
            ward, street = ward or parts[-2], street or ", ".join(parts[:-2])
    street = street or (parts[0] if parts else "")
    missing = [f for f, v in (("shipping_address.name", name), ("shipping_address.phone", phone),
                              ("shipping_address.province", province), ("shipping_address.ward", ward),
                              ("shipping_address.street", street)) if not v]
    if missing:
        raise InvalidInput("The recipient's address is incomplete for a carrier.",
                           errors=[{"field": f, "message": "required to book a carrier"} for f in missing])
    return Address(name=name, phone=phone, street=street, province_name=province, ward_name=ward,
                   district_name=district or None, province_code=address.get("province_code"),
                   ward_code=address.get("ward_code"))


def cod_owed(order: dict) -> int:
    """What the buyer still owes: 0 when prepaid, the rest when partly paid."""
    payment = order.get("payment") or {}
    if payment.get("status") == "paid":
        return 0
    return max(0, int(order.get("total") or 0) - int(payment.get("amount_paid") or 0))


def parcel_weight(typed: int | None, shipment: dict) -> int:
    """The weight typed by the packer, else the one on the shipment, else a default per item."""
    if typed:
        return typed
    if shipment.get("weight_grams"):
        return int(shipment["weight_grams"])
    items = sum(int(line["quantity"]) for line in shipment.get("lines") or [])
    return min(MAX_WEIGHT_G, max(1, items) * DEFAULT_ITEM_WEIGHT_G)


def viewing(requested: str | None) -> Viewing:
    """"Cho xem hàng" unless the packer chose otherwise."""
    return Viewing(requested) if requested else Viewing.view_only


def is_news(current: ShipmentState | None, current_raw: str | None, current_at: str | None,
            new: ShipmentState | None, new_raw: str, new_at: datetime | None, seen: list[dict]) -> bool:
    """Does this carrier status change anything? Not a replay (same status, same time), not one
    older than the status we have, not a step back (a late 'picked' after 'delivered'), and not a
    status our table does not know."""
    if new is None:
        return False
    at = clock.iso(new_at) if new_at else None
    if any(entry.get("status") == new_raw and entry.get("at") == at for entry in seen):
        return False
    if at and current_at and at < current_at:
        return False
    if new_raw == current_raw and at is None:
        return False
    if current is None:
        return True
    if current in (S.delivered, S.returned, S.canceled):
        return PROGRESS[new] > PROGRESS[current]
    return PROGRESS[new] >= PROGRESS[current] or S.problem in (new, current)
