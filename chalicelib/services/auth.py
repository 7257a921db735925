"""Sign-in by password or by PIN on a registered counter device, with throttling."""
import time
from datetime import UTC, datetime

from pynamodb.exceptions import DoesNotExist

from chalicelib.adapters import tokens
from chalicelib.adapters.dynamo.items import LoginEmailItem, StaffItem, ThrottleItem
from chalicelib.adapters.passwords import dummy_hash, verify_secret
from chalicelib.domain import throttle
from chalicelib.domain.errors import NotAuthenticated, NotFound, TooManyAttempts
from chalicelib.services.staff import list_staff, load_staff, me, normalise_email


def _throttle_key(subject: str) -> tuple[str, str]:
    return f"THROTTLE#{subject}", "THROTTLE"


def _check_not_locked(subject: str) -> None:
    try:
        item = ThrottleItem.get(*_throttle_key(subject), consistent_read=True)
    except DoesNotExist:
        return
    wait = throttle.seconds_locked(int(item.locked_until or 0), int(time.time()))
    if wait:
        raise TooManyAttempts(f"Too many failed attempts; try again in {wait // 60 + 1} minutes.",
                              retry_after=wait)


def _at(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def _record_failure(subject: str) -> None:
    now = int(time.time())
    item = ThrottleItem(*_throttle_key(subject))
    updated = item.update(actions=[ThrottleItem.failures.add(1),
                                   ThrottleItem.ttl.set(_at(now + throttle.WINDOW_SECONDS))])
    if throttle.lock_after(int(updated["Attributes"]["failures"]["N"])):
        item.update(actions=[ThrottleItem.locked_until.set(now + throttle.LOCK_SECONDS),
                             ThrottleItem.failures.set(0),
                             ThrottleItem.ttl.set(_at(now + throttle.LOCK_SECONDS))])


def _clear(subject: str) -> None:
    ThrottleItem(*_throttle_key(subject)).delete()


def _session(staff: StaffItem) -> dict:
    token, expires_in = tokens.issue_access_token(staff.tenant_id, staff.staff_id, staff.role,
                                                  list(staff.location_ids or []))
    return {"access_token": token, "token_type": "bearer", "expires_in": expires_in,
            "staff": me(staff.tenant_id, staff.staff_id)}


def _find_by_email(email: str) -> StaffItem | None:
    try:
        pointer = LoginEmailItem.get(f"LOGIN#{email}", "LOGIN")
        return load_staff(pointer.tenant_id, pointer.staff_id)
    except (DoesNotExist, NotFound):
        return None


def login(email: str, password: str) -> dict:
    email = normalise_email(email)
    subject = f"login#{email}"
    _check_not_locked(subject)
    staff = _find_by_email(email)
    # An unknown email costs the same hash as a known one, so timing does not reveal accounts.
    if not verify_secret(staff.password_hash if staff else dummy_hash(), password) or not staff or not staff.active:
        _record_failure(subject)
        raise NotAuthenticated("Wrong email or password.")
    _clear(subject)
    return _session(staff)


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
    return _session(staff)
