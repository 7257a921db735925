"""Locations: warehouses and stores."""
from typing import Literal

from pydantic import Field, field_validator

from chalicelib.core.channels import Channel
from chalicelib.core.schemas import Out, Strict


class ChannelPriority(Strict):
    channel: Channel
    priority: int = Field(100, ge=1, le=1000, description="lower is tried first")


class LocationIn(Strict):
    name: str = Field(min_length=1, max_length=120)
    kind: Literal["warehouse", "store"]
    channels: list[ChannelPriority | Channel] = Field(default_factory=list, max_length=14)
    address: str | None = Field(None, max_length=300)

    @field_validator("channels")
    @classmethod
    def one_entry_per_channel(cls, value):
        entries = [v if isinstance(v, ChannelPriority) else ChannelPriority(channel=v) for v in value]
        names = [e.channel for e in entries]
        if len(names) != len(set(names)):
            raise ValueError("a channel is listed twice")
        return entries


class ChannelPriorityOut(Out):
    channel: str
    priority: int


class LocationOut(Out):
    id: str
    name: str
    kind: str
    address: str | None
    active: bool
    channels: list[ChannelPriorityOut]


class LocationList(Out):
    items: list[LocationOut]
    next_cursor: str | None = None
