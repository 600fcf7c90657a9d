"""The Drizzle ORM schema (``src/db/schema.ts``) of a Next.js project, for its one database.

The tables, columns, keys and indexes are the ones the FastAPI migration creates from the same
``ApiDesign``, so both stacks store the same data; drizzle-kit turns this module into SQL migrations.
The source is laid out the way Biome formats it, so the generated project passes ``biome check``.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from backend_squad.codegen import npm_packages
from backend_squad.codegen.zod_source import regex_literal, zod_validation
from backend_squad.design import (
    DECIMAL_DIGITS,
    DECIMAL_PLACES,
    ApiDesign,
    ColumnDesign,
    ManyToManyDesign,
    ResourceDesign,
)
from backend_squad.naming import camel_case
from backend_squad.spec import AUTHOR_FIELDS, AuthMethod, Database, ProjectSpec

if TYPE_CHECKING:
    from backend_squad.agents.integration_specialist import IntegrationPlan

LINE_WIDTH = 110  # biome.json's formatter.lineWidth
_IDENTIFIER = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")


def property_name(column: str) -> str:
    """The TypeScript property of a snake_case column: ``total_cents`` -> ``totalCents``."""
    return camel_case(column)


def table_export(table: str) -> str:
    """The exported constant of a table: ``order_items`` -> ``orderItems``."""
    return camel_case(table)


@dataclass(frozen=True)
class _Dialect:
    """What differs between drizzle-orm/pg-core, drizzle-orm/mysql-core and drizzle-orm/sqlite-core."""

    database: Database
    module: str
    table_function: str
    column_type: str  # AnyPgColumn / AnyMySqlColumn / AnySQLiteColumn, for references to a table declared later

    def primary_key(self) -> tuple[str, str]:
        if self.postgres:
            return "serial", 'serial("id").primaryKey()'
        if self.mysql:
            # INT like the foreign keys that point at it (mysql-core's serial is BIGINT UNSIGNED).
            return "int", 'int("id").autoincrement().primaryKey()'
        return "integer", 'integer("id").primaryKey({ autoIncrement: true })'

    @property
    def postgres(self) -> bool:
        return self.database == Database.POSTGRESQL

    @property
    def mysql(self) -> bool:
        return self.database == Database.MYSQL

    @property
    def sqlite(self) -> bool:
        return self.database == Database.SQLITE

    @property
    def integer(self) -> str:
        return "int" if self.mysql else "integer"


_DIALECTS = {
    Database.POSTGRESQL: _Dialect(Database.POSTGRESQL, "drizzle-orm/pg-core", "pgTable", "AnyPgColumn"),
    Database.MYSQL: _Dialect(Database.MYSQL, "drizzle-orm/mysql-core", "mysqlTable", "AnyMySqlColumn"),
    Database.SQLITE: _Dialect(Database.SQLITE, "drizzle-orm/sqlite-core", "sqliteTable", "AnySQLiteColumn"),
}


@dataclass
class _Column:
    """One property of a table: its builder chain and the table-level extras it needs."""

    name: str  # SQL name
    chain: list[str]  # builder call first, then modifiers: ['integer("x")', "notNull()"]

    @property
    def prop(self) -> str:
        return property_name(self.name)


@dataclass
class _Table:
    export: str
    sql_name: str
    columns: list[_Column]
    extras: list[str]  # index(...), check(...), primaryKey(...) entries of the extras array


class _Writer:
    """Builds the module: tables in order, and the imports they turned out to use."""

    def __init__(self, dialect: _Dialect) -> None:
        self.dialect = dialect
        self.core: set[str] = {dialect.table_function}
        self.uses_sql = False
        self.uses_column_type = False

    # -- column builders -------------------------------------------------------------------------------

    def builder(self, function: str, name: str, options: str = "") -> str:
        self.core.add(function)
        return f'{function}("{name}", {options})' if options else f'{function}("{name}")'

    def timestamp(self, name: str) -> str:
        if self.dialect.postgres:
            return self.builder("timestamp", name, '{ withTimezone: true, mode: "date" }')
        if self.dialect.mysql:
            # DATETIME holds no zone: the driver reads and writes UTC (see src/db/index.ts).
            return self.builder("datetime", name, '{ mode: "date", fsp: 3 }')
        return self.builder("integer", name, '{ mode: "timestamp_ms" }')

    def string(self, name: str, length: int | None, values: tuple[str, ...] = ()) -> str:
        options = [f"length: {length}"] if length is not None else []
        if values:
            options.append(f"enum: [{', '.join(json.dumps(value) for value in values)}]")
        rendered = "{ " + ", ".join(options) + " }" if options else ""
        if not self.dialect.sqlite and length is not None:
            return self.builder("varchar", name, rendered)
        return self.builder("text", name, rendered)

    def id_column(self) -> _Column:
        function, chain = self.dialect.primary_key()
        self.core.add(function)
        return _Column("id", [chain])

    def created_at(self) -> _Column:
        return _Column("created_at", [self.timestamp("created_at"), *self._now_default()])

    def updated_at(self) -> _Column:
        return _Column(
            "updated_at", [self.timestamp("updated_at"), *self._now_default(), "$onUpdate(() => new Date())"]
        )

    def _now_default(self) -> list[str]:
        """PostgreSQL fills in now(); elsewhere the application sets the time (SQLite stores milliseconds, and
        MySQL's DATETIME(3) refuses a plain CURRENT_TIMESTAMP default)."""
        return ["notNull()", "defaultNow()" if self.dialect.postgres else "$defaultFn(() => new Date())"]

    def reference(self, target: str, on_delete: str, later: bool) -> str:
        """``references(...)`` to ``target``'s id; a table declared later (or itself) needs a typed callback."""
        action = on_delete.lower()  # "cascade" / "set null", as Drizzle spells them
        if later:
            self.uses_column_type = True
            return f'references((): {self.dialect.column_type} => {target}.id, {{ onDelete: "{action}" }})'
        return f'references(() => {target}.id, {{ onDelete: "{action}" }})'

    def field_builder(self, column: ColumnDesign) -> str:
        """The builder call for a declared field or foreign key, by kind (the FastAPI model's SQL types)."""
        kind, name, postgres, mysql = column.kind, column.name, self.dialect.postgres, self.dialect.mysql
        if column.enum:
            values = tuple(value for _, value in column.enum.members)
            return self.string(name, max(len(value) for value in values), values)
        if kind in ("string", "email", "url"):
            return self.string(name, _length(column))
        if kind == "text":
            return self.builder("text", name)
        if kind in ("integer", "foreign_key"):
            return self.builder(self.dialect.integer, name)
        if kind == "float":
            return self.builder("doublePrecision" if postgres else "double" if mysql else "real", name)
        if kind == "decimal":
            if not self.dialect.sqlite:
                precision = f"{{ precision: {DECIMAL_DIGITS}, scale: {DECIMAL_PLACES} }}"
                return self.builder("decimal" if mysql else "numeric", name, precision)
            return self.builder("numeric", name)
        if kind == "boolean":
            if self.dialect.sqlite:
                return self.builder("integer", name, '{ mode: "boolean" }')
            return self.builder("boolean", name)
        if kind == "date":
            return self.builder("text", name) if self.dialect.sqlite else self.builder("date", name, '{ mode: "string" }')
        if kind == "datetime":
            return self.timestamp(name)
        if kind == "uuid":
            if postgres:
                return self.builder("uuid", name)
            return self.builder("varchar" if mysql else "text", name, "{ length: 36 }")
        if kind == "json":
            if self.dialect.sqlite:
                return self.builder("text", name, '{ mode: "json" }')
            return self.builder("jsonb" if postgres else "json", name)
        raise ValueError(f"no Drizzle column for kind {kind!r}")

    # -- table-level extras ----------------------------------------------------------------------------

    def index(self, table: str, column: str) -> str:
        self.core.add("index")
        return f'index("ix_{table}_{column}").on(t.{property_name(column)})'

    def check(self, name: str, condition: str) -> str:
        self.core.add("check")
        self.uses_sql = True
        return f'check("{name}", sql`{condition}`)'


def _length(column: ColumnDesign) -> int | None:
    return column.constraints.get("max_length")


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def column_default(column: ColumnDesign) -> Any:
    """The declared default as a Python value (``ColumnDesign`` keeps it as the SQLAlchemy model's expression)."""
    expression = column.model_default
    if expression is None:
        return None
    if expression.startswith("lambda: "):
        expression = expression.removeprefix("lambda: ")
    if expression.startswith("Decimal("):
        return ast.literal_eval(expression.removeprefix("Decimal(").removesuffix(")"))
    return ast.literal_eval(expression)


def ts_literal(value: Any) -> str:
    """A JSON-like value as TypeScript source, spaced and quoted the way Biome writes it."""
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [
            f"{key if _IDENTIFIER.match(key) else json.dumps(key)}: {ts_literal(item)}" for key, item in value.items()
        ]
        return "{ " + ", ".join(items) + " }"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(ts_literal(item) for item in value) + "]"
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int | float):
        return _number(value)
    return json.dumps(value)


