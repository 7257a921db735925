"""Request and answer shapes of the alert routes (API.md, "Alerts")."""
import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

from chalicelib.alerts.rules import EVENTS


class Events(BaseModel):
    model_config = ConfigDict(extra="forbid")
    new_order: bool = False
    problem_order: bool = True
    overdue_order: bool = True
    low_stock: bool = True
    daily_summary: bool = True
    settings_changed: bool = True
    channel_error: bool = True


class AlertSettingsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    telegram_chat_ids: list[str] | None = Field(None, max_length=10)
    events: Events | None = None
    daily_summary_at: str | None = Field(None, description="HH:MM, the shop's local time")
    overdue_hours: int | None = Field(None, ge=1, le=24 * 14)

    @field_validator("daily_summary_at")
    @classmethod
    def _time(cls, value):
        if value is not None and not re.fullmatch(r"([01][0-9]|2[0-3]):[0-5][0-9]", value):
            raise ValueError("must be HH:MM (00:00-23:59)")
        return value

    @field_validator("telegram_chat_ids")
    @classmethod
    def _chats(cls, value):
        if value is not None and any(not re.fullmatch(r"-?[0-9]{1,20}|@[A-Za-z0-9_]{5,32}", x) for x in value):
            raise ValueError("each chat id is a number (or @channelname)")
        return value


class AlertSettingsOut(BaseModel):
    telegram_chat_ids: list[str]
    chats: dict[str, str]
    events: dict[str, bool]
    daily_summary_at: str
    overdue_hours: int
    telegram_bot: str | None


class TelegramLinkOut(BaseModel):
    code: str
    url: str
    expires_at: str


class AlertOut(BaseModel):
    id: str
    event: str
    status: str
    attempts: int
    last_error: str | None
    next_attempt: str | None
    created_at: str
    sent_at: str | None
    text: str | None


class AlertList(BaseModel):
    items: list[AlertOut]
    next_cursor: str | None


class AlertQuery(BaseModel):
    limit: int = Field(30, ge=1, le=100)
    cursor: str | None = Field(None, max_length=1024)


class PushKeyOut(BaseModel):
    public_key: str | None


class PushKeys(BaseModel):
    p256dh: str = Field(max_length=200)
    auth: str = Field(max_length=100)


class PushSubscriptionIn(BaseModel):
    endpoint: str = Field(max_length=1000)
    keys: PushKeys
    expirationTime: int | None = None  # the browser's own name


class PushUnsubscribeIn(BaseModel):
    endpoint: str = Field(max_length=1000)


class PushSubscriptionOut(BaseModel):
    id: str
    endpoint: str


EVENT_NAMES = EVENTS
