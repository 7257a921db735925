"""Stream subscriber: a customer's statistics and purchase history follow their orders. Orders
reach customers this way (customers come before orders in the areas' order, so they never import
them): an order counts once when it is created and is taken out once when it is canceled or
returned; both are guarded by the history entry, so replays and duplicates change nothing."""
from chalicelib.core import keys
from chalicelib.core.streams import Change
from chalicelib.orders import codec
from chalicelib.orders import rules as order_rules


def on_order_change(change: Change) -> None:
    if change.tenant_id is None or not keys.is_order(change.sk) or not codec.is_order_image(change.new):
        return
    order = codec.of_image(change.new)
    customer = order.get("customer") or {}
    if not customer.get("id"):
        return
    from chalicelib.customers import service as customers

    counts_now = order_rules.counts_for_customer(order["status"])
    if change.old is None:
        if counts_now:
            customers.count_order(change.tenant_id, customer["id"], order_id=order["id"], channel=order["channel"],
                                  total=int(order["total"]), at=order["created_at"], phone=customer.get("phone"),
                                  email=customer.get("email"), buyer_id=customer.get("buyer_id"),
                                  address=order.get("shipping_address"))
    elif codec.is_order_image(change.old) and order_rules.counts_for_customer(change.old["status"]) and not counts_now:
        customers.uncount_order(change.tenant_id, customer["id"], order_id=order["id"], at=order["created_at"])
