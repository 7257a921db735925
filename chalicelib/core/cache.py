"""What one Lambda may remember for a few seconds to save a round trip: facts that change rarely
and whose change the changing Lambda forgets at once (its own writes), while other Lambdas see
it within `seconds`. One rule for every such cache (ADR 0008: the account behind a token;
docs/architecture.md "Write path": a shop's locations)."""
import time
from collections.abc import Callable, Hashable
from typing import Any


class ShortLived:
    def __init__(self, seconds: float, max_entries: int = 10_000):
        self.seconds, self.max_entries = seconds, max_entries
        self._entries: dict[Hashable, tuple[float, Any]] = {}

    def get(self, key: Hashable, load: Callable[[], Any]) -> Any:
        now = time.monotonic()
        entry = self._entries.get(key)
        if entry is not None and entry[0] >= now:
            return entry[1]
        value = load()
        if len(self._entries) >= self.max_entries:
            self._entries.clear()  # a Lambda serves few shops at once; never grow without bound
        self._entries[key] = (now + self.seconds, value)
        return value

    def last_seen(self, key: Hashable) -> Any:
        """The value last loaded, however old (None if never): for facts that cannot become untrue."""
        entry = self._entries.get(key)
        return None if entry is None else entry[1]

    def forget(self, key: Hashable) -> None:
        self._entries.pop(key, None)

    def clear(self) -> None:
        self._entries.clear()
