"""Quote, book, cancel and label a packed shipment at a carrier (ADR 0011: exactly once).

Booking sends our shipment id as the carrier's client order code and `book_once` looks it up before
sending and after a lost answer, so a retried request never makes a second carrier order. The
carrier is called first; only its answer is written, in one transaction: the booking record, the
tracking pointer, and the shipment's carrier fields on the order. A refused booking writes nothing
and says why in the carrier's words (Vietnamese)."""
from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime, timedelta

from chalicelib.carriers import accounts, master
from chalicelib.carriers import rules as carrier_rules
from chalicelib.carriers.providers.base import (
    Address,
    CarrierError,
    Item,
    LabelData,
    ShipmentRequest,
    book_once,
    match_address,
)
from chalicelib.carriers.statuses import ShipmentState, map_status
from chalicelib.carriers.store import BookingItem, TrackingPointerItem
from chalicelib.core import clock, keys
from chalicelib.core.cache import ShortLived
from chalicelib.core.errors import IllegalTransition, InvalidInput, NotFound
from chalicelib.core.principal import Principal
from chalicelib.orders import shipments
from chalicelib.staff import service as staff

BOOKABLE = {"ready_to_ship"}
PULL_SHARDS = 8
FIRST_PULL_AFTER_MINUTES = 60


_shops = ShortLived(seconds=5.0)  # the sender's name and phone, read for every quote and booking


# --- building the carrier's request -------------------------------------------------------------
def _items(order: dict, shipment: dict) -> list[Item]:
    lines = {x["sku"]: x for x in order["lines"]}
    return [Item(name=(lines.get(x["sku"]) or {}).get("name") or x["sku"], quantity=int(x["quantity"]),
                 price=int((lines.get(x["sku"]) or {}).get("unit_price") or 0), sku=x["sku"],
                 weight_g=carrier_rules.DEFAULT_ITEM_WEIGHT_G) for x in shipment["lines"]]


def _request(tenant_id: str, account, order: dict, shipment: dict, options: dict, client_code: str) -> ShipmentRequest:
    shop = _shops.get(tenant_id, lambda: staff.get_shop(tenant_id))
    cod = options["cod_amount"] if options.get("cod_amount") is not None else carrier_rules.cod_owed(order)
    dims = options.get("dimensions_cm") or {}
    request = ShipmentRequest(
        client_code=client_code, sender=accounts.sender(account, shop),
        recipient=carrier_rules.recipient(order.get("shipping_address"), order.get("customer")),
        weight_g=carrier_rules.parcel_weight(options.get("weight_g"), shipment), items=_items(order, shipment),
        length_cm=dims.get("length", 20), width_cm=dims.get("width", 15), height_cm=dims.get("height", 10),
        cod_amount=cod, insurance_value=options.get("insurance_value") or 0, note=options.get("note") or "",
        viewing=carrier_rules.viewing(options.get("viewing")), payer=options.get("payer") or "buyer",
        service=options.get("service") or account.default_service)
    if account.carrier in ("ghn", "viettel_post"):
        carrier = accounts.adapter(account)
        places = master.cached(account.carrier, carrier)
        request.recipient_place = _matched(request.recipient, places, "shipping_address")
        if request.sender.province_name and request.sender.ward_name:
            request.sender_place = _matched(request.sender, places, "pick_address")
    return request


def _matched(address: Address, places, field: str):
    try:
        return match_address(address, places)
    except InvalidInput as error:  # name the address it was about
        error.errors = [{**e, "field": f"{field}.{e['field']}"} for e in error.errors]
        raise


# --- quotes --------------------------------------------------------------------------------------
def _quote_one(tenant_id: str, account, order: dict, shipment: dict, options: dict) -> tuple[list[dict], dict | None]:
    try:
        request = _request(tenant_id, account, order, shipment, options, shipment["id"])
        found = accounts.adapter(account).quote(request)
    except (CarrierError, InvalidInput) as error:
        if isinstance(error, CarrierError):
            accounts.record_outcome(account, error)
        return [], {"carrier_account_id": account.account_id, "carrier": account.carrier, "code": error.code,
                    "detail": error.detail, "errors": error.errors}
    accounts.record_outcome(account, None)
    return [{"carrier_account_id": account.account_id, "carrier": account.carrier, "account_name": account.name,
             "service": q.service, "service_name": q.service_name, "fee": q.fee,
             "expected_delivery": _iso(q.expected_delivery) or q.expected_text or None} for q in found], None


