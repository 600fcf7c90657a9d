"""Payment routes: start a Checkout session, open the customer portal, receive Stripe's webhooks."""

import asyncio
import json
import logging
from typing import Annotated, Any, Literal

import stripe
from fastapi import APIRouter, Depends, Header, HTTPException, Request, status
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.api.deps import SessionDep, Writer
from app.core.errors import problem_responses
from app.integrations.payments.client import stripe_client
from app.integrations.payments.models import StripeCustomer, StripeEvent
from app.integrations.payments.settings import PaymentsSettings, get_payments_settings
from app.integrations.payments.webhooks import HANDLERS
from app.models.user import User

logger = logging.getLogger("app.payments")
router = APIRouter(prefix="/payments", tags=["payments"])
SettingsDep = Annotated[PaymentsSettings, Depends(get_payments_settings)]


class CheckoutRequest(BaseModel):
    price_id: str = Field(min_length=1, max_length=255, examples=["price_123"])
    quantity: int = Field(default=1, ge=1, le=1000)
    mode: Literal["payment", "subscription"] = "subscription"


class CheckoutSession(BaseModel):
    id: str
    url: str | None


class PortalSession(BaseModel):
    url: str


class WebhookResult(BaseModel):
    received: bool = True
    duplicate: bool = False
    handled: bool = False


async def _call_stripe(function: Any, **params: Any) -> Any:
    """Run a (blocking) SDK call off the event loop; Stripe's refusals become problems the client can act on."""
    try:
        return await asyncio.to_thread(function, params=params)
    except stripe.InvalidRequestError as exc:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, f"Stripe refused the request: {exc.user_message or exc}") from exc
    except stripe.StripeError as exc:
        logger.warning("Stripe call failed: %s", exc)
        raise HTTPException(status.HTTP_502_BAD_GATEWAY, "Stripe could not be reached; try again.") from exc


@router.post("/checkout-session", response_model=CheckoutSession, responses=problem_responses(400, 401, 403, 502, 503))
async def create_checkout_session(body: CheckoutRequest, principal: Writer, session: SessionDep, settings: SettingsDep) -> CheckoutSession:
    """A hosted Checkout page for one price; the caller's Stripe customer is created on first use and reused."""
    client = stripe_client(settings)
    customer_id = await session.scalar(select(StripeCustomer.customer_id).where(StripeCustomer.user_id == principal.user_id))
    if customer_id is None:
        user = await session.get(User, principal.user_id)
        if user is None:
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Missing, invalid or expired credentials.")
        customer = await _call_stripe(client.v1.customers.create, email=user.email, metadata={"user_id": str(user.id)})
        session.add(StripeCustomer(user_id=user.id, customer_id=customer.id))
        await session.commit()
        customer_id = customer.id
    checkout = await _call_stripe(
        client.v1.checkout.sessions.create,
        mode=body.mode, customer=customer_id, client_reference_id=str(principal.user_id),
        line_items=[{"price": body.price_id, "quantity": body.quantity}],
        success_url=settings.STRIPE_SUCCESS_URL, cancel_url=settings.STRIPE_CANCEL_URL,
    )
    return CheckoutSession(id=checkout.id, url=checkout.url)


@router.post("/customer-portal", response_model=PortalSession, responses=problem_responses(401, 404, 502, 503))
async def create_portal_session(principal: Writer, session: SessionDep, settings: SettingsDep) -> PortalSession:
    """Stripe's hosted portal, where customers change plans, cards and cancel (no billing UI to build)."""
    client = stripe_client(settings)
    customer_id = await session.scalar(select(StripeCustomer.customer_id).where(StripeCustomer.user_id == principal.user_id))
    if customer_id is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "No Stripe customer for this user yet: start a checkout first.")
    portal = await _call_stripe(
        client.v1.billing_portal.sessions.create, customer=customer_id, return_url=settings.STRIPE_PORTAL_RETURN_URL,
    )
    return PortalSession(url=portal.url)


@router.post("/webhook", response_model=WebhookResult, responses=problem_responses(400, 503))
async def receive_webhook(
    request: Request, session: SessionDep, settings: SettingsDep, stripe_signature: Annotated[str | None, Header()] = None,
) -> WebhookResult:
    """Stripe's events: signature checked on the raw body, each event id processed once, in any delivery order."""
    secret = settings.require("STRIPE_WEBHOOK_SECRET")
    payload = await request.body()
    if not stripe_signature:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "Missing Stripe-Signature header.")
    try:
        stripe.WebhookSignature.verify_header(payload.decode("utf-8"), stripe_signature, secret, settings.STRIPE_WEBHOOK_TOLERANCE)
        event = json.loads(payload)
        event_id, event_type, created, data = str(event["id"]), str(event["type"]), int(event["created"]), event["data"]["object"]
    except stripe.SignatureVerificationError as exc:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, f"Invalid Stripe signature: {exc.user_message or exc}") from exc
    except (UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "The body is not a Stripe event.") from exc

    if await session.get(StripeEvent, event_id) is not None:
        return WebhookResult(duplicate=True)
    session.add(StripeEvent(id=event_id, type=event_type, created=created))
    handler = HANDLERS.get(event_type)
    if handler is not None:
        await handler(session, data, created)
    try:
        await session.commit()
    except IntegrityError:
        # The same event delivered twice at once: the other delivery recorded it first.
        await session.rollback()
        if await session.get(StripeEvent, event_id) is None:
            raise
        return WebhookResult(duplicate=True)
    return WebhookResult(handled=handler is not None)
