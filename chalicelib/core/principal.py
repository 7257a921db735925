"""Who is acting: the principal every use case receives. One authorization decision per request
is made with it in the use case, against the resource's own location(s) loaded from the store —
never only against what a request body names (docs/security.md)."""
from collections.abc import Iterable
from dataclasses import dataclass

from chalicelib.core.errors import NotPermitted
from chalicelib.core.roles import Role, can, permissions_of

SYSTEM = "system"


@dataclass(frozen=True)
class Principal:
    """A staff member of one shop (tenant), with their role and location limits; `role=None` is the
    system itself (scheduled jobs, channel sync), which acts everywhere in the shop."""
    tenant_id: str
    staff_id: str
    role: Role | None = None
    location_ids: tuple[str, ...] = ()  # empty: every location of the shop
    access_version: int = 0  # of the account when the token was issued (a change of access ends it)

    @classmethod
    def system(cls, tenant_id: str) -> "Principal":
        return cls(tenant_id, SYSTEM)

    @property
    def permissions(self) -> frozenset[str]:
        return permissions_of(self.role) if self.role else frozenset()

    @property
    def everywhere(self) -> bool:
        return not self.location_ids

    def require(self, permission: str) -> None:
        if self.role is not None and not can(self.role, permission):
            raise NotPermitted(f"Your role ({self.role.value}) does not allow '{permission}'.",
                               code="permission_required")

    def may_use_location(self, location_id: str | None) -> bool:
        return self.everywhere or location_id is None or location_id in self.location_ids

    def require_locations(self, location_ids: Iterable[str | None]) -> None:
        """Every location the action touches must be one of the principal's."""
        if any(not self.may_use_location(location_id) for location_id in location_ids):
            raise NotPermitted("You are not assigned to this location.", code="location_not_assigned")

    def require_location(self, location_id: str | None) -> None:
        self.require_locations([location_id])

    def within_my_locations(self, candidates: list[str]) -> list[str]:
        """The candidates this principal may act at, in their order (routing picks among these)."""
        return list(candidates) if self.everywhere else [c for c in candidates if c in self.location_ids]
