"""Live sessions: set up (codes for SKUs, where stock is held, for how long), the live view the
phone polls, changes while live, and the end with each buyer's message."""
from __future__ import annotations

import json
import zlib
from datetime import timedelta

from chalicelib.catalog import service as catalog
from chalicelib.core import clock, ids, keys
from chalicelib.core.errors import IllegalTransition, InvalidInput, NotFound
from chalicelib.core.principal import Principal
from chalicelib.core.uow import UnitOfWork
from chalicelib.live import messages
from chalicelib.live import rules as rules
from chalicelib.live import store as store
from chalicelib.live.parser import build_catalogue
from chalicelib.orders import service as orders
from chalicelib.staff import service as staff
from chalicelib.stock import locations
from chalicelib.stock.levels import read_levels

COMMENTS_PER_VIEW = 50
SINCE_OVERLAP_SECONDS = 5


def _items_from_catalog(tenant_id: str, raw_items: list[dict]) -> list[dict]:
    """Each {code, sku} with the SKU's name, attributes (for the parser) and price; unknown SKU -> 400."""
    if not raw_items:
        raise InvalidInput("A live session needs at least one item.", errors=[{"field": "items", "message": "empty"}])
    policies = catalog.sku_policies(tenant_id, [{"sku": x["sku"]} for x in raw_items])
    known = catalog.prices_for(tenant_id, policies, with_attributes=True)
    from chalicelib.catalog.rules import sku_key

    items, seen = [], set()
    for n, raw in enumerate(raw_items):
        product = known[sku_key(raw["sku"])]
        if product["sku"] in seen:
            raise InvalidInput("A SKU appears on more than one line; put it on one line.",
                               errors=[{"field": f"items.{n}.sku", "message": "repeated"}])
        seen.add(product["sku"])
        items.append({"code": raw["code"].strip().upper(), "sku": product["sku"], "name": product["name"],
                      "variant": product.get("variant"), "attributes": product.get("attributes") or {},
                      "unit_price": product["price"]})
    build_catalogue(items)  # refuses an item without code or sku, naming the field
    return items


def _poll_shard(session_id: str) -> int:
    return zlib.crc32(session_id.encode()) % keys.LIVE_POLL_SHARDS


def _set_polling(item: store.LiveSessionItem) -> None:
    """Only an open session with a live video and a page token is on the puller's index."""
    if item.status == rules.OPEN and item.facebook_live_video_id and item.facebook_page_token:
        item.gsi2pk, item.gsi2sk = keys.live_polling(_poll_shard(item.session_id)), f"{item.tenant_id}#{item.session_id}"
    else:
        item.gsi2pk = item.gsi2sk = None


def load(principal: Principal, session_id: str) -> tuple[store.LiveSessionItem, list[dict]]:
    """The session if it is the principal's shop's and at one of their locations (404 / 403)."""
    item = store.get_session(principal.tenant_id, session_id)
    if item is None:
        raise NotFound("No such live session.")
    principal.require_location(item.location_id)
    return item, json.loads(item.items)


def create(actor: Principal, data: dict) -> dict:
    actor.require_location(data["location_id"])
    try:
        locations.get(actor.tenant_id, data["location_id"])
    except NotFound as error:
        raise InvalidInput("Unknown location.", errors=[{"field": "location_id", "message": "unknown"}]) from error
    items = _items_from_catalog(actor.tenant_id, data["items"])
    if data.get("message_template"):
        messages.validate_template(data["message_template"])
    now, session_id = clock.now_iso(), ids.new_id()
    item = store.LiveSessionItem(*keys.live_session(actor.tenant_id, session_id), gsi1pk=keys.live_sessions(actor.tenant_id),
                                 gsi1sk=keys.by_time_sk(now, session_id), tenant_id=actor.tenant_id, session_id=session_id,
                                 title=data["title"], channel=data["channel"], location_id=data["location_id"],
                                 items=json.dumps(items, ensure_ascii=False),
                                 hold_minutes=data.get("hold_minutes") or rules.DEFAULT_HOLD_MINUTES, status=rules.OPEN,
                                 message_template=data.get("message_template"),
                                 facebook_live_video_id=data.get("facebook_live_video_id"),
                                 facebook_page_token=data.get("facebook_page_token"),
                                 created_by=actor.staff_id, created_at=now)
    _set_polling(item)
    uow = UnitOfWork(actor)
    uow.put(item)
    answer = session_view(item, items)
    uow.audit("live.session_created", "live", session_id, after={k: answer[k] for k in ("title", "channel", "items")})
    uow.commit(answer)
    return answer


