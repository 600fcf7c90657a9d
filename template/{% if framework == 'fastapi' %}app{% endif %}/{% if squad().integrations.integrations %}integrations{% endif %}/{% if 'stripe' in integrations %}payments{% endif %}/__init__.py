"""Stripe payments: Checkout, the customer portal and a signed, idempotent webhook receiver."""

from app.integrations.payments.router import router

__all__ = ["router"]
