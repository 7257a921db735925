"""Audit log entries."""
from typing import Any, Literal

from pydantic import Field

from chalicelib.core.schemas import ListQuery, Out

EntityType = Literal["shop", "staff", "product", "location", "stock", "order", "customer", "setting"]


class AuditEntry(Out):
    at: str
    staff_id: str
    action: str
    entity_type: str
    entity_id: str
    before: Any = None
    after: Any = None


class AuditPage(Out):
    items: list[AuditEntry]
    next_cursor: str | None


class EntityAuditQuery(ListQuery):
    entity_type: EntityType
    entity_id: str = Field(min_length=1, max_length=64)
