"""Password hashing, access tokens and opaque secrets (refresh tokens, API keys)."""

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from pwdlib import PasswordHash

from app.core.config import get_settings

ALGORITHM = "HS256"
password_hash = PasswordHash.recommended()  # argon2id
# Verifying against this keeps login timing the same whether or not the e-mail exists.
DUMMY_HASH = password_hash.hash("dummy-password-for-timing")


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling, as far as authorization needs to know: no database lookup per request."""

    user_id: int
    is_admin: bool
    scopes: frozenset[str] = frozenset({"read", "write"})

    def can_write(self) -> bool:
        return "write" in self.scopes


def hash_password(password: str) -> str:
    return password_hash.hash(password)


def verify_password(password: str, hashed: str | None) -> bool:
    if hashed is None:
        password_hash.verify(password, DUMMY_HASH)
        return False
    return password_hash.verify(password, hashed)


def create_access_token(user_id: int, is_admin: bool) -> tuple[str, int]:
    settings = get_settings()
    now = datetime.now(UTC)
    lifetime = timedelta(minutes=settings.ACCESS_TOKEN_MINUTES)
    claims = {
        "sub": str(user_id),
        "role": "admin" if is_admin else "user",
        "type": "access",
        "iat": now,
        "exp": now + lifetime,
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, settings.SECRET_KEY, algorithm=ALGORITHM), int(lifetime.total_seconds())


def decode_access_token(token: str) -> Principal | None:
    """The caller, or None for a forged, expired or malformed token."""
    try:
        claims = jwt.decode(
            token, get_settings().SECRET_KEY, algorithms=[ALGORITHM], options={"require": ["exp", "sub", "type"]}
        )
    except jwt.PyJWTError:
        return None
    if claims.get("type") != "access" or not str(claims["sub"]).isdigit():
        return None
    return Principal(user_id=int(claims["sub"]), is_admin=claims.get("role") == "admin")


def new_secret(prefix: str) -> str:
    """A random opaque token, e.g. ``rt_...`` or ``sk_...``."""
    return f"{prefix}_{secrets.token_urlsafe(32)}"


def digest(secret: str) -> str:
    """Stored form of an opaque token: high-entropy secrets need a fast hash, not a password hash."""
    return hashlib.sha256(secret.encode()).hexdigest()
