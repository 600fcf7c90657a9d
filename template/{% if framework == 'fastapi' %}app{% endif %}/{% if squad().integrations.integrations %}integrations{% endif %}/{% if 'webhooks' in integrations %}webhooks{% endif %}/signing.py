"""``X-Webhook-Signature: t=<unix>,v1=<hex>``: HMAC-SHA256 of ``f"{t}.{raw body}"`` (Stripe's scheme).

Signing the timestamp with the body lets a receiver refuse replays of old requests.
"""

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-Webhook-Signature"


class SignatureError(ValueError):
    """The signature header is missing, malformed, wrong or too old."""


def compute(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, timestamp: int | None = None) -> str:
    """The header value for ``body`` signed now (or at ``timestamp``)."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={compute(secret, timestamp, body)}"


def verify(secret: str, body: bytes, header: str | None, tolerance: int, now: float | None = None) -> int:
    """Return the signed timestamp, or raise ``SignatureError`` saying why the request is refused."""
    if not header:
        raise SignatureError(f"missing {SIGNATURE_HEADER} header")
    timestamp: int | None = None
    candidates: list[str] = []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == "v1" and value:
            candidates.append(value)  # several v1 values allow rotating the secret
    if timestamp is None or not candidates:
        raise SignatureError(f"malformed {SIGNATURE_HEADER} header")
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        raise SignatureError("timestamp outside the tolerance")
    expected = compute(secret, timestamp, body)
    if not any(hmac.compare_digest(expected, candidate) for candidate in candidates):
        raise SignatureError("signature does not match")
    return timestamp
