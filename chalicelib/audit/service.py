"""Reading the audit log (writing happens inside every unit of work)."""
import json

from chalicelib.core import keys, paging
from chalicelib.core.records import AuditItem


def _view(item: AuditItem) -> dict:
    return {"at": item.at, "staff_id": item.staff_id, "action": item.action, "entity_type": item.entity_type,
            "entity_id": item.entity_id, "before": json.loads(item.before) if item.before else None,
            "after": json.loads(item.after) if item.after else None}


def for_entity(tenant_id: str, entity_type: str, entity_id: str, limit: int, cursor: str | None) -> dict:
    pk = keys.audit(tenant_id, entity_type, entity_id)
    results = AuditItem.query(pk, scan_index_forward=False, limit=limit,
                              last_evaluated_key=paging.decode(cursor, keys.cursor_scope(tenant_id)))
    return {"items": [_view(i) for i in results], "next_cursor": paging.encode(results.last_evaluated_key)}


def for_staff(tenant_id: str, staff_id: str, limit: int, cursor: str | None) -> dict:
    results = AuditItem.by_staff.query(keys.audit_by_staff(tenant_id, staff_id), scan_index_forward=False,
                                       limit=limit, last_evaluated_key=paging.decode(cursor, keys.cursor_scope(tenant_id)))
    return {"items": [_view(i) for i in results], "next_cursor": paging.encode(results.last_evaluated_key)}
