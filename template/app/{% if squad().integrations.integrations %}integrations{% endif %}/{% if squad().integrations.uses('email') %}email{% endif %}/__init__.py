"""E-mail: ``await send_email(...)`` or a template helper; the provider (SMTP) is chosen from the settings.

Sending a welcome e-mail on registration is one line where the user is created, after the commit::

    from app.integrations.email import send_welcome_email
    await send_welcome_email(user.email)

(or ``background_tasks.add_task(send_welcome_email, user.email)`` so the response does not wait for SMTP).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.integrations.email.message import EmailMessage, EmailSender
from app.integrations.email.settings import EmailNotConfigured, EmailSettings, get_email_settings
from app.integrations.email.smtp import SmtpConfig, SmtpEmailSender
from app.integrations.email.templates import RenderedEmail, render_email

__all__ = [
    "EmailMessage",
    "EmailNotConfigured",
    "EmailSender",
    "EmailSettings",
    "RenderedEmail",
    "SmtpConfig",
    "SmtpEmailSender",
    "get_email_sender",
    "render_email",
    "send_email",
    "send_password_reset_email",
    "send_template",
    "send_welcome_email",
]


def get_email_sender(settings: EmailSettings | None = None) -> EmailSender:
    """The configured sender; raises EmailNotConfigured naming SMTP_URL (or EMAIL_FROM) when unset.

    Another provider plugs in here: a class with ``async def send(self, message)`` chosen from its own setting.
    """
    settings = settings or get_email_settings()
    url, sender = settings.require()
    return SmtpEmailSender.from_url(url, sender, timeout=settings.SMTP_TIMEOUT)


def _recipients(to: str | Sequence[str]) -> tuple[str, ...]:
    return (to,) if isinstance(to, str) else tuple(to)


async def send_email(
    to: str | Sequence[str],
    subject: str,
    text: str,
    html: str | None = None,
    *,
    reply_to: str | None = None,
    sender: EmailSender | None = None,
) -> EmailMessage:
    """Send one message (with the configured sender unless one is given) and return it."""
    message = EmailMessage(to=_recipients(to), subject=subject, text=text, html=html, reply_to=reply_to)
    await (sender or get_email_sender()).send(message)
    return message


async def send_template(to: str | Sequence[str], template: str, /, *, sender: EmailSender | None = None, **context: Any) -> EmailMessage:
    """Render template ``template`` (see templates.py) and send it; ``app_name`` defaults to PROJECT_NAME."""
    if "app_name" not in context:
        from app.core.config import get_settings

        context["app_name"] = get_settings().PROJECT_NAME
    rendered = render_email(template, **context)
    return await send_email(to, rendered.subject, rendered.text, rendered.html, sender=sender)


async def send_welcome_email(
    user_email: str, *, name: str | None = None, login_url: str | None = None, sender: EmailSender | None = None
) -> EmailMessage:
    """The welcome message for a new account; call it after the user is committed."""
    return await send_template(user_email, "welcome", sender=sender, email=user_email, name=name, login_url=login_url)


async def send_password_reset_email(
    user_email: str, reset_url: str, *, expires_minutes: int = 30, sender: EmailSender | None = None
) -> EmailMessage:
    """The password reset message; ``reset_url`` carries your single-use token."""
    return await send_template(
        user_email, "password_reset", sender=sender, email=user_email, reset_url=reset_url, expires_minutes=expires_minutes
    )
