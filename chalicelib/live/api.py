"""Routes: live sessions, comments captured into orders, the live view, the end of a live."""
from chalice import Blueprint

from chalicelib.core.endpoint import endpoint
from chalicelib.core.lazy import lazy
from chalicelib.live.schemas import (
    CaptureOut,
    CommentIn,
    ListQuery,
    LiveSessionIn,
    LiveSessionList,
    LiveSessionOut,
    LiveSessionPatch,
    LiveSessionSummary,
    LiveViewQuery,
    ResolveIn,
)

capture = lazy("chalicelib.live.capture")
sessions = lazy("chalicelib.live.sessions")

live_routes = Blueprint(__name__)
TAG = "Live selling"


@endpoint(live_routes, "/api/v1/live-sessions", "POST",
          summary="Set up a live session (codes for SKUs)", tag=TAG, body=LiveSessionIn,
          response=LiveSessionOut, status=201, permission="orders.create", errors=(400, 401, 403))
def create_session(caller, body: LiveSessionIn):
    return sessions.create(caller, body.model_dump(exclude_none=True))


@endpoint(live_routes, "/api/v1/live-sessions", "GET", summary="Live sessions, newest first", tag=TAG, query=ListQuery,
          response=LiveSessionList, permission="orders.view", errors=(400, 401, 403))
def list_sessions(caller, query: ListQuery):
    return sessions.list_sessions(caller, query.limit)


@endpoint(live_routes, "/api/v1/live-sessions/{session_id}", "GET", summary="The live view: stock per code, orders, new comments",
          tag=TAG, query=LiveViewQuery, response=LiveSessionOut, permission="orders.view", errors=(400, 401, 403, 404))
def get_session(caller, session_id: str, query: LiveViewQuery):
    return sessions.live_view(caller, session_id, query.since)


@endpoint(live_routes, "/api/v1/live-sessions/{session_id}", "PATCH", summary="Change items, template, hold time, video", tag=TAG,
          body=LiveSessionPatch, response=LiveSessionOut, permission="orders.create", errors=(400, 401, 403, 404, 409))
def update_session(caller, session_id: str, body: LiveSessionPatch):
    return sessions.update(caller, session_id, body.model_dump(exclude_unset=True))


@endpoint(live_routes, "/api/v1/live-sessions/{session_id}/comments", "POST", summary="Capture a comment into the buyer's order",
          tag=TAG, body=CommentIn, response=CaptureOut, status=201, permission="orders.create",
          errors=(400, 401, 403, 404, 409))
def capture_comment(caller, session_id: str, body: CommentIn):
    return capture.capture(caller, session_id, body.model_dump(exclude_none=True))


@endpoint(live_routes, "/api/v1/live-sessions/{session_id}/comments/{comment_id}/resolve", "POST",
          summary="Fix a comment waiting for review (chosen SKUs) or dismiss it", tag=TAG, body=ResolveIn,
          response=CaptureOut, status=201, permission="orders.create", errors=(400, 401, 403, 404, 409))
def resolve_comment(caller, session_id: str, comment_id: str, body: ResolveIn):
    return capture.resolve(caller, session_id, comment_id, body.model_dump(exclude_none=True))


@endpoint(live_routes, "/api/v1/live-sessions/{session_id}/actions/end", "POST",
          summary="End the live: summary and buyer messages",
          tag=TAG, response=LiveSessionSummary, permission="orders.create", errors=(401, 403, 404))
def end_session(caller, session_id: str):
    return sessions.end(caller, session_id)
