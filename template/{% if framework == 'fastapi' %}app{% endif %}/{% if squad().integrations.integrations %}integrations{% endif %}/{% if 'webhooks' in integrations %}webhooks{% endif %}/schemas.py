"""Request and response bodies of the webhook endpoints."""

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from app.schemas.common import HTTP_URL

EventType = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.*-]+$")]


class SubscriptionCreate(BaseModel):
    url: Annotated[str, Field(max_length=2048, pattern=HTTP_URL)]
    event_types: Annotated[list[EventType], Field(min_length=1, max_length=100)]


class SubscriptionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    url: str
    event_types: list[str]
    is_active: bool
    created_at: datetime


class SubscriptionCreated(SubscriptionRead):
    secret: str = Field(description="Signs every delivery; shown only now.")


class DeliveryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    subscription_id: int
    event_type: str
    payload: dict[str, Any]
    status: str
    attempts: int
    next_attempt_at: datetime | None
    response_status: int | None
    last_error: str | None
    created_at: datetime


class IncomingAccepted(BaseModel):
    received: bool = True
    duplicate: bool
