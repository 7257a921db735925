"""Shops, staff accounts, sign-in pointers, throttles and sessions. Key layout: docs/architecture.md#access-patterns."""
from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    VersionAttribute,
)

from chalicelib.core.table import Gsi1, Item


class ShopItem(Item):
    """pk=SHOP#<tenant> sk=SHOP; gsi1 (SHOPS, tenant) lists shops for nightly jobs."""
    gsi1pk = UnicodeAttribute(default="SHOPS")
    gsi1sk = UnicodeAttribute()
    all_shops = Gsi1()
    tenant_id = UnicodeAttribute()
    name = UnicodeAttribute()
    timezone = UnicodeAttribute(default="Asia/Ho_Chi_Minh")
    address = UnicodeAttribute(null=True)  # printed on receipts
    phone = UnicodeAttribute(null=True)
    bank = MapAttribute(null=True)  # {bin, account, account_name}: the VietQR payee of counter sales
    created_at = UnicodeAttribute()
    version = VersionAttribute(null=True)


class StaffItem(Item):
    """pk=SHOP#<tenant> sk=STAFF#<staff>"""
    tenant_id = UnicodeAttribute()
    staff_id = UnicodeAttribute()
    email = UnicodeAttribute()
    name = UnicodeAttribute()
    role = UnicodeAttribute()
    password_hash = UnicodeAttribute()
    pin_hash = UnicodeAttribute(null=True)
    location_ids = ListAttribute(of=UnicodeAttribute, null=True)
    active = BooleanAttribute(default=True)
    # Raised by every change of access (role, locations, active, password, PIN): tokens and
    # sessions issued before it stop working on their next request.
    access_version = NumberAttribute(default=1)
    credentials_changed_at = UnicodeAttribute(null=True)  # sessions opened before it are revoked
    created_at = UnicodeAttribute()
    version = VersionAttribute()


class LoginEmailItem(Item):
    """pk=LOGIN#<email> sk=LOGIN: the only global pointer, so login needs no shop id."""
    tenant_id = UnicodeAttribute()
    staff_id = UnicodeAttribute()


class ThrottleItem(Item):
    """pk=THROTTLE#<subject> sk=THROTTLE: failed attempts in the current window."""
    failures = NumberAttribute(default=0)
    locked_until = NumberAttribute(default=0)
    ttl = TTLAttribute(null=True)


class SessionItem(Item):
    """pk=SHOP#<tenant>#SESSION#<sha256 of the refresh secret> sk=SESSION: a signed-in device.
    Only the hash is stored; the TTL removes it when it expires."""
    staff_id = UnicodeAttribute()
    kind = UnicodeAttribute()  # password | pin
    created_at = UnicodeAttribute()
    expires_at = NumberAttribute()
    ttl = TTLAttribute()
