"""A shop's accounts at carriers: the token (stored, never returned), GHN's ShopId, where parcels
are picked up, the default service and the secret carriers' callbacks must present.

An account id starts with the shop's id (`<tenant>-<id>`): a carrier callback names only the
account, and the shop is read from it without a global lookup; every key still starts with the shop."""
from __future__ import annotations

import contextlib
import json
import secrets

from chalicelib.carriers import providers
from chalicelib.carriers.providers.base import Address, CarrierAuthFailed, callback_url
from chalicelib.carriers.store import CarrierAccountItem
from chalicelib.core import clock, ids, keys
from chalicelib.core.cache import ShortLived
from chalicelib.core.errors import InvalidInput, NotFound, VersionMismatch
from chalicelib.core.principal import Principal
from chalicelib.core.settings import settings
from chalicelib.core.uow import UnitOfWork
from chalicelib.stock import locations

SETTINGS_BASE = {"ghn": "ghn_api_base", "ghtk": "ghtk_api_base", "viettel_post": "viettelpost_api_base"}


def tenant_of(account_id: str) -> str | None:
    tenant, sep, rest = account_id.partition("-")
    return tenant if sep and tenant and rest else None


def view(item: CarrierAccountItem) -> dict:
    return {"id": item.account_id, "carrier": item.carrier, "name": item.name, "carrier_shop_id": item.carrier_shop_id,
            "pick_location_id": item.pick_location_id, "pick_address": json.loads(item.pick_address or "null"),
            "default_service": item.default_service, "status": item.status, "last_error": item.last_error,
            "webhook_url": callback_url(settings.public_base_url, item.carrier, item.account_id, item.webhook_secret),
            "created_at": item.created_at, "updated_at": item.updated_at}


def _public(answer: dict) -> dict:
    """What a GET shows: everything but the secret in the callback URL (the owner sees it once, at creation)."""
    return {**answer, "webhook_url": answer["webhook_url"].split("?", 1)[0]}


def _check_carrier_fields(carrier: str, carrier_shop_id: str | None) -> None:
    providers.adapter_class(carrier)
    if carrier == "ghn" and not (carrier_shop_id or "").isdigit():
        raise InvalidInput("A GHN account needs its ShopId.",
                           errors=[{"field": "carrier_shop_id", "message": "GHN ShopId (digits) is required"}])


def _address_json(address: dict | None) -> str | None:
    return json.dumps(address, ensure_ascii=False) if address else None


def create(actor: Principal, data: dict) -> dict:
    actor.require_location(data["pick_location_id"])
    locations.require_existing(actor.tenant_id, [data["pick_location_id"]], field="pick_location_id")
    _check_carrier_fields(data["carrier"], data.get("carrier_shop_id"))
    account_id = f"{actor.tenant_id}-{ids.new_id()}"
    now = clock.now_iso()
    item = CarrierAccountItem(keys.shop_pk(actor.tenant_id), keys.carrier_account_sk(account_id), account_id=account_id,
                              carrier=data["carrier"], name=data["name"], token=data["token"],
                              carrier_shop_id=data.get("carrier_shop_id"), pick_location_id=data["pick_location_id"],
                              pick_address=_address_json(data.get("pick_address")),
                              default_service=data.get("default_service"),
                              webhook_secret=data.get("webhook_secret") or secrets.token_urlsafe(24),
                              status="unverified", created_at=now, updated_at=now)
    answer = view(item)
    uow = UnitOfWork(actor)
    uow.put(item, condition=CarrierAccountItem.pk.does_not_exist())
    uow.audit("carrier_account.created", "carrier_account", account_id, after=_public(answer))
    uow.commit(answer, 201)
    return answer


def load(principal: Principal, account_id: str) -> CarrierAccountItem:
    """The account with its secrets, for this area's use cases only (never an answer)."""
    try:
        return CarrierAccountItem.get(keys.shop_pk(principal.tenant_id), keys.carrier_account_sk(account_id))
    except CarrierAccountItem.DoesNotExist as error:
        raise NotFound("No such carrier account.") from error


