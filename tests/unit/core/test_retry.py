"""One retry budget per request, shared by nested loops (core/retry.py)."""
import time

from chalicelib.core import retry


def test_attempts_stop_when_the_budget_is_spent():
    started = time.monotonic()
    count = sum(1 for _ in retry.attempts(budget_seconds=0.2))
    elapsed = time.monotonic() - started
    assert count > 3 and elapsed < 0.2 + retry.MAX_DELAY


def test_nested_loops_share_the_outer_deadline():
    inner_counts = []
    started = time.monotonic()
    for outer in retry.attempts(budget_seconds=0.3):
        inner_counts.append(sum(1 for _ in retry.attempts(budget_seconds=60)))  # cannot extend the outer budget
        if outer == 2:
            break
    assert time.monotonic() - started < 0.3 + 3 * retry.MAX_DELAY
    assert retry._deadline.get() is None  # the outer loop's deadline is gone once it ends


def test_a_loop_that_succeeds_at_once_never_sleeps():
    started = time.monotonic()
    for attempt in retry.attempts():
        assert attempt == 0
        break
    assert time.monotonic() - started < 0.05 and retry._deadline.get() is None
