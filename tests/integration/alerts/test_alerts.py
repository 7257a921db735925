"""Alerts end to end on DynamoDB Local: the routes, the stream subscribers (records delivered twice),
the jobs (run twice) and the outbox, against the fake Telegram Bot API and the fake push service."""
import itertools
import json
import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from chalicelib.alerts import handlers, jobs, outbox
from chalicelib.alerts.providers import webpush
from chalicelib.core import clock
from chalicelib.flows import stream
from tests.fakes.server import FakeServer
from tests.integration.alerts.fakes import BOT_USERNAME, TELEGRAM_TOKEN, FakePushService, FakeTelegram

SECRET = "webhook-secret_for-tests"
SEEN = []
_updates = itertools.count(1)


def remember(change):
    SEEN.append(change)


@pytest.fixture
def telegram(monkeypatch):
    platform = FakeTelegram()
    with FakeServer(platform) as server:
        for name, value in {"QUAY_TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN, "QUAY_TELEGRAM_API_BASE": server.url,
                            "QUAY_TELEGRAM_BOT_USERNAME": BOT_USERNAME,
                            "QUAY_TELEGRAM_WEBHOOK_SECRET": SECRET}.items():
            monkeypatch.setenv(name, value)
        yield platform, server


@pytest.fixture
def recorded(monkeypatch):
    """Every change the stream hands over is also kept, so the test can deliver it a second time."""
    SEEN.clear()
    monkeypatch.setattr(stream, "SUBSCRIBERS", stream.SUBSCRIBERS + tuple(
        (kind, f"{__name__}:remember") for kind in ("ORDER", "STOCK", "AUDIT", "CONNECTION")))
    return SEEN


def put(caller, path, body):
    return caller.call("put", path, body)


def set_clock(monkeypatch, moment: datetime) -> None:
    monkeypatch.setattr(clock, "now", lambda: moment)


def update(chat_id: int, text: str) -> dict:
    return {"update_id": next(_updates), "message": {
        "message_id": 7, "date": 1764680000, "text": text, "from": {"id": chat_id, "is_bot": False, "first_name": "Lan"},
        "chat": {"id": chat_id, "type": "private", "first_name": "Lan", "last_name": "Nguyễn"}}}


def webhook(owner, body: dict, secret: str | None = SECRET):
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    return owner.as_(None).post("/api/v1/webhooks/telegram", body, headers=headers)


def link_chat(owner, telegram) -> int:
    platform, _ = telegram
    chat_id = random.randint(10**8, 10**9)
    made = owner.post("/api/v1/alert-settings/telegram-link")
    assert made.status_code == 201, made.body
    assert made.data["url"] == f"https://t.me/{BOT_USERNAME}?start={made.data['code']}"
    answered = webhook(owner, update(chat_id, f"/start {made.data['code']}"))
    assert answered.status_code == 200, answered.body
    assert owner.get("/api/v1/alert-settings").data["telegram_chat_ids"] == [str(chat_id)]
    greeting = [m for m in platform.sent if m["chat_id"] == chat_id]
    assert len(greeting) == 1 and "Đã liên kết" in greeting[0]["plain"]
    return chat_id


def messages_to(platform, chat_id) -> list[str]:
    return [m["plain"] for m in platform.sent if m["chat_id"] == chat_id and "Đã liên kết" not in m["plain"]]


def replay(changes) -> None:
    for change in list(changes):
        handlers.on_change(change)


def new_order(owner, **extra):
    body = {"channel": "website", "lines": [{"sku": "TS-M", "quantity": 1}],
            "customer": {"name": "Lan <Khách>", "phone": "0901234567"}, "shipping_address": {"text": "1 Lê Lợi"}}
    created = owner.post("/api/v1/orders", {**body, **extra})
    assert created.status_code == 201, created.body
    return created.data


def test_start_code_links_the_chat_once_and_a_used_code_links_nothing(store, telegram, drain):
    owner = store["api"]
    platform, _ = telegram
    link_chat(owner, telegram)
    used = platform.sent[-1]
    code = owner.post("/api/v1/alert-settings/telegram-link").data["code"]
    assert webhook(owner, update(42, f"/start {code}")).status_code == 200
    assert webhook(owner, update(43, f"/start {code}")).status_code == 200  # single use
    assert len(owner.get("/api/v1/alert-settings").data["telegram_chat_ids"]) == 2
    assert "không hợp lệ" in platform.sent[-1]["plain"] and used != platform.sent[-1]


