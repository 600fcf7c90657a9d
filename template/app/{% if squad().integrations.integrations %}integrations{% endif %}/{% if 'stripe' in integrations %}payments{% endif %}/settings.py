"""Stripe settings, read from the environment; the app starts without them and only Stripe routes complain."""

from functools import lru_cache

from fastapi import HTTPException, status
from pydantic_settings import BaseSettings, SettingsConfigDict


class PaymentsSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    STRIPE_SECRET_KEY: str = ""
    STRIPE_WEBHOOK_SECRET: str = ""
    STRIPE_API_BASE: str = ""  # empty: api.stripe.com; set it to point the SDK at a local stand-in (localstripe)
    STRIPE_SUCCESS_URL: str = "http://localhost:3000/billing/success?session_id={CHECKOUT_SESSION_ID}"
    STRIPE_CANCEL_URL: str = "http://localhost:3000/billing/cancel"
    STRIPE_PORTAL_RETURN_URL: str = "http://localhost:3000/billing"
    STRIPE_WEBHOOK_TOLERANCE: int = 300  # seconds; older signatures are refused (replay protection)

    def require(self, name: str) -> str:
        """The setting's value, or a 503 naming the missing variable (the rest of the API keeps working)."""
        value = getattr(self, name)
        if not value:
            raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, f"Stripe is not configured: set {name}.")
        return value


@lru_cache
def get_payments_settings() -> PaymentsSettings:
    return PaymentsSettings()
