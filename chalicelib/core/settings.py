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


def load() -> Settings:
    return Settings(
        stage=os.environ.get("QUAY_STAGE", "local"),
        table_name=os.environ.get("QUAY_TABLE", "quay-local"),
        dynamodb_endpoint=os.environ.get("QUAY_DYNAMODB_ENDPOINT") or None,
        region=os.environ.get("AWS_DEFAULT_REGION", "ap-southeast-1"),
        token_secret=os.environ.get("QUAY_TOKEN_SECRET", ""),
        access_token_seconds=int(os.environ.get("QUAY_ACCESS_TOKEN_SECONDS", "900")),
        max_body_bytes=int(os.environ.get("QUAY_MAX_BODY_BYTES", str(1024 * 1024))),
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