def test_a_forged_secret_is_401_and_writes_nothing(store, telegram):
    owner = store["api"]
    code = owner.post("/api/v1/alert-settings/telegram-link").data["code"]
    for secret in ("wrong", None):
        answered = webhook(owner, update(99, f"/start {code}"), secret=secret)
        assert answered.status_code == 401, answered.body
    assert owner.get("/api/v1/alert-settings").data["telegram_chat_ids"] == []
    assert webhook(owner, update(99, f"/start {code}")).status_code == 200  # the code is still unused
    assert owner.get("/api/v1/alert-settings").data["telegram_chat_ids"] == ["99"]


def test_a_new_order_is_one_message_even_when_its_record_comes_twice(store, telegram, drain, recorded):
    owner, tenant = store["api"], store["tenant_id"]
    platform, _ = telegram
    chat = link_chat(owner, telegram)
    assert put(owner, "/api/v1/alert-settings", {"events": {"new_order": True}}).status_code == 200
    drain(tenant)
    platform.rate_limit_next(retry_after=1)  # waited for once, then sent
    order = new_order(owner)
    drain(tenant)
    replay(recorded)
    drain(tenant)
    sent = [m for m in messages_to(platform, chat) if "Lan <Khách>" in m]
    assert len(sent) == 1 and order["id"][-8:].upper() in sent[0] or order.get("code", "") in sent[0]
    listed = owner.get("/api/v1/alerts").data["items"]
    assert [a["status"] for a in listed if a["event"] == "new_order"] == ["sent"]


def test_a_problem_order_is_one_message(store, telegram, drain, recorded):
    owner, tenant = store["api"], store["tenant_id"]
    platform, _ = telegram
    chat = link_chat(owner, telegram)
    drain(tenant)
    new_order(owner, customer={"name": "Bình"}, shipping_address=None)
    drain(tenant)
    replay(recorded)
    problems = [m for m in messages_to(platform, chat) if "Thiếu số điện thoại" in m]
    assert len(problems) == 1 and "Bình" in problems[0]


def test_low_stock_alerts_once_until_restocked(store, telegram, drain, recorded):
    owner, tenant, wh = store["api"], store["tenant_id"], store["warehouse"]
    platform, _ = telegram
    chat = link_chat(owner, telegram)
    owner.post("/api/v1/stock/receipts", {"location_id": wh, "lines": [{"sku": "TS-M", "quantity": 5}]})
    assert put(owner, f"/api/v1/stock/TS-M/locations/{wh}/threshold", {"low_stock_threshold": 3}).status_code == 200
    drain(tenant)

    def adjust(delta):
        answer = owner.post("/api/v1/stock/adjustments", {"location_id": wh, "sku": "TS-M", "delta": delta,
                                                          "reason": "damaged" if delta < 0 else "found"})
        assert answer.status_code in (200, 201), answer.body
        drain(tenant)

    def low_messages():
        return [m for m in messages_to(platform, chat) if "TS-M" in m and "Sắp hết" in m or "TS-M" in m and "hết hàng" in m]

    adjust(-3)  # 5 -> 2: crosses
    adjust(-1)  # still low: nothing new
    replay(recorded)
    assert len(low_messages()) == 1
    owner.post("/api/v1/stock/receipts", {"location_id": wh, "lines": [{"sku": "TS-M", "quantity": 10}]})
    drain(tenant)
    adjust(-9)  # 11 -> 2: crosses again after the restock
    replay(recorded)
    assert len(low_messages()) == 2


def test_an_order_not_packed_in_time_is_one_overdue_message(store, telegram, drain, monkeypatch):
    owner, tenant, wh = store["api"], store["tenant_id"], store["warehouse"]
    platform, _ = telegram
    chat = link_chat(owner, telegram)
    assert put(owner, "/api/v1/alert-settings", {"overdue_hours": 2}).status_code == 200
    owner.post("/api/v1/stock/receipts", {"location_id": wh, "lines": [{"sku": "TS-M", "quantity": 5}]})
    late, packed = new_order(owner), new_order(owner)
    for order in (late, packed):
        assert owner.post(f"/api/v1/orders/{order['id']}/actions/confirm", {"location_id": wh}).status_code == 200
    assert owner.post(f"/api/v1/orders/{packed['id']}/actions/pack", {}).status_code == 200
    drain(tenant)
    jobs.check_overdue()
    assert not [m for m in messages_to(platform, chat) if "quá hạn" in m.lower() or "chưa đóng gói" in m.lower()]
    set_clock(monkeypatch, datetime.now(UTC) + timedelta(hours=2, minutes=5))
    jobs.check_overdue()
    jobs.check_overdue()
    overdue = [m for m in messages_to(platform, chat) if late["id"][-8:].upper() in m or "2 giờ" in m]
    assert len(overdue) == 1
    assert not [m for m in messages_to(platform, chat) if packed["id"][-8:].upper() in m and m in overdue]


