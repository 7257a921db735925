"""Live capture against DynamoDB Local: comments become one held order per buyer, concurrent
comments never oversell, repeats do not double, the live view agrees with the stock service."""
from concurrent.futures import ThreadPoolExecutor

import pytest

from chalicelib.core.roles import Role
from tests.conftest import unique_email

UNITS = 50
CODES = {"A1": "LV-A", "B2": "LV-B", "C3": "LV-C"}


@pytest.fixture
def live(store):
    """A session at the warehouse with three codes of 50 units each (and a red/blue shirt on D4)."""
    owner, wh = store["api"], store["warehouse"]
    made = owner.post("/api/v1/products", {"name": "Hàng live", "variants": [
        {"sku": sku, "price": 100000} for sku in CODES.values()] + [
        {"sku": "LV-D-RED", "price": 150000, "attributes": {"Màu": "Đỏ"}},
        {"sku": "LV-D-BLU", "price": 150000, "attributes": {"Màu": "Xanh"}}]})
    assert made.status_code == 201, made.body
    lines = [{"sku": sku, "quantity": UNITS} for sku in CODES.values()] + [
        {"sku": "LV-D-RED", "quantity": 5}, {"sku": "LV-D-BLU", "quantity": 5}]
    assert owner.post("/api/v1/stock/receipts", {"location_id": wh, "lines": lines}).status_code == 201
    items = [{"code": code, "sku": sku} for code, sku in CODES.items()] + [
        {"code": "D4", "sku": "LV-D-RED"}, {"code": "D4", "sku": "LV-D-BLU"}]
    session = owner.post("/api/v1/live-sessions", {"title": "Live tối thứ 6", "channel": "facebook",
                                                   "location_id": wh, "items": items, "hold_minutes": 45,
                                                   "facebook_page_token": "secret-page-token"})
    assert session.status_code == 201, session.body
    return {**store, "session": session.data, "sid": session.data["id"]}


def _say(api, sid, text, name="Lan", **extra):
    answer = api.post(f"/api/v1/live-sessions/{sid}/comments", {"author_name": name, "text": text, **extra})
    assert answer.status_code == 201, answer.body
    return answer.data


def _level(api, sku, location_id):
    return next(x for x in api.get(f"/api/v1/stock/{sku}").data["locations"] if x["location_id"] == location_id)


def test_session_is_set_up_with_codes_and_never_shows_the_page_token(live):
    owner, sid = live["api"], live["sid"]
    assert "secret-page-token" not in str(live["session"])
    view = owner.get(f"/api/v1/live-sessions/{sid}")
    assert view.status_code == 200 and "secret-page-token" not in view.body.decode()
    assert {(x["code"], x["sku"], x["available"], x["held"]) for x in view.data["items"]} >= {
        ("A1", "LV-A", UNITS, 0), ("B2", "LV-B", UNITS, 0)}
    assert view.data["facebook_connected"] is True
    listed = owner.get("/api/v1/live-sessions").data["items"]
    assert [x["id"] for x in listed] == [sid]


def test_a_comment_becomes_a_held_order_and_the_counter_drops(live):
    owner, sid, wh = live["api"], live["sid"], live["warehouse"]
    first = _say(owner, sid, "chốt A1 x2 0901234567", comment_id="fb-1")
    assert first["result"] == "captured" and first["lines"] == [{"code": "A1", "sku": "LV-A", "quantity": 2}]
    order = owner.get(f"/api/v1/orders/{first['order_id']}").data
    assert order["status"] == "pending_payment" and order["channel"] == "facebook" and order["total"] == 200000
    assert order["hold"]["expires_at"] and order["customer"]["phone"] == "+84901234567"
    assert _level(owner, "LV-A", wh)["available"] == UNITS - 2
    # the same comment id again changes nothing
    assert _say(owner, sid, "chốt A1 x2 0901234567", comment_id="fb-1") == first
    # the same buyer (by phone) repeating the text: not doubled
    repeat = _say(owner, sid, "A1 x2 0901234567", name="Lan Nguyễn")
    assert repeat["result"] == "ignored" and repeat["order_id"] == first["order_id"]
    # a new code adds a line to the same order
    more = _say(owner, sid, "B2 0901234567")
    assert more["result"] == "updated" and more["order_id"] == first["order_id"]
    order = owner.get(f"/api/v1/orders/{first['order_id']}").data
    assert {(x["sku"], x["quantity"]) for x in order["lines"]} == {("LV-A", 2), ("LV-B", 1)}
    assert order["total"] == 300000
    view = owner.get(f"/api/v1/live-sessions/{sid}").data
    counts = {x["sku"]: (x["available"], x["held"]) for x in view["items"]}
    assert counts["LV-A"] == (UNITS - 2, 2) and counts["LV-B"] == (UNITS - 1, 1)
    assert view["revenue"] == 300000 and len(view["orders"]) == 1
    assert [c["result"] for c in view["comments"]][:3] == ["updated", "ignored", "captured"]
    newest = view["comments"][0]["captured_at"]
    assert owner.get(f"/api/v1/live-sessions/{sid}?since={newest}").data["comments"] == []
    older = owner.get(f"/api/v1/live-sessions/{sid}?since={view['comments'][2]['captured_at']}").data["comments"]
    assert [c["result"] for c in older] == ["updated", "ignored"]
    assert view["now"] < newest  # a little in the past: the next poll sends a late commit again


