"""One POST to a provider's API: the timeout, the error mapping and the secret redaction every provider shares.

Webhook URLs and Telegram's API URL hold credentials, and httpx logs each request URL at INFO level, so a filter on
its logger redacts them; errors carry the provider's own words, scrubbed of the credentials used.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from app.integrations.notify.base import NotificationError, NotifierNotConfigured

TIMEOUT = httpx.Timeout(10.0)
DETAIL_LIMIT = 300
REDACTED = "<redacted>"

# Telegram's /bot<token>/, Slack's hooks.slack.com/services/<path> and Discord's /webhooks/<id>/<token>.
_CREDENTIALS_IN_URLS = re.compile(r"(/bot)\d+:[\w-]+|(hooks\.slack\.com/services/)[\w/-]+|(/webhooks/\d+/)[\w-]+")


def redact(text: str) -> str:
    """Replace the credentials that provider URLs carry."""
    return _CREDENTIALS_IN_URLS.sub(lambda match: (match.group(1) or match.group(2) or match.group(3)) + REDACTED, text)


class RedactCredentials(logging.Filter):
    """Rewrites log records whose text holds a credential-bearing URL (httpx logs every request URL)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


for _name in ("httpx", "httpcore"):
    if not any(isinstance(existing, RedactCredentials) for existing in logging.getLogger(_name).filters):
        logging.getLogger(_name).addFilter(RedactCredentials())


def scrub(text: str, secrets: Iterable[str] = ()) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return redact(text)


def describe(response: httpx.Response) -> str:
    """The provider's own words for a refusal (error code and message)."""
    try:
        body = response.json()
    except ValueError:
        text = response.text.strip()
    else:
        if isinstance(body, dict):
            keys = ("code", "error", "title", "message", "detail", "description")
            text = ": ".join(str(body[key]) for key in keys if body.get(key) not in (None, "", False))
        else:
            text = str(body)
    return text


def retry_after(response: httpx.Response) -> float | None:
    """Seconds the provider asked to wait: Retry-After (seconds or an HTTP date), else a JSON ``retry_after``."""
    header = response.headers.get("Retry-After", "").strip()
    if header:
        try:
            return max(0.0, float(header))
        except ValueError:
            pass
        try:
            when = parsedate_to_datetime(header)
        except (TypeError, ValueError):
            when = None
        if when is not None:
            when = when if when.tzinfo else when.replace(tzinfo=UTC)
            return max(0.0, (when - datetime.now(UTC)).total_seconds())
    try:
        body = response.json()
    except ValueError:
        return None
    if not isinstance(body, dict):
        return None
    parameters = body.get("parameters")  # Telegram: {"parameters": {"retry_after": 5}}; Discord: {"retry_after": 1.5}
    value = parameters.get("retry_after") if isinstance(parameters, dict) else body.get("retry_after")
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def refusal(provider: str, response: httpx.Response, secrets: Iterable[str] = (), detail: str | None = None) -> NotificationError:
    """The error for a response the provider did not accept."""
    # Scrubbed before it is shortened: a cut could leave the start of a secret that no longer matches it.
    text = scrub(describe(response) if detail is None else detail, secrets)[:DETAIL_LIMIT]
    return NotificationError(provider, response.status_code, text, retry_after=retry_after(response))


async def post(
    provider: str,
    url: str,
    *,
    client: httpx.AsyncClient | None = None,
    secrets: Iterable[str] = (),
    **request: Any,
) -> httpx.Response:
    """POST and return the response when it is 2xx; otherwise raise NotificationError naming provider and status."""
    secrets = tuple(secrets)
    try:
        if client is not None:
            response = await client.post(url, **request)
        else:
            async with httpx.AsyncClient(timeout=TIMEOUT) as own_client:
                response = await own_client.post(url, **request)
    except httpx.HTTPError as error:
        # Some httpx errors quote the URL: report the kind of failure only, and drop the chained exception.
        raise NotificationError(provider, None, f"request failed ({type(error).__name__})") from None
    if not response.is_success:
        raise refusal(provider, response, secrets)
    return response


def require_url(variable: str, url: str) -> str:
    """A webhook URL must be absolute http(s); the message names the variable, never its value (a credential)."""
    if not url.startswith(("https://", "http://")):
        raise NotifierNotConfigured(f"{variable} must be the full https:// URL the provider gave you")
    return url