def quotes(principal: Principal, shipment_id: str, options: dict) -> dict:
    """The fee and expected delivery of every account that picks up where the parcel is, side by
    side, asked in parallel; an account that fails is listed in `errors` and the others still answer."""
    from concurrent.futures import ThreadPoolExecutor

    order, shipment = shipments.for_carrier(principal, shipment_id)
    usable = [a for a in accounts.all_items(principal.tenant_id)
              if a.status != "disabled" and a.pick_location_id == shipment["location_id"]]
    with ThreadPoolExecutor(max_workers=max(1, min(8, len(usable)))) as pool:
        answers = list(pool.map(lambda a: _quote_one(principal.tenant_id, a, order, shipment, options), usable))
    found = sorted((q for qs, _ in answers for q in qs), key=lambda q: q["fee"])
    errors = [e for _, e in answers if e]
    if not usable:
        errors.append({"carrier_account_id": "", "carrier": "", "code": "no_carrier_account",
                       "detail": "Chưa có tài khoản vận chuyển nào lấy hàng tại kho của kiện này.", "errors": []})
    return {"quotes": found, "errors": errors}


def _iso(moment: datetime | None) -> str | None:
    return clock.iso(moment) if moment else None


# --- booking -------------------------------------------------------------------------------------
def load_booking(tenant_id: str, shipment_id: str) -> BookingItem | None:
    try:
        return BookingItem.get(*keys.carrier_booking(tenant_id, shipment_id), consistent_read=True)
    except BookingItem.DoesNotExist:
        return None


def schedule_pull(item: BookingItem, due: str) -> None:
    """Put the parcel in the sharded index of parcels due for a status pull at `due`."""
    shard = sum(item.shipment_id.encode()) % PULL_SHARDS
    item.gsi2pk, item.gsi2sk = keys.carrier_pull(shard), keys.carrier_pull_sk(due, item.tenant_id, item.shipment_id)


def index_for(item: BookingItem, state: ShipmentState | None) -> None:
    """Keep the sparse indexes true to the booking: open COD (gsi1) until paid or the parcel is back,
    due for a pull (gsi2) while the parcel is with the carrier."""
    open_cod = item.active and item.cod_paid is None and state not in (ShipmentState.canceled, ShipmentState.returned)
    item.gsi1pk = keys.cod_open(item.tenant_id) if open_cod else None
    item.gsi1sk = keys.cod_open_sk(item.account_id, (state or ShipmentState.ready_to_ship).value, item.shipment_id) \
        if open_cod else None
    if not (item.active and state in carrier_rules.IN_TRANSIT):
        item.gsi2pk = item.gsi2sk = None
    elif item.gsi2pk is None:
        schedule_pull(item, clock.iso(clock.now() + timedelta(minutes=FIRST_PULL_AFTER_MINUTES)))


def shipment_fields(item: BookingItem) -> dict:
    return {"carrier": item.carrier, "carrier_account_id": item.account_id, "tracking_number": item.tracking_number,
            "carrier_order_id": item.carrier_order_id, "shipping_fee": int(item.fee) if item.fee is not None else None,
            "cod_amount": int(item.cod_amount), "carrier_status": item.carrier_status, "carrier_state": item.state,
            "expected_delivery": item.expected_delivery}


