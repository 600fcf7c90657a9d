"""Webhook settings from the environment: the app starts without them; using the receiver needs the secret."""

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class WebhookSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    WEBHOOK_SIGNING_SECRET: str = ""
    WEBHOOK_TOLERANCE_SECONDS: int = Field(default=300, ge=1)
    WEBHOOK_MAX_ATTEMPTS: int = Field(default=6, ge=1)
    # Outgoing deliveries to private, loopback or link-local addresses: only for local development and tests.
    WEBHOOK_ALLOW_PRIVATE_URLS: bool = False

    def signing_secret(self) -> str:
        """The incoming-request key, or a clear error naming the variable to set."""
        if not self.WEBHOOK_SIGNING_SECRET:
            raise WebhookNotConfigured("WEBHOOK_SIGNING_SECRET is not set: incoming webhooks cannot be verified.")
        return self.WEBHOOK_SIGNING_SECRET


class WebhookNotConfigured(RuntimeError):
    """Raised when a webhook feature is used without the setting it needs."""


@lru_cache
def get_webhook_settings() -> WebhookSettings:
    return WebhookSettings()
