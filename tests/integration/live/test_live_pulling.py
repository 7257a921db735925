"""Facebook Live comments pulled into a session: the fake Graph API (the same one the adapter's tests
use: token, appsecret_proof, live_filter=no_filter, cursor pages) feeds comments in pages; the puller
captures each once, resumes after the last one seen, and an expired token stops the pulling."""
import pytest

from chalicelib.live import jobs, pulling
from chalicelib.live.providers.facebook import FacebookLiveComments
from tests.fakes.server import FakeServer
from tests.integration.live import test_facebook_live as graph_api

VIDEO = graph_api.VIDEO


def _comment(i: int, user: int, text: str) -> dict:
    return {"id": f"{VIDEO}_{i}", "message": text, "created_time": f"2026-11-23T12:{i:02d}:00+0000",
            "from": {"id": f"user{user}", "name": f"Khách {user}"}}


@pytest.fixture
def graph():
    fake = graph_api.FakeGraph({"page-token-1"}, page_size=2)
    with FakeServer(fake) as server:
        yield fake, server


@pytest.fixture
def session(store):
    owner, wh = store["api"], store["warehouse"]
    owner.post("/api/v1/stock/receipts", {"location_id": wh, "lines": [{"sku": "TS-M", "quantity": 10},
                                                                       {"sku": "TS-L", "quantity": 10}]})
    made = owner.post("/api/v1/live-sessions", {"title": "Live FB", "channel": "facebook", "location_id": wh,
                                                "items": [{"code": "A1", "sku": "TS-M"}, {"code": "B2", "sku": "TS-L"}],
                                                "facebook_live_video_id": VIDEO, "facebook_page_token": "page-token-1"})
    assert made.status_code == 201, made.body
    return {**store, "sid": made.data["id"]}


def _source(server) -> FacebookLiveComments:
    """The real adapter, pointed at the fake Graph server (as QUAY_FACEBOOK_GRAPH_BASE does in a deployment)."""
    return FacebookLiveComments(graph_api.APP_SECRET, base_url=server.url, api_version="v23.0", retry=graph_api.FAST)


def test_comments_are_pulled_in_pages_and_each_captured_once(graph, session):
    fake, server = graph
    owner, sid, tenant = session["api"], session["sid"], session["tenant_id"]
    fake.comments = [_comment(1, 1, "chốt A1"), _comment(2, 2, "B2 x2 0901234567"), _comment(3, 1, "chốt A1"),
                     _comment(4, 3, "giá bao nhiêu shop?"), _comment(5, 1, "B2")]
    first = pulling.pull_session(tenant, sid, source=_source(server))
    assert first["captured"] == 5 and first["results"] == {"captured": 2, "ignored": 2, "updated": 1}
    assert [r.query.get("after") for r in server.requests] == [None, graph_api._cursor(1), graph_api._cursor(3)]

    again = pulling.pull_session(tenant, sid, source=_source(server))  # resumes after the last seen: nothing new
    assert again["captured"] == 0
    assert server.requests[-1].query["after"] == graph_api._cursor(4)

    fake.comments.append(_comment(6, 4, "A1 0912345678"))
    third = pulling.pull_session(tenant, sid, source=_source(server))
    assert third["captured"] == 1 and third["results"] == {"captured": 1}

    view = owner.get(f"/api/v1/live-sessions/{sid}").data
    assert sorted(c["id"] for c in view["comments"]) == sorted(f"{VIDEO}_{i}" for i in range(1, 7))
    assert {c["source"] for c in view["comments"]} == {"facebook"}
    by_buyer = {o["buyer"]: {x["sku"]: x["quantity"] for x in o["lines"]} for o in view["orders"]}
    assert by_buyer == {"Khách 1": {"TS-M": 1, "TS-L": 1}, "Khách 2": {"TS-L": 2}, "Khách 4": {"TS-M": 1}}
    assert {x["sku"]: x["held"] for x in view["items"]} == {"TS-M": 2, "TS-L": 3}


def test_the_job_polls_open_sessions_and_an_expired_token_stops_it(graph, session):
    fake, server = graph
    owner, sid = session["api"], session["sid"]
    fake.comments = [_comment(1, 1, "A1"), _comment(2, 2, "B2")]
    ran = jobs.poll_for(seconds=0, source=_source(server))
    assert ran["rounds"] == 1 and ran["captured"] >= 2
    fake.comments.append(_comment(3, 3, "A1"))
    fake.tokens.discard("page-token-1")  # the page revoked it: Graph answers 190 to every pull with it
    jobs.poll_for(seconds=0, source=_source(server))
    fake.tokens.add("page-token-1")
    view = owner.get(f"/api/v1/live-sessions/{sid}").data
    assert view["facebook_error"] and "kết nối lại" in view["facebook_error"]
    assert sid not in {s for _, s in pulling.open_sessions(50)}
    assert len(view["orders"]) == 2
    # a new token puts the session back on the poller, which resumes after the last comment seen
    assert owner.patch(f"/api/v1/live-sessions/{sid}", {"facebook_page_token": "page-token-1"}).status_code == 200
    assert sid in {s for _, s in pulling.open_sessions(50)}
    assert pulling.pull_session(session["tenant_id"], sid, source=_source(server))["captured"] == 1
    assert len(owner.get(f"/api/v1/live-sessions/{sid}").data["orders"]) == 3


def test_throttling_pauses_the_session_for_as_long_as_graph_says(graph, session):
    fake, server = graph
    tenant, sid = session["tenant_id"], session["sid"]
    fake.comments = [_comment(1, 1, "A1")]
    fake.failures.append(graph_api.graph_error(400, 32, "(#32) Page request limit reached", type_="OAuthException",
                                               **{"X-Page-Usage": '{"call_count": 100, "estimated_time_to_regain_access": 5}'}))
    throttled = pulling.pull_session(tenant, sid, source=_source(server))
    assert throttled["retry_after"] == 300 and throttled["captured"] == 0
    asked = len(server.requests)
    paused = pulling.pull_session(tenant, sid, source=_source(server))
    assert paused["captured"] == 0 and paused["paused_until"] and len(server.requests) == asked  # Graph not called
    view = session["api"].get(f"/api/v1/live-sessions/{sid}").data
    assert view["facebook_error"] and view["orders"] == []
