"""The Facebook Live comments puller against a fake Graph API that checks each request as Graph
does (token, appsecret_proof, live_filter, order, fields, path) and answers in Graph's shapes:
cursor pages, then an expired token (190) and throttling (4 / 17 / 32 / 613)."""
import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime

import pytest

from chalicelib.core.outbound import RetryPolicy
from chalicelib.live.providers import PermissionMissing, RateLimited, SourceUnavailable, TokenExpired
from chalicelib.live.providers.facebook import FacebookLiveComments, appsecret_proof
from tests.fakes.server import FakeReply, FakeRequest, FakeServer, json_reply

pytestmark = pytest.mark.no_database  # fake servers only

APP_SECRET = "app-secret-123"
VIDEO = "1234567890"
FAST = RetryPolicy(attempts=2, base_delay=0.01, budget_seconds=1.0)


def _cursor(index: int) -> str:
    return base64.b64encode(f"cursor:{index}".encode()).decode()


def _index(cursor: str) -> int:
    return int(base64.b64decode(cursor).decode().split(":")[1])


def graph_error(status: int, code: int, message: str, subcode: int | None = None, type_: str = "OAuthException",
                **headers: str) -> FakeReply:
    error = {"message": message, "type": type_, "code": code, "fbtrace_id": "AbCdEf123"}
    if subcode is not None:
        error["error_subcode"] = subcode
    return json_reply({"error": error}, status, **headers)


class FakeGraph:
    """Comments of one live video; `failures` are answered (once each) before serving pages."""

    def __init__(self, tokens: set[str], page_size: int = 2):
        self.tokens = tokens
        self.page_size = page_size
        self.comments: list[dict] = []
        self.failures: list[FakeReply] = []

    def add(self, n: int) -> None:
        for _ in range(n):
            i = len(self.comments) + 1
            self.comments.append({"id": f"{VIDEO}_{i}", "message": f"A{i} đỏ M 0901234567",
                                  "created_time": f"2026-11-23T12:{i:02d}:00+0000",
                                  "from": {"id": f"user{i}", "name": f"Khách {i}"}})

    def __call__(self, request: FakeRequest) -> FakeReply:
        if request.method != "GET" or request.path != f"/v23.0/{VIDEO}/comments":
            return graph_error(400, 803, "(#803) Some of the aliases you requested do not exist", type_="OAuthException")
        token = request.query.get("access_token")
        if token not in self.tokens:
            return graph_error(400, 190, "Invalid OAuth access token - Cannot parse access token")
        expected = hmac.new(APP_SECRET.encode(), token.encode(), hashlib.sha256).hexdigest()
        if request.query.get("appsecret_proof") != expected:
            return graph_error(400, 100, "Invalid appsecret_proof provided in the API argument", type_="GraphMethodException")
        if request.query.get("live_filter") != "no_filter" or request.query.get("order") != "chronological":
            return graph_error(400, 100, "(#100) expected live_filter=no_filter and order=chronological for this test")
        if set(request.query.get("fields", "").split(",")) < {"id", "message", "created_time"} or \
                "from{id" not in request.query.get("fields", ""):
            return graph_error(400, 100, "(#100) fields missing")
        if self.failures:
            return self.failures.pop(0)
        start = _index(request.query["after"]) + 1 if request.query.get("after") else 0
        limit = min(int(request.query.get("limit", 25)), self.page_size)
        page = self.comments[start:start + limit]
        body: dict = {"data": page}
        if page:
            last = start + len(page) - 1
            body["paging"] = {"cursors": {"before": _cursor(start), "after": _cursor(last)}}
            if last + 1 < len(self.comments):
                body["paging"]["next"] = f"https://graph.facebook.com/v23.0/{VIDEO}/comments?after={_cursor(last)}"
        return json_reply(body)


@pytest.fixture
def graph():
    fake = FakeGraph({"page-token-1", "page-token-2"})
    with FakeServer(fake) as server:
        yield fake, server


def _source(server) -> FacebookLiveComments:
    return FacebookLiveComments(APP_SECRET, base_url=server.url, api_version="v23.0", retry=FAST)


def test_appsecret_proof_is_hmac_sha256_of_the_token():
    assert appsecret_proof("token", "secret") == hmac.new(b"secret", b"token", hashlib.sha256).hexdigest()


def test_one_page_is_read_with_the_documented_parameters(graph):
    fake, server = graph
    fake.add(3)
    page = _source(server).fetch_comments(VIDEO, "page-token-1")
    assert [c.id for c in page.comments] == [f"{VIDEO}_1", f"{VIDEO}_2"]
    assert page.has_more and page.cursor == _cursor(1)
    first = page.comments[0]
    assert (first.author_id, first.author_name, first.message) == ("user1", "Khách 1", "A1 đỏ M 0901234567")
    assert first.created_time == datetime(2026, 11, 23, 12, 1, tzinfo=UTC)
    sent = server.requests[0]
    assert sent.query["live_filter"] == "no_filter" and sent.query["order"] == "chronological"
    assert sent.query["fields"] == "id,from{id,name},message,created_time"
    assert sent.query["appsecret_proof"] == appsecret_proof("page-token-1", APP_SECRET)
    assert "after" not in sent.query


