"""When to try again: which failures are worth a retry, ``Retry-After`` parsing and backoff with jitter."""

from __future__ import annotations

import random
import time
from email.utils import parsedate_to_datetime

# 408 Request Timeout, 409 (OpenAI: "conflict, retry"), 425 Too Early, 429 Too Many Requests, and every 5xx.
RETRYABLE_STATUS = frozenset({408, 409, 425, 429})


def is_retryable_status(status: int) -> bool:
    return status in RETRYABLE_STATUS or 500 <= status <= 599


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date; ``None`` if absent/unusable."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    if seconds != seconds:  # NaN
        return None
    return max(0.0, seconds)


def backoff_delay(attempt: int, *, base: float, cap: float, rng: random.Random | None = None) -> float:
    """Exponential backoff with jitter for the retry after failed ``attempt`` (1-based).

    ``base * 2**(attempt-1)``, capped at ``cap``, scaled by a random factor in [0.5, 1.0]
    so that concurrent callers do not retry in lockstep.
    """
    exponential = min(cap, base * (2 ** max(0, attempt - 1)))
    return exponential * (0.5 + 0.5 * (rng or random).random())
