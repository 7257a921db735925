"""What the unit of work writes beside every change: audit entries and idempotency records.
Key layout: docs/architecture.md#access-patterns."""
from pynamodb.attributes import (
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
)

from chalicelib.core import packing
from chalicelib.core.table import Gsi1, Item


class AuditItem(Item):
    """pk=SHOP#<tenant>#AUDIT#<type>#<id> sk=<time>#<id>; gsi1: by staff member."""
    gsi1pk = UnicodeAttribute()
    gsi1sk = UnicodeAttribute()
    by_staff = Gsi1()
    entity_type = UnicodeAttribute()
    entity_id = UnicodeAttribute()
    action = UnicodeAttribute()
    staff_id = UnicodeAttribute()
    at = UnicodeAttribute()
    before = UnicodeAttribute(null=True)  # JSON
    after = UnicodeAttribute(null=True)  # JSON


class IdempotencyItem(Item):
    """pk=SHOP#<tenant>#IDEM#<scope>#<key> sk=IDEM: first response of a create, kept 24 h."""
    request_hash = UnicodeAttribute()
    status_code = NumberAttribute()
    response = UnicodeAttribute()  # JSON
    ttl = TTLAttribute()


# Deflated against the words every entry has (core/packing.py).
_ENTRY_DICTIONARY_1 = (
    b'[{"sort":"2026-","entity_type":"order","entity_id":"","action":"order.confirm","staff_id":"",'
    b'"before":"{\\"status\\": \\"new\\"}","after":"{\\"status\\": \\"confirmed\\", \\"locations\\": [\\"'
    b'reservation.created","entity_type":"stock","after":"{\\"created_at\\": \\"2026-, \\"expires_at\\": null, '
    b'\\"id\\": \\"\\", \\"lines\\": [{\\"quantity\\": 1, \\"sku\\": \\"\\"}], \\"location_id\\": \\"\\", '
    b'\\"reference\\": \\"order:\\", \\"status\\": \\"active\\", \\"updated_at\\": \\"2026-'
    b'order.created","after":"{\\"channel\\": \\"facebook\\", \\"lines\\": [{\\"backorder\\": 0, '
    b'\\"discount\\": 0, \\"linked\\": true, \\"name\\": \\"\\", \\"product_id\\": \\"\\", '
    b'\\"quantity\\": 1, \\"sku\\": \\"\\", \\"total\\": 0, \\"unit_price\\": 0, \\"variant\\": null}], '
    b'\\"status\\": \\"new\\", \\"total\\": 0}"}]')
_ENTRY_DICTIONARIES = {1: _ENTRY_DICTIONARY_1}


def pack_audit_entries(entries: list[dict]) -> bytes:
    """Audit entries carried on the item they describe (`audit_entries`), deflated: an order or a
    reservation carries the entry of its own write instead of a second item in the transaction.
    The time is the sort key's prefix, so it is not stored twice."""
    return packing.pack([{k: v for k, v in e.items() if k != "at"} for e in entries], _ENTRY_DICTIONARIES, 1,
                        separators=(",", ":"))


def unpack_audit_entries(stored: bytes | str | None) -> list[dict]:
    """The carried entries from an item or a stream image (bytes, or base64 text in a Lambda event)."""
    if not stored:
        return []
    entries = packing.unpack(stored, _ENTRY_DICTIONARIES)
    return [{**e, "at": e["sort"].split("#", 1)[0]} for e in entries]
