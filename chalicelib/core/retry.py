"""One retry policy for contention (a TransactionConflict, a level changed between read and
write): full-jitter exponential backoff within one **total time budget per request**, shared by
nested loops, so a stock move retried inside an order action inside a routing attempt still ends
within the budget instead of multiplying its attempts. Exhausted -> the caller raises Contention
(503, safe to retry)."""
import random
import time
from collections.abc import Iterator
from contextvars import ContextVar

BUDGET_SECONDS = 8.0  # of a Lambda answering within API Gateway's 29 s, with room for the rest
BASE_DELAY, MAX_DELAY = 0.005, 0.3

_deadline: ContextVar[float | None] = ContextVar("retry_deadline", default=None)


def attempts(budget_seconds: float = BUDGET_SECONDS) -> Iterator[int]:
    """Yields attempt numbers 0, 1, 2… and sleeps (full jitter) before each retry, while the
    request's budget lasts; the outermost loop of a request sets the deadline, inner ones share it."""
    own = _deadline.get() is None
    token = _deadline.set(time.monotonic() + budget_seconds) if own else None
    try:
        attempt = 0
        while True:
            yield attempt
            attempt += 1
            delay = random.uniform(0, min(MAX_DELAY, BASE_DELAY * 2 ** attempt))
            if time.monotonic() + delay >= _deadline.get():
                return
            time.sleep(delay)
    finally:
        if own:
            _deadline.reset(token)
