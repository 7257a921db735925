"""Channel work (one connection's sync, one listing's stock push, one order's status push) as
messages: an SQS queue in AWS (`QUAY_CHANNEL_QUEUE_URL`, consumed by `jobs.work_messages`), so the
scheduler and the stream only enqueue and the platform calls fan out over many Lambdas; locally,
an in-process queue worked by a background thread (`make run`, the bench) or by the test itself
(`MODE = "manual"`, then `work_pending()`)."""
from __future__ import annotations

import heapq
import itertools
import json
import logging
import threading
import time

from chalicelib.core.settings import settings

log = logging.getLogger("quay.channels")
QUEUE_NAME = "quay-channel-work"
MODE = "thread"  # local only: "thread" works messages in the background, "manual" waits for work_pending()

_pending: list[tuple[float, int, dict]] = []
_order = itertools.count()
_lock = threading.Condition()
_worker: threading.Thread | None = None
_sqs = None


def send(message: dict, delay_seconds: int = 0) -> None:
    if settings.channel_queue_url:
        global _sqs
        if _sqs is None:
            import boto3

            _sqs = boto3.client("sqs", region_name=settings.region)
        _sqs.send_message(QueueUrl=settings.channel_queue_url, MessageBody=json.dumps(message),
                          DelaySeconds=min(900, max(0, delay_seconds)))
        return
    with _lock:
        heapq.heappush(_pending, (time.monotonic() + delay_seconds, next(_order), message))
        _lock.notify()
    if MODE == "thread":
        _start_worker()


def work_pending(limit: int = 10_000) -> int:
    """Work every local message now, delays ignored, including those the work itself sends."""
    from chalicelib.channels.jobs import work

    done = 0
    while done < limit:
        with _lock:
            if not _pending:
                return done
            _, _, message = heapq.heappop(_pending)
        work(message)
        done += 1
    return done


def pending() -> list[dict]:
    with _lock:
        return [m for _, _, m in sorted(_pending)]


def clear() -> None:
    with _lock:
        _pending.clear()


def _start_worker() -> None:
    global _worker
    with _lock:
        if _worker is not None and _worker.is_alive():
            return
        _worker = threading.Thread(target=_run, name="channel-work", daemon=True)
        _worker.start()


def _run() -> None:
    from chalicelib.channels.jobs import work

    while MODE == "thread":
        with _lock:
            while not _pending or _pending[0][0] > time.monotonic():
                wait = (_pending[0][0] - time.monotonic()) if _pending else 1.0
                _lock.wait(timeout=max(0.01, min(wait, 1.0)))
                if MODE != "thread":
                    return
            _, _, message = heapq.heappop(_pending)
        try:
            work(message)
        except Exception:  # one bad message must not stop the local worker
            log.exception("channel work failed: %s", message)
