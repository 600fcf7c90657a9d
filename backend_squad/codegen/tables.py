"""The Next.js project's database tables as data, whatever the toolkit that declares them.

One list of tables (accounts, audit log, tenancy, the models from the answers, Stripe, webhooks) describes what
the FastAPI migrations create from the same ``ApiDesign``; the Drizzle schema, the Prisma schema and its SQL
migrations are renderings of it, so the toolkits cannot drift apart. Types are logical (``"datetime"``, not
``timestamptz``); each renderer picks the database's own.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from backend_squad.naming import pascal_case
from backend_squad.spec import AUTHOR_FIELDS

if TYPE_CHECKING:
    from backend_squad.design import ApiDesign, ColumnDesign, ManyToManyDesign, ResourceDesign

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


def column_default(column: ColumnDesign) -> Any:
    """The declared default as a Python value (``ColumnDesign`` keeps it as the SQLAlchemy model's expression); a
    decimal's stays as declared (``"10.5"``, ``10.5`` or ``2``), so each renderer formats it its own way."""
    expression = column.model_default
    if expression is None:
        return None
    if expression.startswith("lambda: "):
        expression = expression.removeprefix("lambda: ")
    if expression.startswith("Decimal("):
        return ast.literal_eval(expression.removeprefix("Decimal(").removesuffix(")"))
    return ast.literal_eval(expression)


def database_tables(
    api: ApiDesign,
    *,
    stripe_features: tuple[str, ...] | None = None,
    webhooks: bool = False,
    magic_links: bool = False,
    oauth: bool = False,
    plans: bool = False,
    sessions: bool = False,
) -> list[Table]:
    """Every table of the project, in declaration order: a table's foreign keys point at tables listed before it,
    except a model's references to itself or to a model listed after it.

    ``stripe_features`` when Stripe is on (customers always; subscriptions and the event ledger with their
    features), ``webhooks`` with the webhooks integration, ``magic_links`` with the magic_link auth method, ``oauth``
    with the oauth one, ``plans`` (users.plan) with rate limiting, ``sessions`` (browser_sessions) with the session
    auth method; ``api.multi_tenant`` adds organizations, memberships and invitations.
    """
    tables = _account_tables(plans)
    if magic_links:
        tables.append(_magic_link_table())
    if oauth:
        tables += _oauth_tables()
    if sessions:
        tables.append(_browser_session_table())
    tables.append(_audit_table())
    if api.multi_tenant:
        tables += _tenancy_tables()
    tables += [_resource_table(resource) for resource in api.resources]
    tables += [_association_table(m2m) for m2m in api.association_tables]
    if stripe_features is not None:
        tables += _payment_tables(stripe_features)
    if webhooks:
        tables += _webhook_tables()
    return tables


# -- building blocks ---------------------------------------------------------------------------------------------


def _id() -> Column:
    """The auto-increment integer key every table but the association tables and stripe_events has."""
    return Column("id", "integer", nullable=False, primary_key=True)


def _created_at() -> Column:
    return Column("created_at", "datetime", nullable=False, default_now=True)


def _updated_at() -> Column:
    return Column("updated_at", "datetime", nullable=False, default_now=True, update_now=True)


def _string(name: str, length: int | None, *, nullable: bool = True, unique: str | None = None) -> Column:
    return Column(name, "string", length=length, nullable=nullable, unique=unique)


def _timestamp(name: str, *, nullable: bool = True) -> Column:
    return Column(name, "datetime", nullable=nullable)


def _user_id(on_delete: OnDelete = "CASCADE", name: str = "user_id", *, nullable: bool = False) -> Column:
    """A user's id: a row that belongs to a user goes with them (CASCADE); a record of who did something stays
    (SET NULL, nullable)."""
    return Column(name, "integer", nullable=nullable, references=Reference("users", on_delete))


def _digest(table: str, name: str) -> Column:
    """A secret the user presents, stored only as its SHA-256 hex digest: unique, the row's lookup key."""
    return _string(name, 64, nullable=False, unique=f"uq_{table}_{name}")


def _index(table: str, column: str) -> Index:
    return Index(f"ix_{table}_{column}", (column,))


# -- accounts, audit log, tenancy --------------------------------------------------------------------------------


def _account_tables(plans: bool) -> list[Table]:
    """users, refresh_tokens and api_keys: the columns the auth modules use (the shared contract); ``users.role`` is
    the FastAPI migration ``0006_user_roles``'s column, varchar(32) and nullable; ``users.plan`` (with ``plans``, for
    per-plan rate limits) is ``0008_user_plans``'s, varchar(40) and nullable."""
    users = Table(
        "users",
        "User",
        (
            _id(),
            _string("email", 320, nullable=False, unique="uq_users_email"),
            _string("full_name", 200),
            _string("hashed_password", 255, nullable=False),
            Column("is_active", "boolean", nullable=False, default=True),
            Column("is_admin", "boolean", nullable=False, default=False),
            # Every project has it (NULL: no role); only projects that declare roles read or write it.
            _string("role", 32),
            *([_string("plan", 40)] if plans else []),
            _created_at(),
            _updated_at(),
        ),
    )
    refresh_tokens = Table(
        "refresh_tokens",
        "RefreshToken",
        (
            _id(),
            _user_id(),
            _digest("refresh_tokens", "token_digest"),
            _string("family_id", 36, nullable=False),
            _timestamp("expires_at", nullable=False),
            _timestamp("revoked_at"),
            _created_at(),
        ),
        (_index("refresh_tokens", "user_id"), _index("refresh_tokens", "family_id")),
    )
    api_keys = Table(
        "api_keys",
        "ApiKey",
        (
            _id(),
            _user_id(),
            _string("name", 100, nullable=False),
            _string("prefix", 16, nullable=False),
            _digest("api_keys", "key_digest"),
            _string("scopes", None, nullable=False),
            _created_at(),
            _timestamp("last_used_at"),
            _timestamp("revoked_at"),
        ),
        (_index("api_keys", "user_id"), _index("api_keys", "prefix")),
    )
    return [users, refresh_tokens, api_keys]


def _magic_link_table() -> Table:
    """``magic_link_tokens``: sign-in links by e-mail, stored as the SHA-256 digest of their token (as refresh tokens
    are); ``used_at`` is set when a link signs in or a newer link replaces it."""
    return Table(
        "magic_link_tokens",
        "MagicLinkToken",
        (
            _id(),
            _user_id(),
            _digest("magic_link_tokens", "token_hash"),
            _timestamp("expires_at", nullable=False),
            _timestamp("used_at"),
            _created_at(),
        ),
        (_index("magic_link_tokens", "user_id"),),
    )


def _oauth_tables() -> list[Table]:
    """OAuth sign-in (the FastAPI migration ``0007_oauth``): ``oauth_accounts`` links a provider's subject to a user
    (unique per provider and subject), and ``oauth_login_codes`` holds the callback's one-time codes as the SHA-256
    digest of the code; ``used_at`` is set when a code is traded for tokens."""
    accounts = Table(
        "oauth_accounts",
        "OauthAccount",
        (
            _id(),
            _user_id(),
            _string("provider", 32, nullable=False),
            _string("subject", 255, nullable=False),
            _string("email", 320),
            _created_at(),
        ),
        (_index("oauth_accounts", "user_id"), Unique("uq_oauth_accounts_provider_subject", ("provider", "subject"))),
    )
    codes = Table(
        "oauth_login_codes",
        "OauthLoginCode",
        (
            _id(),
            _user_id(),
            _digest("oauth_login_codes", "code_hash"),
            _timestamp("expires_at", nullable=False),
            _timestamp("used_at"),
            _created_at(),
        ),
        (_index("oauth_login_codes", "user_id"),),
    )
    return [accounts, codes]


def _browser_session_table() -> Table:
    """``browser_sessions``: cookie sessions (the FastAPI migration ``0009_browser_sessions``), stored as the SHA-256
    digest of the cookie's secret (as refresh tokens are); a session ends at ``expires_at`` or once unused for
    SESSION_IDLE_MINUTES after ``last_seen_at``."""
    return Table(
        "browser_sessions",
        "BrowserSession",
        (
            _id(),
            _user_id(),
            _digest("browser_sessions", "token_hash"),
            _created_at(),
            _timestamp("last_seen_at", nullable=False),
            _timestamp("expires_at", nullable=False),
        ),
        (_index("browser_sessions", "user_id"),),
    )


def _audit_table() -> Table:
    """``audit_events``: who did what to which row. ``actor_id`` has no foreign key, so events outlive their users,
    and ``target_id`` is text, so a target need not have an integer id."""
    return Table(
        "audit_events",
        "AuditEvent",
        (
            _id(),
            _created_at(),
            Column("actor_id", "integer"),
            _string("action", 64, nullable=False),
            _string("target_type", 64),
            _string("target_id", 64),
        ),
        (_index("audit_events", "actor_id"), _index("audit_events", "action")),
    )


def _tenancy_tables() -> list[Table]:
    """Multi-tenancy: ``organizations``, their ``memberships`` (one per user and organization; ``role`` NULL for a
    plain member, "admin" or a declared role) and e-mailed ``invitations``, stored as the SHA-256 digest of their
    token; ``accepted_at`` is set when one is spent."""
    organization_id = Column("organization_id", "integer", nullable=False, references=Reference("organizations"))
    organizations = Table(
        "organizations", "Organization", (_id(), _string("name", 120, nullable=False), _created_at())
    )
    memberships = Table(
        "memberships",
        "Membership",
        (_id(), organization_id, _user_id(), _string("role", 32), _created_at()),
        (
            Unique("uq_memberships_organization_id_user_id", ("organization_id", "user_id")),
            _index("memberships", "user_id"),
        ),
    )
    invitations = Table(
        "invitations",
        "Invitation",
        (
            _id(),
            organization_id,
            _string("email", 320, nullable=False),
            _string("role", 32),
            _digest("invitations", "token_digest"),
            _user_id("SET NULL", "invited_by_id", nullable=True),
            _timestamp("expires_at", nullable=False),
            _timestamp("accepted_at"),
            _created_at(),
        ),
        (_index("invitations", "organization_id"),),
    )
    return [organizations, memberships, invitations]


# -- the models from the answers ---------------------------------------------------------------------------------

# A declared field's kind -> its column type. "text" is unbounded even with a max_length (validation enforces it).
_KIND_TYPES: dict[str, ColumnType] = {
    "string": "string",
    "email": "string",
    "url": "string",
    "text": "string",
    "integer": "integer",
    "foreign_key": "integer",
    "float": "float",
    "decimal": "decimal",
    "boolean": "boolean",
    "date": "date",
    "datetime": "datetime",
    "uuid": "uuid",
    "json": "json",
}


def _field_column(resource: ResourceDesign, column: ColumnDesign) -> Column:
    """A declared field or foreign key. A unique field of a tenant-scoped model is unique per organization, so its
    constraint is the table's (see ``_resource_table``), not the column's."""
    unique = f"uq_{resource.table}_{column.name}" if column.unique and not resource.tenant_scoped else None
    references = (
        Reference(column.foreign_key.split(".")[0], "SET NULL" if column.on_delete == "SET NULL" else "CASCADE")
        if column.foreign_key
        else None
    )
    common: dict[str, Any] = {
        "nullable": column.nullable, "unique": unique, "default": column_default(column), "references": references
    }
    if column.enum:
        values = tuple(value for _, value in column.enum.members)
        return Column(column.name, "string", length=max(len(value) for value in values), values=values, **common)
    if column.kind not in _KIND_TYPES:
        raise ValueError(f"no column type for field kind {column.kind!r}")
    length = column.constraints.get("max_length") if column.kind in ("string", "email", "url") else None
    return Column(column.name, _KIND_TYPES[column.kind], length=length, **common)


def _checks(table: str, column: ColumnDesign) -> list[Check]:
    """CHECK constraints for the declared bounds and enum values: the database refuses what validation refuses."""
    found: list[Check] = []
    if column.kind in ("integer", "float", "decimal"):
        low, high = column.constraints.get("ge"), column.constraints.get("le")
        if low is not None or high is not None:
            found.append(Check(f"ck_{table}_{column.name}_range", column.name, low=low, high=high))
    if column.enum:
        values = tuple(value for _, value in column.enum.members)
        found.append(Check(f"ck_{table}_{column.name}_values", column.name, values=values))
    return found


def _resource_table(resource: ResourceDesign) -> Table:
    """A model's table: its fields, then the owner, the authors, the organization, ``deleted_at`` and the times."""
    table = resource.table
    columns = [_id(), *(_field_column(resource, column) for column in resource.columns)]
    if resource.owned:
        columns.append(_user_id(name="owner_id"))
    if resource.track_authors:
        # Who created and who last changed the row: the row outlives them (SET NULL), so no CASCADE here.
        columns += [_user_id("SET NULL", name, nullable=True) for name in AUTHOR_FIELDS]
    if resource.tenant_scoped:
        columns.append(Column("organization_id", "integer", nullable=False, references=Reference("organizations")))
    if resource.soft_delete:
        columns.append(_timestamp("deleted_at"))
    columns += [_created_at(), _updated_at()]
    constraints: list[Constraint] = [_index(table, column.name) for column in resource.columns if column.index]
    if resource.owned:
        constraints.append(_index(table, "owner_id"))
    if resource.tenant_scoped:
        # A unique field is unique within each organization: two organizations may use the same value.
        constraints.append(_index(table, "organization_id"))
        constraints += [
            Unique(f"uq_{table}_{column.name}", ("organization_id", column.name))
            for column in resource.columns
            if column.unique
        ]
    if resource.soft_delete:
        constraints.append(_index(table, "deleted_at"))
    for column in resource.columns:
        constraints += _checks(table, column)
    return Table(table, resource.name, tuple(columns), tuple(constraints))


def _association_table(m2m: ManyToManyDesign) -> Table:
    """A many-to-many link: both ids, together the primary key; a link goes with either row."""
    return Table(
        m2m.table,
        pascal_case(m2m.table),
        (
            Column(m2m.local_column, "integer", nullable=False, references=Reference(m2m.local_table)),
            Column(m2m.remote_column, "integer", nullable=False, references=Reference(m2m.target_table)),
        ),
        (PrimaryKey(f"pk_{m2m.table}", (m2m.local_column, m2m.remote_column)),),
    )


# -- integrations ------------------------------------------------------------------------------------------------


def _payment_tables(stripe_features: tuple[str, ...]) -> list[Table]:
    """The Stripe tables of the FastAPI migration ``0003_payments``: customers always, subscriptions and the event
    ledger with their features."""
    tables = [
        Table(
            "stripe_customers",
            "StripeCustomer",
            (
                _id(),
                Column("user_id", "integer", nullable=False, unique="uq_stripe_customers_user_id",
                       references=Reference("users")),
                _string("customer_id", 255, nullable=False, unique="uq_stripe_customers_customer_id"),
                _created_at(),
            ),
        )
    ]
    if "subscriptions" in stripe_features:
        tables.append(Table(
            "stripe_subscriptions",
            "StripeSubscription",
            (
                _id(),
                _string("subscription_id", 255, nullable=False, unique="uq_stripe_subscriptions_subscription_id"),
                _string("customer_id", 255, nullable=False),
                _string("status", 50, nullable=False),
                _string("price_id", 255),
                _timestamp("current_period_end"),
                Column("event_created", "big_integer", nullable=False),  # the last applied event's
                _updated_at(),
            ),
            (_index("stripe_subscriptions", "customer_id"),),
        ))
    if "webhooks" in stripe_features:
        tables.append(Table(
            "stripe_events",
            "StripeEvent",
            (
                Column("id", "string", length=255, nullable=False, primary_key=True),  # Stripe's event id
                _string("type", 100, nullable=False),
                Column("created", "big_integer", nullable=False),
                Column("processed_at", "datetime", nullable=False, default_now=True),
            ),
        ))
    return tables


def _webhook_tables() -> list[Table]:
    """The tables of the FastAPI migration ``0002_webhooks``: users' endpoints, their delivery log, and received
    events (unique per source and event id, so a sender's retries are processed once). JSON columns are
    ``ordered_json`` (as FastAPI's): a payload keeps its key order."""
    subscriptions = Table(
        "webhook_subscriptions",
        "WebhookSubscription",
        (
            _id(),
            _user_id(name="owner_id"),
            _string("url", 2048, nullable=False),
            Column("event_types", "ordered_json", nullable=False, ts_type="string[]"),
            _string("secret", 100, nullable=False),  # kept in clear: signing needs it
            Column("is_active", "boolean", nullable=False, default=True),
            _created_at(),
            _updated_at(),
        ),
        (_index("webhook_subscriptions", "owner_id"),),
    )
    deliveries = Table(
        "webhook_deliveries",
        "WebhookDelivery",
        (
            _id(),
            Column("subscription_id", "integer", nullable=False, references=Reference("webhook_subscriptions")),
            _string("event_type", 100, nullable=False),
            Column("payload", "ordered_json", nullable=False, ts_type="Record<string, unknown>"),
            Column("status", "string", length=20, nullable=False, default="pending"),
            Column("attempts", "integer", nullable=False, default=0),
            _timestamp("next_attempt_at"),
            Column("response_status", "integer"),
            _string("last_error", None),
            _created_at(),
            _updated_at(),
        ),
        (_index("webhook_deliveries", "next_attempt_at"), _index("webhook_deliveries", "subscription_id")),
    )
    received = Table(
        "received_webhooks",
        "ReceivedWebhook",
        (
            _id(),
            _string("source", 50, nullable=False),
            _string("event_id", 255, nullable=False),
            _string("event_type", 100),
            Column("payload", "ordered_json", nullable=False, ts_type="Record<string, unknown>"),
            _timestamp("signed_at", nullable=False),
            Column("received_at", "datetime", nullable=False, default_now=True),
        ),
        (Unique("uq_received_webhooks_source", ("source", "event_id")),),
    )
    return [subscriptions, deliveries, received]
