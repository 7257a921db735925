"""Identifiers: sortable by creation time (ULID layout), unguessable, URL-safe."""
import os
import time
from datetime import UTC, datetime

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32


def _encode(value: int, length: int) -> str:
    chars = []
    for _ in range(length):
        value, rem = divmod(value, 32)
        chars.append(_ALPHABET[rem])
    return "".join(reversed(chars))


def new_id(at: datetime | None = None) -> str:
    """26 characters: 48 bits of milliseconds (now, or `at`: an id made for a record of that
    moment) then 80 random bits."""
    millis = int((at.timestamp() if at else time.time()) * 1000)
    return _encode(millis, 10) + _encode(int.from_bytes(os.urandom(10), "big"), 16)


def moment_of(identifier: str) -> datetime:
    """The moment an id was made (its first 10 characters); ValueError if it is not one of ours."""
    if len(identifier) < 10:
        raise ValueError("not an id")
    millis = 0
    for char in identifier[:10].upper():
        millis = millis * 32 + _ALPHABET.index(char)
    return datetime.fromtimestamp(millis / 1000, UTC)


def floor_at(moment: datetime) -> str:
    """The smallest id of a moment: ids made at or after it sort at or after this."""
    return _encode(int(moment.timestamp() * 1000), 10) + "0" * 16
