"""The outbox: every alert is one item per (shop, alert key), created once (a replayed stream record
or a job run twice finds it there and stops), then delivered to the shop's Telegram chats (and, for
new and problem orders, to subscribed staff browsers). A failed delivery stays pending with its
error and a next attempt (backoff, or Telegram's retry_after); the sender job picks those up."""
from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta

from chalicelib.alerts import messages, rules
from chalicelib.alerts import store as db
from chalicelib.alerts.providers.base import DeliveryError, RateLimited, RecipientGone
from chalicelib.alerts.store import AlertItem, AlertSettingsItem, PushSubscriptionItem
from chalicelib.core import clock, keys
from chalicelib.core.cache import ShortLived
from chalicelib.core.settings import alert_delivery

log = logging.getLogger("quay.alerts")
TELEGRAM_WAIT_SECONDS = 3.0  # a sender waits at most this long for Telegram's retry_after; longer goes back to the queue


class NotConfigured(DeliveryError):
    retryable = True


_settings = ShortLived(5)  # every stream record asks; a save in this Lambda forgets it at once


def load_settings(tenant_id: str) -> AlertSettingsItem | None:
    return _settings.get(tenant_id, lambda: db.get_or_none(AlertSettingsItem, *keys.alert_settings(tenant_id),
                                                           consistent=False))


def forget_settings(tenant_id: str) -> None:
    _settings.forget(tenant_id)


def _due_index(tenant_id: str, digest: str, moment: datetime) -> tuple[str, str]:
    return (keys.alerts_due(rules.shard_of(f"{tenant_id}#{digest}", keys.ALERT_SHARDS)),
            f"{clock.iso(moment)}#{tenant_id}#{digest}")


def notify(tenant_id: str, event: str, alert_key: str, *, text: str | None = None, context: dict | None = None,
           url: str | None = None, deliver_now: bool = True) -> AlertItem | None:
    """Queue the alert if the shop wants this event and has somewhere to send it; send it now.
    None when the shop does not want it or it was queued before (sent once)."""
    settings = load_settings(tenant_id)
    events = rules.events_with_defaults(settings.events.as_dict() if settings and settings.events else None)
    if not events.get(event):
        return None
    push = event in rules.PUSHED_EVENTS
    if not (settings and settings.telegram_chat_ids) and not (push and _subscriptions(tenant_id)):
        return None
    now = clock.now()
    digest = rules.digest(alert_key)
    lease = now + timedelta(seconds=rules.LEASE_SECONDS) if deliver_now else now
    due_pk, due_sk = _due_index(tenant_id, digest, lease)
    item = AlertItem(*keys.alert(tenant_id, digest), gsi1pk=keys.alerts_by_time(tenant_id),
                     gsi1sk=f"{clock.iso(now)}#{digest}", gsi2pk=due_pk, gsi2sk=due_sk, tenant_id=tenant_id,
                     alert_id=digest, alert_key=alert_key, event=event, text=text,
                     context=json.dumps(context, ensure_ascii=False) if context is not None else None, push=push,
                     url=url, status="pending", attempts=0, next_attempt=clock.iso(lease), created_at=clock.iso(now))
    if not db.save_if_new(item):
        return None
    if deliver_now:
        deliver(item)
    return item


def _subscriptions(tenant_id: str) -> list[PushSubscriptionItem]:
    return db.push_subscriptions_of(keys.push_subscriptions(tenant_id))


def _render(item: AlertItem) -> str:
    if item.text:
        return item.text
    context = json.loads(item.context or "{}")
    if item.event == "daily_summary":
        from chalicelib.alerts import summary

        return messages.daily_summary(summary.figures(item.tenant_id, context["date"], context["zone"]))
    raise ValueError(f"nothing to render for {item.event}")


def _telegram():
    config = alert_delivery()
    if not config.telegram_bot_token:
        return None
    from chalicelib.alerts.providers.telegram import TelegramBot

    return TelegramBot(config.telegram_bot_token, api_base=config.telegram_api_base,
                       retry_budget_seconds=TELEGRAM_WAIT_SECONDS)


def _webpush():
    config = alert_delivery()
    if not config.vapid_private_key:
        return None
    from chalicelib.alerts.providers.webpush import WebPushSender

    return WebPushSender(config.vapid_private_key, config.vapid_subject, urgency="high")


