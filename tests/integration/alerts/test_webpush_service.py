"""Web Push against a fake push service that verifies VAPID and decrypts the body like a browser."""
from datetime import UTC, datetime

import pytest

from chalicelib.alerts import messages
from chalicelib.alerts.providers import webpush as w
from chalicelib.alerts.providers.base import RateLimited, RecipientGone, Rejected
from chalicelib.core.errors import InvalidInput
from tests.fakes.server import FakeReply, FakeServer
from tests.integration.alerts.fakes import FakePushService

pytestmark = pytest.mark.no_database  # fake servers only

NOW = 1_763_881_500
SUBJECT = "mailto:ops@quay.vn"


@pytest.fixture
def push():
    service = FakePushService(now=NOW)
    keys = w.generate_vapid_keys()
    with FakeServer(service) as server:
        subscription, _ = service.subscribe(server, keys.public_key)
        yield service, server, keys, w.PushSubscription.from_json(subscription, allow_http=True)


def test_the_push_service_verifies_vapid_and_reads_exactly_what_was_sent(push):
    service, server, keys, subscription = push
    payload = {"title": "Đơn mới #A1 <b>", "body": "2 × Áo & quần 😀", "url": "https://app.quay.vn/o/1"}
    result = w.send(subscription, payload, keys.private_key, SUBJECT, ttl=3600, urgency="high", now=NOW)
    assert result.status == 201 and result.location == f"{server.url}/message/1"
    (received,) = service.received
    assert received["payload"] == payload
    assert received["vapid"] == {"aud": server.url, "exp": NOW + 12 * 3600, "sub": SUBJECT}
    headers = received["headers"]
    assert (headers["content-encoding"], headers["ttl"], headers["urgency"]) == ("aes128gcm", "3600", "high")
    assert headers["content-type"] == "application/octet-stream"


def test_a_subscription_made_for_another_vapid_key_is_refused(push):
    service, _, _, subscription = push
    with pytest.raises(w.PushRejected) as caught:
        w.send(subscription, {"title": "x"}, w.generate_vapid_keys().private_key, SUBJECT, now=NOW)
    assert caught.value.status == 403 and isinstance(caught.value, Rejected) and service.received == []


def test_an_expired_vapid_token_is_refused(push):
    service, _, keys, subscription = push
    with pytest.raises(w.PushRejected) as caught:
        w.send(subscription, {"title": "x"}, keys.private_key, SUBJECT, now=NOW - 13 * 3600)
    assert caught.value.status == 401 and "exp" in str(caught.value)


@pytest.mark.parametrize("status", [404, 410])
def test_a_gone_subscription_is_typed(push, status):
    service, _, keys, subscription = push
    service.gone["sub1"] = status
    with pytest.raises(w.SubscriptionGone) as caught:
        w.send(subscription, {"title": "x"}, keys.private_key, SUBJECT, now=NOW)
    assert isinstance(caught.value, RecipientGone) and caught.value.status == status


def test_429_carries_retry_after_and_is_not_retried(push):
    service, server, keys, subscription = push
    service.scripted.append(FakeReply(429, "slow down", {"Retry-After": "120"}))
    with pytest.raises(w.PushRateLimited) as caught:
        w.send(subscription, {"title": "x"}, keys.private_key, SUBJECT, now=NOW)
    assert isinstance(caught.value, RateLimited) and caught.value.retry_after == 120
    assert len(server.requests) == 1 and service.received == []


def test_5xx_is_unavailable(push):
    service, _, keys, subscription = push
    service.scripted.append(FakeReply(503, "down"))
    with pytest.raises(w.PushUnavailable) as caught:
        w.send(subscription, {"title": "x"}, keys.private_key, SUBJECT, now=NOW)
    assert caught.value.retryable


def test_a_plain_dict_subscription_must_be_https():
    with pytest.raises(InvalidInput) as caught:
        w.send({"endpoint": "http://127.0.0.1:1/push/x", "keys": {}}, {"title": "x"},
               w.generate_vapid_keys().private_key, SUBJECT)
    assert [e["field"] for e in caught.value.errors] == ["endpoint", "keys.p256dh", "keys.auth"]


def test_the_sender_delivers_a_rendered_alert_as_a_notification(push):
    service, _, keys, subscription = push
    sender = w.WebPushSender(keys.private_key, SUBJECT, ttl=600, now=lambda: datetime.fromtimestamp(NOW, UTC))
    html = messages.channel_error("Shop <A> & B", "token expired", channel="shopee")
    delivery = sender.deliver(subscription, html, url="https://app.quay.vn/channels/1")
    assert delivery.provider == "webpush" and delivery.recipient == subscription.endpoint and delivery.ids
    (received,) = service.received
    assert received["payload"] == {"title": "🔌 Kết nối kênh bán bị lỗi",
                                   "body": "Kết nối: Shop <A> & B (Shopee)\nLỗi: token expired",
                                   "url": "https://app.quay.vn/channels/1"}
    assert received["headers"]["ttl"] == "600" and received["headers"]["urgency"] == "normal"
