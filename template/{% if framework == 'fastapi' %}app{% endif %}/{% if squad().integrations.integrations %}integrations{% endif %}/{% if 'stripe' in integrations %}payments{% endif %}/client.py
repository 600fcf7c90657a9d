"""The Stripe SDK client, built per request from the settings (cheap; no global API key)."""

import stripe

from app.integrations.payments.settings import PaymentsSettings


def stripe_client(settings: PaymentsSettings) -> stripe.StripeClient:
    """A ``StripeClient`` for ``STRIPE_SECRET_KEY``, aimed at ``STRIPE_API_BASE`` when set (localstripe in tests)."""
    key = settings.require("STRIPE_SECRET_KEY")
    if settings.STRIPE_API_BASE:
        return stripe.StripeClient(key, base_addresses={"api": settings.STRIPE_API_BASE.rstrip("/")})
    return stripe.StripeClient(key)
