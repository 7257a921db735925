"""Alert use cases behind the routes: settings, linking a Telegram chat, the bot's webhook, Web Push
subscriptions, the list of recent alerts and a manual retry."""
from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from chalicelib.alerts import outbox, rules
from chalicelib.alerts import store as db
from chalicelib.alerts.store import AlertItem, AlertSettingsItem, PushSubscriptionItem, TelegramLinkItem
from chalicelib.core import clock, idempotency, keys, paging
from chalicelib.core.errors import InvalidInput, NotFound, VersionMismatch
from chalicelib.core.principal import Principal
from chalicelib.core.settings import alert_delivery, settings
from chalicelib.core.uow import UnitOfWork
from chalicelib.staff import service as staff

log = logging.getLogger("quay.alerts")
LINK_MINUTES = 15


# --- settings ------------------------------------------------------------------------------------
def _settings_item(tenant_id: str) -> AlertSettingsItem:
    found = db.get_or_none(AlertSettingsItem, *keys.alert_settings(tenant_id))
    if found is not None:
        return found
    return AlertSettingsItem(*keys.alert_settings(tenant_id), tenant_id=tenant_id, events=dict(rules.DEFAULT_EVENTS),
                             daily_summary_at=rules.DEFAULT_SUMMARY_AT, overdue_hours=rules.DEFAULT_OVERDUE_HOURS)


def _bot_username() -> str | None:
    config = alert_delivery()
    if config.telegram_bot_username:
        return config.telegram_bot_username
    bot = outbox._telegram()
    if bot is None:
        return None
    try:
        return bot.get_me().get("username")
    except Exception:  # the link cannot be built without it; the caller says so
        log.exception("getMe failed")
        return None


def settings_view(item: AlertSettingsItem) -> dict:
    return {"telegram_chat_ids": sorted(item.telegram_chat_ids or ()),
            "chats": dict(item.chat_titles.as_dict()) if item.chat_titles else {},
            "events": rules.events_with_defaults(item.events.as_dict() if item.events else None),
            "daily_summary_at": item.daily_summary_at or rules.DEFAULT_SUMMARY_AT,
            "overdue_hours": int(item.overdue_hours or rules.DEFAULT_OVERDUE_HOURS),
            "telegram_bot": alert_delivery().telegram_bot_username or None}


def get_settings(principal: Principal) -> dict:
    return settings_view(_settings_item(principal.tenant_id))


def _index_slot(item: AlertSettingsItem) -> None:
    """Put the shop in the summary job's quarter hour, or out of the index when the summary is off."""
    events = rules.events_with_defaults(item.events.as_dict() if item.events else None)
    if events["daily_summary"]:
        zone = staff.get_shop(item.tenant_id)["timezone"] or "Asia/Ho_Chi_Minh"
        item.timezone = zone
        item.gsi1pk = keys.summary_slot(rules.summary_slot(item.daily_summary_at, zone, clock.now()))
        item.gsi1sk = item.tenant_id
    else:
        item.gsi1pk = item.gsi1sk = None


def _save(actor: Principal, item: AlertSettingsItem, before: dict, action: str) -> dict:
    _index_slot(item)
    after = settings_view(item)
    uow = UnitOfWork(actor)
    uow.put(item, on_fail=lambda: VersionMismatch("The alert settings were changed meanwhile; reload and retry."))
    audited = {k: v for k, v in after.items() if k != "telegram_bot"}
    uow.audit(action, "setting", "alerts", before={k: before[k] for k in audited}, after=audited)
    uow.commit(after, 200)
    outbox.forget_settings(uow.actor.tenant_id)
    return after


def put_settings(actor: Principal, changes: dict) -> dict:
    item = _settings_item(actor.tenant_id)
    before = settings_view(item)
    if changes.get("telegram_chat_ids") is not None:
        chats = set(changes["telegram_chat_ids"])
        item.telegram_chat_ids = chats or None
        titles = item.chat_titles.as_dict() if item.chat_titles else {}
        item.chat_titles = {k: v for k, v in titles.items() if k in chats} or None
    if changes.get("events") is not None:
        item.events = rules.events_with_defaults(changes["events"])
    if changes.get("daily_summary_at") is not None:
        item.daily_summary_at = changes["daily_summary_at"]
    if changes.get("overdue_hours") is not None:
        item.overdue_hours = changes["overdue_hours"]
    return _save(actor, item, before, "alert_settings.updated")


# --- linking a Telegram chat -----------------------------------------------------------------------
def new_telegram_link(actor: Principal) -> dict:
    """A single-use code for https://t.me/<bot>?start=<code>: the shop id, then an unguessable secret
    (the webhook finds the shop from the code; the secret is its key)."""
    username = _bot_username()
    if not username:
        raise InvalidInput("The Telegram bot is not configured on this deployment.",
                           errors=[{"field": "telegram_bot", "message": "set QUAY_TELEGRAM_BOT_USERNAME"}])
    secret = secrets.token_urlsafe(15).replace("-", "_")
    expires = clock.now() + timedelta(minutes=LINK_MINUTES)
    code = f"{actor.tenant_id}-{secret}"
    answer = {"code": code, "url": f"https://t.me/{username}?start={code}", "expires_at": clock.iso(expires)}
    uow = UnitOfWork(actor)  # with the request's Idempotency-Key: a retried request gets the same code
    uow.put(TelegramLinkItem(*keys.telegram_link(actor.tenant_id, secret), tenant_id=actor.tenant_id,
                             staff_id=actor.staff_id, expires_at=clock.iso(expires), ttl=expires))
    uow.commit(answer, 201)
    return answer


