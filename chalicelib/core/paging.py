"""Opaque list cursors: the last evaluated key, base64url-encoded JSON."""
import base64
import binascii
import json

from chalicelib.core.errors import InvalidInput


def encode(last_key: dict | None) -> str | None:
    if not last_key:
        return None
    return base64.urlsafe_b64encode(json.dumps(last_key, separators=(",", ":")).encode()).decode()


def decode(cursor: str | None, tenant_pk_prefix: str) -> dict | None:
    """Refuses a cursor that points outside the caller's shop."""
    if not cursor:
        return None
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        hash_key = key["pk"]["S"]
    except (ValueError, KeyError, TypeError, binascii.Error) as error:
        raise InvalidInput("The cursor is not valid.", errors=[{"field": "cursor", "message": "invalid"}]) from error
    if not hash_key.startswith(tenant_pk_prefix):
        raise InvalidInput("The cursor is not valid.", errors=[{"field": "cursor", "message": "invalid"}])
    return key
