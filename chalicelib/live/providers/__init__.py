"""Live-comment sources (Facebook Live now, TikTok Live later) behind one small interface, plus the
page walk they share: a job calls `pull_new(video_id, token, cursor)`, captures each comment, and
stores `page.cursor` after each page so the next poll (or a retry after an error) resumes there."""
from __future__ import annotations

from collections.abc import Callable, Container, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class LiveComment:
    id: str                     # the platform's comment id: the capture's idempotency key
    message: str
    created_time: datetime      # UTC
    author_id: str | None = None
    author_name: str = ""


@dataclass(frozen=True)
class CommentPage:
    comments: tuple[LiveComment, ...]
    cursor: str | None          # resume after this page (the previous cursor when the page gave none)
    has_more: bool              # the platform says another page is ready now


class LiveSourceError(Exception):
    """A platform refused or failed a pull; `detail` is Vietnamese and safe to show the shop."""

    def __init__(self, detail: str, *, code: int | None = None, subcode: int | None = None,
                 status: int | None = None, trace_id: str | None = None, platform_message: str = ""):
        super().__init__(detail)
        self.detail, self.code, self.subcode, self.status = detail, code, subcode, status
        self.trace_id, self.platform_message = trace_id, platform_message


class TokenExpired(LiveSourceError):
    """The page token is expired, revoked or invalid: the shop must reconnect the page."""


class RateLimited(LiveSourceError):
    """The platform throttles us: wait `retry_after` seconds before the next pull."""

    def __init__(self, detail: str, *, retry_after: int, **kwargs):
        super().__init__(detail, **kwargs)
        self.retry_after = retry_after


class PermissionMissing(LiveSourceError):
    """The token lacks a permission (e.g. pages_read_engagement) or the video is not the page's."""


class SourceUnavailable(LiveSourceError):
    """The platform could not be reached or had a temporary failure; retry on the next poll."""


class LiveCommentSource(Protocol):
    name: str

    def fetch_comments(self, video_id: str, page_token: str, after: str | None = None) -> CommentPage: ...

    def pull_new(self, video_id: str, page_token: str, cursor: str | None = None, *,
                 skip_ids: Container[str] = (), max_pages: int = 50) -> Iterator[CommentPage]: ...


def walk_pages(fetch: Callable[[str | None], CommentPage], cursor: str | None, *,
               skip_ids: Container[str] = (), max_pages: int = 50) -> Iterator[CommentPage]:
    """Fetch pages from `cursor` while the platform has more, yielding each with comments not seen
    before (in this walk or in `skip_ids`). Stops when a page does not move the cursor, so a
    platform answering the same page again cannot loop us."""
    seen: set[str] = set()
    for _ in range(max_pages):
        page = fetch(cursor)
        fresh = tuple(c for c in page.comments if c.id not in seen and c.id not in skip_ids)
        seen.update(c.id for c in fresh)
        yield CommentPage(fresh, page.cursor or cursor, page.has_more)
        if not page.has_more or not page.cursor or page.cursor == cursor:
            return
        cursor = page.cursor