def book(actor: Principal, shipment_id: str, options: dict) -> dict:
    order, shipment = shipments.for_carrier(actor, shipment_id)
    existing = load_booking(actor.tenant_id, shipment_id)
    if existing is not None and existing.active:
        if existing.account_id == options["carrier_account_id"]:
            return {**shipment, **shipment_fields(existing)}  # a retried request: the booking it made
        raise IllegalTransition("This parcel is already booked with another carrier account; cancel that booking first.",
                                extra={"current_status": "booked", "carrier_account_id": existing.account_id})
    if shipment.get("status") not in BOOKABLE or order["status"] not in BOOKABLE:
        raise IllegalTransition("Only a packed parcel (ready to ship) can be booked at a carrier.",
                                extra={"current_status": order["status"], "allowed_actions": ["mark_ready"]})
    account = accounts.recent(actor, options["carrier_account_id"])
    if account.pick_location_id != shipment["location_id"]:
        raise InvalidInput("This carrier account picks up at another location than this parcel's.",
                           errors=[{"field": "carrier_account_id", "message": "picks up elsewhere"}])
    if account.status == "disabled":
        raise InvalidInput("This carrier account is disabled.",
                           errors=[{"field": "carrier_account_id", "message": "disabled"}])
    attempt = int(existing.attempt) + 1 if existing is not None else 1
    client_code = shipment_id if attempt == 1 else f"{shipment_id}-R{attempt}"
    request = _request(actor.tenant_id, account, order, shipment, options, client_code)
    carrier = accounts.adapter(account)
    try:
        booked = book_once(carrier, request)
    except CarrierError as error:
        accounts.record_outcome(account, error)
        raise
    accounts.record_outcome(account, None)
    mapped = map_status(account.carrier, booked.carrier_status)
    state = mapped.state or ShipmentState.ready_to_ship
    now = clock.now_iso()
    label = asdict(carrier.label_data(request, booked))
    item = BookingItem(*keys.carrier_booking(actor.tenant_id, shipment_id), tenant_id=actor.tenant_id,
                       shipment_id=shipment_id, order_id=order["id"], account_id=account.account_id,
                       carrier=account.carrier, client_code=client_code, attempt=attempt,
                       tracking_number=booked.tracking_number, carrier_order_id=booked.carrier_order_id,
                       service=request.service, fee=booked.fee, cod_amount=request.cod_amount,
                       carrier_status=mapped.raw or None, state=state.value, status_at=None,
                       history=json.dumps([{"status": mapped.raw, "state": state.value, "at": None, "via": "book"}]),
                       label=json.dumps(label, ensure_ascii=False, default=str),
                       expected_delivery=_iso(booked.expected_delivery), active=True, created_at=now, updated_at=now)
    if existing is not None:
        item.version = existing.version
    index_for(item, state)
    pointer = TrackingPointerItem(*keys.carrier_tracking(actor.tenant_id, account.carrier, booked.tracking_number),
                                  shipment_id=shipment_id, account_id=account.account_id)

    def stage(uow):
        uow.put(item, on_fail=lambda: IllegalTransition("This parcel was booked at the same moment; reload it.",
                                                        extra={"current_status": "booked"}))
        uow.put(pointer)
        uow.audit("carrier.booked", "shipment", shipment_id,
                  after={"carrier": account.carrier, "tracking_number": booked.tracking_number, "fee": booked.fee,
                         "cod_amount": request.cod_amount, "client_code": client_code})

    fields = {**shipment_fields(item), "weight_grams": request.weight_g}
    saved = shipments.apply_carrier(actor, shipment_id, fields, stage=stage,
                                    note=f"{account.carrier} {booked.tracking_number}", via="carrier.book")
    return saved


def cancel(actor: Principal, shipment_id: str, reason: str) -> dict:
    """The carrier's cancel first; only once it agreed is our booking closed (a parcel already picked
    up cannot be canceled, and the carrier says so)."""
    shipments.for_carrier(actor, shipment_id)
    item = load_booking(actor.tenant_id, shipment_id)
    if item is None or not item.active:
        raise IllegalTransition("This parcel is not booked at a carrier.", extra={"current_status": "not_booked"})
    account = accounts.load(actor, item.account_id)
    accounts.adapter(account).cancel(item.tracking_number)
    item.active = False
    item.state, item.carrier_status, item.updated_at = ShipmentState.canceled.value, "canceled", clock.now_iso()
    history = json.loads(item.history)
    history.append({"status": "canceled", "state": "canceled", "at": item.updated_at, "via": "cancel", "reason": reason})
    item.history = json.dumps(history)
    index_for(item, ShipmentState.canceled)

    def stage(uow):
        uow.put(item)
        uow.audit("carrier.canceled", "shipment", shipment_id, after={"tracking_number": item.tracking_number,
                                                                      "reason": reason})

    fields = {"carrier": None, "carrier_account_id": None, "tracking_number": None, "carrier_order_id": None,
              "carrier_status": "canceled", "carrier_state": "canceled", "shipping_fee": None, "expected_delivery": None}
    return shipments.apply_carrier(actor, shipment_id, fields, stage=stage, note=reason, via="carrier.cancel")


# --- labels --------------------------------------------------------------------------------------
def _label(tenant_id: str, item: BookingItem) -> LabelData:
    data = json.loads(item.label)
    data["sender"], data["recipient"] = Address(**data["sender"]), Address(**data["recipient"])
    return LabelData(**data)


def labels(principal: Principal, shipment_ids: list[str], size: str) -> str:
    """One printable document with the label of each booked parcel (a wave prints at once)."""
    from chalicelib.carriers.labels import Shop, render_labels

    found = []
    for shipment_id in shipment_ids:
        shipments.for_carrier(principal, shipment_id)  # 404 / 403 before anything is printed
        item = load_booking(principal.tenant_id, shipment_id)
        if item is None or not item.active:
            raise NotFound("This parcel is not booked at a carrier.", errors=[{"field": "ids", "message": shipment_id}])
        found.append(_label(principal.tenant_id, item))
    shop = staff.get_shop(principal.tenant_id)
    return render_labels(found, Shop(shop.get("name") or "", shop.get("phone") or ""), size)

