"""Shops, staff accounts and their permissions."""
from chalicelib.core import clock, ids, keys
from chalicelib.core.cache import ShortLived
from chalicelib.core.errors import EmailTaken, InvalidInput, NotAuthenticated, NotFound, NotPermitted, VersionMismatch
from chalicelib.core.principal import Principal
from chalicelib.core.roles import Role, permissions_of
from chalicelib.core.uow import UnitOfWork
from chalicelib.staff.passwords import hash_secret
from chalicelib.staff.store import LoginEmailItem, ShopItem, StaffItem
from chalicelib.stock import locations

PRIVILEGED = {Role.owner, Role.manager}
ACCESS_FIELDS = ("role", "location_ids", "active", "password", "pin")  # a change ends open sessions


def normalise_email(email: str) -> str:
    return email.strip().lower()


def staff_view(item: StaffItem) -> dict:
    return {"id": item.staff_id, "email": item.email, "name": item.name, "role": item.role,
            "tenant_id": item.tenant_id, "location_ids": list(item.location_ids or []),
            "active": item.active, "has_pin": bool(item.pin_hash), "created_at": item.created_at}


def _login_pointer(email: str, tenant_id: str, staff_id: str) -> LoginEmailItem:
    return LoginEmailItem(*keys.login(email), tenant_id=tenant_id, staff_id=staff_id)


def _email_taken() -> EmailTaken:
    return EmailTaken("An account with this email already exists.",
                      errors=[{"field": "email", "message": "already registered"}])


def signup(shop_name: str, owner_name: str, owner_email: str, owner_password: str) -> dict:
    """A new shop (tenant) and its owner, atomically; the email must be new."""
    tenant_id, staff_id, now = ids.new_id(), ids.new_id(), clock.now_iso()
    email = normalise_email(owner_email)
    shop = ShopItem(keys.shop_pk(tenant_id), keys.SHOP_SK, gsi1sk=tenant_id, tenant_id=tenant_id, name=shop_name, created_at=now)
    owner = StaffItem(keys.shop_pk(tenant_id), keys.staff_sk(staff_id), tenant_id=tenant_id, staff_id=staff_id,
                      email=email, name=owner_name, role=Role.owner.value,
                      password_hash=hash_secret(owner_password), created_at=now)
    uow = UnitOfWork(Principal(tenant_id, staff_id))
    uow.put(shop, condition=ShopItem.pk.does_not_exist())
    uow.put(owner)
    uow.put(_login_pointer(email, tenant_id, staff_id), condition=LoginEmailItem.pk.does_not_exist(),
            on_fail=_email_taken)
    uow.audit("shop.created", "shop", tenant_id, after={"name": shop_name})
    uow.audit("staff.created", "staff", staff_id, after=staff_view(owner))
    result = {"tenant_id": tenant_id, "shop": {"id": tenant_id, "name": shop_name, "timezone": shop.timezone},
              "owner": staff_view(owner)}
    try:
        uow.commit(result)
    except EmailTaken:
        _record_signup_attempt(email, shop_name)
        return result  # the same answer as for a new email: signup does not tell who has an account
    return result


def _record_signup_attempt(email: str, shop_name: str) -> None:
    """Someone signed up with an email that already has an account: nothing is created; the
    account's shop keeps a trace (and will tell its owner once e-mail sending exists)."""
    try:
        pointer = LoginEmailItem.get(*keys.login(email))
    except LoginEmailItem.DoesNotExist:
        return
    uow = UnitOfWork(Principal(pointer.tenant_id, "anonymous-signup"))
    uow.audit("signup.email_reused", "staff", pointer.staff_id, after={"attempted_shop_name": shop_name})
    uow.commit()


def all_shop_ids():
    """Every shop of the deployment (nightly jobs), from the sparse shop index."""
    return (shop.tenant_id for shop in ShopItem.all_shops.query(keys.ALL_SHOPS))


def get_shop(tenant_id: str) -> dict:
    shop = ShopItem.get(keys.shop_pk(tenant_id), keys.SHOP_SK)
    return _shop_view(shop)