def _default_modifier(column: ColumnDesign, fixed_places: bool) -> str | None:
    value = column_default(column)
    if value is None:
        return None
    if column.kind == "decimal":
        # numeric columns read and write strings; the value keeps its two decimal places.
        return f'default("{float(value):.{DECIMAL_PLACES}f}")' if fixed_places else f'default("{value}")'
    if column.kind == "json":
        return f"default({ts_literal(value)})"
    return f"default({ts_literal(value)})"


def _resource_table(writer: _Writer, resource: ResourceDesign, position: dict[str, int]) -> _Table:
    table = resource.table
    export = table_export(table)
    columns = [writer.id_column()]
    checks: list[str] = []
    foreign_keys: list[tuple[str, str, str]] = []
    for column in resource.columns:
        chain = [writer.field_builder(column)]
        if not column.nullable:
            chain.append("notNull()")
        if column.unique and not resource.tenant_scoped:
            chain.append(f'unique("uq_{table}_{column.name}")')
        default = _default_modifier(column, fixed_places=not writer.dialect.sqlite)
        if default:
            chain.append(default)
        if column.foreign_key:
            target_table = column.foreign_key.split(".")[0]
            later = position.get(target_table, -1) >= position[table]
            chain.append(writer.reference(table_export(target_table), column.on_delete or "CASCADE", later))
            foreign_keys.append((column.name, target_table, column.on_delete or "CASCADE"))
        columns.append(_Column(column.name, chain))
        checks += _checks(writer, table, column)
    if resource.owned:
        columns.append(
            _Column(
                "owner_id",
                [writer.builder(writer.dialect.integer, "owner_id"), "notNull()", writer.reference("users", "CASCADE", False)],
            )
        )
    if resource.track_authors:
        # Who created and who last changed the row: the row outlives them (SET NULL), so no CASCADE here.
        columns += [
            _Column(name, [writer.builder(writer.dialect.integer, name), writer.reference("users", "SET NULL", False)])
            for name in AUTHOR_FIELDS
        ]
    if resource.tenant_scoped:
        columns.append(
            _Column(
                "organization_id",
                [writer.builder(writer.dialect.integer, "organization_id"), "notNull()",
                 writer.reference("organizations", "CASCADE", False)],
            )
        )
    if resource.soft_delete:
        columns.append(_Column("deleted_at", [writer.timestamp("deleted_at")]))
    columns += [writer.created_at(), writer.updated_at()]
    extras = [writer.index(table, column.name) for column in resource.columns if column.index]
    if resource.owned:
        extras.append(writer.index(table, "owner_id"))
    if resource.tenant_scoped:
        # A unique field is unique within each organization: two organizations may use the same value.
        extras.append(writer.index(table, "organization_id"))
        for column in resource.columns:
            if column.unique:
                writer.core.add("unique")
                extras.append(f'unique("uq_{table}_{column.name}").on(t.organizationId, t.{property_name(column.name)})')
    if resource.soft_delete:
        extras.append(writer.index(table, "deleted_at"))
    return _Table(export, table, columns, extras + checks)


