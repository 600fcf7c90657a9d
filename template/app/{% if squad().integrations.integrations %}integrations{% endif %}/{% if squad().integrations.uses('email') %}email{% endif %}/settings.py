"""E-mail settings, read from the environment (and ``.env``) only when e-mail is used, so the app starts without them."""

from pydantic_settings import BaseSettings, SettingsConfigDict


class EmailNotConfigured(RuntimeError):
    """A required e-mail setting is missing: the message names the variable to set."""


class EmailSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    SMTP_URL: str = ""
    EMAIL_FROM: str = ""
    SMTP_TIMEOUT: float = 30.0

    def require(self) -> tuple[str, str]:
        """Return (SMTP_URL, EMAIL_FROM), or raise naming what is missing."""
        if not self.SMTP_URL:
            raise EmailNotConfigured(
                "SMTP_URL is not set: set it to smtp://user:password@smtp.example.com:587 (STARTTLS) "
                "or smtps://user:password@smtp.example.com:465 to send e-mail (see docs/SETUP.md)"
            )
        if not self.EMAIL_FROM:
            raise EmailNotConfigured("EMAIL_FROM is not set: set it to the sender address, e.g. noreply@your-domain.example")
        return self.SMTP_URL, self.EMAIL_FROM


def get_email_settings() -> EmailSettings:
    """Fresh on each call (cheap): a changed environment is picked up, and tests need no cache clearing."""
    return EmailSettings()