def _shop_view(shop: ShopItem) -> dict:
    return {"id": shop.tenant_id, "name": shop.name, "timezone": shop.timezone, "address": shop.address,
            "phone": shop.phone, "bank": dict(shop.bank.as_dict()) if shop.bank else None}


def update_shop(actor: Principal, changes: dict) -> dict:
    """Name, address and phone printed on receipts, time zone, the bank account of counter sales."""
    shop = ShopItem.get(keys.shop_pk(actor.tenant_id), keys.SHOP_SK, consistent_read=True)
    before = _shop_view(shop)
    if "timezone" in changes and changes["timezone"]:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(changes["timezone"])
        except ZoneInfoNotFoundError as error:
            raise InvalidInput("Unknown time zone.", errors=[{"field": "timezone", "message": "not an IANA zone"}]) from error
    for field in ("name", "address", "phone", "timezone", "bank"):
        if field in changes and (changes[field] is not None or field in ("address", "phone", "bank")):
            setattr(shop, field, changes[field])
    after = _shop_view(shop)
    uow = UnitOfWork(actor)
    uow.put(shop, on_fail=lambda: VersionMismatch("The shop settings were changed meanwhile; reload and retry."))
    uow.audit("shop.updated", "setting", "shop", before=before, after=after)
    uow.commit(after, 200)
    return after


def load_staff(tenant_id: str, staff_id: str) -> StaffItem:
    try:
        return StaffItem.get(keys.shop_pk(tenant_id), keys.staff_sk(staff_id), consistent_read=True)
    except StaffItem.DoesNotExist as error:
        raise NotFound("No such staff member.") from error


def _check_may_assign(actor: Principal, role: Role) -> None:
    """No one grants what they don't have: only the owner gives a privileged role."""
    if role in PRIVILEGED and actor.role != Role.owner:
        raise NotPermitted(f"Only the owner can give the role '{role.value}'.", code="role_not_grantable")


def _check_may_assign_locations(actor: Principal, location_ids: list[str]) -> None:
    """A location-limited manager assigns only (some of) their own locations; "all" (empty) is
    wider than theirs."""
    if actor.everywhere:
        return
    if not location_ids or any(x not in actor.location_ids for x in location_ids):
        raise NotPermitted("You can only assign your own locations.", code="location_not_grantable",
                           errors=[{"field": "location_ids", "message": "only within your own locations"}])


def _check_may_manage(actor: Principal, target: StaffItem) -> None:
    """Only the owner touches an owner's or a manager's account (credentials, role, scope); a
    limited manager manages only staff who work within the manager's own locations."""
    target_role = Role(target.role)
    if target.staff_id == actor.staff_id:
        return
    if target_role == Role.owner and actor.role != Role.owner:
        raise NotPermitted("Only the owner can change the owner's account.")
    if target_role in PRIVILEGED and actor.role != Role.owner:
        raise NotPermitted("Only the owner can change a manager's account.", code="staff_not_manageable")
    scope = list(target.location_ids or [])
    if not actor.everywhere and (not scope or any(x not in actor.location_ids for x in scope)):
        raise NotPermitted("This account works outside your locations.", code="staff_not_manageable")


def create_staff(actor: Principal, *, email: str, name: str, role: Role, password: str,
                 location_ids: list[str], pin: str | None) -> dict:
    _check_may_assign(actor, role)
    _check_may_assign_locations(actor, location_ids)
    locations.require_existing(actor.tenant_id, location_ids, field="location_ids")
    staff_id, email = ids.new_id(), normalise_email(email)
    item = StaffItem(keys.shop_pk(actor.tenant_id), keys.staff_sk(staff_id), tenant_id=actor.tenant_id,
                     staff_id=staff_id, email=email, name=name, role=role.value,
                     password_hash=hash_secret(password), pin_hash=hash_secret(pin) if pin else None,
                     location_ids=location_ids or None, created_at=clock.now_iso())
    uow = UnitOfWork(actor)
    uow.put(item)
    uow.put(_login_pointer(email, actor.tenant_id, staff_id), condition=LoginEmailItem.pk.does_not_exist(),
            on_fail=_email_taken)
    view = staff_view(item)
    uow.audit("staff.created", "staff", staff_id, after=view)
    uow.commit(view)
    return view