def _checks(writer: _Writer, table: str, column: ColumnDesign) -> list[str]:
    """CHECK constraints for the declared bounds and enum values: the database refuses what validation refuses."""
    prop = f"${{t.{property_name(column.name)}}}"
    found: list[str] = []
    if column.kind in ("integer", "float", "decimal"):
        bounds = []
        if "ge" in column.constraints:
            bounds.append(f"{prop} >= {_number(column.constraints['ge'])}")
        if "le" in column.constraints:
            bounds.append(f"{prop} <= {_number(column.constraints['le'])}")
        if bounds:
            found.append(writer.check(f"ck_{table}_{column.name}_range", " AND ".join(bounds)))
    if column.enum:
        values = ", ".join(f"'{value}'" for _, value in column.enum.members)
        found.append(writer.check(f"ck_{table}_{column.name}_values", f"{prop} IN ({values})"))
    return found


def _association_table(writer: _Writer, m2m: ManyToManyDesign) -> _Table:
    writer.core.add("primaryKey")
    local, remote = property_name(m2m.local_column), property_name(m2m.remote_column)
    columns = [
        _Column(
            m2m.local_column,
            [
                writer.builder(writer.dialect.integer, m2m.local_column),
                "notNull()",
                writer.reference(table_export(m2m.local_table), "CASCADE", False),
            ],
        ),
        _Column(
            m2m.remote_column,
            [
                writer.builder(writer.dialect.integer, m2m.remote_column),
                "notNull()",
                writer.reference(table_export(m2m.target_table), "CASCADE", False),
            ],
        ),
    ]
    extras = [f'primaryKey({{ name: "pk_{m2m.table}", columns: [t.{local}, t.{remote}] }})']
    return _Table(table_export(m2m.table), m2m.table, columns, extras)


