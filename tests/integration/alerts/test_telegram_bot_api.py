"""The Telegram adapter against a fake Bot API that checks token, parse_mode and HTML like Telegram."""
import pytest

from chalicelib.alerts import messages
from chalicelib.alerts.providers.base import RateLimited, RecipientGone
from chalicelib.alerts.providers.telegram import (
    TelegramBot,
    TelegramChatUnavailable,
    TelegramRateLimited,
    TelegramRejected,
    TelegramUnavailable,
)
from tests.fakes.server import FakeServer, json_reply
from tests.integration.alerts.fakes import TELEGRAM_TOKEN, FakeTelegram

pytestmark = pytest.mark.no_database  # fake servers only

CHAT = 111222333


@pytest.fixture
def telegram():
    platform = FakeTelegram()
    with FakeServer(platform) as server:
        yield platform, server, TelegramBot(TELEGRAM_TOKEN, api_base=server.url, retry_budget_seconds=5)


def test_send_message_posts_html_to_the_token_path(telegram):
    platform, server, bot = telegram
    text = messages.low_stock([{"sku": "A<1>", "name": "<b>x</b> & co", "location_name": "Kho", "available": 1,
                                "threshold": 3}])
    sent = bot.send_message(CHAT, text)
    assert sent["message_id"] == 1 and sent["chat"]["id"] == CHAT
    request = server.requests[0]
    assert (request.method, request.path) == ("POST", f"/bot{TELEGRAM_TOKEN}/sendMessage")
    assert request.json() == {"chat_id": CHAT, "text": text, "parse_mode": "HTML",
                              "link_preview_options": {"is_disabled": True}}
    assert platform.sent[0]["plain"].startswith("📉 Sắp hết hàng: 1 mã")
    assert "<b>x</b> & co" in platform.sent[0]["plain"]


def test_the_fake_refuses_unescaped_html_like_telegram(telegram):
    platform, _, bot = telegram
    with pytest.raises(TelegramRejected) as caught:
        bot.send_message(CHAT, "<b>x</b> & co <script>")
    assert caught.value.status == 400 and "can't parse entities" in str(caught.value)
    assert platform.sent == []


def test_a_429_is_waited_for_once_and_the_message_is_sent_exactly_once(telegram):
    platform, server, bot = telegram
    platform.rate_limit_next(retry_after=1)
    bot.send_message(CHAT, "Đơn mới")
    assert [r.path for r in server.requests] == [f"/bot{TELEGRAM_TOKEN}/sendMessage"] * 2
    assert [m["plain"] for m in platform.sent] == ["Đơn mới"]


def test_a_429_longer_than_the_budget_is_handed_to_the_queue(telegram):
    platform, server, bot = telegram
    platform.rate_limit_next(retry_after=30)
    with pytest.raises(TelegramRateLimited) as caught:
        bot.send_message(CHAT, "Đơn mới")
    assert isinstance(caught.value, RateLimited) and caught.value.retryable
    assert caught.value.retry_after == 30 and len(server.requests) == 1 and platform.sent == []


def test_a_blocked_bot_is_a_permanent_error_without_retry(telegram):
    platform, server, bot = telegram
    platform.blocked.add(CHAT)
    with pytest.raises(TelegramChatUnavailable) as caught:
        bot.send_message(CHAT, "Đơn mới")
    assert isinstance(caught.value, RecipientGone) and not caught.value.retryable
    assert caught.value.status == 403 and "blocked by the user" in str(caught.value)
    assert len(server.requests) == 1


def test_chat_not_found_is_permanent(telegram):
    platform, server, bot = telegram
    platform.missing.add(-100999)
    with pytest.raises(TelegramChatUnavailable) as caught:
        bot.send_message(-100999, "x")
    assert caught.value.status == 400 and len(server.requests) == 1


def test_a_migrated_group_names_its_new_chat(telegram):
    platform, _, bot = telegram
    platform.migrated[-4001] = -1004001
    with pytest.raises(TelegramChatUnavailable) as caught:
        bot.send_message(-4001, "x")
    assert caught.value.migrate_to_chat_id == -1004001


