"""Signed, short-lived access tokens (HS256 JWT) and counter-device tokens."""
from dataclasses import dataclass

from chalicelib.core import clock
from chalicelib.core.errors import NotAuthenticated
from chalicelib.core.settings import settings

ISSUER = "quay"
DEVICE_TOKEN_SECONDS = 365 * 24 * 3600


@dataclass(frozen=True)
class Claims:
    tenant_id: str
    staff_id: str
    role: str
    location_ids: tuple[str, ...]
    expires_at: int
    access_version: int = 0


def _secret() -> str:
    if len(settings.token_secret) < 32:
        raise RuntimeError("QUAY_TOKEN_SECRET must be set to at least 32 characters")
    return settings.token_secret


def issue_access_token(tenant_id: str, staff_id: str, role: str, location_ids: list[str] | None,
                       access_version: int = 1) -> tuple[str, int]:
    import jwt

    issued = int(clock.now().timestamp())
    expires = issued + settings.access_token_seconds
    token = jwt.encode({"iss": ISSUER, "typ": "access", "sub": staff_id, "tid": tenant_id,
                        "role": role, "loc": list(location_ids or []), "av": access_version, "iat": issued, "exp": expires},
                       _secret(), algorithm="HS256")
    return token, settings.access_token_seconds


def issue_device_token(tenant_id: str, registered_by: str) -> str:
    import jwt

    issued = int(clock.now().timestamp())
    return jwt.encode({"iss": ISSUER, "typ": "device", "tid": tenant_id, "sub": registered_by,
                       "iat": issued, "exp": issued + DEVICE_TOKEN_SECONDS}, _secret(), algorithm="HS256")


def _decode(token: str, kind: str) -> dict:
    import jwt

    try:
        claims = jwt.decode(token, _secret(), algorithms=["HS256"], issuer=ISSUER,
                            options={"require": ["exp", "iat", "sub", "tid", "typ"]})
    except jwt.ExpiredSignatureError as error:
        raise NotAuthenticated("The token has expired; sign in again.") from error
    except jwt.PyJWTError as error:
        raise NotAuthenticated("The token is not valid.") from error
    if claims["typ"] != kind:
        raise NotAuthenticated("The token is not valid.")
    return claims


def read_access_token(token: str) -> Claims:
    claims = _decode(token, "access")
    return Claims(tenant_id=claims["tid"], staff_id=claims["sub"], role=claims["role"],
                  location_ids=tuple(claims.get("loc") or ()), expires_at=int(claims["exp"]),
                  access_version=int(claims.get("av") or 0))


def read_device_token(token: str) -> str:
    """The tenant a registered counter device belongs to."""
    return _decode(token, "device")["tid"]
