"""Emitting, delivering and receiving webhook events.

Deliveries are rows first (written in the caller's transaction), HTTP second: a crash between the two
leaves a pending row that ``deliver_due`` retries, never an event lost or sent for a rolled-back change.
"""

import json
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.session import SessionLocal
from app.integrations.webhooks.destinations import DestinationRefused, check_delivery_url
from app.integrations.webhooks.models import ReceivedWebhook, WebhookDelivery, WebhookSubscription
from app.integrations.webhooks.settings import get_webhook_settings
from app.integrations.webhooks.signing import SIGNATURE_HEADER, sign

logger = logging.getLogger("app.webhooks")
TIMEOUT_SECONDS = 10.0
BACKOFF_BASE_SECONDS = 30
BACKOFF_MAX_SECONDS = 6 * 3600
WILDCARD = "*"

IncomingHandler = Callable[[AsyncSession, ReceivedWebhook], Awaitable[None]]
_handlers: dict[str, list[IncomingHandler]] = {}


def backoff_seconds(attempts: int) -> int:
    """Delay before the next try after ``attempts`` failures: 30 s, 60 s, 120 s... capped at 6 h."""
    return min(BACKOFF_BASE_SECONDS * 2 ** (attempts - 1), BACKOFF_MAX_SECONDS)


def matches(subscription: WebhookSubscription, event_type: str) -> bool:
    return WILDCARD in subscription.event_types or event_type in subscription.event_types


async def emit(session: AsyncSession, event_type: str, payload: dict[str, Any]) -> list[WebhookDelivery]:
    """Queue ``event_type`` for every active subscription that wants it; the caller commits."""
    subscriptions = await session.scalars(select(WebhookSubscription).where(WebhookSubscription.is_active.is_(True)))
    now = datetime.now(UTC)
    deliveries = [
        WebhookDelivery(subscription_id=subscription.id, event_type=event_type, payload=payload, status="pending",
                        attempts=0, next_attempt_at=now)
        for subscription in subscriptions
        if matches(subscription, event_type)
    ]
    session.add_all(deliveries)
    await session.flush()
    return deliveries


def envelope(delivery: WebhookDelivery) -> bytes:
    """The exact bytes sent (and signed): the delivery id is the receiver's idempotency key."""
    body = {"id": str(delivery.id), "type": delivery.event_type, "data": delivery.payload}
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


async def deliver(
    delivery_id: int, *, session: AsyncSession | None = None, client: httpx.AsyncClient | None = None
) -> WebhookDelivery:
    """Send one delivery now and record the outcome: success, or the next retry time, or failed for good."""
    if session is None:
        async with SessionLocal() as own_session:
            return await deliver(delivery_id, session=own_session, client=client)
    if client is None:
        async with httpx.AsyncClient(timeout=TIMEOUT_SECONDS) as own_client:
            return await deliver(delivery_id, session=session, client=own_client)

    row = (
        await session.execute(
            select(WebhookDelivery, WebhookSubscription)
            .join(WebhookSubscription, WebhookSubscription.id == WebhookDelivery.subscription_id)
            .where(WebhookDelivery.id == delivery_id)
        )
    ).one()
    delivery, subscription = row
    if delivery.status == "succeeded":
        return delivery
    body = envelope(delivery)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "webhooks/1.0",
        "X-Webhook-Id": str(delivery.id),
        "X-Webhook-Event": delivery.event_type,
        SIGNATURE_HEADER: sign(subscription.secret, body),
    }
    delivery.attempts += 1
    settings = get_webhook_settings()
    error: str | None = None
    status_code: int | None = None
    permanent = False  # retrying cannot help
    if not subscription.is_active:
        error, permanent = "subscription is inactive", True
    else:
        try:
            if not settings.WEBHOOK_ALLOW_PRIVATE_URLS:
                await check_delivery_url(subscription.url)
            # No redirects (httpx's default): a public URL must not bounce the request into the private network.
            response = await client.post(subscription.url, content=body, headers=headers, follow_redirects=False)
            status_code = response.status_code
            if not response.is_success:
                error = f"HTTP {status_code}: {response.text[:500]}"
        except DestinationRefused as exc:
            error, permanent = f"refused destination: {exc}", True
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"[:1000]

    now = datetime.now(UTC)
    delivery.response_status = status_code
    delivery.last_error = error
    if error is None:
        delivery.status, delivery.next_attempt_at = "succeeded", None
    elif permanent or delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        delivery.status, delivery.next_attempt_at = "failed", None
    else:
        delivery.status = "pending"
        delivery.next_attempt_at = now + timedelta(seconds=backoff_seconds(delivery.attempts))
    await session.commit()
    logger.info("webhook delivery %s to %s: attempt %s, %s (%s)", delivery.id, subscription.url, delivery.attempts,
                delivery.status, error or status_code)
    return delivery


async def deliver_due(session: AsyncSession, *, client: httpx.AsyncClient | None = None, limit: int = 100) -> int:
    """Send every pending delivery whose next attempt is due; returns how many were tried."""
    ids = list(
        await session.scalars(
            select(WebhookDelivery.id)
            .where(WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= datetime.now(UTC))
            .order_by(WebhookDelivery.next_attempt_at)
            .limit(limit)
        )
    )
    for delivery_id in ids:
        await deliver(delivery_id, session=session, client=client)
    return len(ids)


def on_incoming(source: str) -> Callable[[IncomingHandler], IncomingHandler]:
    """Register ``handler(session, event)`` for events received at ``/webhooks/incoming/<source>``."""

    def register(handler: IncomingHandler) -> IncomingHandler:
        _handlers.setdefault(source, []).append(handler)
        return handler

    return register


async def receive(session: AsyncSession, event: ReceivedWebhook) -> bool:
    """Record and process ``event`` once; False when (source, event id) was seen before.

    The handlers run in the same transaction as the record: if one fails, nothing is kept and the
    sender's retry processes the event again.
    """
    seen = await session.scalar(
        select(ReceivedWebhook.id).where(ReceivedWebhook.source == event.source, ReceivedWebhook.event_id == event.event_id)
    )
    if seen is not None:
        return False
    session.add(event)
    try:
        await session.flush()
    except IntegrityError:  # a concurrent copy of the same event won the race
        await session.rollback()
        return False
    for handler in _handlers.get(event.source, []):
        await handler(session, event)
    await session.commit()
    return True
