"""Webhook endpoints: a user's subscriptions and delivery log, and the signed incoming receiver."""

import json
import secrets
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Path, Query, Request, status
from sqlalchemy import select

from app.api.deps import CurrentPrincipal, SessionDep, Writer
from app.core.errors import problem_responses
from app.integrations.webhooks.destinations import DestinationRefused, check_registered_url
from app.integrations.webhooks.models import ReceivedWebhook, WebhookDelivery, WebhookSubscription
from app.integrations.webhooks.schemas import DeliveryRead, IncomingAccepted, SubscriptionCreate, SubscriptionCreated, SubscriptionRead
from app.integrations.webhooks.service import deliver, receive
from app.integrations.webhooks.settings import WebhookNotConfigured, get_webhook_settings
from app.integrations.webhooks.signing import SIGNATURE_HEADER, SignatureError, verify

router = APIRouter(prefix="/webhooks", tags=["webhooks"])
RowId = Annotated[int, Path(ge=1, le=2_147_483_647)]
Source = Annotated[str, Path(pattern=r"^[a-z0-9_-]{1,50}$")]
MAX_INCOMING_BYTES = 1_000_000


@router.post("/subscriptions", response_model=SubscriptionCreated, status_code=status.HTTP_201_CREATED,
             responses=problem_responses(401, 403, 422))
async def create_subscription(body: SubscriptionCreate, session: SessionDep, principal: Writer) -> SubscriptionCreated:
    """Register a URL for events; the signing secret is in this response only. Private addresses are refused."""
    if not get_webhook_settings().WEBHOOK_ALLOW_PRIVATE_URLS:
        try:
            check_registered_url(body.url)
        except DestinationRefused as exc:
            raise HTTPException(422, f"url: {exc}") from exc
    subscription = WebhookSubscription(owner_id=principal.user_id, url=body.url, event_types=sorted(set(body.event_types)),
                                       secret=f"whsec_{secrets.token_urlsafe(32)}", is_active=True)
    session.add(subscription)
    await session.commit()
    await session.refresh(subscription)
    return SubscriptionCreated(**SubscriptionRead.model_validate(subscription).model_dump(), secret=subscription.secret)


@router.get("/subscriptions", response_model=list[SubscriptionRead], responses=problem_responses(401))
async def list_subscriptions(session: SessionDep, principal: CurrentPrincipal) -> list[WebhookSubscription]:
    rows = await session.scalars(
        select(WebhookSubscription).where(WebhookSubscription.owner_id == principal.user_id).order_by(WebhookSubscription.id)
    )
    return list(rows)


@router.delete("/subscriptions/{subscription_id}", status_code=status.HTTP_204_NO_CONTENT,
               responses=problem_responses(401, 403, 404, 422))
async def delete_subscription(subscription_id: RowId, session: SessionDep, principal: Writer) -> None:
    subscription = await session.scalar(
        select(WebhookSubscription).where(WebhookSubscription.id == subscription_id, WebhookSubscription.owner_id == principal.user_id)
    )
    if subscription is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"Subscription {subscription_id} not found.")
    await session.delete(subscription)  # its deliveries go with it (ON DELETE CASCADE)
    await session.commit()


@router.get("/deliveries", response_model=list[DeliveryRead], responses=problem_responses(401, 422))
async def list_deliveries(
    session: SessionDep, principal: CurrentPrincipal, limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> list[WebhookDelivery]:
    rows = await session.scalars(
        select(WebhookDelivery)
        .join(WebhookSubscription, WebhookSubscription.id == WebhookDelivery.subscription_id)
        .where(WebhookSubscription.owner_id == principal.user_id)
        .order_by(WebhookDelivery.id.desc())
        .limit(limit)
    )
    return list(rows)


@router.post("/deliveries/{delivery_id}/replay", response_model=DeliveryRead, responses=problem_responses(401, 403, 404, 422))
async def replay_delivery(delivery_id: RowId, session: SessionDep, principal: Writer) -> WebhookDelivery:
    """Send a delivery again now, whatever its state (the receiver de-duplicates by its id)."""
    delivery = await session.scalar(
        select(WebhookDelivery)
        .join(WebhookSubscription, WebhookSubscription.id == WebhookDelivery.subscription_id)
        .where(WebhookDelivery.id == delivery_id, WebhookSubscription.owner_id == principal.user_id)
    )
    if delivery is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"Delivery {delivery_id} not found.")
    delivery.status, delivery.next_attempt_at = "pending", datetime.now(UTC)
    await session.commit()
    return await deliver(delivery.id, session=session)


@router.post("/incoming/{source}", response_model=IncomingAccepted, responses=problem_responses(400, 413, 422, 503))
async def receive_incoming(
    source: Source,
    request: Request,
    session: SessionDep,
    signature: Annotated[str | None, Header(alias=SIGNATURE_HEADER)] = None,
) -> IncomingAccepted:
    """Verify the signature over the raw body, then record and process the event once per event id."""
    settings = get_webhook_settings()
    try:
        secret = settings.signing_secret()
    except WebhookNotConfigured as exc:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, str(exc)) from exc
    body = await request.body()
    if len(body) > MAX_INCOMING_BYTES:
        raise HTTPException(413, "Webhook body too large.")
    try:
        signed_at = verify(secret, body, signature, settings.WEBHOOK_TOLERANCE_SECONDS)
    except SignatureError as exc:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, f"Invalid webhook signature: {exc}.") from exc
    try:
        event = json.loads(body)
    except ValueError as exc:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "The body is not JSON.") from exc
    event_id = event.get("id") if isinstance(event, dict) else None
    if not isinstance(event_id, str | int) or isinstance(event_id, bool) or not str(event_id) or len(str(event_id)) > 255:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "The event needs an \"id\" (string, at most 255 characters).")
    event_type = event.get("type")
    record = ReceivedWebhook(
        source=source,
        event_id=str(event_id),
        event_type=str(event_type)[:100] if event_type is not None else None,
        payload=event,
        signed_at=datetime.fromtimestamp(signed_at, UTC),
    )
    created = await receive(session, record)
    return IncomingAccepted(duplicate=not created)