def _account_tables(writer: _Writer, plans: bool = False) -> list[_Table]:
    """users, refresh_tokens and api_keys: the columns the auth modules use (the shared contract); ``users.role`` is
    the FastAPI migration ``0006_user_roles``'s column, varchar(32) and nullable; ``users.plan`` (with ``plans``, for
    per-plan rate limits) is ``0008_user_plans``'s, varchar(40) and nullable."""
    boolean = (
        (lambda name: writer.builder("integer", name, '{ mode: "boolean" }'))
        if writer.dialect.sqlite
        else (lambda name: writer.builder("boolean", name))
    )
    users_ref = writer.reference("users", "CASCADE", False)
    users = _Table(
        "users",
        "users",
        [
            writer.id_column(),
            _Column("email", [writer.string("email", 320), "notNull()", 'unique("uq_users_email")']),
            _Column("full_name", [writer.string("full_name", 200)]),
            _Column("hashed_password", [writer.string("hashed_password", 255), "notNull()"]),
            _Column("is_active", [boolean("is_active"), "notNull()", "default(true)"]),
            _Column("is_admin", [boolean("is_admin"), "notNull()", "default(false)"]),
            # Every project has it (NULL: no role); only projects that declare roles read or write it.
            _Column("role", [writer.string("role", 32)]),
            *([_Column("plan", [writer.string("plan", 40)])] if plans else []),
            writer.created_at(),
            writer.updated_at(),
        ],
        [],
    )
    refresh_tokens = _Table(
        "refreshTokens",
        "refresh_tokens",
        [
            writer.id_column(),
            _Column("user_id", [writer.builder(writer.dialect.integer, "user_id"), "notNull()", users_ref]),
            _Column(
                "token_digest",
                [writer.string("token_digest", 64), "notNull()", 'unique("uq_refresh_tokens_token_digest")'],
            ),
            _Column("family_id", [writer.string("family_id", 36), "notNull()"]),
            _Column("expires_at", [writer.timestamp("expires_at"), "notNull()"]),
            _Column("revoked_at", [writer.timestamp("revoked_at")]),
            writer.created_at(),
        ],
        [writer.index("refresh_tokens", "user_id"), writer.index("refresh_tokens", "family_id")],
    )
    api_keys = _Table(
        "apiKeys",
        "api_keys",
        [
            writer.id_column(),
            _Column("user_id", [writer.builder(writer.dialect.integer, "user_id"), "notNull()", users_ref]),
            _Column("name", [writer.string("name", 100), "notNull()"]),
            _Column("prefix", [writer.string("prefix", 16), "notNull()"]),
            _Column("key_digest", [writer.string("key_digest", 64), "notNull()", 'unique("uq_api_keys_key_digest")']),
            _Column("scopes", [writer.builder("text", "scopes"), "notNull()"]),
            writer.created_at(),
            _Column("last_used_at", [writer.timestamp("last_used_at")]),
            _Column("revoked_at", [writer.timestamp("revoked_at")]),
        ],
        [writer.index("api_keys", "user_id"), writer.index("api_keys", "prefix")],
    )
    return [users, refresh_tokens, api_keys]


def _user_column(writer: _Writer) -> _Column:
    """``user_id`` of a row that belongs to a user and goes with them (ON DELETE CASCADE)."""
    return _Column("user_id", [writer.builder(writer.dialect.integer, "user_id"), "notNull()",
                               writer.reference("users", "CASCADE", False)])


def _digest_column(writer: _Writer, table: str, name: str) -> _Column:
    """A secret the user presents, stored only as its SHA-256 hex digest: unique, the row's lookup key."""
    return _Column(name, [writer.string(name, 64), "notNull()", f'unique("uq_{table}_{name}")'])


