"""Facebook Live comments into captures: each open session with a live video is pulled from its
stored cursor; each comment is captured once (its Graph id is the comment id), and the cursor is
saved after each page, so a retry or the next poll resumes after the last comment seen."""
from __future__ import annotations

import logging
from datetime import timedelta

from chalicelib.core import clock
from chalicelib.core.principal import Principal
from chalicelib.core.settings import settings
from chalicelib.live import capture, rules
from chalicelib.live import store as store
from chalicelib.live.providers import LiveCommentSource, LiveSourceError, RateLimited, TokenExpired

log = logging.getLogger("quay.live")
MAX_PAGES_PER_PULL = 10


def facebook_source() -> LiveCommentSource:
    """The Graph adapter at the configured base (QUAY_FACEBOOK_GRAPH_BASE, the real host by default)."""
    from chalicelib.live.providers.facebook import FacebookLiveComments

    return FacebookLiveComments(settings.facebook_app_secret, base_url=settings.facebook_graph_base)


def pull_session(tenant_id: str, session_id: str, source: LiveCommentSource | None = None) -> dict:
    """One pull of one session: new comments captured, the cursor moved. Platform errors are kept on
    the session (shown on the live screen); an expired token stops the pulling until it is replaced;
    throttling pauses this session's pulls for as long as Graph says."""
    session = store.get_session(tenant_id, session_id)
    if session is None or session.status != rules.OPEN or not session.facebook_live_video_id \
            or not session.facebook_page_token:
        return {"captured": 0, "stopped": True}
    if session.facebook_paused_until and session.facebook_paused_until > clock.now_iso():
        return {"captured": 0, "paused_until": session.facebook_paused_until}
    source = source or facebook_source()
    actor = Principal.system(tenant_id)
    captured, results = 0, {}
    try:
        for page in source.pull_new(session.facebook_live_video_id, session.facebook_page_token,
                                    session.facebook_cursor, max_pages=MAX_PAGES_PER_PULL):
            for comment in page.comments:
                answer = capture.capture(actor, session_id, {
                    "comment_id": comment.id, "author_id": comment.author_id,
                    "author_name": comment.author_name or "Khách Facebook", "text": comment.message or " ",
                    "at": comment.created_time.isoformat().replace("+00:00", "Z")}, source="facebook")
                results[answer["result"]] = results.get(answer["result"], 0) + 1
                captured += 1
            if page.cursor:
                store.save_pull_state(tenant_id, session_id, cursor=page.cursor, error=None)
    except TokenExpired as error:
        store.save_pull_state(tenant_id, session_id, error=error.detail, stop=True)
        return {"captured": captured, "results": results, "stopped": True, "error": error.detail}
    except RateLimited as error:
        until = clock.iso(clock.now() + timedelta(seconds=error.retry_after))
        store.save_pull_state(tenant_id, session_id, error=error.detail, paused_until=until)
        return {"captured": captured, "results": results, "retry_after": error.retry_after, "error": error.detail}
    except LiveSourceError as error:
        store.save_pull_state(tenant_id, session_id, error=error.detail)
        return {"captured": captured, "results": results, "error": error.detail}
    return {"captured": captured, "results": results}


def open_sessions(limit_per_shard: int) -> list[tuple[str, str]]:
    """(tenant, session) of every open session pulling a video, bounded per shard."""
    from chalicelib.core import keys

    found = []
    for shard in range(keys.LIVE_POLL_SHARDS):
        found += [(x.tenant_id, x.session_id) for x in store.polling_sessions(shard, limit_per_shard)]
    return found