def session_view(item: store.LiveSessionItem, items: list[dict]) -> dict:
    """What every answer shows of a session (never the page token)."""
    return {"id": item.session_id, "title": item.title, "channel": item.channel, "location_id": item.location_id,
            "status": item.status, "hold_minutes": int(item.hold_minutes),
            "items": [{k: x.get(k) for k in ("code", "sku", "name", "variant", "unit_price")} for x in items],
            "message_template": item.message_template or messages.default_template(),
            "facebook_live_video_id": item.facebook_live_video_id,
            "facebook_connected": bool(item.facebook_page_token), "facebook_error": item.facebook_error,
            "created_at": item.created_at, "ended_at": item.ended_at}


def list_sessions(principal: Principal, limit: int = 50) -> dict:
    found = [x for x in store.list_sessions(principal.tenant_id, limit) if principal.may_use_location(x.location_id)]
    return {"items": [{"id": x.session_id, "title": x.title, "channel": x.channel, "status": x.status,
                       "location_id": x.location_id, "created_at": x.created_at} for x in found]}


def session_orders(principal: Principal, session_id: str) -> list[tuple[store.LiveBuyerItem, dict]]:
    buyers = store.buyers(principal.tenant_id, session_id)
    by_id = {order["id"]: order for order in orders.get_many(principal, [b.order_id for b in buyers])}
    return [(b, by_id[b.order_id]) for b in buyers if b.order_id in by_id]


def comment_view(item: store.LiveCommentItem) -> dict:
    return {"id": item.comment_id, "author_name": item.author_name, "author_id": item.author_id, "text": item.text,
            "source": item.source, "at": item.at, "captured_at": item.captured_at, **json.loads(item.result)}


def live_view(principal: Principal, session_id: str, since: str | None = None) -> dict:
    """The live screen: each item's stock at the session's location (the stock service's own level)
    with what this session holds and sold, the orders, revenue and the comments after `since`."""
    item, items = load(principal, session_id)
    from chalicelib.catalog.rules import sku_key

    levels = read_levels(principal.tenant_id, {(sku_key(x["sku"]), item.location_id) for x in items})
    pairs = session_orders(principal, session_id)
    counts = rules.counters(items, [order for _, order in pairs])
    view = session_view(item, items)
    for entry in view["items"]:
        level = levels.get((sku_key(entry["sku"]), item.location_id))
        entry.update(available=int(level.available or 0) if level else 0, **counts[entry["sku"]])
    view["orders"] = [_order_view(buyer, order) for buyer, order in pairs]
    view["revenue"] = rules.revenue(order for _, order in pairs)
    view["comments"] = [comment_view(c) for c in store.comments_since(principal.tenant_id, session_id, since,
                                                                      COMMENTS_PER_VIEW)]
    # the next poll's `since`, a little in the past: a comment stamped before this read but committed
    # after it is still sent next time (the screen merges comments by id)
    view["now"] = clock.iso(clock.now() - timedelta(seconds=SINCE_OVERLAP_SECONDS))
    return view