def _magic_link_table(writer: _Writer) -> _Table:
    """``magic_link_tokens``: sign-in links by e-mail, stored as the SHA-256 digest of their token (as refresh tokens
    are); ``used_at`` is set when a link signs in or a newer link replaces it."""
    return _Table(
        "magicLinkTokens",
        "magic_link_tokens",
        [
            writer.id_column(),
            _user_column(writer),
            _digest_column(writer, "magic_link_tokens", "token_hash"),
            _Column("expires_at", [writer.timestamp("expires_at"), "notNull()"]),
            _Column("used_at", [writer.timestamp("used_at")]),
            writer.created_at(),
        ],
        [writer.index("magic_link_tokens", "user_id")],
    )


def _browser_session_table(writer: _Writer) -> _Table:
    """``browser_sessions``: cookie sessions (the FastAPI migration ``0009_browser_sessions``), stored as the SHA-256
    digest of the cookie's secret (as refresh tokens are); a session ends at ``expires_at`` or once unused for
    SESSION_IDLE_MINUTES after ``last_seen_at``."""
    return _Table(
        "browserSessions",
        "browser_sessions",
        [
            writer.id_column(),
            _user_column(writer),
            _digest_column(writer, "browser_sessions", "token_hash"),
            writer.created_at(),
            _Column("last_seen_at", [writer.timestamp("last_seen_at"), "notNull()"]),
            _Column("expires_at", [writer.timestamp("expires_at"), "notNull()"]),
        ],
        [writer.index("browser_sessions", "user_id")],
    )


def _oauth_tables(writer: _Writer) -> list[_Table]:
    """OAuth sign-in (the FastAPI migration ``0007_oauth``): ``oauth_accounts`` links a provider's subject to a user
    (unique per provider and subject), and ``oauth_login_codes`` holds the callback's one-time codes as the SHA-256
    digest of the code; ``used_at`` is set when a code is traded for tokens."""
    writer.core.add("unique")
    accounts = _Table(
        "oauthAccounts",
        "oauth_accounts",
        [
            writer.id_column(),
            _user_column(writer),
            _Column("provider", [writer.string("provider", 32), "notNull()"]),
            _Column("subject", [writer.string("subject", 255), "notNull()"]),
            _Column("email", [writer.string("email", 320)]),
            writer.created_at(),
        ],
        [writer.index("oauth_accounts", "user_id"),
         'unique("uq_oauth_accounts_provider_subject").on(t.provider, t.subject)'],
    )
    codes = _Table(
        "oauthLoginCodes",
        "oauth_login_codes",
        [
            writer.id_column(),
            _user_column(writer),
            _digest_column(writer, "oauth_login_codes", "code_hash"),
            _Column("expires_at", [writer.timestamp("expires_at"), "notNull()"]),
            _Column("used_at", [writer.timestamp("used_at")]),
            writer.created_at(),
        ],
        [writer.index("oauth_login_codes", "user_id")],
    )
    return [accounts, codes]


def _tenancy_tables(writer: _Writer) -> list[_Table]:
    """Multi-tenancy: ``organizations``, their ``memberships`` (one per user and organization; ``role`` NULL for a
    plain member, "admin" or a declared role) and e-mailed ``invitations``, stored as the SHA-256 digest of their
    token; ``accepted_at`` is set when one is spent."""
    writer.core.add("unique")
    users_ref = writer.reference("users", "CASCADE", False)
    organizations_ref = writer.reference("organizations", "CASCADE", False)
    organizations = _Table(
        "organizations",
        "organizations",
        [writer.id_column(), _Column("name", [writer.string("name", 120), "notNull()"]), writer.created_at()],
        [],
    )
    memberships = _Table(
        "memberships",
        "memberships",
        [
            writer.id_column(),
            _Column("organization_id", [writer.builder(writer.dialect.integer, "organization_id"), "notNull()",
                                        organizations_ref]),
            _Column("user_id", [writer.builder(writer.dialect.integer, "user_id"), "notNull()", users_ref]),
            _Column("role", [writer.string("role", 32)]),
            writer.created_at(),
        ],
        ['unique("uq_memberships_organization_id_user_id").on(t.organizationId, t.userId)',
         writer.index("memberships", "user_id")],
    )
    invitations = _Table(
        "invitations",
        "invitations",
        [
            writer.id_column(),
            _Column("organization_id", [writer.builder(writer.dialect.integer, "organization_id"), "notNull()",
                                        organizations_ref]),
            _Column("email", [writer.string("email", 320), "notNull()"]),
            _Column("role", [writer.string("role", 32)]),
            _Column("token_digest", [writer.string("token_digest", 64), "notNull()",
                                     'unique("uq_invitations_token_digest")']),
            _Column("invited_by_id", [writer.builder(writer.dialect.integer, "invited_by_id"),
                                      writer.reference("users", "SET NULL", False)]),
            _Column("expires_at", [writer.timestamp("expires_at"), "notNull()"]),
            _Column("accepted_at", [writer.timestamp("accepted_at")]),
            writer.created_at(),
        ],
        [writer.index("invitations", "organization_id")],
    )
    return [organizations, memberships, invitations]


