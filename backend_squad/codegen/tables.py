"""The Next.js project's database tables as data, whatever the toolkit that declares them.

One list of tables (accounts, audit log, tenancy, the models from the answers, Stripe, webhooks) describes what
the FastAPI migrations create from the same ``ApiDesign``; the Drizzle schema, the Prisma schema and its SQL
migrations are renderings of it, so the toolkits cannot drift apart. Types are logical (``"datetime"``, not
``timestamptz``); each renderer picks the database's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

ColumnType = Literal[
    "integer",  # INT on MySQL, INTEGER elsewhere
    "big_integer",  # Stripe's event timestamps: BIGINT (INTEGER on SQLite)
    "string",  # VARCHAR(length); TEXT when length is None, and always on SQLite
    "float",
    "decimal",  # DECIMAL_DIGITS, DECIMAL_PLACES (design.py); SQLite stores the number
    "boolean",
    "date",  # a calendar date, ISO text on SQLite
    "datetime",  # an instant in UTC: timestamptz, DATETIME(3), milliseconds since the epoch on SQLite
    "uuid",
    "json",  # jsonb on PostgreSQL
    "ordered_json",  # json, not jsonb, on PostgreSQL: a received payload keeps its key order
]
OnDelete = Literal["CASCADE", "SET NULL"]


@dataclass(frozen=True)
class Reference:
    """A foreign key to ``table``'s ``id``."""

    table: str
    on_delete: OnDelete = "CASCADE"


@dataclass(frozen=True)
class Column:
    name: str  # the SQL name, snake_case
    type: ColumnType
    length: int | None = None  # of a string
    values: tuple[str, ...] = ()  # an enum's members, in order (a check constraint lists them too)
    nullable: bool = True
    primary_key: bool = False  # "id": an auto-increment integer, or a string key (stripe_events)
    unique: str | None = None  # the name of the column's own UNIQUE constraint
    default: Any = None  # a literal default, as a Python value; None for none
    default_now: bool = False  # the insert time when none is given
    update_now: bool = False  # the ORM sets the current time on every update
    references: Reference | None = None
    ts_type: str | None = None  # a JSON column's TypeScript value type, e.g. "string[]"


@dataclass(frozen=True)
class Index:
    name: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Unique:
    """A UNIQUE constraint over several columns (a single column's sits on the column)."""

    name: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Check:
    """A CHECK constraint on one column: bounds (``low <= column <= high``, either may be absent) or enum values."""

    name: str
    column: str
    low: float | None = None
    high: float | None = None
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class PrimaryKey:
    """A composite primary key (association tables)."""

    name: str
    columns: tuple[str, ...]


Constraint = Index | Unique | Check | PrimaryKey


@dataclass(frozen=True)
class Table:
    name: str  # the SQL name, snake_case and plural: "refresh_tokens"
    model: str  # what one row is called, PascalCase: "RefreshToken", a model's own name ("Post"), "PostsTags"
    columns: tuple[Column, ...]
    constraints: tuple[Constraint, ...] = ()  # in declaration order

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)