def test_questions_are_ignored_and_ambiguous_ones_wait_for_a_one_tap_fix(live):
    owner, sid = live["api"], live["sid"]
    assert _say(owner, sid, "A1 giá bao nhiêu vậy shop?")["result"] == "ignored"
    review = _say(owner, sid, "D4 0912345678", name="Hoa", comment_id="fb-d4")
    assert review["result"] == "needs_review" and set(review["lines"][0]["candidates"]) == {"LV-D-RED", "LV-D-BLU"}
    fixed = owner.post(f"/api/v1/live-sessions/{sid}/comments/fb-d4/resolve",
                       {"lines": [{"sku": "LV-D-BLU", "quantity": 1}]})
    assert fixed.status_code == 201, fixed.body
    assert fixed.data["result"] == "captured"
    order = owner.get(f"/api/v1/orders/{fixed.data['order_id']}").data
    assert order["customer"]["phone"] == "+84912345678" and order["lines"][0]["sku"] == "LV-D-BLU"
    again = owner.post(f"/api/v1/live-sessions/{sid}/comments/fb-d4/resolve",
                       {"lines": [{"sku": "LV-D-BLU", "quantity": 1}]})
    assert again.status_code == 409
    bad = _say(owner, sid, "A9 nhé", comment_id="fb-a9")
    assert bad["result"] == "needs_review"
    wrong = owner.post(f"/api/v1/live-sessions/{sid}/comments/fb-a9/resolve", {"lines": [{"sku": "TS-M", "quantity": 1}]})
    assert wrong.status_code == 400 and wrong.data["errors"][0]["field"] == "lines.0.sku"
    dismissed = owner.post(f"/api/v1/live-sessions/{sid}/comments/fb-a9/resolve", {"dismiss": True})
    assert dismissed.status_code == 201 and dismissed.data["result"] == "ignored"


def test_sold_out_holds_nothing(live):
    owner, sid, wh = live["api"], live["sid"], live["warehouse"]
    assert _say(owner, sid, "D4 đỏ x5", name="An")["result"] == "captured"
    sold_out = _say(owner, sid, "D4 đỏ", name="Bình")
    assert sold_out["result"] == "sold_out" and sold_out.get("order_id") is None
    assert _level(owner, "LV-D-RED", wh)["available"] == 0
    assert len(owner.get(f"/api/v1/live-sessions/{sid}").data["orders"]) == 1


def test_three_hundred_concurrent_comments_never_oversell(live):
    """100 buyers x 3 comments on 3 codes of 50 units, all at once from 16 threads."""
    owner, sid, wh = live["api"], live["sid"], live["warehouse"]
    comments = []
    for buyer in range(100):
        codes = list(CODES)
        for n in range(3):
            code = codes[(buyer + n) % 3]
            text = f"chốt {code} x{1 + buyer % 2}" if n < 2 else f"{codes[buyer % 3]} x{1 + buyer % 2}"  # 3rd repeats the 1st
            comments.append({"author_name": f"Khách {buyer}", "author_id": f"fb-user-{buyer}", "text": text,
                             "comment_id": f"c-{buyer}-{n}"})

    def send(comment):
        answer = owner.post(f"/api/v1/live-sessions/{sid}/comments", comment)
        assert answer.status_code == 201, answer.body
        return comment, answer.data

    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(send, comments))
    results = [a["result"] for _, a in answers]
    assert set(results) <= {"captured", "updated", "ignored", "sold_out"}
    assert "sold_out" in results
    view = owner.get(f"/api/v1/live-sessions/{sid}").data
    orders = {o["id"]: o for o in view["orders"]}
    assert len(orders) == len({a["order_id"] for _, a in answers if a["result"] in ("captured", "updated")})
    held = {sku: 0 for sku in CODES.values()}
    for order in orders.values():
        for line in order["lines"]:
            held[line["sku"]] += line["quantity"]
    for sku in CODES.values():
        level = _level(owner, sku, wh)
        item = next(x for x in view["items"] if x["sku"] == sku)
        assert held[sku] <= UNITS and level["reserved"] == held[sku] == item["held"]
        assert item["available"] == level["available"] == UNITS - held[sku]
    # every accepted comment is in exactly one order, with its quantity (repeats not doubled)
    for _comment, answer in answers:
        if answer["result"] in ("captured", "updated"):
            line = answer["lines"][0]
            order_lines = {x["sku"]: x["quantity"] for x in orders[answer["order_id"]]["lines"]}
            assert order_lines[line["sku"]] == line["quantity"]
    per_buyer = {}
    for comment, answer in answers:
        if answer.get("order_id"):
            per_buyer.setdefault(comment["author_id"], set()).add(answer["order_id"])
    assert all(len(ids) == 1 for ids in per_buyer.values())
    # the stock that could be held was held: a code is short only when too little was left for the ask
    for _comment, answer in answers:
        if answer["result"] == "sold_out":
            sku = answer["lines"][0]["sku"]
            assert UNITS - held[sku] < answer["lines"][0]["quantity"]


