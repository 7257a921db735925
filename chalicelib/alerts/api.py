"""Routes: alert settings, linking Telegram, the bot's webhook, recent alerts, Web Push."""
from chalice import Blueprint

from chalicelib.alerts.schemas import (
    AlertList,
    AlertOut,
    AlertQuery,
    AlertSettingsIn,
    AlertSettingsOut,
    PushKeyOut,
    PushSubscriptionIn,
    PushSubscriptionOut,
    PushUnsubscribeIn,
    TelegramLinkOut,
)
from chalicelib.core.endpoint import endpoint
from chalicelib.core.lazy import lazy

alerts = lazy("chalicelib.alerts.service")

alert_routes = Blueprint(__name__)
TAG = "Alerts"


@endpoint(alert_routes, "/api/v1/alert-settings", "GET", summary="Alert settings of the shop", tag=TAG,
          response=AlertSettingsOut, permission="shop.manage", errors=(401, 403))
def get_alert_settings(caller):
    return alerts.get_settings(caller)


@endpoint(alert_routes, "/api/v1/alert-settings", "PUT", summary="Change alert settings", tag=TAG,
          body=AlertSettingsIn, response=AlertSettingsOut, permission="shop.manage", errors=(400, 401, 403, 409))
def put_alert_settings(caller, body: AlertSettingsIn):
    return alerts.put_settings(caller, body.model_dump(exclude_unset=True))


@endpoint(alert_routes, "/api/v1/alert-settings/telegram-link", "POST", summary="A t.me link that links a chat",
          tag=TAG, response=TelegramLinkOut, status=201, permission="shop.manage", errors=(400, 401, 403))
def telegram_link(caller):
    return alerts.new_telegram_link(caller)


@endpoint(alert_routes, "/api/v1/webhooks/telegram", "POST", summary="Telegram Bot API updates (/start <code>)",
          tag=TAG, public=True, errors=(400, 401))
def telegram_webhook():
    request = alert_routes.current_request
    return alerts.telegram_webhook(dict(request.headers), request.raw_body or b"")


@endpoint(alert_routes, "/api/v1/alerts", "GET", summary="Recent alerts with their delivery status", tag=TAG,
          query=AlertQuery, response=AlertList, permission="reports.view", errors=(400, 401, 403))
def list_alerts(caller, query: AlertQuery):
    return alerts.list_alerts(caller, query.limit, query.cursor)


@endpoint(alert_routes, "/api/v1/alerts/{alert_id}/retry", "POST", summary="Send a failed alert again", tag=TAG,
          response=AlertOut, permission="reports.view", errors=(401, 403, 404))
def retry_alert(caller, alert_id: str):
    return alerts.retry(caller, alert_id)


@endpoint(alert_routes, "/api/v1/push/key", "GET", summary="The VAPID public key (applicationServerKey)", tag=TAG,
          response=PushKeyOut, permission="orders.view", errors=(401, 403))
def push_key(caller):
    return alerts.push_key()


@endpoint(alert_routes, "/api/v1/push-subscriptions", "POST", summary="Notify this device (Web Push)", tag=TAG,
          body=PushSubscriptionIn, response=PushSubscriptionOut, status=201, permission="orders.view",
          errors=(400, 401, 403))
def subscribe(caller, body: PushSubscriptionIn):
    return alerts.subscribe(caller, body.model_dump())


@endpoint(alert_routes, "/api/v1/push-subscriptions", "DELETE", summary="Stop notifying this device", tag=TAG,
          body=PushUnsubscribeIn, response=PushSubscriptionOut, permission="orders.view", errors=(400, 401, 403, 404))
def unsubscribe(caller, body: PushUnsubscribeIn):
    return alerts.unsubscribe(caller, body.endpoint)
