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
    public_base_url: str = "http://localhost:8000"   # where platforms reach our webhooks and OAuth callbacks
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
        public_base_url=os.environ.get("QUAY_PUBLIC_BASE_URL", "http://localhost:8000").rstrip("/"),
        channel_queue_url=os.environ.get("QUAY_CHANNEL_QUEUE_URL") or None,
    )


settings = load()
