"""The Facebook Live poller: every minute, for about 50 seconds, each open session with a live
video is pulled every few seconds. Sessions are pulled in parallel by a bounded pool, each pull is
bounded in pages, and the number of sessions one run takes is bounded (the sharded index is what a
bigger fleet splits across invocations: one shard per invocation)."""
import logging
import time
from concurrent.futures import ThreadPoolExecutor

from chalice import Blueprint, Rate

from chalicelib.core.lazy import lazy

pulling = lazy("chalicelib.live.pulling")

live_jobs = Blueprint(__name__)
log = logging.getLogger("quay.live")
RUN_SECONDS = 50
POLL_EVERY_SECONDS = 4
MAX_SESSIONS_PER_SHARD = 50
WORKERS = 8


def poll_for(seconds: float = RUN_SECONDS, every: float = POLL_EVERY_SECONDS, source=None, sleep=time.sleep) -> dict:
    """Pull every open session, again every `every` seconds, until `seconds` have passed."""
    deadline, rounds, captured = time.monotonic() + seconds, 0, 0
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        while True:
            started = time.monotonic()
            sessions = pulling.open_sessions(MAX_SESSIONS_PER_SHARD)
            for outcome in pool.map(lambda s: _pull_safely(s, source), sessions):
                captured += outcome.get("captured", 0)
            rounds += 1
            wait = every - (time.monotonic() - started)
            if time.monotonic() + max(wait, 0) >= deadline:
                return {"rounds": rounds, "captured": captured}
            if wait > 0:
                sleep(wait)


def _pull_safely(session: tuple[str, str], source) -> dict:
    try:
        return pulling.pull_session(*session, source=source)
    except Exception:  # one shop's failure never stops the others' pulls
        log.exception("live pull failed for %s/%s", *session)
        return {}


@live_jobs.schedule(Rate(1, unit=Rate.MINUTES), description="Pull Facebook Live comments of open live sessions")
def poll_live_comments(event):
    return poll_for()
