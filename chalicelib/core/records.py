"""What the unit of work writes beside every change: audit entries and idempotency records.
Key layout: docs/architecture.md#access-patterns."""
from pynamodb.attributes import (
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
)

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
