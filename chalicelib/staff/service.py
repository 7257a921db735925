"""Shops, staff accounts and their permissions."""
from chalicelib.core import clock, ids
from chalicelib.core.errors import EmailTaken, InvalidInput, NotFound, NotPermitted, VersionMismatch
from chalicelib.core.keys import shop_pk
from chalicelib.core.roles import Role, permissions_of
from chalicelib.core.uow import Actor, IdempotencyRequest, UnitOfWork
from chalicelib.staff.passwords import hash_secret
from chalicelib.staff.store import LoginEmailItem, ShopItem, StaffItem
from chalicelib.stock import locations

PRIVILEGED = {Role.owner, Role.manager}


def normalise_email(email: str) -> str:
    return email.strip().lower()


def staff_view(item: StaffItem) -> dict:
    return {"id": item.staff_id, "email": item.email, "name": item.name, "role": item.role,
            "tenant_id": item.tenant_id, "location_ids": list(item.location_ids or []),
            "active": item.active, "has_pin": bool(item.pin_hash), "created_at": item.created_at}


def _login_pointer(email: str, tenant_id: str, staff_id: str) -> LoginEmailItem:
    return LoginEmailItem(f"LOGIN#{email}", "LOGIN", tenant_id=tenant_id, staff_id=staff_id)


def _email_taken() -> EmailTaken:
    return EmailTaken("An account with this email already exists.",
                      errors=[{"field": "email", "message": "already registered"}])


def signup(shop_name: str, owner_name: str, owner_email: str, owner_password: str) -> dict:
    """A new shop (tenant) and its owner, atomically; the email must be new."""
    tenant_id, staff_id, now = ids.new_id(), ids.new_id(), clock.now_iso()
    email = normalise_email(owner_email)
    shop = ShopItem(shop_pk(tenant_id), "SHOP", gsi1sk=tenant_id, tenant_id=tenant_id, name=shop_name, created_at=now)
    owner = StaffItem(shop_pk(tenant_id), f"STAFF#{staff_id}", tenant_id=tenant_id, staff_id=staff_id,
                      email=email, name=owner_name, role=Role.owner.value,
                      password_hash=hash_secret(owner_password), created_at=now)
    uow = UnitOfWork(Actor(tenant_id, staff_id))
    uow.put(shop, condition=ShopItem.pk.does_not_exist())
    uow.put(owner)
    uow.put(_login_pointer(email, tenant_id, staff_id), condition=LoginEmailItem.pk.does_not_exist(),
            on_fail=_email_taken)
    uow.audit("shop.created", "shop", tenant_id, after={"name": shop_name})
    uow.audit("staff.created", "staff", staff_id, after=staff_view(owner))
    result = {"tenant_id": tenant_id, "shop": {"id": tenant_id, "name": shop_name, "timezone": shop.timezone},
              "owner": staff_view(owner)}
    uow.commit(result)
    return result


def get_shop(tenant_id: str) -> dict:
    shop = ShopItem.get(shop_pk(tenant_id), "SHOP")
    return {"id": shop.tenant_id, "name": shop.name, "timezone": shop.timezone}


def load_staff(tenant_id: str, staff_id: str) -> StaffItem:
    try:
        return StaffItem.get(shop_pk(tenant_id), f"STAFF#{staff_id}", consistent_read=True)
    except StaffItem.DoesNotExist as error:
        raise NotFound("No such staff member.") from error


def _check_may_assign(actor_role: Role, role: Role) -> None:
    if role in PRIVILEGED and actor_role != Role.owner:
        raise NotPermitted(f"Only the owner can give the role '{role.value}'.")


def create_staff(actor: Actor, actor_role: Role, *, email: str, name: str, role: Role, password: str,
                 location_ids: list[str], pin: str | None,
                 idempotency: IdempotencyRequest | None = None) -> dict:
    _check_may_assign(actor_role, role)
    locations.require_existing(actor.tenant_id, location_ids, field="location_ids")
    staff_id, email = ids.new_id(), normalise_email(email)
    item = StaffItem(shop_pk(actor.tenant_id), f"STAFF#{staff_id}", tenant_id=actor.tenant_id,
                     staff_id=staff_id, email=email, name=name, role=role.value,
                     password_hash=hash_secret(password), pin_hash=hash_secret(pin) if pin else None,
                     location_ids=location_ids or None, created_at=clock.now_iso())
    uow = UnitOfWork(actor, idempotency)
    uow.put(item)
    uow.put(_login_pointer(email, actor.tenant_id, staff_id), condition=LoginEmailItem.pk.does_not_exist(),
            on_fail=_email_taken)
    view = staff_view(item)
    uow.audit("staff.created", "staff", staff_id, after=view)
    uow.commit(view)
    return view


def update_staff(actor: Actor, actor_role: Role, staff_id: str, changes: dict) -> dict:
    """Change name, role, locations, active flag, password or PIN; audited with before/after."""
    item = load_staff(actor.tenant_id, staff_id)
    before = staff_view(item)
    if Role(item.role) == Role.owner and actor_role != Role.owner:
        raise NotPermitted("Only the owner can change the owner's account.")
    if "role" in changes:
        _check_may_assign(actor_role, changes["role"])
        if staff_id == actor.staff_id and changes["role"] != Role(item.role):
            raise InvalidInput("You cannot change your own role.", errors=[{"field": "role", "message": "own role"}])
        item.role = changes["role"].value
    if "active" in changes:
        if staff_id == actor.staff_id and not changes["active"]:
            raise InvalidInput("You cannot deactivate yourself.", errors=[{"field": "active", "message": "own account"}])
        item.active = changes["active"]
    if "location_ids" in changes:
        locations.require_existing(actor.tenant_id, changes["location_ids"], field="location_ids")
        item.location_ids = changes["location_ids"] or None
    if "name" in changes:
        item.name = changes["name"]
    if "password" in changes:
        item.password_hash = hash_secret(changes["password"])
    if "pin" in changes:
        item.pin_hash = hash_secret(changes["pin"]) if changes["pin"] else None
    uow = UnitOfWork(actor)
    # VersionAttribute: a concurrent change makes this fail instead of being lost.
    uow.put(item, on_fail=lambda: VersionMismatch("This account was changed meanwhile; reload and retry."))
    after = staff_view(item)
    uow.audit("staff.updated", "staff", staff_id, before=before, after=after)
    uow.commit()
    return after


def list_staff(tenant_id: str) -> list[dict]:
    items = StaffItem.query(shop_pk(tenant_id), StaffItem.sk.startswith("STAFF#"))
    return [staff_view(item) for item in items]


def me(tenant_id: str, staff_id: str) -> dict:
    item = load_staff(tenant_id, staff_id)
    role = Role(item.role)
    return {"id": item.staff_id, "email": item.email, "name": item.name, "role": role.value,
            "tenant_id": tenant_id, "shop": get_shop(tenant_id),
            "permissions": sorted(permissions_of(role)), "location_ids": list(item.location_ids or [])}
