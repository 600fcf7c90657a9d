"""Keep secrets out of anything a person or a file can see: scrub keys from text quoted from a server."""

from __future__ import annotations

import re
from collections.abc import Iterable

MASK = "***"

# Tokens that look like API keys or bearer credentials, whoever's they are.
_KEY_LIKE = re.compile(r"\b(sk|pk|rk)-[A-Za-z0-9_\-]{12,}")
_BEARER = re.compile(r"(?i)\b(bearer)\s+[^\s\"',;]+")


def scrub(text: str, secrets: Iterable[str | None] = ()) -> str:
    """``text`` with every given secret, key-like token and bearer credential replaced by ``***``."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, MASK)
    text = _BEARER.sub(lambda match: f"{match.group(1)} {MASK}", text)
    return _KEY_LIKE.sub(lambda match: f"{match.group(1)}-{MASK}", text)


def shorten(text: str, limit: int = 300) -> str:
    """One line of at most ``limit`` characters, for quoting a server's answer in a message."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
