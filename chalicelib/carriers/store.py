"""Carrier accounts, bookings, tracking pointers, COD statements and cached carrier master data.
Key layout: core/keys.py (rows 30-36) and docs/carriers.md."""
from pynamodb.attributes import BooleanAttribute, NumberAttribute, TTLAttribute, UnicodeAttribute, VersionAttribute

from chalicelib.core.table import Gsi1, Gsi2, Item


class CarrierAccountItem(Item):
    """pk=SHOP#<tenant> sk=CARRIERACCOUNT#<id>. The token and webhook secret never leave the store."""
    account_id = UnicodeAttribute()
    carrier = UnicodeAttribute()
    name = UnicodeAttribute()
    token = UnicodeAttribute()
    carrier_shop_id = UnicodeAttribute(null=True)
    pick_location_id = UnicodeAttribute()
    pick_address = UnicodeAttribute(null=True)  # JSON: street, ward_name, province_name, district_name?
    default_service = UnicodeAttribute(null=True)
    webhook_secret = UnicodeAttribute()
    status = UnicodeAttribute()          # unverified | active | auth_failed | disabled
    last_error = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()
    version = VersionAttribute()


class BookingItem(Item):
    """pk=SHOP#<tenant>#CARRIERBOOKING#<shipment> sk=BOOKING. While its COD is open it is in gsi1
    (SHOP#<tenant>#CODOPEN, account#state#shipment); while in transit, in gsi2 (CARRIERPULL#<shard>,
    due#tenant#shipment) for the scheduled pull."""
    gsi1pk = UnicodeAttribute(null=True)
    gsi1sk = UnicodeAttribute(null=True)
    cod_open = Gsi1()
    gsi2pk = UnicodeAttribute(null=True)
    gsi2sk = UnicodeAttribute(null=True)
    due_for_pull = Gsi2()
    tenant_id = UnicodeAttribute()
    shipment_id = UnicodeAttribute()
    order_id = UnicodeAttribute()
    account_id = UnicodeAttribute()
    carrier = UnicodeAttribute()
    client_code = UnicodeAttribute()
    attempt = NumberAttribute(default=1)
    tracking_number = UnicodeAttribute()
    carrier_order_id = UnicodeAttribute()
    service = UnicodeAttribute(null=True)
    fee = NumberAttribute(null=True)
    cod_amount = NumberAttribute(default=0)
    carrier_status = UnicodeAttribute(null=True)
    state = UnicodeAttribute()           # statuses.ShipmentState, or "canceled"
    status_at = UnicodeAttribute(null=True)  # carrier time of the last status applied
    history = UnicodeAttribute(default="[]")  # JSON: [{status, state, at}] applied, oldest first
    label = UnicodeAttribute()           # JSON: what the label prints (LabelData fields)
    expected_delivery = UnicodeAttribute(null=True)
    cod_paid = NumberAttribute(null=True)  # what the carrier paid out for it
    cod_statement_id = UnicodeAttribute(null=True)
    cod_mismatch = UnicodeAttribute(null=True)  # JSON: expected, paid, difference, statement_id
    active = BooleanAttribute(default=True)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()
    version = VersionAttribute()


class TrackingPointerItem(Item):
    """pk=SHOP#<tenant>#CARRIERTRACK#<carrier>#<tracking> sk=TRACK -> the shipment it belongs to."""
    shipment_id = UnicodeAttribute()
    account_id = UnicodeAttribute()


class CodStatementItem(Item):
    """pk=SHOP#<tenant>#CODSTATEMENT#<id> sk=STATEMENT: the import's answer as it was first given."""
    statement_id = UnicodeAttribute()
    account_id = UnicodeAttribute()
    fingerprint = UnicodeAttribute()
    result = UnicodeAttribute()  # JSON
    created_at = UnicodeAttribute()


class CodFingerprintItem(Item):
    """pk=SHOP#<tenant>#CODSTATEMENTFP#<account>#<sha256> sk=FP: written once per statement content."""
    statement_id = UnicodeAttribute()


class MasterDataItem(Item):
    """pk=CARRIERMASTER#<carrier> sk=<list key>: one list of a carrier's divisions, kept a week."""
    divisions = UnicodeAttribute()  # JSON [[id, name, [aliases]], ...]
    ttl = TTLAttribute()
