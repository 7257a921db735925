"""Stream subscriber: every order change reaches the rollups (reports/rollups.py)."""
import json

from chalicelib.core.streams import Change


def on_order_change(change: Change) -> None:
    new = change.new
    if not new or "body" not in new or "version" not in new:
        return  # a removal, or an item of another shape under the same kind
    from chalicelib.reports import rollups

    document = json.loads(new["body"])
    document["status"] = new.get("status", document.get("status"))
    rollups.apply_order(change.tenant_id, new["order_id"], int(new["version"]), new["created_at"], document)