def _audit_table(writer: _Writer) -> _Table:
    """``audit_events``: who did what to which row. ``actor_id`` has no foreign key, so events outlive their users,
    and ``target_id`` is text, so a target need not have an integer id."""
    return _Table(
        "auditEvents",
        "audit_events",
        [
            writer.id_column(),
            writer.created_at(),
            _Column("actor_id", [writer.builder(writer.dialect.integer, "actor_id")]),
            _Column("action", [writer.string("action", 64), "notNull()"]),
            _Column("target_type", [writer.string("target_type", 64)]),
            _Column("target_id", [writer.string("target_id", 64)]),
        ],
        [writer.index("audit_events", "actor_id"), writer.index("audit_events", "action")],
    )


def _payment_tables(writer: _Writer, stripe_features: tuple[str, ...]) -> list[_Table]:
    """The Stripe tables of the FastAPI migration ``0003_payments``: customers always, subscriptions and the event
    ledger with their features."""
    big_integer = (
        (lambda name: writer.builder("integer", name))
        if writer.dialect.sqlite
        else (lambda name: writer.builder("bigint", name, '{ mode: "number" }'))
    )
    tables = [
        _Table(
            "stripeCustomers",
            "stripe_customers",
            [
                writer.id_column(),
                _Column("user_id", [writer.builder(writer.dialect.integer, "user_id"), "notNull()",
                                    'unique("uq_stripe_customers_user_id")', writer.reference("users", "CASCADE", False)]),
                _Column("customer_id", [writer.string("customer_id", 255), "notNull()",
                                        'unique("uq_stripe_customers_customer_id")']),
                writer.created_at(),
            ],
            [],
        )
    ]
    if "subscriptions" in stripe_features:
        tables.append(_Table(
            "stripeSubscriptions",
            "stripe_subscriptions",
            [
                writer.id_column(),
                _Column("subscription_id", [writer.string("subscription_id", 255), "notNull()",
                                            'unique("uq_stripe_subscriptions_subscription_id")']),
                _Column("customer_id", [writer.string("customer_id", 255), "notNull()"]),
                _Column("status", [writer.string("status", 50), "notNull()"]),
                _Column("price_id", [writer.string("price_id", 255)]),
                _Column("current_period_end", [writer.timestamp("current_period_end")]),
                _Column("event_created", [big_integer("event_created"), "notNull()"]),  # the last applied event's
                writer.updated_at(),
            ],
            [writer.index("stripe_subscriptions", "customer_id")],
        ))
    if "webhooks" in stripe_features:
        tables.append(_Table(
            "stripeEvents",
            "stripe_events",
            [
                _Column("id", [writer.string("id", 255), "primaryKey()"]),
                _Column("type", [writer.string("type", 100), "notNull()"]),
                _Column("created", [big_integer("created"), "notNull()"]),
                _Column("processed_at", [writer.timestamp("processed_at"), *writer._now_default()]),
            ],
            [],
        ))
    return tables


