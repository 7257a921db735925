"""Login throttling rule: after MAX_FAILURES wrong attempts the subject waits LOCK_SECONDS."""
MAX_FAILURES = 5
LOCK_SECONDS = 15 * 60
WINDOW_SECONDS = 15 * 60


def lock_after(failures: int) -> bool:
    return failures >= MAX_FAILURES


def seconds_locked(locked_until: int, now: int) -> int:
    return max(0, locked_until - now)
