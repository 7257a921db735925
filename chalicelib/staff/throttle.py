"""Login throttling rule: after MAX_FAILURES wrong attempts on one account (or MAX_FAILURES_PER_IP
from one address, whatever the accounts) the subject waits LOCK_SECONDS."""
MAX_FAILURES = 5
MAX_FAILURES_PER_IP = 30
MAX_SIGNUPS_PER_IP = 10  # shops created from one address per window: a person makes one or two
LOCK_SECONDS = 15 * 60
WINDOW_SECONDS = 15 * 60


def lock_after(failures: int, limit: int = MAX_FAILURES) -> bool:
    return failures >= limit


def seconds_locked(locked_until: int, now: int) -> int:
    return max(0, locked_until - now)
