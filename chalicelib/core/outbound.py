"""Outbound HTTP for every third-party adapter (marketplaces, carriers, Telegram, push, e-invoice
providers): one small client over urllib3 (shipped with the Lambda runtime), so timeouts, retries on
429/5xx with Retry-After, and error shapes are decided once. Adapters sign and shape requests;
this module only moves bytes."""
from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

DEFAULT_TIMEOUT = 8.0  # seconds; a Lambda answering a user has ~29 s in all
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})

_pool = None


def _http():
    """One connection pool per process, created on first use (urllib3 is not imported at cold start)."""
    global _pool
    if _pool is None:
        import urllib3

        _pool = urllib3.PoolManager(num_pools=20, maxsize=10, retries=False)
    return _pool


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes
    url: str = ""

    def json(self) -> Any:
        try:
            return json.loads(self.body or b"null")
        except ValueError:
            return None

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


class TransportError(Exception):
    """The platform could not be reached, or kept answering 429/5xx past the retries."""

    def __init__(self, message: str, reply: Reply | None = None):
        super().__init__(message)
        self.reply = reply


@dataclass
class RetryPolicy:
    """Retries for idempotent calls (or calls made idempotent by a client order code).
    The whole call stays within `budget_seconds`, whatever the platform's Retry-After says."""
    attempts: int = 3
    base_delay: float = 0.2
    budget_seconds: float = 10.0
    statuses: frozenset[int] = field(default_factory=lambda: RETRY_STATUSES)


NO_RETRY = RetryPolicy(attempts=1)


def _retry_after(reply: Reply, fallback: float) -> float:
    value = reply.headers.get("retry-after")
    if value:
        try:
            return max(0.0, float(value))
        except ValueError:
            pass
    body = reply.json()
    if isinstance(body, dict):  # Telegram: {"parameters": {"retry_after": 3}}
        params = body.get("parameters") or {}
        if isinstance(params, dict) and isinstance(params.get("retry_after"), int | float):
            return float(params["retry_after"])
    return fallback


def request(method: str, url: str, *, params: dict | None = None, json_body: Any = None,
            body: bytes | str | None = None, headers: dict[str, str] | None = None,
            timeout: float = DEFAULT_TIMEOUT, retry: RetryPolicy = NO_RETRY) -> Reply:
    """Send one request and return the platform's reply whatever its status; 429/5xx are retried
    under `retry` (the last reply is returned when retries run out). Only a network failure on
    the last attempt raises TransportError."""
    if params:
        url = f"{url}{'&' if '?' in url else '?'}{urlencode(params, doseq=True)}"
    sent_headers = {k: v for k, v in (headers or {}).items()}
    if json_body is not None:
        body = json.dumps(json_body, ensure_ascii=False, separators=(",", ":")).encode()
        sent_headers.setdefault("Content-Type", "application/json")
    if isinstance(body, str):
        body = body.encode()
    started = time.monotonic()
    last: Reply | None = None
    for attempt in range(max(1, retry.attempts)):
        try:
            raw = _http().request(method, url, body=body, headers=sent_headers, timeout=timeout,
                                  redirect=False, preload_content=True)
        except Exception as error:  # urllib3's errors: connection refused, timeout, TLS
            if attempt + 1 >= retry.attempts or time.monotonic() - started > retry.budget_seconds:
                raise TransportError(f"{method} {url.split('?')[0]}: {type(error).__name__}") from error
            time.sleep(random.uniform(0, retry.base_delay * 2 ** attempt))
            continue
        last = Reply(raw.status, {k.lower(): v for k, v in raw.headers.items()}, raw.data or b"", url)
        if last.status not in retry.statuses or attempt + 1 >= retry.attempts:
            return last
        delay = _retry_after(last, random.uniform(0, retry.base_delay * 2 ** attempt))
        if time.monotonic() - started + delay > retry.budget_seconds:
            return last
        time.sleep(delay)
    assert last is not None
    return last
