"""Sign-in by password or by PIN on a registered counter device, with throttling; sessions with
rotating refresh tokens."""
import hashlib
import secrets
import time
from datetime import UTC, datetime

from chalicelib.core import clock, keys, tokens
from chalicelib.core.errors import NotAuthenticated, NotFound, TooManyAttempts
from chalicelib.core.principal import Principal
from chalicelib.core.uow import UnitOfWork
from chalicelib.staff import throttle
from chalicelib.staff.passwords import dummy_hash, verify_secret
from chalicelib.staff.service import list_staff, load_staff, me, normalise_email
from chalicelib.staff.service import signup as staff_signup
from chalicelib.staff.store import LoginEmailItem, SessionItem, StaffItem, ThrottleItem


def _throttle_key(subject: str) -> tuple[str, str]:
    return keys.throttle(subject)


def _check_not_locked(subject: str) -> None:
    try:
        item = ThrottleItem.get(*_throttle_key(subject), consistent_read=True)
    except ThrottleItem.DoesNotExist:
        return
    wait = throttle.seconds_locked(int(item.locked_until or 0), int(time.time()))
    if wait:
        raise TooManyAttempts(f"Too many failed attempts; try again in {wait // 60 + 1} minutes.",
                              retry_after=wait)


def _at(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def _record_failure(subject: str, limit: int = throttle.MAX_FAILURES) -> None:
    now = int(time.time())
    item = ThrottleItem(*_throttle_key(subject))
    updated = item.update(actions=[ThrottleItem.failures.add(1),
                                   ThrottleItem.ttl.set(_at(now + throttle.WINDOW_SECONDS))])
    if throttle.lock_after(int(updated["Attributes"]["failures"]["N"]), limit):
        item.update(actions=[ThrottleItem.locked_until.set(now + throttle.LOCK_SECONDS),
                             ThrottleItem.failures.set(0),
                             ThrottleItem.ttl.set(_at(now + throttle.LOCK_SECONDS))])


def _clear(subject: str) -> None:
    ThrottleItem(*_throttle_key(subject)).delete()


REFRESH_SECONDS = {"password": 30 * 24 * 3600, "pin": 14 * 3600}  # a PIN session lasts a shift


def _session_key(tenant_id: str, secret: str) -> tuple[str, str]:
    return keys.session(tenant_id, hashlib.sha256(secret.encode()).hexdigest())


def _new_session(uow: UnitOfWork | None, staff: StaffItem, kind: str) -> dict:
    """An access token plus a refresh token `<tenant>.<secret>` (only the secret's hash is kept)."""
    token, expires_in = tokens.issue_access_token(staff.tenant_id, staff.staff_id, staff.role,
                                                  list(staff.location_ids or []), int(staff.access_version or 1))
    secret, now = secrets.token_urlsafe(32), int(time.time())
    item = SessionItem(*_session_key(staff.tenant_id, secret), staff_id=staff.staff_id, kind=kind,
                       created_at=clock.now_iso(), expires_at=now + REFRESH_SECONDS[kind],
                       ttl=_at(now + REFRESH_SECONDS[kind]))
    if uow is None:
        item.save()
    else:
        uow.put(item)
    return {"access_token": token, "token_type": "bearer", "expires_in": expires_in,
            "refresh_token": f"{staff.tenant_id}.{secret}", "refresh_expires_in": REFRESH_SECONDS[kind],
            "staff": me(staff.tenant_id, staff.staff_id)}


def _split_refresh(refresh_token: str) -> tuple[str, str]:
    tenant_id, _, secret = refresh_token.partition(".")
    if not tenant_id or not secret:
        raise NotAuthenticated("The refresh token is not valid; sign in again.")
    return tenant_id, secret


def refresh(refresh_token: str) -> dict:
    """Trade a refresh token for a new pair; the old one stops working (rotation). The staff
    member's current role, locations and active flag are read again here; a session opened before
    the password or PIN was changed is over."""
    tenant_id, secret = _split_refresh(refresh_token)
    try:
        session = SessionItem.get(*_session_key(tenant_id, secret), consistent_read=True)
        staff = load_staff(tenant_id, session.staff_id)
    except (SessionItem.DoesNotExist, NotFound) as error:
        raise NotAuthenticated("The session has ended; sign in again.") from error
    if (int(session.expires_at) <= time.time() or not staff.active
            or session.created_at < (staff.credentials_changed_at or "")):
        raise NotAuthenticated("The session has ended; sign in again.")
    actor = Principal(tenant_id, staff.staff_id)
    uow = UnitOfWork(actor)
    uow.delete(session, condition=SessionItem.pk.exists(),
               on_fail=lambda: NotAuthenticated("This refresh token was already used; sign in again."))
    answer = _new_session(uow, staff, session.kind)
    uow.commit()
    return answer


def logout(refresh_token: str) -> None:
    tenant_id, secret = _split_refresh(refresh_token)
    SessionItem(*_session_key(tenant_id, secret)).delete()


def _find_by_email(email: str) -> StaffItem | None:
    try:
        pointer = LoginEmailItem.get(*keys.login(email))
        return load_staff(pointer.tenant_id, pointer.staff_id)
    except (LoginEmailItem.DoesNotExist, NotFound):
        return None


def login(email: str, password: str, source_ip: str | None = None) -> dict:
    email = normalise_email(email)
    subject, address = f"login#{email}", f"login-ip#{source_ip}" if source_ip else None
    for locked in filter(None, (subject, address)):
        _check_not_locked(locked)
    staff = _find_by_email(email)
    # An unknown email costs the same hash as a known one, so timing does not reveal accounts.
    if not verify_secret(staff.password_hash if staff else dummy_hash(), password) or not staff or not staff.active:
        _record_failure(subject)
        if address:  # many accounts tried from one address
            _record_failure(address, throttle.MAX_FAILURES_PER_IP)
        raise NotAuthenticated("Wrong email or password.")
    _clear(subject)
    return _new_session(None, staff, "password")


def signup(shop_name: str, owner_name: str, owner_email: str, owner_password: str,
           source_ip: str | None = None) -> dict:
    """A new shop, throttled per source address (every attempt counts, not only failures)."""
    if source_ip:
        subject = f"signup-ip#{source_ip}"
        _check_not_locked(subject)
        _record_failure(subject, throttle.MAX_SIGNUPS_PER_IP)
    return staff_signup(shop_name, owner_name, owner_email, owner_password)


def register_device(tenant_id: str, staff_id: str) -> dict:
    return {"device_token": tokens.issue_device_token(tenant_id, staff_id)}


def device_staff(device_token: str) -> list[dict]:
    """Names shown on a counter device's PIN screen: only staff who have a PIN."""
    tenant_id = tokens.read_device_token(device_token)
    return [{"id": s["id"], "name": s["name"], "role": s["role"]}
            for s in list_staff(tenant_id) if s["has_pin"] and s["active"]]


def pin_login(device_token: str, staff_id: str, pin: str) -> dict:
    tenant_id = tokens.read_device_token(device_token)
    subject = f"pin#{tenant_id}#{staff_id}"
    _check_not_locked(subject)
    try:
        staff = load_staff(tenant_id, staff_id)
    except NotFound:
        staff = None
    if not staff or not staff.pin_hash or not staff.active or not verify_secret(staff.pin_hash, pin):
        _record_failure(subject)
        raise NotAuthenticated("Wrong PIN.")
    _clear(subject)
    return _new_session(None, staff, "pin")
