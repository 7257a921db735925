"""Facebook Live comments through the Graph API:
GET /{api-version}/{live-video-id}/comments?live_filter=no_filter&order=chronological&filter=stream
with the page access token and appsecret_proof (hex HMAC-SHA256 of the token keyed by the app secret).

Sources read before writing this (names only):
- Graph API reference "Live Video Comments" (/{live-video-id}/comments) and "Handling Errors"
  (error envelope {"error": {message, type, code, error_subcode, fbtrace_id}}; 190 = token expired or
  invalid, 102 = session; 4 / 17 / 32 / 613 = throttling; 10 and 200-299 = permissions; 1 / 2 = transient).
- Graph API "Paginated Results": cursor paging, `paging.cursors.after`, `paging.next` absent on the last
  page, a page may be empty yet have `next`; cursors are invalidated when their item is deleted.
- facebook/facebook-python-business-sdk facebook_business/adobjects/livevideo.py (get_comments params
  filter / order / live_filter / since) and adobjects/comment.py (LiveFilter: no_filter,
  filter_low_quality; Order: chronological, reverse_chronological; Filter: stream, toplevel).
- league/oauth2-facebook src/Provider/AppSecretProof.php (hash_hmac('sha256', token, app_secret)).

Why these choices: `live_filter=no_filter` because Facebook's low-quality filter hides exactly the terse
"A1 M 09..." comments buyers write; `order=chronological` so an `after` cursor only ever moves forward;
`filter=stream` so replies ("A1 L" under the seller's comment) are read too. We page with the `after`
cursor and our own base URL rather than following `paging.next` verbatim (it names graph.facebook.com and
carries the token in the URL); `next` only tells us another page exists.
"""
from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Container, Iterator
from datetime import UTC, datetime

from chalicelib.core import outbound
from chalicelib.live.providers import (
    CommentPage,
    LiveComment,
    LiveSourceError,
    PermissionMissing,
    RateLimited,
    SourceUnavailable,
    TokenExpired,
    walk_pages,
)

DEFAULT_BASE_URL = "https://graph.facebook.com"
DEFAULT_API_VERSION = "v23.0"
FIELDS = "id,from{id,name},message,created_time"
PAGE_SIZE = 100
RATE_LIMIT_CODES = frozenset({4, 17, 32, 613})
TOKEN_CODES = frozenset({190, 102})
TRANSIENT_CODES = frozenset({1, 2})
DEFAULT_RETRY_AFTER = 60  # seconds, when Graph does not say how long to wait


def appsecret_proof(access_token: str, app_secret: str) -> str:
    """Graph's proof that the caller holds the app secret (sent with every call made with the token)."""
    return hmac.new(app_secret.encode(), access_token.encode(), hashlib.sha256).hexdigest()


def _parse_time(raw: str) -> datetime:
    """Graph writes "2026-11-23T12:34:56+0000"."""
    try:
        return datetime.strptime(raw, "%Y-%m-%dT%H:%M:%S%z").astimezone(UTC)
    except (TypeError, ValueError):
        return datetime.fromtimestamp(0, UTC)


def _comment(raw: dict) -> LiveComment | None:
    if not isinstance(raw, dict) or not raw.get("id"):
        return None
    author = raw.get("from") if isinstance(raw.get("from"), dict) else {}  # absent when Graph hides the author
    return LiveComment(id=str(raw["id"]), message=str(raw.get("message") or ""),
                       created_time=_parse_time(raw.get("created_time", "")),
                       author_id=str(author["id"]) if author.get("id") else None,
                       author_name=str(author.get("name") or ""))


def _retry_after(reply: outbound.Reply) -> int:
    """Graph's usage headers say, in minutes, when access comes back (per business use case)."""
    waits: list[float] = []
    for header in ("x-business-use-case-usage", "x-page-usage", "x-app-usage"):
        try:
            usage = json.loads(reply.headers.get(header) or "null")
        except ValueError:
            continue
        entries = [e for v in usage.values() for e in (v if isinstance(v, list) else [v])] if isinstance(usage, dict) else []
        for entry in entries + ([usage] if isinstance(usage, dict) else []):
            minutes = entry.get("estimated_time_to_regain_access") if isinstance(entry, dict) else None
            if isinstance(minutes, int | float) and minutes > 0:
                waits.append(minutes * 60)
    return int(max(waits)) if waits else DEFAULT_RETRY_AFTER


