"""Warehouses and stores, and the channels each serves in priority order."""
from chalicelib.core import clock, ids, keys
from chalicelib.core.cache import ShortLived
from chalicelib.core.errors import InvalidInput, NotFound
from chalicelib.core.principal import Principal
from chalicelib.core.uow import UnitOfWork
from chalicelib.stock.store import ChannelPriorityMap, LocationItem


def location_view(item: LocationItem) -> dict:
    return {"id": item.location_id, "name": item.name, "kind": item.kind, "address": item.address,
            "active": item.active,
            "channels": [{"channel": c.channel, "priority": int(c.priority)} for c in item.channels or []]}


def create(actor: Principal, *, name: str, kind: str, channels: list[dict], address: str | None) -> dict:
    location_id = ids.new_id()
    item = LocationItem(keys.shop_pk(actor.tenant_id), keys.location_sk(location_id), location_id=location_id,
                        name=name, kind=kind, address=address, created_at=clock.now_iso(),
                        channels=[ChannelPriorityMap(**c) for c in channels])
    view = location_view(item)
    uow = UnitOfWork(actor)
    uow.put(item)
    uow.audit("location.created", "location", location_id, after=view)
    uow.commit(view)
    _locations.forget(actor.tenant_id)
    return view


_locations = ShortLived(seconds=5.0)  # routing reads them for every order (docs/architecture.md "Write path")


def list_all(tenant_id: str) -> list[dict]:
    """The shop's locations, remembered by this Lambda for a few seconds (it forgets its own changes)."""
    def load() -> list[dict]:
        items = LocationItem.query(keys.shop_pk(tenant_id), LocationItem.sk.startswith(keys.LOCATION_PREFIX))
        return [location_view(i) for i in items]
    return [dict(location) for location in _locations.get(tenant_id, load)]


def get(tenant_id: str, location_id: str) -> dict:
    try:
        return location_view(LocationItem.get(keys.shop_pk(tenant_id), keys.location_sk(location_id)))
    except LocationItem.DoesNotExist as error:
        raise NotFound("No such location.") from error


def require_existing(tenant_id: str, location_ids: list[str], *, field: str) -> None:
    """Every id must be one of this shop's locations (400 naming the field otherwise)."""
    if not location_ids:
        return
    known = {loc["id"] for loc in list_all(tenant_id)}
    unknown = [lid for lid in location_ids if lid not in known]
    if unknown:
        raise InvalidInput("Unknown location.", errors=[{"field": field, "message": f"unknown location {lid}"}
                                                          for lid in unknown])


def check_exists_in(uow, tenant_id: str, location_id: str, *, field: str) -> None:
    """The location must exist when the unit of work commits (no extra round trip). Locations are
    never deleted, so one this Lambda has already read needs no check in the transaction."""
    if any(location["id"] == location_id for location in _locations.last_seen(tenant_id) or ()):
        return
    uow.check(LocationItem, keys.shop_pk(tenant_id), keys.location_sk(location_id), LocationItem.pk.exists(),
              on_fail=lambda: InvalidInput("Unknown location.",
                                           errors=[{"field": field, "message": f"unknown location {location_id}"}]))
