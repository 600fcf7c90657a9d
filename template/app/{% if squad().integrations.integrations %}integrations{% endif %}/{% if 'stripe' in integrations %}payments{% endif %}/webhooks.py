"""What each Stripe event changes locally. Stripe may deliver events late and out of order, so every change to a
subscription is applied only if its event is not older than the one that last changed it."""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.integrations.payments.models import StripeCustomer, StripeSubscription
from app.models.user import User

Handler = Callable[[AsyncSession, dict[str, Any], int], Awaitable[bool]]


def _id(value: Any) -> str | None:
    """Stripe sends either an id or the expanded object."""
    return value.get("id") if isinstance(value, dict) else value


def _first_item(subscription: dict[str, Any]) -> dict[str, Any]:
    items = (subscription.get("items") or {}).get("data") or []
    return items[0] if items else {}


def _period_end(subscription: dict[str, Any]) -> datetime | None:
    # API versions from 2025-03-31 moved current_period_end from the subscription to its items.
    timestamp = subscription.get("current_period_end") or _first_item(subscription).get("current_period_end")
    return datetime.fromtimestamp(timestamp, UTC) if timestamp else None


async def _apply(session: AsyncSession, subscription_id: str, customer_id: str, created: int, **fields: Any) -> bool:
    """Create or update the subscription row, unless a newer event already changed it."""
    row = await session.scalar(select(StripeSubscription).where(StripeSubscription.subscription_id == subscription_id))
    if row is None:
        session.add(StripeSubscription(subscription_id=subscription_id, customer_id=customer_id, event_created=created, **fields))
        return True
    if created < row.event_created:
        return False
    for name, value in fields.items():
        setattr(row, name, value)
    row.event_created = created
    return True


async def subscription_changed(session: AsyncSession, subscription: dict[str, Any], created: int) -> bool:
    """customer.subscription.created / .updated / .deleted: the object is the whole subscription."""
    price = _first_item(subscription).get("price") or _first_item(subscription).get("plan")
    return await _apply(
        session, subscription["id"], _id(subscription["customer"]) or "", created,
        status=subscription["status"], price_id=_id(price), current_period_end=_period_end(subscription),
    )


async def payment_failed(session: AsyncSession, invoice: dict[str, Any], created: int) -> bool:
    """invoice.payment_failed: the subscription is past due until a later event says otherwise."""
    parent = (invoice.get("parent") or {}).get("subscription_details") or {}
    subscription_id = _id(invoice.get("subscription") or parent.get("subscription"))
    if not subscription_id:
        return False  # a one-off invoice: nothing to track
    return await _apply(session, subscription_id, _id(invoice.get("customer")) or "", created, status="past_due")


async def checkout_completed(session: AsyncSession, checkout: dict[str, Any], created: int) -> bool:
    """checkout.session.completed: remember which user the customer is (checkouts we start already did)."""
    customer_id, reference = _id(checkout.get("customer")), checkout.get("client_reference_id")
    if not customer_id or not str(reference or "").isdigit():
        return False
    if await session.scalar(select(StripeCustomer.id).where(StripeCustomer.customer_id == customer_id)) is not None:
        return False
    user_id = int(reference)
    known = await session.scalar(select(StripeCustomer.id).where(StripeCustomer.user_id == user_id))
    if known is not None or await session.get(User, user_id) is None:
        return False
    session.add(StripeCustomer(user_id=user_id, customer_id=customer_id))
    return True


HANDLERS: dict[str, Handler] = {
    "checkout.session.completed": checkout_completed,
    "customer.subscription.created": subscription_changed,
    "customer.subscription.updated": subscription_changed,
    "customer.subscription.deleted": subscription_changed,
    "invoice.payment_failed": payment_failed,
}
