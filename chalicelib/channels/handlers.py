"""The channels' subscribers to the table's stream (chalicelib/flows/stream.py). Delivery is at
least once and out of order; each step is safe twice and late: a stock change only marks listings
dirty (the push reads the stock as it is then), a status push is claimed once per order, a stored
webhook creates at most one order per channel order."""
from chalicelib.channels import pushes, webhooks
from chalicelib.core import keys
from chalicelib.core.streams import Change
from chalicelib.orders import codec

READY = ("ready_to_ship", "shipping")


def on_stock_change(change: Change) -> None:
    """A level's `available` changed (any movement, reservation, release) or a flash-sale hold did."""
    if change.tenant_id is None:
        return
    if change.sk.startswith(keys.LEVEL_PREFIX):
        before = (change.old or {}).get("available")
        after = (change.new or {}).get("available")
        if before == after:
            return
    elif not change.sk.startswith(keys.HOLD_PREFIX):
        return
    pushes.stock_changed(change.tenant_id, pushes.sku_key_of_stock_pk(change.pk))


def on_order_change(change: Change) -> None:
    """Our marketplace order reached ready-to-ship or was handed over: tell the platform once."""
    if change.tenant_id is None or change.new is None or not keys.is_order(change.sk):
        return
    status = change.new.get("status")
    if status not in READY or (change.old or {}).get("status") in READY:
        return
    order = codec.of_image(change.new)
    pushes.order_ready(change.tenant_id, order)


def on_webhook_event(change: Change) -> None:
    """A stored push: fetch what it announces and apply it."""
    if change.event != "INSERT" or change.new is None or change.tenant_id is None:
        return
    webhooks.process(change.tenant_id, change.new["connection_id"], change.new["body"])