def _recipients(item: AlertItem) -> list[tuple[str, str, object]]:
    settings = load_settings(item.tenant_id)
    chats = sorted(settings.telegram_chat_ids or ()) if settings else []
    recipients: list[tuple[str, str, object]] = [(f"tg:{chat}", "telegram", chat) for chat in chats]
    if item.push:
        recipients += [(f"wp:{sub.sk}", "webpush", sub) for sub in _subscriptions(item.tenant_id)]
    return recipients


def _send_one(kind: str, target, text: str, url: str | None) -> None:
    if kind == "telegram":
        bot = _telegram()
        if bot is None:
            raise NotConfigured("The Telegram bot is not configured (QUAY_TELEGRAM_BOT_TOKEN).")
        bot.deliver(int(target) if str(target).lstrip("-").isdigit() else target, text)
        return
    sender = _webpush()
    if sender is None:
        raise NotConfigured("Web Push is not configured (QUAY_VAPID_PRIVATE_KEY).")
    from chalicelib.alerts.providers.webpush import PushSubscription, unb64url

    sender.deliver(PushSubscription(target.endpoint, unb64url(target.p256dh), unb64url(target.auth)), text, url=url)


def deliver(item: AlertItem) -> AlertItem:
    """Send to every recipient not yet done; record what happened on the item (one save)."""
    delivered = set(item.delivered or ())
    gave_up = set(item.gave_up or ())
    errors: list[str] = []
    retry_after: float | None = None
    retryable = False
    try:
        text = _render(item)
        if item.text is None:
            item.text = text
        recipients = _recipients(item)
    except Exception as error:  # a render that fails is retried like a send
        log.exception("alert %s could not be prepared", item.alert_key)
        recipients, text, retryable = [], "", True
        errors.append(f"prepare: {error}")
    for recipient_id, kind, target in recipients:
        if recipient_id in delivered:
            continue
        try:
            _send_one(kind, target, text, item.url)
            delivered.add(recipient_id)
        except RecipientGone as gone:
            delivered.add(recipient_id)
            gave_up.add(recipient_id)
            errors.append(f"{recipient_id}: {gone}")
            if kind == "webpush":
                db.delete_if_exists(target)
        except DeliveryError as error:
            errors.append(f"{recipient_id}: {error}")
            if error.retryable:
                retryable = True
                if isinstance(error, RateLimited) and error.retry_after:
                    retry_after = max(retry_after or 0.0, error.retry_after)
            else:
                delivered.add(recipient_id)
                gave_up.add(recipient_id)
    now = clock.now()
    item.attempts = int(item.attempts or 0) + 1
    item.delivered = delivered or None
    item.gave_up = gave_up or None
    item.last_error = "; ".join(errors)[:1000] if errors else None
    if retryable and item.attempts < rules.MAX_ATTEMPTS:
        item.status = "pending"
        moment = now + rules.backoff(item.attempts, retry_after)
        item.next_attempt = clock.iso(moment)
        item.gsi2pk, item.gsi2sk = _due_index(item.tenant_id, item.alert_id, moment)
    else:
        item.status = "failed" if errors else "sent"
        item.sent_at = clock.iso(now) if not errors or delivered else None
        item.next_attempt = item.gsi2pk = item.gsi2sk = None
    if not db.save_if_unchanged(item):
        log.warning("alert %s changed while it was being sent", item.alert_key)
    return item


def send_due(limit_per_shard: int = 50) -> dict:
    """The sender job: every shard's items whose next attempt has come, each claimed (a version-guarded
    save that moves its next attempt a lease ahead) before it is sent, so two senders never both send."""
    now = clock.now()
    sent = failed = skipped = 0
    for shard in range(keys.ALERT_SHARDS):
        for item in db.alerts_due_by(keys.alerts_due(shard), clock.iso(now), limit_per_shard):
            lease = now + timedelta(seconds=rules.LEASE_SECONDS)
            item.next_attempt = clock.iso(lease)
            item.gsi2pk, item.gsi2sk = _due_index(item.tenant_id, item.alert_id, lease)
            if not db.save_if_unchanged(item):
                skipped += 1
                continue
            outcome = deliver(item)
            sent += outcome.status == "sent"
            failed += outcome.status != "sent"
    return {"sent": sent, "not_sent": failed, "claimed_elsewhere": skipped}


def alert_view(item: AlertItem) -> dict:
    return {"id": item.alert_id, "event": item.event, "status": item.status, "attempts": int(item.attempts or 0),
            "last_error": item.last_error, "next_attempt": item.next_attempt, "created_at": item.created_at,
            "sent_at": item.sent_at, "text": messages.plain_text(item.text) if item.text else None}
