"""Telegram Bot API adapter: send alerts to a shop's chats, register our webhook, and read the
`/start <code>` message that links a chat to a shop.

Every call is `POST {api_base}/bot{token}/{method}` with a JSON body; the answer is
{"ok": true, "result": ...} or {"ok": false, "error_code", "description", "parameters"?}. A 429
carries parameters.retry_after (seconds): we wait for it while the call's time budget allows, then
raise TelegramRateLimited(retry_after) for a queue to try later. 403 ("bot was blocked by the user",
"bot was kicked") and 400 "chat not found" are permanent for that chat: TelegramChatUnavailable,
never retried. A group upgraded to a supergroup answers 400 with parameters.migrate_to_chat_id.
sendMessage is retried only on 429 (nothing was sent); other calls are idempotent and also retry 5xx.
The webhook's only proof of origin is the secret_token given to setWebhook, echoed in the
X-Telegram-Bot-Api-Secret-Token header (1-256 of A-Z a-z 0-9 _ -): compared in constant time.

Sources: Telegram Bot API docs (core.telegram.org/bots/api: Making requests, sendMessage,
LinkPreviewOptions, setWebhook secret_token, getMe, Update / Message / Chat, ResponseParameters
retry_after / migrate_to_chat_id; bots/features "Deep linking": /start PAYLOAD, 1-64 of
A-Z a-z 0-9 _ -; bots/faq on limits and 429); issue threads php-telegram-bot/core#728 and
flathunters/flathunter#88 (the 429 envelope as Telegram sends it)."""
from __future__ import annotations

import hmac
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from chalicelib.alerts.providers.base import Delivery, DeliveryError, RateLimited, RecipientGone, Rejected, Unavailable
from chalicelib.core import outbound
from chalicelib.core.errors import InvalidInput, NotAuthenticated

DEFAULT_API_BASE = "https://api.telegram.org"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_START = re.compile(r"^/start(?:@([A-Za-z0-9_]{1,64}))?\s+([A-Za-z0-9_-]{1,64})\s*$")
# 400 descriptions that mean the chat itself is gone, not that this message was wrong.
_GONE_400 = ("chat not found", "user not found", "group chat was deactivated", "peer_id_invalid",
             "have no rights to send", "not enough rights to send", "chat_write_forbidden")


class TelegramRateLimited(RateLimited):
    pass


class TelegramChatUnavailable(RecipientGone):
    """The bot can no longer write to this chat (blocked, kicked, chat not found or migrated).
    `migrate_to_chat_id` is set when a group became a supergroup: store that id instead."""

    def __init__(self, message: str, *, status: int | None = None, migrate_to_chat_id: int | None = None,
                 delivered_parts: int = 0):
        super().__init__(message, status=status, delivered_parts=delivered_parts)
        self.migrate_to_chat_id = migrate_to_chat_id


class TelegramRejected(Rejected):
    pass


class TelegramUnavailable(Unavailable):
    pass


class ForgedUpdate(NotAuthenticated):
    """A webhook request without our secret token: not from Telegram (the HTTP layer answers 401)."""


@dataclass(frozen=True)
class LinkRequest:
    """Someone opened https://t.me/<bot>?start=<code> (or ?startgroup=) and pressed Start."""
    chat_id: int
    chat_type: str                 # private, group, supergroup, channel
    chat_title: str                # group title, or the person's name
    username: str | None           # the chat's @username, if any
    code: str
    from_user_id: int | None
    update_id: int


def _header(headers: Mapping[str, str], name: str) -> str | None:
    wanted = name.lower()
    return next((value for key, value in headers.items() if key.lower() == wanted), None)


def parse_update(headers: Mapping[str, str], raw_body: bytes | str, webhook_secret: str) -> LinkRequest | None:
    """Check the webhook secret (constant time; missing, wrong or unconfigured -> ForgedUpdate) and
    return the `/start <code>` link request the update carries, or None for any other update."""
    sent = _header(headers, SECRET_HEADER)
    if not webhook_secret or sent is None or not hmac.compare_digest(sent.encode(), webhook_secret.encode()):
        raise ForgedUpdate("The Telegram webhook secret is missing or wrong.")
    try:
        update = json.loads(raw_body or b"null")
    except ValueError:
        raise InvalidInput("The Telegram update is not valid JSON.") from None
    if not isinstance(update, dict):
        raise InvalidInput("The Telegram update must be a JSON object.")
    message = update.get("message")
    if not isinstance(message, dict) or not isinstance(message.get("text"), str):
        return None
    match = _START.match(message["text"].strip())
    chat = message.get("chat") or {}
    if not match or not isinstance(chat.get("id"), int):
        return None
    person = " ".join(x for x in (chat.get("first_name"), chat.get("last_name")) if x)
    sender = message.get("from") or {}
    return LinkRequest(chat_id=chat["id"], chat_type=str(chat.get("type") or ""),
                       chat_title=chat.get("title") or person or chat.get("username") or str(chat["id"]),
                       username=chat.get("username"), code=match.group(2),
                       from_user_id=sender.get("id") if isinstance(sender.get("id"), int) else None,
                       update_id=int(update.get("update_id") or 0))


