"""How an order's document is stored: JSON, deflated against a preset dictionary of the fields every
order has, so that the whole order item stays under 1 KB (a transactional write costs 2 capacity
units per KB, and the order is written by every action; ADR 0016).

How the bytes are made: core/packing.py (the first byte names the dictionary). Items written before the
codec hold the JSON text in `body` and are read as they are (and rewritten compact on their next
save). Pure: the stream subscribers of other areas read orders from stream images through here."""
import json

from chalicelib.core import packing

_DICTIONARY_1 = (
    b'{"id": "", "channel": "facebook", "external_id": null, "status": "new", "customer": {"name": "", '
    b'"phone": "+84", "id": ""}, "lines": [{"sku": "", "name": "", "variant": null, "product_id": "", '
    b'"linked": true, "quantity": 1, "unit_price": 0, "discount": 0, "backorder": 0, "total": 0}], '
    b'"shipping_address": {"name": "", "phone": "", "text": "", "province": "", "district": "", "ward": ""}, '
    b'"payment": {"method": "cod", "status": "unpaid", "amount_paid": 0}, "shipping_fee": 0, "discount": 0, '
    b'"subtotal": 0, "total": 0, "note": null, "tags": [], "sold_by": "", "handled_by": null, '
    b'"location_id": null, "warnings": [{"code": "out_of_stock", "message": ""}], "shipments": [{"id": "", '
    b'"location_id": "", "reservation_id": "", "reserved": true, "status": "created", "carrier": null, '
    b'"tracking_number": null, "cod_amount": null, "weight_grams": null, "lines": [{"sku": "", '
    b'"quantity": 1, "scanned": 0}], "created_at": "2026-"}], "hold": null, "returned_lines": [], '
    b'"timeline": [{"at": "2026-", "staff_id": "", "action": "create", "from": "", "to": "new", '
    b'"via": "api", "note": null}, {"at": "2026-", "staff_id": "", "action": "confirm", "from": "new", '
    b'"to": "confirmed", "via": "api", "note": null}, {"action": "pack", "from": "confirmed", '
    b'"to": "packing"}, {"action": "ship", "to": "shipped"}, {"action": "complete", "to": "completed"}], '
    b'"created_at": "2026-", "updated_at": "2026-", "suggested_location_id": "", '
    b'"channel_connection_id": ""}')
_DICTIONARIES = {1: _DICTIONARY_1}
_CURRENT = 1


def encode(order: dict) -> bytes:
    """The order as the bytes the `doc` attribute stores."""
    return packing.pack(order, _DICTIONARIES, _CURRENT)


def decode(stored: bytes | bytearray | memoryview | str) -> dict:
    """The order from the `doc` attribute: bytes, or base64 text as a Lambda stream event carries it."""
    return packing.unpack(stored, _DICTIONARIES)


def from_attributes(doc, body: str | None) -> dict:
    """The order from an item's attributes, compact (`doc`) or as written before the codec (`body`)."""
    if doc is not None:
        return decode(doc)
    return json.loads(body or "{}")


def of_image(image: dict) -> dict:
    """The order held by a stream image (plain values), with the status the item carries."""
    order = from_attributes(image.get("doc"), image.get("body"))
    return {**order, "id": image.get("order_id", order.get("id")), "status": image.get("status", order.get("status"))}


def is_order_image(image: dict | None) -> bool:
    """Whether an image is an order item (and not a removal or another item of the same kind)."""
    return bool(image) and ("doc" in image or "body" in image) and "version" in image