def test_the_daily_summary_goes_once_at_the_shops_local_time(store, telegram, drain, monkeypatch):
    owner, tenant = store["api"], store["tenant_id"]
    platform, _ = telegram
    chat = link_chat(owner, telegram)
    assert put(owner, "/api/v1/alert-settings", {"daily_summary_at": "21:00"}).status_code == 200
    new_order(owner)
    new_order(owner, channel="facebook")
    drain(tenant)
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    today = datetime.now(zone).date()
    at = lambda h, m: datetime(today.year, today.month, today.day, h, m, tzinfo=zone).astimezone(UTC)  # noqa: E731
    set_clock(monkeypatch, at(20, 40))
    jobs.queue_daily_summaries()
    outbox.send_due()
    assert not [m for m in messages_to(platform, chat) if "Tổng kết" in m]
    set_clock(monkeypatch, at(21, 5))
    for _ in range(2):  # the job runs twice
        jobs.queue_daily_summaries()
        outbox.send_due()
    set_clock(monkeypatch, at(21, 20))
    jobs.queue_daily_summaries()  # the next quarter hour looks back one slot: still once
    outbox.send_due()
    (summary,) = [m for m in messages_to(platform, chat) if "Tổng kết" in m]
    assert today.strftime("%d/%m/%Y") in summary and "Đơn hàng: 2" in summary and "200.000" in summary
    assert "Facebook" in summary and "Website" in summary


def test_a_settings_change_names_who_and_before_after(store, telegram, drain, recorded):
    owner, tenant = store["api"], store["tenant_id"]
    platform, _ = telegram
    chat = link_chat(owner, telegram)
    drain(tenant)
    assert put(owner, "/api/v1/alert-settings", {"overdue_hours": 6}).status_code == 200
    drain(tenant)
    replay(recorded)
    changes = [m for m in messages_to(platform, chat) if "Có thay đổi cài đặt" in m and "overdue_hours" in m]
    assert len(changes) == 1
    assert "Chủ Shop" in changes[0] and "overdue_hours: 24 → 6" in changes[0]


def test_a_failing_send_is_visible_and_retried(store, telegram, drain, monkeypatch):
    owner, tenant = store["api"], store["tenant_id"]
    platform, _ = telegram
    chat = link_chat(owner, telegram)
    drain(tenant)
    platform.rate_limit_next(retry_after=30)  # longer than a sender waits: back to the queue
    assert put(owner, "/api/v1/alert-settings", {"overdue_hours": 5}).status_code == 200
    drain(tenant)
    (pending,) = [a for a in owner.get("/api/v1/alerts").data["items"] if "overdue_hours" in (a["text"] or "")]
    assert pending["status"] == "pending" and "Too Many Requests" in pending["last_error"]
    outbox.send_due()  # not yet: Telegram said 30 s
    assert not [m for m in messages_to(platform, chat) if "overdue_hours" in m]
    set_clock(monkeypatch, datetime.now(UTC) + timedelta(seconds=31))
    outbox.send_due()
    outbox.send_due()
    assert len([m for m in messages_to(platform, chat) if "overdue_hours" in m]) == 1
    (sent,) = [a for a in owner.get("/api/v1/alerts").data["items"] if "overdue_hours" in (a["text"] or "")]
    assert sent["status"] == "sent" and sent["attempts"] == 2

    platform.blocked.add(chat)  # a permanent failure: failed, visible, and retried by hand
    assert put(owner, "/api/v1/alert-settings", {"overdue_hours": 7}).status_code == 200
    drain(tenant)
    failed = next(a for a in owner.get("/api/v1/alerts").data["items"] if a["status"] == "failed")
    assert "blocked" in failed["last_error"]
    platform.blocked.clear()
    retried = owner.post(f"/api/v1/alerts/{failed['id']}/retry")
    assert retried.status_code == 200 and retried.data["status"] == "sent", retried.body
    assert len([m for m in messages_to(platform, chat) if "overdue_hours: 5 → 7" in m]) == 1