def test_every_comment_is_captured_once_across_pages_errors_and_resumptions(graph):
    fake, server = graph
    source = _source(server)
    captured: list[str] = []
    cursor = None

    def poll(token: str) -> None:
        nonlocal cursor
        for page in source.pull_new(VIDEO, token, cursor):
            captured.extend(c.id for c in page.comments)
            cursor = page.cursor  # stored after each page, as the job does

    fake.add(5)
    poll("page-token-1")                       # three pages: 2 + 2 + 1
    assert captured == [f"{VIDEO}_{i}" for i in range(1, 6)]
    assert [r.query.get("after") for r in server.requests] == [None, _cursor(1), _cursor(3)]

    poll("page-token-1")                       # nothing new: one request, no repeats, cursor kept
    assert len(captured) == 5 and cursor == _cursor(4)

    fake.add(3)
    fake.failures.append(graph_error(400, 190, "Error validating access token: Session has expired on Thursday, "
                                               "23-Nov-26 05:00:00 PST.", subcode=463))
    with pytest.raises(TokenExpired) as expired:
        poll("page-token-1")
    assert expired.value.code == 190 and expired.value.subcode == 463 and expired.value.trace_id == "AbCdEf123"
    assert "kết nối lại" in expired.value.detail

    fake.failures.append(graph_error(400, 613, "Calls to this api have exceeded the rate limit.", type_="OAuthException",
                                     **{"X-Business-Use-Case-Usage": json.dumps(
                                         {"111": [{"type": "pages", "call_count": 100, "total_cputime": 20,
                                                   "total_time": 30, "estimated_time_to_regain_access": 5}]})}))
    with pytest.raises(RateLimited) as limited:
        poll("page-token-2")                   # the shop reconnected: a new token
    assert limited.value.retry_after == 300 and limited.value.code == 613

    poll("page-token-2")                       # resumes after the last stored cursor
    assert captured == [f"{VIDEO}_{i}" for i in range(1, 9)]
    assert all(r.query["appsecret_proof"] == appsecret_proof(r.query["access_token"], APP_SECRET) for r in server.requests)


def test_a_failure_mid_walk_keeps_the_pages_already_yielded(graph):
    fake, server = graph
    fake.add(4)
    source = _source(server)
    walk = source.pull_new(VIDEO, "page-token-1")
    first = next(walk)
    fake.failures.append(graph_error(400, 17, "(#17) User request limit reached"))
    with pytest.raises(RateLimited):
        next(walk)
    rest = [c.id for page in source.pull_new(VIDEO, "page-token-1", first.cursor) for c in page.comments]
    assert [c.id for c in first.comments] + rest == [f"{VIDEO}_{i}" for i in range(1, 5)]


@pytest.mark.parametrize(("reply", "error"), [
    (graph_error(403, 4, "(#4) Application request limit reached"), RateLimited),
    (graph_error(400, 32, "(#32) Page request limit reached"), RateLimited),
    (graph_error(400, 10, "(#10) Requires pages_read_engagement permission", type_="OAuthException"), PermissionMissing),
    (graph_error(500, 2, "An unexpected error has occurred. Please retry your request later.", type_="OAuthException"),
     SourceUnavailable),
    (FakeReply(502, "<html>Bad Gateway</html>"), SourceUnavailable),
])
def test_graph_errors_become_typed_errors(graph, reply, error):
    fake, server = graph
    fake.add(1)
    fake.failures.extend([reply, reply])  # a 5xx is retried once, then reported
    with pytest.raises(error) as raised:
        _source(server).fetch_comments(VIDEO, "page-token-1")
    assert raised.value.detail
    if error is RateLimited:
        assert raised.value.retry_after == 60  # Graph gave no usage header: wait a minute


def test_a_wrong_token_is_refused_by_the_fake_as_graph_would(graph):
    fake, server = graph
    with pytest.raises(TokenExpired):
        _source(server).fetch_comments(VIDEO, "stolen-token")
    wrong_secret = FacebookLiveComments("other-secret", base_url=server.url, retry=FAST)
    with pytest.raises(Exception) as refused:
        wrong_secret.fetch_comments(VIDEO, "page-token-1")
    assert "appsecret_proof" in refused.value.platform_message


def test_an_unreachable_graph_is_source_unavailable():
    source = FacebookLiveComments(APP_SECRET, base_url="http://127.0.0.1:9", retry=FAST, timeout=0.5)
    with pytest.raises(SourceUnavailable):
        source.fetch_comments(VIDEO, "page-token-1")


def test_comments_without_author_and_skip_ids(graph):
    fake, server = graph
    fake.add(2)
    del fake.comments[0]["from"]
    pages = list(_source(server).pull_new(VIDEO, "page-token-1", skip_ids={f"{VIDEO}_2"}))
    assert [(c.id, c.author_id, c.author_name) for p in pages for c in p.comments] == [(f"{VIDEO}_1", None, "")]