_recent = ShortLived(seconds=5.0)  # bookings and callbacks read the account each time (core/cache.py's rule)


def recent(principal: Principal, account_id: str) -> CarrierAccountItem:
    """The account as this Lambda read it in the last few seconds (it forgets its own changes)."""
    return _recent.get((principal.tenant_id, account_id), lambda: load(principal, account_id))


def all_items(tenant_id: str) -> list[CarrierAccountItem]:
    return list(CarrierAccountItem.query(keys.shop_pk(tenant_id),
                                         CarrierAccountItem.sk.startswith(keys.CARRIER_ACCOUNT_PREFIX)))


def list_accounts(principal: Principal) -> dict:
    return {"items": [_public(view(i)) for i in all_items(principal.tenant_id)], "next_cursor": None}


def get(principal: Principal, account_id: str) -> dict:
    item = load(principal, account_id)
    principal.require_location(item.pick_location_id)
    return _public(view(item))


def update(actor: Principal, account_id: str, changes: dict) -> dict:
    item = load(actor, account_id)
    actor.require_location(item.pick_location_id)
    before = _public(view(item))
    if changes.get("pick_location_id"):
        actor.require_location(changes["pick_location_id"])
        locations.require_existing(actor.tenant_id, [changes["pick_location_id"]], field="pick_location_id")
    for field in ("name", "token", "carrier_shop_id", "pick_location_id", "default_service", "webhook_secret", "status"):
        if changes.get(field) is not None:
            setattr(item, field, changes[field])
    if "pick_address" in changes:
        item.pick_address = _address_json(changes["pick_address"])
    if "token" in changes or changes.get("status") == "active":
        item.status, item.last_error = "unverified" if changes.get("status") != "disabled" else "disabled", None
    _check_carrier_fields(item.carrier, item.carrier_shop_id)
    item.updated_at = clock.now_iso()
    answer = _public(view(item))
    uow = UnitOfWork(actor)
    uow.put(item, on_fail=lambda: VersionMismatch("The carrier account changed meanwhile; reload and retry."))
    uow.audit("carrier_account.updated", "carrier_account", account_id, before=before, after=answer)
    uow.commit(answer, 200)
    _recent.forget((actor.tenant_id, account_id))
    return answer


def adapter(item: CarrierAccountItem):
    """The carrier's adapter for this account, its base URL from the deployment's settings."""
    base_url = getattr(settings, SETTINGS_BASE[item.carrier])
    if item.carrier == "ghn":
        return providers.build("ghn", token=item.token, shop_id=item.carrier_shop_id, base_url=base_url)
    if item.carrier == "ghtk":
        return providers.build("ghtk", token=item.token, partner_code=item.carrier_shop_id, base_url=base_url)
    return providers.build("viettel_post", token=item.token, base_url=base_url)


def sender(item: CarrierAccountItem, shop: dict) -> Address:
    """Who sends the parcel: the shop (name, phone) at the account's pick-up address."""
    place = json.loads(item.pick_address or "null") or {}
    return Address(name=place.get("name") or shop.get("name") or "", phone=place.get("phone") or shop.get("phone") or "",
                   street=place.get("street") or shop.get("address") or "", province_name=place.get("province_name") or "",
                   ward_name=place.get("ward_name") or "", district_name=place.get("district_name") or None)


def record_outcome(item: CarrierAccountItem, error: Exception | None) -> None:
    """The account's status follows the carrier's last answer (a revoked token shows on the account);
    written only when it changes, outside the request's own transaction."""
    status, last_error = ("auth_failed", error.detail) if isinstance(error, CarrierAuthFailed) else ("active", None)
    if error is not None and not isinstance(error, CarrierAuthFailed):
        return
    if item.status == status and item.last_error == last_error or item.status == "disabled":
        return
    _recent.forget((tenant_of(item.account_id), item.account_id))
    with contextlib.suppress(Exception):  # the status is advisory; the user's answer must not depend on it
        item.update(actions=[CarrierAccountItem.status.set(status),
                             CarrierAccountItem.last_error.set(last_error) if last_error
                             else CarrierAccountItem.last_error.remove()])