def _order_view(buyer: store.LiveBuyerItem, order: dict) -> dict:
    return {"id": order["id"], "buyer": buyer.name, "status": order["status"], "total": order["total"],
            "hold_expires_at": (order.get("hold") or {}).get("expires_at"),
            "lines": [{"sku": x["sku"], "name": x.get("name"), "variant": x.get("variant"), "quantity": x["quantity"]}
                      for x in order["lines"]]}


def update(actor: Principal, session_id: str, changes: dict) -> dict:
    """Items (codes for SKUs), title, hold time, the buyer-message template, the live video."""
    item, items = load(actor, session_id)
    if item.status != rules.OPEN:
        raise IllegalTransition("This live session has ended.", code="live_session_ended")
    if changes.get("items") is not None:
        items = _items_from_catalog(actor.tenant_id, changes["items"])
        item.items = json.dumps(items, ensure_ascii=False)
    if "message_template" in changes:
        if changes["message_template"]:
            messages.validate_template(changes["message_template"])
        item.message_template = changes["message_template"] or None
    for key in ("title", "hold_minutes", "facebook_live_video_id", "facebook_page_token"):
        if changes.get(key) is not None:
            setattr(item, key, changes[key])
    if changes.get("facebook_live_video_id") is not None:
        item.facebook_cursor = None
    _set_polling(item)
    uow = UnitOfWork(actor)
    uow.put(item, on_fail=_changed_meanwhile)
    answer = session_view(item, items) | {"version": int(item.version or 0) + 1}
    uow.audit("live.session_updated", "live", session_id, after={k: v for k, v in changes.items()
                                                                 if k != "facebook_page_token"})
    uow.commit(answer, 200)
    return answer


def _changed_meanwhile():
    from chalicelib.core.errors import VersionMismatch

    return VersionMismatch("Someone else changed this live session at the same moment; reload it.")


def end(actor: Principal, session_id: str) -> dict:
    """Close the session (no more captures, no more pulling) and write each buyer's message.
    Unpaid holds are left as they are: each keeps its own expiry and the expiry job releases it."""
    item, items = load(actor, session_id)
    if item.status == rules.OPEN:
        item.status, item.ended_at = rules.ENDED, clock.now_iso()
        _set_polling(item)
        uow = UnitOfWork(actor)
        uow.put(item, on_fail=_changed_meanwhile)
        uow.audit("live.session_ended", "live", session_id, after={"ended_at": item.ended_at})
        uow.commit()
    return summary(actor, item, items)


def summary(principal: Principal, item: store.LiveSessionItem, items: list[dict]) -> dict:
    from datetime import datetime

    shop = staff.get_shop(principal.tenant_id)
    pairs = session_orders(principal, item.session_id)
    codes = {x["sku"]: x["code"] for x in items}
    buyers = []
    for buyer, order in pairs:
        hold = (order.get("hold") or {}).get("expires_at")
        text = messages.render_buyer_message(
            buyer_name=buyer.name, shop_name=shop["name"], session_title=item.title, order_code=order["id"],
            lines=[{"name": x.get("name") or x["sku"], "variant": x.get("variant"), "sku": x["sku"],
                    "code": codes.get(x["sku"], ""), "quantity": x["quantity"], "unit_price": x["unit_price"]}
                   for x in order["lines"]],
            shipping_fee=order.get("shipping_fee") or 0, payment="Chuyển khoản",
            hold_expires_at=datetime.fromisoformat(hold.replace("Z", "+00:00")) if hold else None,
            template=item.message_template, zone=shop.get("timezone") or messages.DEFAULT_ZONE)
        buyers.append(_order_view(buyer, order) | {"message": text})
    counts = rules.counters(items, [order for _, order in pairs])
    return {"id": item.session_id, "title": item.title, "status": item.status, "ended_at": item.ended_at,
            "orders": len(pairs), "revenue": rules.revenue(order for _, order in pairs),
            "units_held": sum(c["held"] for c in counts.values()), "units_sold": sum(c["sold"] for c in counts.values()),
            "buyers": buyers}
