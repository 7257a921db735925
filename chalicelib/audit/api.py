"""Routes: the audit log by entity and by staff member."""
from chalice import Blueprint

from chalicelib.audit.schemas import AuditPage, EntityAuditQuery
from chalicelib.core.endpoint import endpoint
from chalicelib.core.lazy import lazy
from chalicelib.core.schemas import ListQuery

audit_log = lazy("chalicelib.audit.service")

audit = Blueprint(__name__)
TAG = "Audit"


@endpoint(audit, "/api/v1/audit", "GET", summary="Changes to one entity, newest first", tag=TAG,
          query=EntityAuditQuery, response=AuditPage, permission="audit.view", errors=(400, 401, 403))
def entity_audit(caller, query: EntityAuditQuery):
    return audit_log.for_entity(caller.tenant_id, query.entity_type, query.entity_id, query.limit, query.cursor)


@endpoint(audit, "/api/v1/audit/staff/{staff_id}", "GET", summary="Changes made by one staff member", tag=TAG,
          query=ListQuery, response=AuditPage, errors=(400, 401, 403))
def staff_audit(caller, staff_id: str, query: ListQuery):
    if staff_id != caller.staff_id:  # everyone may read their own trail
        caller.require("audit.view")
    return audit_log.for_staff(caller.tenant_id, staff_id, query.limit, query.cursor)
