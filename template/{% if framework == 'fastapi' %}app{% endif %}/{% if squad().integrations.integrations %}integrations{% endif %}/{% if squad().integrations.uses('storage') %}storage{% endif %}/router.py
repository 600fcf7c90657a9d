"""``/files``: per-user files behind signed URLs, the same for every provider.

Browsers upload and download directly with signed URLs, so large files never pass through the app;
``POST /files`` is there for small files sent through the API. Keys start with ``users/<id>/``: a caller
only ever sees their own files (another user's key answers 404, as a missing one does).
"""

import re
from collections.abc import Awaitable
from typing import Annotated, Literal, TypeVar

from fastapi import APIRouter, Depends, HTTPException, Response, UploadFile, status
from pydantic import BaseModel, Field, field_validator

from app.api.deps import CurrentPrincipal, Writer
from app.core.errors import problem_responses
from app.integrations.storage.base import (
    CONTENT_TYPE,
    MAX_FILENAME_LENGTH,
    ObjectStorage,
    SignedUrl,
    StorageNotConfigured,
    filename_problem,
    key_problem,
    new_key,
    user_prefix,
)
from app.integrations.storage.providers import get_storage

T = TypeVar("T")


class PresignUploadRequest(BaseModel):
    filename: str = Field(min_length=1, max_length=MAX_FILENAME_LENGTH, examples=["report.pdf"])
    content_type: str = Field(default="application/octet-stream", max_length=255, pattern=CONTENT_TYPE)

    @field_validator("filename")
    @classmethod
    def _plain_name(cls, value: str) -> str:
        problem = filename_problem(value)
        if problem:
            raise ValueError(problem)
        return value


class PresignedUrl(BaseModel):
    key: str
    url: str
    method: Literal["GET", "PUT"]
    expires_in: int = Field(description="Seconds the URL stays valid")
    headers: dict[str, str] = Field(default_factory=dict, description="Headers the request must send as given")

    @classmethod
    def of(cls, key: str, method: Literal["GET", "PUT"], signed: SignedUrl) -> "PresignedUrl":
        return cls(key=key, url=signed.url, method=method, expires_in=signed.expires_in, headers=signed.headers)


class StoredFile(BaseModel):
    key: str
    size: int
    content_type: str


def require_storage() -> ObjectStorage:
    """The configured storage, or 503 naming the missing env var (checked before any work is done)."""
    try:
        return get_storage()
    except StorageNotConfigured as exc:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, str(exc)) from exc


StorageDep = Annotated[ObjectStorage, Depends(require_storage)]


def _own_key(key: str, user_id: int) -> str:
    """``key`` if it is well formed (else 422) and the caller's (else 404: other users' keys are not revealed)."""
    problem = key_problem(key)
    if problem:
        raise HTTPException(422, problem)
    if not key.startswith(user_prefix(user_id)):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "No such file.")
    return key


async def _unless_not_configured(call: Awaitable[T]) -> T:
    """Await ``call``; a setting found missing only now (credentials) is a 503 too."""
    try:
        return await call
    except StorageNotConfigured as exc:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, str(exc)) from exc


router = APIRouter(prefix="/files", tags=["files"], responses=problem_responses(401, 503))


@router.post("/presign-upload", response_model=PresignedUrl, responses=problem_responses(422))
async def presign_upload(body: PresignUploadRequest, principal: Writer, storage: StorageDep) -> PresignedUrl:
    """A URL the client PUTs the file to directly (send the returned headers with it)."""
    key = new_key(principal.user_id, body.filename)
    signed = await _unless_not_configured(storage.presigned_put_url(key, body.content_type))
    return PresignedUrl.of(key, "PUT", signed)


@router.post("", response_model=StoredFile, status_code=status.HTTP_201_CREATED, responses=problem_responses(413, 422))
async def upload_file(file: UploadFile, principal: Writer, storage: StorageDep) -> StoredFile:
    """Upload a small file through the API (at most the provider's *_MAX_UPLOAD_BYTES)."""
    filename = file.filename or "file"
    problem = filename_problem(filename)
    if problem:
        raise HTTPException(422, problem)
    limit = storage.max_upload_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise HTTPException(413, f"The file is larger than {limit} bytes.")
    content_type = file.content_type or "application/octet-stream"
    if not re.match(CONTENT_TYPE, content_type) or len(content_type) > 255:
        content_type = "application/octet-stream"
    key = new_key(principal.user_id, filename)
    await _unless_not_configured(storage.upload(key, data, content_type))
    return StoredFile(key=key, size=len(data), content_type=content_type)


@router.get("/{key:path}/download-url", response_model=PresignedUrl, responses=problem_responses(404, 422))
async def download_url(key: str, principal: CurrentPrincipal, storage: StorageDep) -> PresignedUrl:
    """A short-lived URL to one of your files."""
    key = _own_key(key, principal.user_id)
    if not await _unless_not_configured(storage.exists(key)):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "No such file.")
    signed = await _unless_not_configured(storage.presigned_get_url(key))
    return PresignedUrl.of(key, "GET", signed)


def _deletable_key(key: str) -> str:
    """A stored key never ends in "/download-url" (its last segment is "<hex>-<name>"): such a path is the
    download-url resource, which answers GET only, so DELETE there is a 405 rather than a file lookup."""
    if key.endswith("/download-url"):
        raise HTTPException(status.HTTP_405_METHOD_NOT_ALLOWED, "Method Not Allowed", headers={"Allow": "GET"})
    return key


@router.delete("/{key:path}", status_code=status.HTTP_204_NO_CONTENT, responses=problem_responses(404, 422))
async def delete_file(key: Annotated[str, Depends(_deletable_key)], principal: Writer, storage: StorageDep) -> Response:
    key = _own_key(key, principal.user_id)
    if not await _unless_not_configured(storage.exists(key)):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "No such file.")
    await _unless_not_configured(storage.delete(key))
    return Response(status_code=status.HTTP_204_NO_CONTENT)