class TelegramBot:
    """One bot (one token) for the whole deployment; every shop links its own chats to it."""
    name = "telegram"

    def __init__(self, token: str, *, api_base: str = DEFAULT_API_BASE, timeout: float = outbound.DEFAULT_TIMEOUT,
                 retry_budget_seconds: float = 10.0, attempts: int = 3):
        if not token:
            raise ValueError("a Telegram bot token is required")
        self._token = token
        self.api_base = api_base.rstrip("/")
        self.timeout = timeout
        self.retry_budget_seconds = retry_budget_seconds
        self.attempts = attempts

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None, **options: Any) -> TelegramBot:
        """QUAY_TELEGRAM_BOT_TOKEN, and QUAY_TELEGRAM_API_BASE to point at a fake or a local Bot API server."""
        environ = os.environ if environ is None else environ
        return cls(environ.get("QUAY_TELEGRAM_BOT_TOKEN", ""),
                   api_base=environ.get("QUAY_TELEGRAM_API_BASE") or DEFAULT_API_BASE, **options)

    def __repr__(self) -> str:  # never show the token in logs
        return f"TelegramBot(api_base={self.api_base!r})"

    # --- the Bot API methods we use ------------------------------------------------------
    def send_message(self, chat_id: int | str, text: str, parse_mode: str | None = "HTML",
                     disable_web_page_preview: bool = True) -> dict:
        """Send one message (at most 4096 characters after entity parsing: see deliver() for long
        texts). Returns the sent Message."""
        body: dict[str, Any] = {"chat_id": chat_id, "text": text}
        if parse_mode:
            body["parse_mode"] = parse_mode
        if disable_web_page_preview:
            body["link_preview_options"] = {"is_disabled": True}
        return self._call("sendMessage", body, retry_statuses=frozenset({429}))

    def set_webhook(self, url: str, secret_token: str, *, allowed_updates: tuple[str, ...] = ("message",),
                    drop_pending_updates: bool = False) -> bool:
        if not SECRET_TOKEN.match(secret_token or ""):
            raise ValueError("secret_token must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return bool(self._call("setWebhook", {"url": url, "secret_token": secret_token,
                                              "allowed_updates": list(allowed_updates),
                                              "drop_pending_updates": drop_pending_updates}))

    def get_me(self) -> dict:
        """The bot's User: {id, is_bot, first_name, username, ...}; username builds t.me links."""
        return self._call("getMe", {})

    # --- the AlertProvider interface -------------------------------------------------------
    def deliver(self, recipient: int | str, html: str, *, url: str | None = None, skip_parts: int = 0) -> Delivery:
        """Send an alert, split into parts that fit (see messages.split_message). A failure after some
        parts went out carries `delivered_parts`; pass it back as `skip_parts` when retrying."""
        from chalicelib.alerts.messages import split_message

        parts = split_message(html)
        ids: list[str] = []
        for number, part in enumerate(parts):
            if number < skip_parts:
                continue
            try:
                sent = self.send_message(recipient, part)
            except DeliveryError as error:
                error.delivered_parts = number
                raise
            ids.append(str(sent.get("message_id", "")))
        return Delivery(self.name, str(recipient), parts=len(ids), ids=tuple(ids))

    # --- one request ------------------------------------------------------------------------
    def _call(self, method: str, body: dict, *, retry_statuses: frozenset[int] = outbound.RETRY_STATUSES) -> Any:
        policy = outbound.RetryPolicy(attempts=self.attempts, budget_seconds=self.retry_budget_seconds,
                                      statuses=retry_statuses)
        try:
            reply = outbound.request("POST", f"{self.api_base}/bot{self._token}/{method}", json_body=body,
                                     timeout=self.timeout, retry=policy)
        except outbound.TransportError:  # its message holds the URL, hence the token: not passed on
            raise TelegramUnavailable(f"Telegram {method}: the Bot API could not be reached.") from None
        answer = reply.json()
        if isinstance(answer, dict) and answer.get("ok") is True:
            return answer.get("result")
        raise _error(method, reply.status, answer if isinstance(answer, dict) else {})


def _error(method: str, status: int, answer: dict) -> Exception:
    code = answer.get("error_code") if isinstance(answer.get("error_code"), int) else status
    description = str(answer.get("description") or f"HTTP {status}")
    parameters = answer.get("parameters") if isinstance(answer.get("parameters"), dict) else {}
    message = f"Telegram {method}: {description}"
    if code == 429:
        retry_after = parameters.get("retry_after")
        return TelegramRateLimited(message, status=429,
                                   retry_after=float(retry_after) if isinstance(retry_after, int | float) else 1.0)
    if parameters.get("migrate_to_chat_id"):
        return TelegramChatUnavailable(message, status=code, migrate_to_chat_id=int(parameters["migrate_to_chat_id"]))
    if code == 403 or (code == 400 and any(x in description.lower() for x in _GONE_400)):
        return TelegramChatUnavailable(message, status=code)
    if code >= 500 or status >= 500:
        return TelegramUnavailable(message, status=code)
    return TelegramRejected(message, status=code)
