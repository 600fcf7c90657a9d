"""The message, the sender interface every provider implements, and the one error a refusal raises."""

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


class EmailDeliveryError(RuntimeError):
    """The provider refused the message or could not be reached.

    ``temporary`` tells a caller (the Celery task) whether trying again later may succeed: a network
    failure, a rate limit or a server error may; a wrong key or an unverified sender will not.
    """

    def __init__(self, provider: str, status: int | None = None, detail: str = "", temporary: bool | None = None) -> None:
        if temporary is None:  # HTTP semantics; SMTP passes its own (4xx replies are the temporary ones)
            temporary = status is None or status == 429 or status >= 500
        self.provider, self.status, self.detail, self.temporary = provider, status, detail, temporary
        # All four in args: Celery and pickle rebuild the error as error.__class__(*error.args).
        super().__init__(provider, status, detail, temporary)

    def __str__(self) -> str:
        where = f"status {self.status}" if self.status is not None else "no response"
        return f"{self.provider} did not accept the message ({where}){': ' + self.detail if self.detail else ''}"