def telegram_webhook(headers: dict, raw_body: bytes) -> dict:
    """Telegram's update: only `/start <code>` does something (links that chat, answers in it)."""
    from chalicelib.alerts.providers.telegram import parse_update

    link = parse_update(headers, raw_body, alert_delivery().telegram_webhook_secret)
    if link is None:
        return {"ok": True}
    linked = _use_link(link)
    bot = outbox._telegram()
    if bot is not None:
        text = (f"✅ Đã liên kết với cửa hàng <b>{_escape(linked)}</b>. Quay sẽ gửi cảnh báo vào đây."
                if linked else "Mã liên kết không hợp lệ hoặc đã hết hạn. Hãy tạo mã mới trong ứng dụng Quay.")
        try:
            bot.send_message(link.chat_id, text)
        except Exception:  # the link is made; a failed greeting must not make Telegram resend the update
            log.exception("could not answer the /start message")
    return {"ok": True, "linked": bool(linked)}


def _escape(text: str) -> str:
    import html

    return html.escape(text, quote=False)


def _use_link(link) -> str | None:
    """Consume the code and add the chat, in one transaction: the shop's name, or None if the code is
    unknown, used or expired."""
    tenant_id, _, secret = link.code.partition("-")
    if not tenant_id or not secret:
        return None
    code_item = db.get_or_none(TelegramLinkItem, *keys.telegram_link(tenant_id, secret))
    if code_item is None or code_item.expires_at <= clock.now_iso():
        return None
    actor = Principal.system(tenant_id)
    item = _settings_item(tenant_id)
    before = settings_view(item)
    chat = str(link.chat_id)
    item.telegram_chat_ids = set(item.telegram_chat_ids or ()) | {chat}
    item.chat_titles = {**(item.chat_titles.as_dict() if item.chat_titles else {}), chat: link.chat_title[:100]}
    _index_slot(item)
    after = settings_view(item)
    uow = UnitOfWork(actor)
    uow.delete(code_item, condition=TelegramLinkItem.pk.exists())
    uow.put(item)
    audited = {k: v for k, v in after.items() if k != "telegram_bot"}
    uow.audit("alert_settings.telegram_linked", "setting", "alerts",
              before={k: before[k] for k in audited}, after=audited)
    try:
        uow.commit()
        outbox.forget_settings(uow.actor.tenant_id)
    except Exception:
        log.exception("telegram link %s could not be used", tenant_id)
        return None
    return staff.get_shop(tenant_id)["name"]


# --- Web Push ------------------------------------------------------------------------------------
def push_key() -> dict:
    private = alert_delivery().vapid_private_key
    if not private:
        return {"public_key": None}
    from chalicelib.alerts.providers.webpush import vapid_public_key

    return {"public_key": vapid_public_key(private)}


def subscribe(actor: Principal, data: dict) -> dict:
    from chalicelib.alerts.providers.webpush import PushSubscription

    subscription = PushSubscription.from_json(data, allow_http=settings.stage == "local")
    digest = rules.digest(subscription.endpoint)
    saved = subscription.to_json()
    answer = {"id": digest, "endpoint": subscription.endpoint}
    uow = UnitOfWork(actor)
    uow.put(PushSubscriptionItem(keys.push_subscriptions(actor.tenant_id), keys.push_subscription_sk(digest),
                                 tenant_id=actor.tenant_id, staff_id=actor.staff_id, endpoint=subscription.endpoint,
                                 p256dh=saved["keys"]["p256dh"], auth=saved["keys"]["auth"], created_at=clock.now_iso()))
    uow.commit(answer, 201)
    return answer


def unsubscribe(actor: Principal, endpoint: str) -> dict:
    digest = rules.digest(endpoint)
    item = db.get_or_none(PushSubscriptionItem, keys.push_subscriptions(actor.tenant_id),
                          keys.push_subscription_sk(digest))
    if item is None:
        raise NotFound("No such push subscription.")
    answer = {"id": digest, "endpoint": endpoint}
    uow = UnitOfWork(actor)
    uow.delete(item, condition=PushSubscriptionItem.pk.exists(), on_fail=lambda: NotFound("No such push subscription."))
    uow.commit(answer, 200)
    return answer


# --- recent alerts -------------------------------------------------------------------------------
def list_alerts(principal: Principal, limit: int, cursor: str | None) -> dict:
    start = paging.decode(cursor, keys.cursor_scope(principal.tenant_id))
    results = db.alerts_of_shop(keys.alerts_by_time(principal.tenant_id), limit, start)
    items = [outbox.alert_view(item) for item in results]
    return {"items": items, "next_cursor": paging.encode(results.last_evaluated_key)}


def retry(principal: Principal, alert_id: str) -> dict:
    item = db.get_or_none(AlertItem, *keys.alert(principal.tenant_id, alert_id))
    if item is None:
        raise NotFound("No such alert.")
    if item.status != "sent":
        item.status, item.attempts = "pending", 0
        item.delivered = set(item.delivered or ()) - set(item.gave_up or ()) or None
        item.gave_up = None
        outbox.deliver(item)
    answer = outbox.alert_view(item)
    if idempotency.current() is not None:  # stores only the answer, under the request's Idempotency-Key
        UnitOfWork(principal).commit(answer, 200)
    return answer
