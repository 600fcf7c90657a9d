"""The first Prisma migration (``prisma/migrations/<timestamp>_init/migration.sql``) and its ``migration_lock.toml``.

Prisma's schema engine writes these with ``prisma migrate dev``, but it is a binary the project cannot count on
downloading, so they are written here, in the engine's own layout per provider, from the same tables as
``schema.prisma``: the names of keys, indexes and constraints are the schema's ``map:`` names, so a later
``prisma migrate diff`` between the migrations and the schema finds nothing to change. CHECK constraints, which a
Prisma schema cannot declare, live only here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from backend_squad.codegen.prisma_schema import check_sql, default_literal, foreign_key_name
from backend_squad.codegen.tables import Check, Column, Index, PrimaryKey, Table, Unique
from backend_squad.design import DECIMAL_DIGITS, DECIMAL_PLACES
from backend_squad.spec import Database

MIGRATION_NAME = "init"
_MYSQL_TABLE_OPTIONS = "DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"


@dataclass(frozen=True)
class _Provider:
    database: Database

    @property
    def quote(self) -> str:
        return "`" if self.database == Database.MYSQL else '"'

    def name(self, identifier: str) -> str:
        return f"{self.quote}{identifier}{self.quote}"

    def names(self, identifiers: tuple[str, ...]) -> str:
        return ", ".join(self.name(identifier) for identifier in identifiers)

    def column_type(self, column: Column) -> str:
        """The SQL type Prisma's schema engine gives the field ``prisma_schema`` declares for ``column``."""
        kind, database = column.type, self.database
        if database == Database.SQLITE:
            return {
                "integer": "INTEGER", "big_integer": "BIGINT", "string": "TEXT", "float": "REAL",
                "decimal": "DECIMAL", "boolean": "BOOLEAN", "date": "DATETIME", "datetime": "DATETIME",
                "uuid": "TEXT", "json": "JSONB", "ordered_json": "JSONB",
            }[kind]
        postgres = database == Database.POSTGRESQL
        if kind == "integer":
            return "SERIAL" if postgres and column.primary_key else "INTEGER"
        if kind == "string":
            return f"VARCHAR({column.length})" if column.length is not None else "TEXT"
        if kind == "decimal":
            return f"DECIMAL({DECIMAL_DIGITS},{DECIMAL_PLACES})" if postgres else f"DECIMAL({DECIMAL_DIGITS}, {DECIMAL_PLACES})"
        if kind == "datetime":
            return "TIMESTAMPTZ(3)" if postgres else "DATETIME(3)"
        if kind == "uuid":
            return "UUID" if postgres else "VARCHAR(36)"
        if kind == "json":
            return "JSONB" if postgres else "JSON"
        return {
            "big_integer": "BIGINT", "float": "DOUBLE PRECISION" if postgres else "DOUBLE", "boolean": "BOOLEAN",
            "date": "DATE", "ordered_json": "JSON",
        }[kind]

    def default(self, column: Column) -> str | None:
        if column.default_now:
            return "CURRENT_TIMESTAMP(3)" if self.database == Database.MYSQL else "CURRENT_TIMESTAMP"
        if column.default is None:
            return None
        if column.type in ("json", "ordered_json"):
            text = "'" + json.dumps(column.default, separators=(",", ":")).replace("'", "''") + "'"
            return f"({text})" if self.database == Database.MYSQL else text
        literal = default_literal(column)
        if literal.startswith('"'):
            return "'" + json.loads(literal).replace("'", "''") + "'"
        return literal

    def column_line(self, column: Column, composite_key: bool) -> str:
        parts = [self.name(column.name), self.column_type(column)]
        if not column.nullable or column.primary_key:
            parts.append("NOT NULL")
        default = self.default(column)
        if default is not None:
            parts.append(f"DEFAULT {default}")
        if column.primary_key and not composite_key:
            if self.database == Database.MYSQL and column.type == "integer":
                parts.append("AUTO_INCREMENT")
            if self.database == Database.SQLITE:
                parts.append("PRIMARY KEY AUTOINCREMENT" if column.type == "integer" else "PRIMARY KEY")
        return " ".join(parts)

    def foreign_key(self, table: Table, column: Column) -> str:
        assert column.references is not None
        target = column.references.table
        space = " " if self.database == Database.SQLITE else ""  # SQLite's engine writes "users" ("id")
        return (
            f"CONSTRAINT {self.name(foreign_key_name(table.name, column.name, target))} FOREIGN KEY"
            f" ({self.name(column.name)}) REFERENCES {self.name(target)}{space}({self.name('id')})"
            f" ON DELETE {column.references.on_delete} ON UPDATE NO ACTION"
        )


