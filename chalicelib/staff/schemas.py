"""Signup, sign-in and staff accounts."""
from typing import Annotated

from pydantic import Field, ValidationInfo, field_validator

from chalicelib.core.roles import Role
from chalicelib.core.schemas import Out, Strict

EmailStr = Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)]
Password = Field(min_length=8, max_length=128)
Pin = Annotated[str, Field(pattern=r"^\d{4,6}$", description="4 to 6 digits")]
Name = Field(min_length=1, max_length=120)


def _strong(password: str | None, info: ValidationInfo, *related_fields: str) -> str | None:
    """The password policy (staff/passwords.py), judged with the account's own words."""
    from chalicelib.staff.passwords import password_problem

    if password is not None:
        problem = password_problem(password, *(str(info.data.get(f) or "") for f in related_fields))
        if problem:
            raise ValueError(problem)
    return password


class SignupIn(Strict):
    shop_name: str = Name
    owner_name: str = Name
    owner_email: EmailStr
    owner_password: str = Password

    @field_validator("owner_password")
    @classmethod
    def _password_policy(cls, value, info: ValidationInfo):
        return _strong(value, info, "owner_email", "owner_name", "shop_name")


class StaffOut(Out):
    id: str
    email: str
    name: str
    role: Role
    tenant_id: str
    location_ids: list[str]
    active: bool
    has_pin: bool
    created_at: str


class BankAccount(Strict):
    bin: str = Field(pattern=r"^\d{6}$", description="the bank's NAPAS BIN, e.g. 970436")
    account: str = Field(pattern=r"^[0-9A-Za-z]{4,19}$")
    account_name: str = Field(min_length=1, max_length=50)


class ShopOut(Out):
    id: str
    name: str
    timezone: str
    address: str | None = None
    phone: str | None = None
    bank: dict | None = None


class ShopPatch(Strict):
    name: str | None = Field(None, min_length=1, max_length=120)
    address: str | None = Field(None, max_length=300)
    phone: str | None = Field(None, max_length=30)
    timezone: str | None = Field(None, pattern=r"^[A-Za-z_]+/[A-Za-z_]+$")
    bank: BankAccount | None = None


class SignupOut(Out):
    tenant_id: str
    shop: ShopOut
    owner: StaffOut


class LoginIn(Strict):
    email: EmailStr
    password: str = Field(min_length=1, max_length=128)


class MeOut(Out):
    id: str
    email: str
    name: str
    role: Role
    tenant_id: str
    shop: ShopOut
    permissions: list[str]
    location_ids: list[str]


class SessionOut(Out):
    access_token: str
    token_type: str = "bearer"
    expires_in: int
    refresh_token: str
    refresh_expires_in: int
    staff: MeOut


class RefreshIn(Strict):
    refresh_token: str = Field(min_length=20, max_length=200)


class LoggedOut(Out):
    status: str = "signed_out"


class DeviceOut(Out):
    device_token: str


class DeviceStaffIn(Strict):
    device_token: str = Field(min_length=10, max_length=2048)


class DeviceStaffOut(Out):
    id: str
    name: str
    role: Role


class DeviceStaffList(Out):
    items: list[DeviceStaffOut]


class PinLoginIn(Strict):
    device_token: str = Field(min_length=10, max_length=2048)
    staff_id: str = Field(min_length=1, max_length=64)
    pin: Pin


class StaffIn(Strict):
    email: EmailStr
    name: str = Name
    role: Role
    password: str = Password
    location_ids: list[str] = Field(default_factory=list, max_length=50)
    pin: Pin | None = None

    @field_validator("password")
    @classmethod
    def _password_policy(cls, value, info: ValidationInfo):
        return _strong(value, info, "email", "name")


class StaffPatch(Strict):
    name: str | None = Field(None, min_length=1, max_length=120)
    role: Role | None = None
    location_ids: list[str] | None = Field(None, max_length=50)
    active: bool | None = None
    password: str | None = Field(None, min_length=8, max_length=128)
    pin: str | None = Field(None, pattern=r"^(\d{4,6})?$", description="4-6 digits; empty string removes the PIN")

    @field_validator("password")
    @classmethod
    def _password_policy(cls, value, info: ValidationInfo):
        return _strong(value, info, "name")


class StaffList(Out):
    items: list[StaffOut]
    next_cursor: str | None = None
