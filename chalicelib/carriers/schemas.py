"""Carrier accounts, quotes, bookings, labels, callbacks, COD statements and the COD report."""
from typing import Any, Literal

from pydantic import Field

from chalicelib.catalog.schemas import Money
from chalicelib.core.schemas import Out, Strict

CarrierCode = Literal["ghn", "ghtk", "viettel_post"]


class PickAddress(Strict):
    """Where the carrier picks parcels up (GHTK and Viettel Post need it by name; GHN takes the
    ShopId's address when it is absent)."""
    name: str | None = Field(None, max_length=120)
    phone: str | None = Field(None, max_length=30)
    street: str = Field(min_length=1, max_length=200)
    ward_name: str = Field(min_length=1, max_length=100)
    province_name: str = Field(min_length=1, max_length=100)
    district_name: str | None = Field(None, max_length=100, description="old three-level address, if the carrier needs it")


class CarrierAccountIn(Strict):
    carrier: CarrierCode
    name: str = Field(min_length=1, max_length=120)
    token: str = Field(min_length=1, max_length=500, description="the shop's own API token at the carrier (never returned)")
    carrier_shop_id: str | None = Field(None, max_length=40, description="GHN ShopId; GHTK partner code (X-Client-Source)")
    pick_location_id: str = Field(min_length=1, max_length=64)
    pick_address: PickAddress | None = None
    default_service: str | None = Field(None, max_length=40)
    webhook_secret: str | None = Field(None, min_length=16, max_length=200,
                                       description="secret the callback URL carries; generated when absent")


class CarrierAccountPatch(Strict):
    name: str | None = Field(None, min_length=1, max_length=120)
    token: str | None = Field(None, min_length=1, max_length=500)
    carrier_shop_id: str | None = Field(None, max_length=40)
    pick_location_id: str | None = Field(None, min_length=1, max_length=64)
    pick_address: PickAddress | None = None
    default_service: str | None = Field(None, max_length=40)
    webhook_secret: str | None = Field(None, min_length=16, max_length=200)
    status: Literal["active", "disabled"] | None = None


class CarrierAccountOut(Out):
    id: str
    carrier: str
    name: str
    carrier_shop_id: str | None
    pick_location_id: str
    pick_address: dict[str, Any] | None
    default_service: str | None
    status: str = Field(description="unverified, active, auth_failed or disabled")
    last_error: str | None
    webhook_url: str = Field(description="register it at the carrier; with its secret only in the create's answer")
    created_at: str
    updated_at: str


class CarrierAccountList(Out):
    items: list[CarrierAccountOut]
    next_cursor: str | None = None


class Dimensions(Strict):
    length: int = Field(20, ge=1, le=300)
    width: int = Field(15, ge=1, le=300)
    height: int = Field(10, ge=1, le=300)


class QuoteIn(Strict):
    weight_g: int | None = Field(None, ge=1, le=50_000)
    dimensions_cm: Dimensions | None = None
    cod_amount: Money | None = Field(None, description="default: what the buyer still owes")
    insurance_value: Money | None = None


class QuoteOut(Out):
    carrier_account_id: str
    carrier: str
    account_name: str
    service: str
    service_name: str
    fee: int
    expected_delivery: str | None


class QuoteError(Out):
    carrier_account_id: str
    carrier: str
    code: str
    detail: str
    errors: list[dict[str, Any]] = []


class QuotesOut(Out):
    quotes: list[QuoteOut]
    errors: list[QuoteError]


class BookIn(Strict):
    carrier_account_id: str = Field(min_length=1, max_length=128)
    service: str | None = Field(None, max_length=40, description="a service from the quotes; default: the account's")
    weight_g: int | None = Field(None, ge=1, le=50_000, description="default: the shipment's, else 300 g per item")
    dimensions_cm: Dimensions | None = None
    cod_amount: Money | None = Field(None, description="default: what the buyer still owes (0 when prepaid)")
    insurance_value: Money | None = None
    note: str | None = Field(None, max_length=500)
    viewing: Literal["try_on", "view_only", "no_view"] | None = Field(
        None, description="cho thử hàng / cho xem hàng (default) / không cho xem hàng")
    payer: Literal["shop", "buyer"] | None = Field(None, description="who pays the shipping fee (default buyer)")


class CancelBookingIn(Strict):
    reason: str = Field(min_length=1, max_length=500)


class BookedShipmentOut(Out):
    id: str
    status: str
    carrier: str | None
    carrier_account_id: str | None = None
    tracking_number: str | None
    carrier_order_id: str | None = None
    shipping_fee: int | None = None
    cod_amount: int | None
    carrier_status: str | None = None
    carrier_state: str | None = None
    expected_delivery: str | None = None
    weight_grams: int | None = None


class LabelQuery(Strict):
    size: Literal["a6", "80mm"] = "a6"


class LabelsQuery(Strict):
    ids: str = Field(min_length=1, max_length=2000, description="shipment ids, comma separated (a wave)")
    size: Literal["a6", "80mm"] = "a6"


class CallbackOut(Out):
    ok: bool
    changed: bool


class StatementLineIn(Strict):
    tracking_number: str = Field(min_length=1, max_length=60)
    cod_amount: Money
    fee: Money | None = None
    paid_at: str | None = Field(None, max_length=40)
    client_code: str | None = Field(None, max_length=80)


class StatementIn(Strict):
    carrier_account_id: str = Field(min_length=1, max_length=128)
    lines: list[StatementLineIn] | None = Field(None, max_length=2000)
    csv: str | None = Field(None, max_length=900_000, description="the statement as the carrier's portal exports it")


class StatementLineOut(Out):
    tracking_number: str
    cod_amount: int
    fee: int
    line: int


class StatementOut(Out):
    id: str
    carrier_account_id: str
    carrier: str
    matched: int
    matched_lines: list[dict[str, Any]]
    amount_mismatch: list[dict[str, Any]]
    unknown: list[StatementLineOut]
    duplicates: list[StatementLineOut]
    total_paid: int
    total_fee: int
    net_paid: int
    already_imported: bool
    created_at: str


class CodReportQuery(Strict):
    carrier_account_id: str | None = Field(None, max_length=128)


class OutstandingOut(Out):
    carrier_account_id: str
    carrier: str | None
    account_name: str | None
    kind: str = Field(description="delivered_unpaid or in_transit")
    shipments: int
    cod_amount: int


class CodReportOut(Out):
    outstanding: list[OutstandingOut]
    mismatches: list[dict[str, Any]]
    totals: dict[str, int]
