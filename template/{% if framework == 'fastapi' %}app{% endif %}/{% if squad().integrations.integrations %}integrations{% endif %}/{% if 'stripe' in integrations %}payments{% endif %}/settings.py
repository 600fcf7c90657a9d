"""Stripe settings, read from the environment; the app starts without them and only Stripe routes complain."""

from functools import lru_cache

from fastapi import HTTPException, status
from pydantic import field_validator
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
    # The prices on offer, as name=price_id pairs ("pro=price_123,team=price_456"); empty: any price of the account.
    STRIPE_PLANS: str = ""

    @field_validator("STRIPE_PLANS")
    @classmethod
    def _check_plans(cls, value: str) -> str:
        for pair in filter(None, (part.strip() for part in value.split(","))):
            name, _, price_id = pair.partition("=")
            if not name.strip() or not price_id.strip():
                raise ValueError(f"STRIPE_PLANS: {pair!r} is not name=price_id (e.g. pro=price_123)")
        return value

    def plans(self) -> dict[str, str]:
        """STRIPE_PLANS as {name: price_id}, in the order written."""
        pairs = (part.strip().partition("=") for part in self.STRIPE_PLANS.split(",") if part.strip())
        return {name.strip(): price_id.strip() for name, _, price_id in pairs}

    def offers(self, price_id: str) -> bool:
        """Whether clients may buy ``price_id``: any price when no plans are configured."""
        plans = self.plans()
        return not plans or price_id in plans.values()

    def require(self, name: str) -> str:
        """The setting's value, or a 503 naming the missing variable (the rest of the API keeps working)."""
        value = getattr(self, name)
        if not value:
            raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, f"Stripe is not configured: set {name}.")
        return value


@lru_cache
def get_payments_settings() -> PaymentsSettings:
    return PaymentsSettings()
