"""Request and answer shapes of the alert routes (API.md, "Alerts")."""
import re

from pydantic import BaseModel, Field, StrictBool, StrictInt, StrictStr, field_validator

from chalicelib.alerts.rules import EVENTS
from chalicelib.core.schemas import Strict


class Events(Strict):
    new_order: StrictBool = False
    problem_order: StrictBool = True
    overdue_order: StrictBool = True
    low_stock: StrictBool = True
    daily_summary: StrictBool = True
    settings_changed: StrictBool = True
    channel_error: StrictBool = True


class AlertSettingsIn(Strict):
    telegram_chat_ids: list[StrictStr] | None = Field(None, max_length=10)
    events: Events | None = None
    daily_summary_at: StrictStr | None = Field(None, description="HH:MM, the shop's local time")
    overdue_hours: StrictInt | None = Field(None, ge=1, le=24 * 14)

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


class AlertQuery(Strict):
    limit: int = Field(30, ge=1, le=100)
    cursor: str | None = Field(None, max_length=1024)


class PushKeyOut(BaseModel):
    public_key: str | None


class PushKeys(Strict):
    p256dh: StrictStr = Field(max_length=200)
    auth: StrictStr = Field(max_length=100)


class PushSubscriptionIn(Strict):
    endpoint: StrictStr = Field(max_length=1000)
    keys: PushKeys
    expirationTime: StrictInt | float | None = None  # the browser's own name


class PushUnsubscribeIn(Strict):
    endpoint: StrictStr = Field(max_length=1000)


class PushSubscriptionOut(BaseModel):
    id: str
    endpoint: str


EVENT_NAMES = EVENTS
