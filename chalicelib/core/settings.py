"""Settings read once from the environment (set per stage in .chalice/config.json)."""
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    stage: str
    table_name: str
    dynamodb_endpoint: str | None
    region: str
    token_secret: str
    access_token_seconds: int
    max_body_bytes: int
    public_base_url: str        # the API's public address: carriers' and platforms' webhooks, OAuth callbacks
    ghn_api_base: str
    ghtk_api_base: str
    viettelpost_api_base: str
    viettel_invoice_api_base: str  # Viettel S-Invoice; a shop's sandbox api_base overrides it
    facebook_graph_base: str
    facebook_app_secret: str
    channel_queue_url: str | None = None         # SQS queue of channel work; unset: worked in-process (local)


def load() -> Settings:
    return Settings(
        stage=os.environ.get("QUAY_STAGE", "local"),
        table_name=os.environ.get("QUAY_TABLE", "quay-local"),
        dynamodb_endpoint=os.environ.get("QUAY_DYNAMODB_ENDPOINT") or None,
        region=os.environ.get("AWS_DEFAULT_REGION", "ap-southeast-1"),
        token_secret=os.environ.get("QUAY_TOKEN_SECRET", ""),
        access_token_seconds=int(os.environ.get("QUAY_ACCESS_TOKEN_SECONDS", "900")),
        max_body_bytes=int(os.environ.get("QUAY_MAX_BODY_BYTES", str(1024 * 1024))),
        public_base_url=os.environ.get("QUAY_PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/"),
        ghn_api_base=os.environ.get("QUAY_GHN_API_BASE", "https://online-gateway.ghn.vn"),
        ghtk_api_base=os.environ.get("QUAY_GHTK_API_BASE", "https://services.giaohangtietkiem.vn"),
        viettelpost_api_base=os.environ.get("QUAY_VIETTELPOST_API_BASE", "https://partner.viettelpost.vn"),
        viettel_invoice_api_base=os.environ.get("QUAY_VIETTEL_SINVOICE_API_BASE", "https://api-vinvoice.viettel.vn"),
        facebook_graph_base=os.environ.get("QUAY_FACEBOOK_GRAPH_BASE", "https://graph.facebook.com"),
        facebook_app_secret=os.environ.get("QUAY_FACEBOOK_APP_SECRET", ""),
        channel_queue_url=os.environ.get("QUAY_CHANNEL_QUEUE_URL") or None,
    )


settings = load()


@dataclass(frozen=True)
class AlertDelivery:
    """The deployment's one Telegram bot and one VAPID identity (read at use, so a test or a stage
    can point them at fakes). Secrets here are never returned by any route."""
    telegram_bot_token: str
    telegram_api_base: str
    telegram_bot_username: str
    telegram_webhook_secret: str
    vapid_private_key: str
    vapid_subject: str
    app_url: str


def alert_delivery(environ=None) -> AlertDelivery:
    environ = os.environ if environ is None else environ
    return AlertDelivery(
        telegram_bot_token=environ.get("QUAY_TELEGRAM_BOT_TOKEN", ""),
        telegram_api_base=environ.get("QUAY_TELEGRAM_API_BASE") or "https://api.telegram.org",
        telegram_bot_username=environ.get("QUAY_TELEGRAM_BOT_USERNAME", ""),
        telegram_webhook_secret=environ.get("QUAY_TELEGRAM_WEBHOOK_SECRET", ""),
        vapid_private_key=environ.get("QUAY_VAPID_PRIVATE_KEY", ""),
        vapid_subject=environ.get("QUAY_VAPID_SUBJECT") or "mailto:ops@quay.vn",
        app_url=(environ.get("QUAY_APP_URL") or "https://app.quay.vn").rstrip("/"),
    )
