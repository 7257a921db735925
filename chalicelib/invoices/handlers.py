"""Stream subscriber: a counter sale gets its invoice by itself when the shop asked for it."""
from chalicelib.core.principal import Principal
from chalicelib.core.streams import Change


def on_order_change(change: Change) -> None:
    """A pos order arrives completed (paid at the counter); only its first appearance as completed
    is looked at, and issue_for_order is safe to run again for the same order anyway."""
    new, old = change.new or {}, change.old or {}
    if new.get("channel") != "pos" or new.get("status") != "completed" or old.get("status") == "completed":
        return
    from chalicelib.invoices import service

    service.issue_for_order(Principal.system(change.tenant_id), new["order_id"])
