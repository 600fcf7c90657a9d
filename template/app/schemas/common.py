"""Building blocks every schema module shares."""

from datetime import UTC, datetime
from typing import Annotated, Generic, TypeVar

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, EmailStr, Field, HttpUrl

# PostgreSQL cannot store NUL bytes in text; reject them in validation (and say so in the schema).
NO_NUL = r"^[^\x00]*$"

ItemT = TypeVar("ItemT")


def _as_utc(value: datetime) -> datetime:
    """SQLite and MySQL return naive datetimes; every datetime the API stores is UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


UtcDatetime = Annotated[datetime, AfterValidator(_as_utc)]
HttpUrlStr = Annotated[HttpUrl, AfterValidator(str)]

__all__ = ["NO_NUL", "AwareDatetime", "EmailStr", "HttpUrlStr", "Page", "ReadSchema", "UtcDatetime", "WriteSchema"]


class WriteSchema(BaseModel):
    """Request bodies: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class ReadSchema(BaseModel):
    """Responses, read straight from ORM objects."""

    model_config = ConfigDict(from_attributes=True)


class Page(BaseModel, Generic[ItemT]):
    """One page of a list, with the total count for pagination controls."""

    items: list[ItemT]
    total: int = Field(ge=0)
    limit: int = Field(ge=1)
    offset: int = Field(ge=0)
