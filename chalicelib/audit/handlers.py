"""Stream subscriber: files the audit entries an item carries (UnitOfWork.audit(carried_by=...)).

An entry is filed under its own key, so a replayed or duplicated record writes the same item again
and changes nothing; an entry already filed from an earlier image of the item is not written again."""
from chalicelib.core.records import unpack_audit_entries
from chalicelib.core.streams import Change


def on_change(change: Change) -> None:
    if change.tenant_id is None or not change.new or not change.new.get("audit_entries"):
        return
    already = {e["sort"] for e in unpack_audit_entries((change.old or {}).get("audit_entries"))}
    fresh = [e for e in unpack_audit_entries(change.new["audit_entries"]) if e["sort"] not in already]
    if fresh:
        from chalicelib.core.uow import file_audit_entries

        file_audit_entries(change.tenant_id, fresh)
