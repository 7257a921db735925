"""Stream subscriber: every order change reaches the rollups (reports/rollups.py)."""
from chalicelib.core.streams import Change
from chalicelib.orders import codec


def on_order_change(change: Change) -> None:
    new = change.new
    if not codec.is_order_image(new):
        return  # a removal, or an item of another shape under the same kind
    from chalicelib.reports import rollups

    document = codec.of_image(new)
    rollups.apply_order(change.tenant_id, new["order_id"], int(new["version"]), new["created_at"], document)
