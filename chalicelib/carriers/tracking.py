"""A parcel's status follows the carrier: its callbacks (checked the way each carrier lets a shop
check them) and a scheduled pull for the ones that got lost. Both end in `apply_status`, which
changes nothing for a status it already applied, an older one, or a step back; a new one moves the
shipment and, through the orders area, the order (picked -> hand_over, delivered -> complete,
returning/returned -> return on its way back; the restock happens when it is scanned back in)."""
from __future__ import annotations

import contextlib
import json
import logging
import time
from collections import defaultdict
from datetime import timedelta

from chalicelib.carriers import accounts
from chalicelib.carriers import rules as carrier_rules
from chalicelib.carriers.booking import PULL_SHARDS, index_for, load_booking, schedule_pull, shipment_fields
from chalicelib.carriers.providers.base import CarrierAuthFailed, CarrierError, ForgedCallback
from chalicelib.carriers.statuses import ShipmentState, map_status
from chalicelib.carriers.store import BookingItem, TrackingPointerItem
from chalicelib.core import clock, keys
from chalicelib.core.errors import IllegalTransition, NotFound, VersionMismatch
from chalicelib.core.principal import Principal
from chalicelib.orders import shipments

log = logging.getLogger("quay.carriers")
PULL_EVERY = timedelta(minutes=60)     # a parcel with no news for this long is pulled
PULL_BATCH = 50                        # parcels per shard per run: 8 x 50 track calls at most
RUN_BUDGET_SECONDS = 40.0              # of a 60 s Lambda: stop and leave the rest due
RETURN_STATES = (ShipmentState.returning, ShipmentState.returned)


def _order_action(state: ShipmentState | None, mapped_action: str | None) -> str | None:
    return "return" if state in RETURN_STATES else mapped_action


def apply_status(tenant_id: str, item: BookingItem, raw_status: str, at, *, via: str, fee: int | None = None) -> bool:
    """Apply one carrier status to a booking; True when it changed something."""
    mapped = map_status(item.carrier, raw_status)
    current = ShipmentState(item.state) if item.state else None
    history = json.loads(item.history or "[]")
    if not item.active or not carrier_rules.is_news(current, item.carrier_status, item.status_at, mapped.state,
                                                    mapped.raw, at, history):
        return False
    actor = Principal.system(tenant_id)
    item.carrier_status, item.state = mapped.raw, mapped.state.value
    if at is not None:
        item.status_at = clock.iso(at)
    if fee is not None:
        item.fee = fee
    item.updated_at = clock.now_iso()
    history.append({"status": mapped.raw, "state": mapped.state.value, "at": clock.iso(at) if at else None,
                    "label": mapped.label, "via": via})
    item.history = json.dumps(history[-50:], ensure_ascii=False)
    index_for(item, mapped.state)
    if item.gsi2pk:  # news: the next pull waits a full window from now
        schedule_pull(item, clock.iso(clock.now() + PULL_EVERY))

    def stage(uow):
        uow.put(item, on_fail=lambda: VersionMismatch("The parcel changed at the same moment."))

    fields = {k: v for k, v in shipment_fields(item).items() if k in ("carrier_status", "carrier_state", "shipping_fee")}
    try:
        shipments.apply_carrier(actor, item.shipment_id, fields, order_action=_order_action(mapped.state, mapped.order_action),
                                stage=stage, note=mapped.label, via=via)
    except (IllegalTransition, NotFound):  # the order moved on its own: keep the parcel's news only
        with contextlib.suppress(Exception):
            item.save()  # conditional on the version it was read at
    return True


# --- callbacks -----------------------------------------------------------------------------------
def callback(carrier: str, account_id: str, headers: dict, body: bytes, query: dict) -> dict:
    """A carrier's status callback. Unknown account -> 404; wrong secret, or a parcel that is not
    this account's -> 401; nothing is written either way. A replay or an old status answers 200."""
    tenant_id = accounts.tenant_of(account_id)
    if tenant_id is None:
        raise NotFound("No such carrier account.")
    account = accounts.recent(Principal.system(tenant_id), account_id)
    if account.carrier != carrier:
        raise NotFound("No such carrier account.")
    event = accounts.adapter(account).parse_callback(headers, body, account.webhook_secret, query=query)
    try:
        pointer = TrackingPointerItem.get(*keys.carrier_tracking(tenant_id, carrier, event.tracking_number))
    except TrackingPointerItem.DoesNotExist:
        raise ForgedCallback("This parcel is not one of this account's.") from None
    item = load_booking(tenant_id, pointer.shipment_id)
    if item is None or pointer.account_id != account_id or item.tracking_number.upper() != event.tracking_number.upper():
        raise ForgedCallback("This parcel is not one of this account's.")
    changed = apply_status(tenant_id, item, event.carrier_status, event.at, via=f"carrier.callback.{carrier}", fee=event.fee)
    return {"ok": True, "changed": changed}


# --- the scheduled pull --------------------------------------------------------------------------
def due_for_pull(shard: int, now: str, limit: int = PULL_BATCH) -> list[BookingItem]:
    return list(BookingItem.due_for_pull.query(keys.carrier_pull(shard), BookingItem.gsi2sk < now + "~", limit=limit))


def pull(now=None, *, per_shard: int = PULL_BATCH, budget_seconds: float = RUN_BUDGET_SECONDS) -> dict:
    """One run: the parcels in transit that had no news for PULL_EVERY (the window overlaps the
    callbacks: a parcel a callback just moved is simply found unchanged), grouped per account so
    each account is one adapter; at most PULL_SHARDS x per_shard parcels, each carrier call bounded
    by the adapter's timeout, and the run stops after `budget_seconds` (the Lambda's timeout is 60 s):
    what it did not reach is still due next run. A failing account is skipped until the next run."""
    started = time.monotonic()
    moment = clock.iso(now or clock.now())
    by_account: dict[tuple[str, str], list[BookingItem]] = defaultdict(list)
    for shard in range(PULL_SHARDS):
        for item in due_for_pull(shard, moment, per_shard):
            by_account[(item.tenant_id, item.account_id)].append(item)
    checked = changed = failed = 0
    for (tenant_id, account_id), items in by_account.items():
        try:
            account = accounts.load(Principal.system(tenant_id), account_id)
            carrier = accounts.adapter(account)
        except NotFound:
            continue
        for item in items:
            if time.monotonic() - started > budget_seconds:
                break
            checked += 1
            try:
                tracking = carrier.track(item.tracking_number)
            except CarrierError as error:
                failed += 1
                log.warning("pull %s %s: %s", account.carrier, item.tracking_number, error.detail)
                if isinstance(error, CarrierAuthFailed):  # the whole account is refused until its token is fixed
                    accounts.record_outcome(account, error)
                    break
                continue
            fresh = load_booking(tenant_id, item.shipment_id)
            if fresh is None:
                continue
            if apply_status(tenant_id, fresh, tracking.carrier_status, tracking.at, via="carrier.pull", fee=tracking.fee):
                changed += 1
            else:  # nothing new: look again one window later
                if fresh.gsi2pk and fresh.active:
                    schedule_pull(fresh, clock.iso(clock.now() + PULL_EVERY))
                    with contextlib.suppress(Exception):  # a callback changed it meanwhile: due again anyway
                        fresh.save()
    return {"accounts": len(by_account), "checked": checked, "changed": changed, "failed": failed}