def _webhook_tables(writer: _Writer) -> list[_Table]:
    """The tables of the FastAPI migration ``0002_webhooks``: users' endpoints, their delivery log, and received
    events (unique per source and event id, so a sender's retries are processed once)."""

    def typed(name: str, kind: str) -> str:  # the dialect's column for a field kind, as the models' columns get it
        return writer.field_builder(ColumnDesign.model_construct(name=name, kind=kind, enum=None, constraints={}))

    def json_column(name: str) -> str:  # json, not jsonb, on PostgreSQL (as FastAPI's): a payload keeps its key order
        return writer.builder("json", name) if writer.dialect.postgres else typed(name, "json")

    writer.core.add("unique")
    subscriptions = _Table(
        "webhookSubscriptions",
        "webhook_subscriptions",
        [
            writer.id_column(),
            _Column("owner_id", [typed("owner_id", "integer"), "notNull()", writer.reference("users", "CASCADE", False)]),
            _Column("url", [writer.string("url", 2048), "notNull()"]),
            _Column("event_types", [json_column("event_types"), "$type<string[]>()", "notNull()"]),
            _Column("secret", [writer.string("secret", 100), "notNull()"]),  # kept in clear: signing needs it
            _Column("is_active", [typed("is_active", "boolean"), "notNull()", "default(true)"]),
            writer.created_at(),
            writer.updated_at(),
        ],
        [writer.index("webhook_subscriptions", "owner_id")],
    )
    deliveries = _Table(
        "webhookDeliveries",
        "webhook_deliveries",
        [
            writer.id_column(),
            _Column("subscription_id", [typed("subscription_id", "integer"), "notNull()",
                                        writer.reference("webhookSubscriptions", "CASCADE", False)]),
            _Column("event_type", [writer.string("event_type", 100), "notNull()"]),
            _Column("payload", [json_column("payload"), "$type<Record<string, unknown>>()", "notNull()"]),
            _Column("status", [writer.string("status", 20), "notNull()", 'default("pending")']),
            _Column("attempts", [typed("attempts", "integer"), "notNull()", "default(0)"]),
            _Column("next_attempt_at", [writer.timestamp("next_attempt_at")]),
            _Column("response_status", [typed("response_status", "integer")]),
            _Column("last_error", [typed("last_error", "text")]),
            writer.created_at(),
            writer.updated_at(),
        ],
        [writer.index("webhook_deliveries", "next_attempt_at"), writer.index("webhook_deliveries", "subscription_id")],
    )
    received = _Table(
        "receivedWebhooks",
        "received_webhooks",
        [
            writer.id_column(),
            _Column("source", [writer.string("source", 50), "notNull()"]),
            _Column("event_id", [writer.string("event_id", 255), "notNull()"]),
            _Column("event_type", [writer.string("event_type", 100)]),
            _Column("payload", [json_column("payload"), "$type<Record<string, unknown>>()", "notNull()"]),
            _Column("signed_at", [writer.timestamp("signed_at"), "notNull()"]),
            _Column("received_at", [writer.timestamp("received_at"), *writer._now_default()]),
        ],
        ['unique("uq_received_webhooks_source").on(t.source, t.eventId)'],
    )
    return [subscriptions, deliveries, received]

# -- layout ------------------------------------------------------------------------------------------------


def _chain_source(column: _Column, indent: str) -> list[str]:
    """``prop: builder.modifier()...,`` on one line when it fits and has at most two calls, else one call per line.

    Biome (like Prettier) keeps a member chain of up to two calls on one line when it fits, and also longer
    chains whose arguments are all simple; a chain with a function argument and more than two calls breaks.
    """
    head = f"{indent}{column.prop}: {column.chain[0]}"
    one_line = head + "".join(f".{call}" for call in column.chain[1:]) + ","
    calls = len(column.chain)
    # Biome counts a function, or an array inside an object, as a "complex" argument.
    complex_argument = any("=>" in call or re.search(r"\{[^}]*\[", call) for call in column.chain)
    if len(one_line) <= LINE_WIDTH and (calls <= 2 or not complex_argument):
        return [one_line]
    return [head, *(f"{indent}  .{call}" for call in column.chain[1:]), "!comma"]


def _table_source(dialect: _Dialect, table: _Table) -> list[str]:
    if not table.extras:
        lines = [f'export const {table.export} = {dialect.table_function}("{table.sql_name}", {{']
        for column in table.columns:
            lines += _chain_source(column, "  ")
        lines.append("});")
        return _fix_commas(lines)
    lines = [f"export const {table.export} = {dialect.table_function}(", f'  "{table.sql_name}",', "  {"]
    for column in table.columns:
        lines += _chain_source(column, "    ")
    lines.append("  },")
    one_line = f"  (t) => [{', '.join(table.extras)}],"
    if len(one_line) <= LINE_WIDTH:
        lines.append(one_line)
    else:
        lines.append("  (t) => [")
        for extra in table.extras:
            lines += _call_lines(extra, "    ")
        lines.append("  ],")
    lines.append(");")
    return _fix_commas(lines)


