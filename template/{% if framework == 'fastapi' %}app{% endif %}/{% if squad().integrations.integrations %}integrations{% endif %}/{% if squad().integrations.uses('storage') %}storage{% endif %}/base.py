"""What every storage provider offers (``ObjectStorage``), the error for missing settings, and key/filename rules.

The routes and the rest of the app depend on this interface only, so switching provider is a setting.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Protocol

MAX_KEY_LENGTH = 1024  # S3's and GCS's limit, in UTF-8 bytes
MAX_FILENAME_LENGTH = 255
CONTENT_TYPE = r"^[\w.+-]+/[\w.+-]+$"
UNSAFE_FILENAME_CHARACTERS = re.compile(r"[^A-Za-z0-9._-]+")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


class StorageNotConfigured(RuntimeError):
    """Storage was used without a setting it needs; the message names the env var (the routes answer 503)."""

    def __init__(self, env_var: str, hint: str = "") -> None:
        super().__init__(f"File storage is not configured: set {env_var}{f' ({hint})' if hint else ''}.")
        self.env_var = env_var


@dataclass(frozen=True)
class SignedUrl:
    """A URL a client uses without credentials: the lifetime and required headers depend on the provider."""

    url: str
    expires_in: int  # seconds
    headers: dict[str, str] = field(default_factory=dict)  # to send exactly as given (they are signed)


class ObjectStorage(Protocol):
    """A bucket of objects addressed by key; every provider module implements it."""

    max_upload_bytes: int  # the largest file POST /files accepts

    async def upload(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None: ...

    async def download(self, key: str) -> bytes: ...

    async def exists(self, key: str) -> bool: ...

    async def delete(self, key: str) -> None: ...

    async def presigned_get_url(self, key: str) -> SignedUrl: ...

    async def presigned_put_url(self, key: str, content_type: str) -> SignedUrl: ...


def key_problem(key: str) -> str | None:
    """Why ``key`` is not an acceptable object key, or None."""
    if not key or len(key.encode()) > MAX_KEY_LENGTH:
        return f"The key must be 1 to {MAX_KEY_LENGTH} bytes long."
    if key.startswith("/") or "\\" in key or CONTROL_CHARACTERS.search(key):
        return "The key must not start with '/' or contain backslashes or control characters."
    if any(part in ("", ".", "..") for part in key.split("/")):
        return "The key must not contain empty, '.' or '..' segments."
    return None


def safe_filename(filename: str) -> str:
    """The filename as it appears in a key: letters, digits, '.', '_' and '-' only."""
    return UNSAFE_FILENAME_CHARACTERS.sub("_", filename).strip("._") or "file"


def filename_problem(filename: str) -> str | None:
    """Why ``filename`` is not acceptable (a name, not a path), or None."""
    if not filename or len(filename) > MAX_FILENAME_LENGTH:
        return f"The filename must be 1 to {MAX_FILENAME_LENGTH} characters long."
    if "/" in filename or "\\" in filename or filename in (".", "..") or CONTROL_CHARACTERS.search(filename):
        return "The filename must be a plain name: no '/', '\\', control characters, '.' or '..'."
    return None


def user_prefix(user_id: int) -> str:
    return f"users/{user_id}/"


def new_key(user_id: int, filename: str) -> str:
    """Unique per upload, so two files with the same name never overwrite each other."""
    return f"{user_prefix(user_id)}{uuid.uuid4().hex}-{safe_filename(filename)}"
