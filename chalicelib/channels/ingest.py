"""A channel order (canonical shape) into our order, whichever way it came (webhook or pull):
the first copy creates it (lines linked through listings, customer matched by the order service),
marketplace orders are confirmed at once so they hold stock, and every later copy only moves our
order forward as the platform's status says. Never refused: an order that cannot proceed is
held with a warning."""
from __future__ import annotations

import logging

from chalicelib.channels import listings, rules
from chalicelib.channels.canonical import CanonicalOrder, ChannelStatus
from chalicelib.channels.providers.base import Listing
from chalicelib.channels.store import ConnectionItem
from chalicelib.core.errors import DomainError, IllegalTransition, OutOfStock, VersionMismatch
from chalicelib.core.idempotency import Replay
from chalicelib.core.principal import Principal
from chalicelib.orders import lifecycle
from chalicelib.orders import service as orders
from chalicelib.orders.rules import Action

log = logging.getLogger("quay.channels")


def _lines(connection: ConnectionItem, order: CanonicalOrder) -> list[dict]:
    """Each line named by our SKU when its listing is linked (or its seller SKU is ours); otherwise
    by what the platform calls it, which the order service holds as product_not_linked."""
    lines = []
    for line in order.lines:
        if line.quantity <= 0:
            continue
        listing = listings.seen(connection, Listing(line.external_item_id, line.external_model_id, line.external_sku,
                                                    line.name, "active"))
        lines.append({"sku": listing.sku or line.external_sku or f"{line.external_item_id}:{line.external_model_id or '0'}",
                      "name": line.name, "quantity": line.quantity, "unit_price": line.unit_price,
                      "discount": min(line.discount, line.unit_price * line.quantity), "listing_id": listing.listing_id})
    return lines


def _address(order: CanonicalOrder) -> dict | None:
    a = order.shipping_address
    if a is None:
        return None
    text = a.text or ", ".join(x for x in (a.ward, a.district, a.province) if x)
    return {k: v for k, v in {"name": a.name, "phone": a.phone or a.phone_as_sent, "text": text, "province": a.province,
                              "district": a.district, "ward": a.ward}.items() if v}


def order_data(connection: ConnectionItem, order: CanonicalOrder) -> dict:
    customer = order.customer
    note = " · ".join(x for x in (order.note, f"{order.channel} {order.platform_status}".strip()) if x)
    return {
        "channel": connection.channel, "external_id": order.external_id, "channel_connection_id": connection.connection_id,
        "customer": {k: v for k, v in {"name": customer.name, "phone": customer.phone, "email": customer.email,
                                       "buyer_id": customer.buyer_id}.items() if v} or None,
        "lines": _lines(connection, order), "shipping_address": _address(order),
        "payment": {"method": order.payment.method.value, "status": order.payment.status.value,
                    "amount_paid": order.totals.total if order.payment.status.value == "paid" else 0},
        "shipping_fee": order.totals.shipping, "note": note[:500] or None,
    }


def ingest(connection: ConnectionItem, order: CanonicalOrder) -> str:
    """'created', 'updated' or 'unchanged'."""
    system = Principal.system(connection.tenant_id)
    existing = orders.find_external(system, connection.channel, order.external_id)
    if existing is None:
        if order.status in (ChannelStatus.canceled, ChannelStatus.returned) and not order.lines:
            return "unchanged"
        try:
            created = orders.create(system, order_data(connection, order), via="channel")
        except Replay:  # the other copy (webhook or pull) created it a moment ago
            existing = orders.find_external(system, connection.channel, order.external_id)
        else:
            if connection.channel in rules.MARKETPLACES and created["status"] == "new":
                _try(system, created["id"], Action.confirm, {})
            existing = orders.get(system, created["id"])
            follow(system, existing, order.status)
            return "created"
    return "updated" if follow(system, existing, order.status) else "unchanged"


def follow(system: Principal, ours: dict, platform: ChannelStatus) -> bool:
    """Move our order as the platform's status says (forward only); True when it moved."""
    move = rules.move_for(platform, ours["status"])
    if move is None:
        return False
    if move == "flag_cancel_requested":
        if any(w["code"] == "cancel_requested" for w in ours.get("warnings") or []):
            return False
        try:
            orders.update(system, ours["id"], {"cancel_requested": True}, via="channel")
        except DomainError:
            return False
        return True
    action, body = {
        "cancel": (Action.cancel, {"reason": "buyer_requested_on_channel"}),
        "hand_over": (Action.hand_over, {}),
        "complete": (Action.complete, {}),
        "return_on_the_way": (Action.return_, {"received": False, "reason": "returned on the channel"}),
        "return_received": (Action.return_, {"received": True, "reason": "returned on the channel"}),
        "mark_paid": (Action.mark_paid, {}),
    }[move]
    return _try(system, ours["id"], action, body)


def _try(system: Principal, order_id: str, action: Action, body: dict) -> bool:
    try:
        lifecycle.act(system, order_id, action, body, via="channel")
        return True
    except (IllegalTransition, OutOfStock, VersionMismatch) as refused:  # held with its warning, or moved meanwhile
        log.info("channel order %s: %s not applied (%s)", order_id, action.value, refused.code)
        return False
