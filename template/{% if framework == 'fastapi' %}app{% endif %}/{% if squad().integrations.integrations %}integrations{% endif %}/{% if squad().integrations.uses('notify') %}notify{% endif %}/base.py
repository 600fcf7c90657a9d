"""The contract every provider meets: the two interfaces, the errors they raise and the message size rules."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class SmsSender(Protocol):
    """Texts a phone number; get_sms_sender() picks one from SMS_PROVIDER."""

    name: str

    async def send_sms(self, to: str, body: str) -> str:
        """Send ``body`` to ``to`` (E.164) and return the provider's message id."""
        ...


class ChatNotifier(Protocol):
    """Posts a plain-text message to one chat channel; notify() posts to every configured one."""

    name: str

    async def notify(self, text: str) -> None: ...


class NotifierNotConfigured(RuntimeError):
    """A setting is missing or malformed: the message names the environment variables to set. Retrying cannot help."""


class NotificationError(RuntimeError):
    """The provider refused the message or could not be reached.

    The message names the provider and the HTTP status, never a credential. ``retryable`` is true for rate limits
    (429), server errors (5xx) and network failures; ``retry_after`` is the wait in seconds the provider asked for.
    """

    def __init__(
        self,
        provider: str,
        status: int | None,
        detail: str = "",
        *,
        retry_after: float | None = None,
        retryable: bool | None = None,
    ) -> None:
        self.provider = provider
        self.status = status
        self.detail = detail
        self.retry_after = retry_after
        self.retryable = (status is None or status == 429 or status >= 500) if retryable is None else retryable
        super().__init__(f"{provider}: message not delivered ({self.reason})")

    @property
    def reason(self) -> str:
        where = f"HTTP {self.status}" if self.status is not None else "no response"
        return f"{where}: {self.detail}" if self.detail else where


class ChatDeliveryError(NotificationError):
    """Some chat channels failed while the others were delivered: ``errors`` has one NotificationError per failure."""

    def __init__(self, errors: Sequence[NotificationError], delivered: Sequence[str]) -> None:
        self.errors = tuple(errors)
        self.delivered = tuple(delivered)
        waits = [error.retry_after for error in self.errors if error.retryable and error.retry_after is not None]
        super().__init__(
            ", ".join(error.provider for error in self.errors),
            self.errors[0].status,
            retry_after=max(waits, default=None),
            retryable=any(error.retryable for error in self.errors),
        )
        failures = "; ".join(f"{error.provider} ({error.reason})" for error in self.errors)
        self.args = (f"not delivered to {failures}" + (f"; delivered to {', '.join(self.delivered)}" if self.delivered else ""),)


def require_body(body: str, limit: int) -> str:
    """An SMS is never shortened (a cut one-time code is worse than an error): refuse empty or too long bodies."""
    if not body.strip():
        raise ValueError("the message body is empty")
    if len(body) > limit:
        raise ValueError(f"the message body has {len(body)} characters; this provider accepts at most {limit}")
    return body


def fit(text: str, limit: int) -> str:
    """A chat message is shortened to the channel's limit, ending with an ellipsis, rather than refused."""
    if not text.strip():
        raise ValueError("the message text is empty")
    return text if len(text) <= limit else text[: limit - 1] + "…"