def update_staff(actor: Principal, staff_id: str, changes: dict) -> dict:
    """Change name, role, locations, active flag, password or PIN; audited with before/after. A
    change of access raises the account's access version, which ends its open sessions."""
    item = load_staff(actor.tenant_id, staff_id)
    before = staff_view(item)
    _check_may_manage(actor, item)
    if "role" in changes:
        _check_may_assign(actor, changes["role"])
        if staff_id == actor.staff_id and changes["role"] != Role(item.role):
            raise InvalidInput("You cannot change your own role.", errors=[{"field": "role", "message": "own role"}])
        item.role = changes["role"].value
    if "active" in changes:
        if staff_id == actor.staff_id and not changes["active"]:
            raise InvalidInput("You cannot deactivate yourself.", errors=[{"field": "active", "message": "own account"}])
        item.active = changes["active"]
    if "location_ids" in changes:
        if staff_id == actor.staff_id and set(changes["location_ids"] or []) != set(item.location_ids or []):
            raise NotPermitted("You cannot change your own locations.", code="own_scope",
                               errors=[{"field": "location_ids", "message": "own account"}])
        _check_may_assign_locations(actor, changes["location_ids"])
        locations.require_existing(actor.tenant_id, changes["location_ids"], field="location_ids")
        item.location_ids = changes["location_ids"] or None
    if "name" in changes:
        item.name = changes["name"]
    if "password" in changes:
        item.password_hash = hash_secret(changes["password"])
    if "pin" in changes:
        item.pin_hash = hash_secret(changes["pin"]) if changes["pin"] else None
    if any(field in changes for field in ACCESS_FIELDS):
        item.access_version = int(item.access_version or 1) + 1
    if "password" in changes or "pin" in changes:
        item.credentials_changed_at = clock.now_iso()
    uow = UnitOfWork(actor)
    # VersionAttribute: a concurrent change makes this fail instead of being lost.
    uow.put(item, on_fail=lambda: VersionMismatch("This account was changed meanwhile; reload and retry."))
    after = staff_view(item)
    uow.audit("staff.updated", "staff", staff_id, before=before,
              after={**after, "credentials_changed": sorted({"password", "pin"} & set(changes))})
    uow.commit(after, 200)
    forget_account(actor.tenant_id, staff_id)
    return after


# --- the account behind a token, checked on every request ----------------------------------
_accounts = ShortLived(seconds=5.0)  # how long one Lambda trusts what it read (ADR 0008)


def forget_account(tenant_id: str, staff_id: str) -> None:
    _accounts.forget((tenant_id, staff_id))


def current_principal(principal: Principal) -> Principal:
    """Refuse a token whose account was deactivated, or whose access changed since it was issued
    (role, locations, password, PIN); the account is read at most every few seconds per Lambda."""
    try:
        account = _accounts.get((principal.tenant_id, principal.staff_id),
                                lambda: load_staff(principal.tenant_id, principal.staff_id))
    except NotFound as error:
        raise NotAuthenticated("The session has ended; sign in again.", code="session_ended") from error
    if not account.active or int(account.access_version or 1) != principal.access_version:
        raise NotAuthenticated("The session has ended; sign in again.", code="session_ended")
    return principal


def list_staff(tenant_id: str) -> list[dict]:
    items = StaffItem.query(keys.shop_pk(tenant_id), StaffItem.sk.startswith(keys.STAFF_PREFIX))
    return [staff_view(item) for item in items]


def me(tenant_id: str, staff_id: str) -> dict:
    item = load_staff(tenant_id, staff_id)
    role = Role(item.role)
    return {"id": item.staff_id, "email": item.email, "name": item.name, "role": role.value,
            "tenant_id": tenant_id, "shop": get_shop(tenant_id),
            "permissions": sorted(permissions_of(role)), "location_ids": list(item.location_ids or [])}
