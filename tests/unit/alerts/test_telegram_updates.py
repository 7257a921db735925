"""Webhook updates from Telegram: the secret token proves the origin; `/start <code>` links a chat."""
import json

import pytest

from chalicelib.alerts.providers.telegram import SECRET_HEADER, ForgedUpdate, LinkRequest, parse_update
from chalicelib.core.errors import InvalidInput, NotAuthenticated

SECRET = "s3cr3t_Webhook-Token"


def update(text, chat=None, **message):
    chat = chat or {"id": 111222333, "type": "private", "first_name": "Lan", "last_name": "Nguyễn",
                    "username": "lan_shop"}
    return json.dumps({"update_id": 900001, "message": {
        "message_id": 5, "date": 1763881500, "text": text, "chat": chat,
        "from": {"id": 111222333, "is_bot": False, "first_name": "Lan"}, **message}}).encode()


def test_a_start_with_a_code_from_a_private_chat_is_a_link_request():
    request = parse_update({SECRET_HEADER: SECRET}, update("/start AbC-123_xyz"), SECRET)
    assert request == LinkRequest(chat_id=111222333, chat_type="private", chat_title="Lan Nguyễn",
                                  username="lan_shop", code="AbC-123_xyz", from_user_id=111222333, update_id=900001)


def test_a_group_start_addressed_to_the_bot_carries_the_group_title():
    group = {"id": -1001234567890, "type": "supergroup", "title": "Shop <Hoa> & bạn"}
    request = parse_update({"x-telegram-bot-api-secret-token": SECRET},   # header names are case-insensitive
                           update("/start@QuayShopBot code42", chat=group), SECRET)
    assert request.chat_id == -1001234567890 and request.chat_title == "Shop <Hoa> & bạn"
    assert request.code == "code42" and request.chat_type == "supergroup" and request.username is None


@pytest.mark.parametrize("headers", [{}, {SECRET_HEADER: ""}, {SECRET_HEADER: SECRET + "x"},
                                     {SECRET_HEADER: SECRET[:-1]}, {"X-Other": SECRET}])
def test_a_missing_or_forged_secret_is_refused(headers):
    with pytest.raises(ForgedUpdate) as caught:
        parse_update(headers, update("/start AbC"), SECRET)
    assert isinstance(caught.value, NotAuthenticated)              # the HTTP layer answers 401


def test_no_configured_secret_refuses_everything():
    with pytest.raises(ForgedUpdate):
        parse_update({SECRET_HEADER: ""}, update("/start AbC"), "")


@pytest.mark.parametrize("text", ["/start", "hello", "/start bad code", "/start " + "x" * 65, "/help AbC",
                                  "/start <script>", "/startAbC"])
def test_other_messages_are_not_link_requests(text):
    assert parse_update({SECRET_HEADER: SECRET}, update(text), SECRET) is None


def test_updates_without_a_text_message_are_ignored():
    for body in ({"update_id": 1, "edited_message": {"text": "/start AbC", "chat": {"id": 1}}},
                 {"update_id": 2, "my_chat_member": {"chat": {"id": 1}}},
                 {"update_id": 3, "message": {"message_id": 1, "chat": {"id": 1}, "photo": []}}):
        assert parse_update({SECRET_HEADER: SECRET}, json.dumps(body), SECRET) is None


def test_a_body_that_is_not_a_json_object_is_invalid():
    with pytest.raises(InvalidInput):
        parse_update({SECRET_HEADER: SECRET}, b"{not json", SECRET)
    with pytest.raises(InvalidInput):
        parse_update({SECRET_HEADER: SECRET}, b"[1]", SECRET)