def _call_lines(call: str, indent: str) -> list[str]:
    """``check("name", sql`...`),`` on one line, or one argument per line when it is too long."""
    if len(f"{indent}{call},") <= LINE_WIDTH or not call.startswith("check("):
        return [f"{indent}{call},"]
    name, condition = call.removeprefix("check(").removesuffix(")").split(", ", 1)
    return [f"{indent}check(", f"{indent}  {name},", f"{indent}  {condition},", f"{indent}),"]


def _fix_commas(lines: list[str]) -> list[str]:
    """A broken chain ends with the comma on its last call."""
    fixed: list[str] = []
    for line in lines:
        if line == "!comma":
            fixed[-1] += ","
        else:
            fixed.append(line)
    return fixed


def drizzle_schema(api: ApiDesign, database: Database | str, stripe_features: tuple[str, ...] | None = None,
                   webhooks: bool = False, magic_links: bool = False, oauth: bool = False,
                   plans: bool = False, sessions: bool = False) -> str:
    """The ``src/db/schema.ts`` source for ``database``; ``stripe_features`` when Stripe is on, ``webhooks`` with the
    webhooks integration, ``magic_links`` with the magic_link auth method, ``oauth`` with the oauth one, ``plans``
    (users.plan) with rate limiting, ``sessions`` (browser_sessions) with the session auth method."""
    dialect = _DIALECTS[Database(database)]
    writer = _Writer(dialect)
    tables = _account_tables(writer, plans)
    if magic_links:
        tables.append(_magic_link_table(writer))
    if oauth:
        tables += _oauth_tables(writer)
    if sessions:
        tables.append(_browser_session_table(writer))
    tables.append(_audit_table(writer))
    if api.multi_tenant:
        tables += _tenancy_tables(writer)
    position = {resource.table: index for index, resource in enumerate(api.resources)}
    tables += [_resource_table(writer, resource, position) for resource in api.resources]
    tables += [_association_table(writer, m2m) for m2m in api.association_tables]
    if stripe_features is not None:
        tables += _payment_tables(writer, stripe_features)
    if webhooks:
        tables += _webhook_tables(writer)
    core = sorted(writer.core | ({dialect.column_type} if writer.uses_column_type else set()), key=str.lower)
    names = [f"type {name}" if name == dialect.column_type else name for name in core]
    lines = [
        "/**",
        " * The database tables: accounts (users, refresh tokens, API keys), the audit log (audit_events) and the",
        " * models from the answers.",
        " * Change a table here, then run `make migration name=...` (drizzle-kit generate) and commit the SQL.",
        " */",
    ]
    if writer.uses_sql:
        lines.append('import { sql } from "drizzle-orm";')
    import_line = f'import {{ {", ".join(names)} }} from "{dialect.module}";'
    if len(import_line) <= LINE_WIDTH:
        lines.append(import_line)
    else:
        lines += ["import {", *(f"  {name}," for name in names), f'}} from "{dialect.module}";']
    for table in tables:
        lines.append("")
        lines += _table_source(dialect, table)
    return "\n".join(lines) + "\n"


class NextjsCode:
    """What the Next.js templates take from Python: the schema module, the Zod schemas and the TypeScript names."""

    def __init__(self, api: ApiDesign, spec: ProjectSpec, integrations: IntegrationPlan) -> None:
        self.api = api
        self.spec = spec
        self.database = Database(spec.database)
        self.integrations = integrations

    @property
    def dependencies(self) -> dict[str, str]:
        """package.json ``dependencies``: exact versions, sorted."""
        return npm_packages.dependencies(self.spec, self.integrations)

    @property
    def dev_dependencies(self) -> dict[str, str]:
        return npm_packages.dev_dependencies(self.spec, self.integrations)

    @property
    def schema(self) -> str:
        """``src/db/schema.ts`` for the chosen database."""
        return drizzle_schema(self.api, self.database, self.spec.chosen_stripe_features,
                              webhooks="webhooks" in self.spec.integrations,
                              magic_links=AuthMethod.MAGIC_LINK in self.spec.auth_methods,
                              oauth=AuthMethod.OAUTH in self.spec.auth_methods,
                              plans=self.spec.rate_limiting,
                              sessions=AuthMethod.SESSION in self.spec.auth_methods)

    @staticmethod
    def validation(resource: ResourceDesign) -> str:
        """The Zod request schemas of ``resource`` (body and list query)."""
        return zod_validation(resource)

    @staticmethod
    def regex(pattern: str) -> str:
        return regex_literal(pattern)

    @staticmethod
    def prop(column: str) -> str:
        return property_name(column)

    @staticmethod
    def table(table: str) -> str:
        return table_export(table)