def test_end_gives_each_buyer_a_message_and_leaves_holds_to_expire(live):
    owner, sid, wh = live["api"], live["sid"], live["warehouse"]
    patched = owner.patch(f"/api/v1/live-sessions/{sid}", {"message_template": "Chào {{ buyer_name }}: {{ total | vnd }}"})
    assert patched.status_code == 200, patched.body
    bad = owner.patch(f"/api/v1/live-sessions/{sid}", {"message_template": "{{ nope.__class__ }}"})
    assert bad.status_code == 400
    _say(owner, sid, "A1 x3", name="Mai", author_id="u-mai")
    ended = owner.post(f"/api/v1/live-sessions/{sid}/actions/end")
    assert ended.status_code == 200, ended.body
    summary = ended.data
    assert summary["status"] == "ended" and summary["orders"] == 1 and summary["units_held"] == 3
    assert summary["buyers"][0]["message"].startswith("Chào Mai: 300")
    assert _level(owner, "LV-A", wh)["reserved"] == 3  # the hold stays until it expires or is paid
    late = owner.post(f"/api/v1/live-sessions/{sid}/comments", {"author_name": "X", "text": "A1"})
    assert late.status_code == 409


def test_another_shop_sees_nothing(live, api):
    email = unique_email()
    api.post("/api/v1/signup", {"shop_name": "Khác", "owner_name": "B", "owner_email": email,
                                "owner_password": "secret-pass-1"})
    other = api.as_(api.post("/api/v1/auth/login", {"email": email, "password": "secret-pass-1"}).data["access_token"])
    sid = live["sid"]
    assert other.get(f"/api/v1/live-sessions/{sid}").status_code == 404
    assert other.post(f"/api/v1/live-sessions/{sid}/comments", {"author_name": "X", "text": "A1"}).status_code == 404
    assert other.post(f"/api/v1/live-sessions/{sid}/actions/end").status_code == 404
    assert other.get("/api/v1/live-sessions").data["items"] == []


def test_staff_limited_to_the_store_cannot_sell_from_the_warehouse(live, api):
    owner, sid = live["api"], live["sid"]
    email = unique_email("live")
    owner.post("/api/v1/staff", {"email": email, "name": "Live", "role": Role.livestream.value,
                                 "password": "mai-vang-2026", "location_ids": [live["store"]]})
    helper = api.as_(api.post("/api/v1/auth/login", {"email": email, "password": "mai-vang-2026"}).data["access_token"])
    assert helper.post(f"/api/v1/live-sessions/{sid}/comments", {"author_name": "X", "text": "A1"}).status_code == 403
    assert helper.get(f"/api/v1/live-sessions/{sid}").status_code == 403
    assert helper.get("/api/v1/live-sessions").data["items"] == []
    at_store = helper.post("/api/v1/live-sessions", {"title": "Live", "channel": "livestream",
                                                     "location_id": live["store"], "items": [{"code": "A1", "sku": "LV-A"}]})
    assert at_store.status_code == 201
    assert _say(helper, at_store.data["id"], "A1")["result"] == "sold_out"  # nothing at the store
    assert owner.get(f"/api/v1/live-sessions/{sid}").data["orders"] == []


def test_a_retried_typed_comment_with_the_same_idempotency_key_is_captured_once(live):
    owner, sid, wh = live["api"], live["sid"], live["warehouse"]
    path = f"/api/v1/live-sessions/{sid}/comments"
    body = {"author_name": "Tú", "text": "A1 x3"}
    first = owner.post(path, body, headers={"Idempotency-Key": "typed-1"})
    again = owner.post(path, body, headers={"Idempotency-Key": "typed-1"})
    assert first.status_code == again.status_code == 201
    assert again.headers.get("idempotent-replayed") == "true" and again.data == first.data
    assert first.data["result"] == "captured"
    assert _level(owner, "LV-A", wh)["reserved"] == 3


def test_after_the_live_unpaid_holds_expire_on_their_own_and_the_counter_follows(live):
    from datetime import timedelta

    from chalicelib.core import clock
    from chalicelib.orders import lifecycle
    from chalicelib.stock import reservations

    owner, sid, wh = live["api"], live["sid"], live["warehouse"]
    paid = _say(owner, sid, "A1 x2", name="Quân", author_id="u-q")
    _say(owner, sid, "A1", name="Vy", author_id="u-vy")
    assert owner.post(f"/api/v1/orders/{paid['order_id']}/actions/mark_paid", {}).status_code == 200
    owner.post(f"/api/v1/live-sessions/{sid}/actions/end")
    reservations.expire_due(now=clock.now() + timedelta(minutes=46), on_expire=lifecycle.on_hold_expired)
    view = owner.get(f"/api/v1/live-sessions/{sid}").data
    item = next(x for x in view["items"] if x["sku"] == "LV-A")
    assert _level(owner, "LV-A", wh)["reserved"] == 2  # the paid order keeps its units
    assert item["available"] == UNITS - 2 and item["held"] == 0