def _primary_key(table: Table) -> tuple[str, tuple[str, ...]]:
    """The primary key's name and columns: a composite key's own, else ``<table>_pkey`` on ``id``."""
    for constraint in table.constraints:
        if isinstance(constraint, PrimaryKey):
            return constraint.name, constraint.columns
    return f"{table.name}_pkey", tuple(column.name for column in table.columns if column.primary_key)


def _uniques(table: Table) -> list[tuple[str, tuple[str, ...]]]:
    """Unique constraints in the order Prisma creates their indexes: the columns' own, then the composite ones."""
    own = [(column.unique, (column.name,)) for column in table.columns if column.unique]
    return own + [(c.name, c.columns) for c in table.constraints if isinstance(c, Unique)]


def _indexes(table: Table) -> list[tuple[str, tuple[str, ...]]]:
    return [(c.name, c.columns) for c in table.constraints if isinstance(c, Index)]


def _checks(provider: _Provider, table: Table) -> list[str]:
    return [
        f"CONSTRAINT {provider.name(c.name)} CHECK ({check_sql(c, provider.quote)})"
        for c in table.constraints
        if isinstance(c, Check)
    ]


def _create_table(provider: _Provider, table: Table) -> str:
    key_name, key_columns = _primary_key(table)
    composite = len(key_columns) > 1
    columns = [provider.column_line(column, composite) for column in table.columns]
    constraints: list[str] = []
    if provider.database == Database.POSTGRESQL:
        constraints.append(f"CONSTRAINT {provider.name(key_name)} PRIMARY KEY ({provider.names(key_columns)})")
    elif provider.database == Database.MYSQL:
        constraints += [f"UNIQUE INDEX {provider.name(name)}({provider.names(cols)})" for name, cols in _uniques(table)]
        constraints += [f"INDEX {provider.name(name)}({provider.names(cols)})" for name, cols in _indexes(table)]
        constraints.append(f"PRIMARY KEY ({provider.names(key_columns)})")
    else:
        if composite:
            constraints.append(f"PRIMARY KEY ({provider.names(key_columns)})")
        # SQLite cannot add a foreign key to an existing table: they are part of CREATE TABLE.
        constraints += [provider.foreign_key(table, column) for column in table.columns if column.references]
    constraints += _checks(provider, table)
    body = ",\n".join(f"    {line}" for line in columns)
    if constraints:
        # Prisma's engine separates the key from the columns with a blank line, except SQLite's single-column keys.
        separator = ",\n" if provider.database == Database.SQLITE and not composite else ",\n\n"
        body += separator + ",\n".join(f"    {line}" for line in constraints)
    options = f" {_MYSQL_TABLE_OPTIONS}" if provider.database == Database.MYSQL else ""
    return f"-- CreateTable\nCREATE TABLE {provider.name(table.name)} (\n{body}\n){options};\n"


def _create_indexes(provider: _Provider, table: Table) -> list[str]:
    statements = [
        f"-- CreateIndex\nCREATE UNIQUE INDEX {provider.name(name)} ON {provider.name(table.name)}({provider.names(cols)});\n"
        for name, cols in _uniques(table)
    ]
    statements += [
        f"-- CreateIndex\nCREATE INDEX {provider.name(name)} ON {provider.name(table.name)}({provider.names(cols)});\n"
        for name, cols in _indexes(table)
    ]
    return statements


def migration_sql(tables: list[Table], database: Database | str) -> str:
    """``migration.sql``: every table, then (PostgreSQL, SQLite) the indexes, then (PostgreSQL, MySQL) the foreign
    keys, each statement under the comment Prisma's engine gives it."""
    provider = _Provider(Database(database))
    statements = [_create_table(provider, table) for table in tables]
    if provider.database != Database.MYSQL:  # MySQL's indexes are part of CREATE TABLE
        for table in tables:
            statements += _create_indexes(provider, table)
    if provider.database != Database.SQLITE:
        statements += [
            f"-- AddForeignKey\nALTER TABLE {provider.name(table.name)} ADD {provider.foreign_key(table, column)};\n"
            for table in tables
            for column in table.columns
            if column.references
        ]
    return "\n".join(statements)


def migration_lock(database: Database | str) -> str:
    """``prisma/migrations/migration_lock.toml``: the provider the migrations are written for."""
    return (
        "# Please do not edit this file manually\n"
        "# It should be added in your version-control system (e.g., Git)\n"
        f'provider = "{Database(database).value}"\n'
    )


def migration_directory(timestamp: str) -> str:
    """The migration's folder under prisma/migrations: ``20260101000000_init``, as ``migrate dev`` names it."""
    return f"{timestamp}_{MIGRATION_NAME}"
