"""The Drizzle ORM schema (``src/db/schema.ts``) of a Next.js project, for its one database.

The tables come from ``tables.database_tables``, the data the Prisma schema renders too; this module picks each
dialect's column builders (varchar or text, timestamptz or milliseconds, jsonb or json) and lays the source out the
way Biome formats it, so the generated project passes ``biome check``. drizzle-kit turns it into SQL migrations.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from backend_squad.codegen import npm_packages
from backend_squad.codegen.prisma_migration import migration_directory, migration_lock, migration_sql
from backend_squad.codegen.prisma_schema import prisma_schema
from backend_squad.codegen.tables import (
    Check,
    Column,
    Constraint,
    Index,
    PrimaryKey,
    Table,
    Unique,
    column_default,
    database_tables,
)
from backend_squad.codegen.zod_source import regex_literal, zod_validation
from backend_squad.design import DECIMAL_DIGITS, DECIMAL_PLACES, ApiDesign, ResourceDesign
from backend_squad.naming import camel_case
from backend_squad.spec import AuthMethod, Database, ProjectSpec

if TYPE_CHECKING:
    from backend_squad.agents.integration_specialist import IntegrationPlan

__all__ = ["NextjsCode", "column_default", "drizzle_schema", "property_name", "table_export", "ts_literal"]

LINE_WIDTH = 110  # biome.json's formatter.lineWidth
INITIAL_MIGRATION_TIMESTAMP = "20260101000000"  # the Prisma project's first migration folder
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
    """One property of a table: its builder chain."""

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
    extras: list[str]  # index(...), unique(...), check(...), primaryKey(...) entries of the extras array


class _Writer:
    """Turns tables into builder chains, and records the imports they turned out to use."""

    def __init__(self, dialect: _Dialect) -> None:
        self.dialect = dialect
        self.core: set[str] = {dialect.table_function}
        self.uses_sql = False
        self.uses_column_type = False

    # -- tables ----------------------------------------------------------------------------------------

    def table(self, table: Table, order: list[str]) -> _Table:
        """``table``'s properties and extras; ``order`` names every table in declaration order."""
        position = order.index(table.name)
        columns = [_Column(column.name, self.chain(column, position, order)) for column in table.columns]
        extras = [self.constraint(constraint) for constraint in table.constraints]
        return _Table(table_export(table.name), table.name, columns, extras)

    def chain(self, column: Column, position: int, order: list[str]) -> list[str]:
        """The builder call, then ``$type``, ``notNull``/``primaryKey``, ``unique``, the defaults and the reference."""
        if column.primary_key and column.type == "integer":
            function, chain = self.dialect.primary_key()
            self.core.add(function)
            return [chain]
        chain = [self.column_builder(column)]
        if column.ts_type:
            chain.append(f"$type<{column.ts_type}>()")
        if column.primary_key:
            chain.append("primaryKey()")
        elif not column.nullable:
            chain.append("notNull()")
        if column.unique:
            chain.append(f'unique("{column.unique}")')
        if column.default is not None:
            chain.append(self.default(column))
        if column.default_now:
            # PostgreSQL fills in now(); elsewhere the application sets the time (SQLite stores milliseconds, and
            # MySQL's DATETIME(3) refuses a plain CURRENT_TIMESTAMP default).
            chain.append("defaultNow()" if self.dialect.postgres else "$defaultFn(() => new Date())")
        if column.update_now:
            chain.append("$onUpdate(() => new Date())")
        if column.references:
            target = column.references.table
            # A table declared later (or itself) needs a typed callback.
            later = target in order and order.index(target) >= position
            chain.append(self.reference(table_export(target), column.references.on_delete, later))
        return chain

    def default(self, column: Column) -> str:
        if column.type == "decimal":
            # numeric columns read and write strings; the value keeps its two decimal places.
            if self.dialect.sqlite:
                return f'default("{column.default}")'
            return f'default("{float(column.default):.{DECIMAL_PLACES}f}")'
        return f"default({ts_literal(column.default)})"

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

    def reference(self, target: str, on_delete: str, later: bool) -> str:
        """``references(...)`` to ``target``'s id."""
        action = on_delete.lower()  # "cascade" / "set null", as Drizzle spells them
        if later:
            self.uses_column_type = True
            return f'references((): {self.dialect.column_type} => {target}.id, {{ onDelete: "{action}" }})'
        return f'references(() => {target}.id, {{ onDelete: "{action}" }})'

    def column_builder(self, column: Column) -> str:
        """The builder call for a logical column type (the FastAPI models' SQL types)."""
        kind, name, postgres, mysql, sqlite = (
            column.type, column.name, self.dialect.postgres, self.dialect.mysql, self.dialect.sqlite
        )
        if kind == "string":
            return self.string(name, column.length, column.values)
        if kind == "integer":
            return self.builder(self.dialect.integer, name)
        if kind == "big_integer":
            return self.builder("integer", name) if sqlite else self.builder("bigint", name, '{ mode: "number" }')
        if kind == "float":
            return self.builder("doublePrecision" if postgres else "double" if mysql else "real", name)
        if kind == "decimal":
            if not sqlite:
                precision = f"{{ precision: {DECIMAL_DIGITS}, scale: {DECIMAL_PLACES} }}"
                return self.builder("decimal" if mysql else "numeric", name, precision)
            return self.builder("numeric", name)
        if kind == "boolean":
            return self.builder("integer", name, '{ mode: "boolean" }') if sqlite else self.builder("boolean", name)
        if kind == "date":
            return self.builder("text", name) if sqlite else self.builder("date", name, '{ mode: "string" }')
        if kind == "datetime":
            return self.timestamp(name)
        if kind == "uuid":
            if postgres:
                return self.builder("uuid", name)
            return self.builder("varchar" if mysql else "text", name, "{ length: 36 }")
        if kind in ("json", "ordered_json"):
            if sqlite:
                return self.builder("text", name, '{ mode: "json" }')
            return self.builder("jsonb" if postgres and kind == "json" else "json", name)
        raise ValueError(f"no Drizzle column for type {kind!r}")

    # -- table-level extras ----------------------------------------------------------------------------

    def constraint(self, constraint: Constraint) -> str:
        columns = ", ".join(f"t.{property_name(column)}" for column in getattr(constraint, "columns", ()))
        if isinstance(constraint, Index):
            self.core.add("index")
            return f'index("{constraint.name}").on({columns})'
        if isinstance(constraint, Unique):
            self.core.add("unique")
            return f'unique("{constraint.name}").on({columns})'
        if isinstance(constraint, PrimaryKey):
            self.core.add("primaryKey")
            return f'primaryKey({{ name: "{constraint.name}", columns: [{columns}] }})'
        return self.check(constraint)

    def check(self, check: Check) -> str:
        self.core.add("check")
        self.uses_sql = True
        prop = f"${{t.{property_name(check.column)}}}"
        conditions = []
        if check.low is not None:
            conditions.append(f"{prop} >= {_number(check.low)}")
        if check.high is not None:
            conditions.append(f"{prop} <= {_number(check.high)}")
        if check.values:
            values = ", ".join(f"'{value}'" for value in check.values)
            conditions.append(f"{prop} IN ({values})")
        return f'check("{check.name}", sql`{" AND ".join(conditions)}`)'


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


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
    data = database_tables(api, stripe_features=stripe_features, webhooks=webhooks, magic_links=magic_links,
                           oauth=oauth, plans=plans, sessions=sessions)
    order = [table.name for table in data]
    tables = [writer.table(table, order) for table in data]
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
        return drizzle_schema(self.api, self.database, self.spec.chosen_stripe_features, **self._table_flags)

    @property
    def _table_flags(self) -> dict[str, bool]:
        """Which optional tables the answers add (see ``database_tables``)."""
        return {
            "webhooks": "webhooks" in self.spec.integrations,
            "magic_links": AuthMethod.MAGIC_LINK in self.spec.auth_methods,
            "oauth": AuthMethod.OAUTH in self.spec.auth_methods,
            "plans": self.spec.rate_limiting,
            "sessions": AuthMethod.SESSION in self.spec.auth_methods,
        }

    @cached_property
    def _tables(self) -> list[Table]:
        return database_tables(self.api, stripe_features=self.spec.chosen_stripe_features, **self._table_flags)

    @property
    def prisma_schema(self) -> str:
        """``prisma/schema.prisma``: the same tables as the Drizzle schema, as Prisma models."""
        return prisma_schema(self._tables, self.database)

    @property
    def prisma_migration(self) -> str:
        """The first migration's ``migration.sql``: what ``prisma migrate dev`` would write for the schema."""
        return migration_sql(self._tables, self.database)

    @property
    def prisma_migration_lock(self) -> str:
        return migration_lock(self.database)

    @property
    def prisma_migration_folder(self) -> str:
        """A fixed name (not the render's time): an update renders the same folder, so the owner's copy stays."""
        return migration_directory(INITIAL_MIGRATION_TIMESTAMP)

    def model(self, table: str) -> str:
        """The Prisma model of ``table``: ``users`` -> ``User``, ``posts_tags`` -> ``PostsTags``."""
        return next(found.model for found in self._tables if found.name == table)

    def delegate(self, table: str) -> str:
        """The Prisma client's property for ``table``'s model: ``users`` -> ``user``, ``posts_tags`` -> ``postsTags``."""
        model = self.model(table)
        return model[:1].lower() + model[1:]

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
