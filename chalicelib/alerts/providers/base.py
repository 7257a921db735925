"""What every alert provider offers, and the four ways a delivery can fail. A queue only needs to
know these: retry later (RateLimited after `retry_after` seconds, Unavailable with backoff), stop
sending to this recipient (RecipientGone), or drop this one message (Rejected)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


class DeliveryError(Exception):
    """A delivery that did not happen. `retryable` says whether the same message may be sent again
    later; `delivered_parts` counts the parts of a split message already sent before the failure
    (pass it back as `skip_parts` so a retry does not repeat them)."""
    retryable = False

    def __init__(self, message: str, *, status: int | None = None, retry_after: float | None = None,
                 delivered_parts: int = 0):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after
        self.delivered_parts = delivered_parts


class RateLimited(DeliveryError):
    """The platform asked us to wait `retry_after` seconds, longer than this call may wait."""
    retryable = True


class Unavailable(DeliveryError):
    """The platform could not be reached or failed on its side (5xx); retry with backoff."""
    retryable = True


class RecipientGone(DeliveryError):
    """The recipient can no longer receive anything (chat blocked or not found, push subscription
    expired): stop sending to it and tell the shop to link it again."""


class Rejected(DeliveryError):
    """The platform refused this message or our credentials (bad request, bad token, too large);
    sending it again unchanged will fail again."""


@dataclass(frozen=True)
class Delivery:
    provider: str                 # "telegram", "webpush"
    recipient: str                # chat id, or the push endpoint
    parts: int = 1                # messages actually sent (a long Telegram text is split)
    ids: tuple[str, ...] = ()     # the platform's message ids / locations, when it gives them


class AlertProvider(Protocol):
    """Deliver one rendered alert (Telegram-flavoured HTML from chalicelib.alerts.messages) to one
    recipient; raise a DeliveryError subclass when it cannot."""
    name: str

    def deliver(self, recipient: Any, html: str, *, url: str | None = None, skip_parts: int = 0) -> Delivery:
        ...
