"""The one place that reads the time, so tests and jobs can reason about it."""
from datetime import UTC, datetime


def now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """Sortable UTC text: 2026-11-23T04:14:00.000000Z (four-digit year, so text order is time order)."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def now_iso() -> str:
    return iso(now())
