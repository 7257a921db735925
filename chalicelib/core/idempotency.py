"""Replayable writes (docs/adr/0007-idempotency.md). Every mutating route accepts an
`Idempotency-Key`: the endpoint binds it to the request here, and the unit of work that commits
the request's answer stores that answer under the key in the same transaction. The same key with
the same body then gets the first answer again; with another body, 422."""
import contextlib
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class IdempotencyRequest:
    """A client's Idempotency-Key, the operation it was sent to (method and concrete path) and
    the hash of the body it came with."""
    scope: str
    key: str
    request_hash: str


class Replay(Exception):
    """The same Idempotency-Key and body were seen before: answer with the first response."""

    def __init__(self, status_code: int, body: Any):
        super().__init__("idempotent replay")
        self.status_code = status_code
        self.body = body


_current: ContextVar[IdempotencyRequest | None] = ContextVar("idempotency", default=None)


def current() -> IdempotencyRequest | None:
    """The key of the request being served, if its client sent one."""
    return _current.get()


@contextlib.contextmanager
def bound(request: IdempotencyRequest | None):
    token = _current.set(request)
    try:
        yield request
    finally:
        _current.reset(token)