def test_a_wrong_token_is_rejected_and_never_shown(telegram):
    _, server, _ = telegram
    bot = TelegramBot("999:wrong-token", api_base=server.url)
    with pytest.raises(TelegramRejected) as caught:
        bot.get_me()
    assert caught.value.status == 401 and "wrong-token" not in str(caught.value)
    assert "wrong-token" not in repr(bot)


def test_server_errors_are_retried_for_idempotent_calls_then_reported():
    calls = []

    def broken(request):
        calls.append(request.path)
        return json_reply({"ok": False, "error_code": 502, "description": "Bad Gateway"}, 502)

    with FakeServer(broken) as server:
        bot = TelegramBot(TELEGRAM_TOKEN, api_base=server.url, attempts=2)
        with pytest.raises(TelegramUnavailable):
            bot.get_me()
        assert len(calls) == 2
        calls.clear()
        with pytest.raises(TelegramUnavailable):             # sendMessage: a 5xx may have sent it: no retry
            bot.send_message(CHAT, "x")
        assert len(calls) == 1


def test_an_unreachable_api_is_unavailable_and_hides_the_token():
    with FakeServer(lambda r: json_reply({})) as server:
        base = server.url
    bot = TelegramBot(TELEGRAM_TOKEN, api_base=base, attempts=1, timeout=1)
    with pytest.raises(TelegramUnavailable) as caught:
        bot.send_message(CHAT, "x")
    assert TELEGRAM_TOKEN not in str(caught.value) and caught.value.__cause__ is None


def test_set_webhook_and_get_me(telegram):
    platform, server, bot = telegram
    assert bot.set_webhook("https://api.quay.vn/api/v1/webhooks/telegram", "s3cr3t_Webhook-Token") is True
    assert platform.webhook == {"url": "https://api.quay.vn/api/v1/webhooks/telegram",
                                "secret_token": "s3cr3t_Webhook-Token", "allowed_updates": ["message"],
                                "drop_pending_updates": False}
    assert bot.get_me()["username"] == "QuayShopBot"
    assert [r.path for r in server.requests] == [f"/bot{TELEGRAM_TOKEN}/setWebhook", f"/bot{TELEGRAM_TOKEN}/getMe"]
    with pytest.raises(ValueError):
        bot.set_webhook("https://api.quay.vn/x", "not allowed!")


def test_deliver_splits_a_long_alert_and_sends_every_part_in_order(telegram):
    platform, _, bot = telegram
    items = [{"sku": f"SKU-{i:03}", "name": "Áo <b>x</b> & co " * 5, "location_name": "Kho", "available": i,
              "threshold": 9} for i in range(150)]
    text = messages.low_stock(items, limit=150)
    delivery = bot.deliver(CHAT, text)
    assert delivery.parts == len(platform.sent) >= 3
    assert delivery.ids == tuple(str(n) for n in range(1, delivery.parts + 1))
    received = "\n".join(m["plain"] for m in platform.sent)
    assert received == messages.plain_text(text)


def test_deliver_reports_the_parts_already_sent_so_a_retry_skips_them(telegram):
    platform, _, bot = telegram
    text = "\n".join(f"dòng {i} " + "x" * 90 for i in range(100))      # about 3 parts
    parts = messages.split_message(text)
    platform.limit_after[1] = 60
    with pytest.raises(TelegramRateLimited) as caught:
        bot.deliver(CHAT, text)
    assert caught.value.delivered_parts == 1 and caught.value.retry_after == 60
    delivery = bot.deliver(CHAT, text, skip_parts=caught.value.delivered_parts)
    assert delivery.parts == len(parts) - 1
    assert [m["text"] for m in platform.sent] == parts


def test_from_environment_reads_the_deployment_settings(telegram):
    _, server, _ = telegram
    bot = TelegramBot.from_environment({"QUAY_TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN, "QUAY_TELEGRAM_API_BASE": server.url})
    assert bot.api_base == server.url and bot.get_me()["is_bot"] is True
    assert TelegramBot.from_environment({"QUAY_TELEGRAM_BOT_TOKEN": "1:x"}).api_base == "https://api.telegram.org"