def error_from_reply(reply: outbound.Reply) -> LiveSourceError:
    """Map Graph's error envelope (any HTTP status) to our typed errors."""
    body = reply.json()
    error = body.get("error") if isinstance(body, dict) and isinstance(body.get("error"), dict) else {}
    code = error.get("code") if isinstance(error.get("code"), int) else None
    subcode = error.get("error_subcode") if isinstance(error.get("error_subcode"), int) else None
    context = {"code": code, "subcode": subcode, "status": reply.status, "trace_id": error.get("fbtrace_id"),
               "platform_message": str(error.get("message") or "")}
    if code in TOKEN_CODES:
        return TokenExpired("Mã truy cập Facebook của trang đã hết hạn hoặc bị thu hồi. Hãy kết nối lại trang.", **context)
    if code in RATE_LIMIT_CODES or (code is not None and 80001 <= code <= 80014) or reply.status == 429:
        return RateLimited("Facebook đang giới hạn số lần gọi. Sẽ thử lại sau.", retry_after=_retry_after(reply), **context)
    if code == 10 or (code is not None and 200 <= code <= 299):
        return PermissionMissing("Trang chưa cấp quyền đọc bình luận video live cho Quay.", **context)
    if code in TRANSIENT_CODES or error.get("is_transient") or reply.status >= 500 or not error:
        return SourceUnavailable("Facebook tạm thời không trả lời. Sẽ thử lại ở lần sau.", **context)
    return LiveSourceError(f"Facebook từ chối yêu cầu: {context['platform_message'] or reply.status}", **context)


class FacebookLiveComments:
    """Reads a page's live video comments; one instance per app (the app secret), any page token."""

    name = "facebook"

    def __init__(self, app_secret: str, *, base_url: str = DEFAULT_BASE_URL, api_version: str = DEFAULT_API_VERSION,
                 page_size: int = PAGE_SIZE, timeout: float = outbound.DEFAULT_TIMEOUT,
                 retry: outbound.RetryPolicy | None = None):
        self.app_secret = app_secret
        self.base_url = base_url.rstrip("/")
        self.api_version = api_version.strip("/")
        self.page_size = page_size
        self.timeout = timeout
        self.retry = retry or outbound.RetryPolicy(attempts=2, base_delay=0.2, budget_seconds=4.0)  # GET: safe to retry

    def fetch_comments(self, video_id: str, page_token: str, after: str | None = None) -> CommentPage:
        """One page of comments after the `after` cursor (from the start when None)."""
        params = {"access_token": page_token, "appsecret_proof": appsecret_proof(page_token, self.app_secret),
                  "fields": FIELDS, "live_filter": "no_filter", "order": "chronological", "filter": "stream",
                  "limit": str(self.page_size)}
        if after:
            params["after"] = after
        url = f"{self.base_url}/{self.api_version}/{video_id}/comments"
        try:
            reply = outbound.request("GET", url, params=params, timeout=self.timeout, retry=self.retry)
        except outbound.TransportError as error:
            raise SourceUnavailable("Không kết nối được tới Facebook. Sẽ thử lại ở lần sau.") from error
        body = reply.json()
        if not reply.ok or not isinstance(body, dict) or "error" in body:
            raise error_from_reply(reply)
        comments = tuple(c for c in (_comment(raw) for raw in body.get("data") or []) if c is not None)
        paging = body.get("paging") if isinstance(body.get("paging"), dict) else {}
        cursors = paging.get("cursors") if isinstance(paging.get("cursors"), dict) else {}
        return CommentPage(comments, cursors.get("after") or after, bool(paging.get("next")))

    def pull_new(self, video_id: str, page_token: str, cursor: str | None = None, *,
                 skip_ids: Container[str] = (), max_pages: int = 50) -> Iterator[CommentPage]:
        """Walk the pages newer than `cursor`; store each page's cursor once its comments are captured."""
        return walk_pages(lambda after: self.fetch_comments(video_id, page_token, after), cursor,
                          skip_ids=skip_ids, max_pages=max_pages)
