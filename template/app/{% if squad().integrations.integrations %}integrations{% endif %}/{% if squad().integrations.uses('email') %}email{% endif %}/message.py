"""The message and the sender interface every provider implements (SMTP today; SendGrid, Mailgun, SES, Resend beside it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class EmailMessage:
    """One e-mail, provider-neutral: plain text always (some clients show only that), HTML optionally."""

    to: tuple[str, ...]
    subject: str
    text: str
    html: str | None = None
    sender: str | None = None  # default: EMAIL_FROM
    reply_to: str | None = None

    def __post_init__(self) -> None:
        if not self.to:
            raise ValueError("an e-mail needs at least one recipient")
        for header in (self.subject, self.sender or "", self.reply_to or "", *self.to):
            if "\r" in header or "\n" in header:
                raise ValueError("line breaks are not allowed in e-mail headers (header injection)")


class EmailSender(Protocol):
    """A way to deliver an EmailMessage; get_email_sender() picks one from the settings."""

    async def send(self, message: EmailMessage) -> None: ...