def test_web_push_of_a_new_order_is_signed_and_decryptable(store, telegram, drain, monkeypatch):
    owner, tenant = store["api"], store["tenant_id"]
    keys = webpush.generate_vapid_keys()
    monkeypatch.setenv("QUAY_VAPID_PRIVATE_KEY", keys.private_key)
    service = FakePushService()
    with FakeServer(service) as server:
        assert owner.get("/api/v1/push/key").data == {"public_key": keys.public_key}
        subscription, _ = service.subscribe(server, keys.public_key)
        made = owner.post("/api/v1/push-subscriptions", subscription)
        assert made.status_code == 201, made.body
        assert put(owner, "/api/v1/alert-settings", {"events": {"new_order": True}}).status_code == 200
        drain(tenant)
        order = new_order(owner)
        drain(tenant)
        drain(tenant)
        titles = [r["payload"]["title"] for r in service.received]
        assert len(titles) == 2 and "Không đủ hàng" in json.dumps(service.received, ensure_ascii=False), titles
        received = service.received[0]  # the new order (no stock yet, so it is a problem order too)
        assert received["vapid"]["aud"] == server.url and received["vapid"]["sub"].startswith("mailto:")
        assert "Lan <Khách>" in json.dumps(received["payload"], ensure_ascii=False)
        assert received["payload"]["url"].endswith(order["id"])
        gone = owner.call("delete", "/api/v1/push-subscriptions", {"endpoint": subscription["endpoint"]})
        assert gone.status_code == 200, gone.body
        new_order(owner)
        drain(tenant)
        assert len(service.received) == 2


def _put_connection(tenant, last_error, at):
    """A channel connection item as the channels area writes it (layout in the brief to alerts)."""
    import os

    from chalicelib.core import keys
    from chalicelib.core.table import connection

    item = {"pk": {"S": keys.shop_pk(tenant, "CONNECTION", "conn1")}, "sk": {"S": "CONNECTION"},
            "channel": {"S": "shopee"}, "name": {"S": "Shopee <Mai>"}, "status": {"S": "error" if last_error else "active"},
            "last_error": {"S": last_error} if last_error else {"NULL": True},
            "last_error_at": {"S": at} if at else {"NULL": True}}
    connection().client.put_item(TableName=os.environ["QUAY_TABLE"], Item=item)  # botocore: no area's store


def test_a_channel_error_is_one_message_per_new_error(store, telegram, drain, recorded):
    owner, tenant = store["api"], store["tenant_id"]
    platform, _ = telegram
    chat = link_chat(owner, telegram)
    drain(tenant)
    _put_connection(tenant, "token expired & refresh failed", "2026-12-02T10:00:00.000000Z")
    _put_connection(tenant, "token expired & refresh failed", "2026-12-02T10:00:00.000000Z")  # unchanged
    drain(tenant)
    replay(recorded)
    errors = [m for m in messages_to(platform, chat) if "token expired & refresh failed" in m]
    assert len(errors) == 1 and "Shopee <Mai>" in errors[0]
    _put_connection(tenant, "shop not authorised", "2026-12-02T11:00:00.000000Z")
    drain(tenant)
    assert len([m for m in messages_to(platform, chat) if "shop not authorised" in m]) == 1


def test_a_retried_link_request_gives_the_same_code_and_retried_writes_happen_once(store, telegram):
    owner = store["api"]
    first = owner.post("/api/v1/alert-settings/telegram-link", headers={"Idempotency-Key": "link-1"})
    again = owner.post("/api/v1/alert-settings/telegram-link", headers={"Idempotency-Key": "link-1"})
    assert first.status_code == again.status_code == 201 and again.data == first.data
    assert again.headers.get("idempotent-replayed") == "true"
    keys = webpush.generate_vapid_keys()
    subscription, _ = FakePushService().subscribe(FakeServerStub(), keys.public_key)
    assert owner.post("/api/v1/push-subscriptions", subscription).status_code == 201
    delete = {"endpoint": subscription["endpoint"]}
    gone = owner.call("delete", "/api/v1/push-subscriptions", delete, headers={"Idempotency-Key": "unsub-1"})
    replayed = owner.call("delete", "/api/v1/push-subscriptions", delete, headers={"Idempotency-Key": "unsub-1"})
    assert gone.status_code == replayed.status_code == 200 and replayed.headers.get("idempotent-replayed") == "true"
    assert owner.call("delete", "/api/v1/push-subscriptions", delete).status_code == 404


class FakeServerStub:
    url = "http://127.0.0.1:9"
