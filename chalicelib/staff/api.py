"""Routes: signup, sign-in (password, PIN on a counter device), me, staff accounts."""
from chalice import Blueprint

from chalicelib.core.endpoint import endpoint, register_principal_check
from chalicelib.core.lazy import lazy
from chalicelib.core.schemas import ListQuery
from chalicelib.staff.schemas import (
    DeviceOut,
    DeviceStaffIn,
    DeviceStaffList,
    LoggedOut,
    LoginIn,
    MeOut,
    PinLoginIn,
    RefreshIn,
    SessionOut,
    ShopOut,
    ShopPatch,
    SignupIn,
    SignupOut,
    StaffIn,
    StaffList,
    StaffOut,
    StaffPatch,
)

auth = lazy("chalicelib.staff.auth")
staff = lazy("chalicelib.staff.service")

accounts = Blueprint(__name__)


def _current_principal(*args, **kwargs):
    """Checked on every request; the staff area (and PynamoDB) load with the first one."""
    return staff.current_principal(*args, **kwargs)


register_principal_check(_current_principal)
TAG = "Accounts"


@endpoint(accounts, "/api/v1/signup", "POST", summary="Create a shop and its owner", tag=TAG,
          body=SignupIn, response=SignupOut, status=201, public=True, errors=(400, 409))
def signup(body: SignupIn):
    identity = (accounts.current_request.context or {}).get("identity") or {}
    return auth.signup(body.shop_name, body.owner_name, body.owner_email, body.owner_password,
                       identity.get("sourceIp"))


@endpoint(accounts, "/api/v1/auth/login", "POST", summary="Sign in with email and password", tag=TAG,
          body=LoginIn, response=SessionOut, public=True, errors=(400, 401, 429))
def login(body: LoginIn):
    identity = (accounts.current_request.context or {}).get("identity") or {}
    return auth.login(body.email, body.password, identity.get("sourceIp"))


@endpoint(accounts, "/api/v1/auth/refresh", "POST", summary="New access token for a refresh token (rotates it)",
          tag=TAG, body=RefreshIn, response=SessionOut, public=True, errors=(400, 401))
def refresh(body: RefreshIn):
    return auth.refresh(body.refresh_token)


@endpoint(accounts, "/api/v1/auth/logout", "POST", summary="End this device's session", tag=TAG, body=RefreshIn,
          response=LoggedOut, public=True, errors=(400, 401))
def logout(body: RefreshIn):
    auth.logout(body.refresh_token)
    return {"status": "signed_out"}


@endpoint(accounts, "/api/v1/auth/devices", "POST", summary="Register this device as a shared counter device",
          tag=TAG, response=DeviceOut, status=201, permission="staff.manage", errors=(401, 403))
def register_device(caller):
    return auth.register_device(caller.tenant_id, caller.staff_id)


@endpoint(accounts, "/api/v1/auth/device-staff", "POST", summary="Staff who can sign in by PIN on a device",
          tag=TAG, body=DeviceStaffIn, response=DeviceStaffList, public=True, errors=(400, 401))
def device_staff(body: DeviceStaffIn):
    return {"items": auth.device_staff(body.device_token)}


@endpoint(accounts, "/api/v1/auth/pin", "POST", summary="Sign in by PIN on a registered counter device",
          tag=TAG, body=PinLoginIn, response=SessionOut, public=True, errors=(400, 401, 429))
def pin_login(body: PinLoginIn):
    return auth.pin_login(body.device_token, body.staff_id, body.pin)


@endpoint(accounts, "/api/v1/me", "GET", summary="Who I am, my shop and permissions", tag=TAG,
          response=MeOut, errors=(401,))
def who_am_i(caller):
    return staff.me(caller.tenant_id, caller.staff_id)


@endpoint(accounts, "/api/v1/shop", "GET", summary="This shop: name, address, time zone, bank account", tag=TAG,
          response=ShopOut, errors=(401,))
def get_shop(caller):
    return staff.get_shop(caller.tenant_id)


@endpoint(accounts, "/api/v1/shop", "PATCH", summary="Change the shop's settings (printed on receipts)", tag=TAG,
          body=ShopPatch, response=ShopOut, permission="shop.manage", errors=(400, 401, 403, 409, 422))
def update_shop(caller, body: ShopPatch):
    return staff.update_shop(caller, body.model_dump(mode="json", exclude_unset=True))


@endpoint(accounts, "/api/v1/staff", "POST", summary="Create a staff account", tag=TAG, body=StaffIn,
          response=StaffOut, status=201, permission="staff.manage", errors=(400, 401, 403, 409, 422))
def create_staff(caller, body: StaffIn):
    return staff.create_staff(caller, email=body.email, name=body.name, role=body.role,
                              password=body.password, location_ids=body.location_ids, pin=body.pin)


@endpoint(accounts, "/api/v1/staff", "GET", summary="List staff accounts", tag=TAG, query=ListQuery,
          response=StaffList, permission="staff.view", errors=(401, 403))
def list_staff(caller, query: ListQuery):
    return {"items": staff.list_staff(caller.tenant_id), "next_cursor": None}


@endpoint(accounts, "/api/v1/staff/{staff_id}", "GET", summary="One staff account", tag=TAG,
          response=StaffOut, permission="staff.view", errors=(401, 403, 404))
def get_staff(caller, staff_id: str):
    return staff.staff_view(staff.load_staff(caller.tenant_id, staff_id))


@endpoint(accounts, "/api/v1/staff/{staff_id}", "PATCH", summary="Change a staff account", tag=TAG,
          body=StaffPatch, response=StaffOut, permission="staff.manage", errors=(400, 401, 403, 404, 409))
def update_staff(caller, staff_id: str, body: StaffPatch):
    changes = {k: v for k, v in body.model_dump(exclude_unset=True).items() if v is not None}
    return staff.update_staff(caller, staff_id, changes)
