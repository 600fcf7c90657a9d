"""The Prisma schema (``prisma/schema.prisma``) of a Next.js project that uses Prisma, from the tables as data.

Every name the database sees (tables, columns, primary keys, indexes, unique and foreign key constraints) is
mapped to the one the SQL migration (``prisma_migration.py``) creates, so ``prisma migrate diff`` between the
migrations and this schema has nothing to do. The text is laid out the way ``prisma format`` leaves it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from backend_squad.codegen.tables import Check, Column, Index, PrimaryKey, Table, Unique
from backend_squad.design import DECIMAL_DIGITS, DECIMAL_PLACES
from backend_squad.naming import camel_case, pascal_case, snake_case
from backend_squad.spec import Database

GENERATED_CLIENT = "../src/generated/prisma"  # relative to prisma/; the app imports src/generated/prisma/client
IDENTIFIER_LIMIT = 63  # PostgreSQL cuts longer names, so the schema's name would not be the database's
_ON_DELETE = {"CASCADE": "Cascade", "SET NULL": "SetNull"}


def foreign_key_name(table: str, column: str, target: str) -> str:
    """The foreign key constraint's name: the one drizzle-kit gives it, so both toolkits name it alike."""
    return f"{table}_{column}_{target}_id_fk"[:IDENTIFIER_LIMIT]


def field_name(column: str) -> str:
    """The model field of a snake_case column: ``created_at`` -> ``createdAt``."""
    return camel_case(column)


@dataclass(frozen=True)
class Relation:
    """A foreign key seen from both ends: ``table.column`` -> ``target.id``."""

    table: Table
    column: Column
    target: Table
    field: str  # on ``table``: the referenced row
    back_field: str  # on ``target``: the referencing rows (or row, when ``column`` is unique)
    name: str | None  # the relation's name, needed when one model has several relations to another (or itself)

    @property
    def one_to_one(self) -> bool:
        return self.column.unique is not None


def relations(tables: list[Table]) -> list[Relation]:
    """Every foreign key of ``tables``, with field names that collide with no column or other relation."""
    by_name = {table.name: table for table in tables}
    found: list[Relation] = []
    taken = {table.name: {field_name(column.name) for column in table.columns} for table in tables}
    for table in tables:
        references = [column for column in table.columns if column.references]
        for column in references:
            assert column.references is not None
            target = by_name[column.references.table]
            siblings = [other for other in references if other.references and other.references.table == target.name]
            named = len(siblings) > 1 or target.name == table.name
            base = column.name.removesuffix("_id")
            field = field_name(base)
            if field in taken[table.name]:
                field = field_name(f"{base}_{snake_case(target.model)}")
            taken[table.name].add(field)
            # One row back for a unique foreign key (one-to-one), the table's rows otherwise.
            back = field_name(snake_case(table.model)) if column.unique else field_name(table.name)
            if named:
                back += pascal_case(base)
            while back in taken[target.name]:
                back += "Rows"
            taken[target.name].add(back)
            name = f"{table.model}{pascal_case(base)}" if named else None
            found.append(Relation(table, column, target, field, back, name))
    return found


def scalar_type(column: Column, database: Database) -> tuple[str, str | None]:
    """The Prisma type and its native type attribute (``@db.…``), when the provider's default is not the column's."""
    kind, postgres, mysql = column.type, database == Database.POSTGRESQL, database == Database.MYSQL
    if kind == "integer":
        return "Int", None
    if kind == "big_integer":
        return "BigInt", None
    if kind == "string":
        if database == Database.SQLITE:
            return "String", None
        if column.length is not None:
            return "String", f"@db.VarChar({column.length})"
        return "String", "@db.Text" if mysql else None
    if kind == "float":
        return "Float", None
    if kind == "decimal":
        return "Decimal", None if database == Database.SQLITE else f"@db.Decimal({DECIMAL_DIGITS}, {DECIMAL_PLACES})"
    if kind == "boolean":
        return "Boolean", None
    if kind == "date":
        return "DateTime", None if database == Database.SQLITE else "@db.Date"
    if kind == "datetime":
        # DATETIME(3) is MySQL's default for DateTime; SQLite has no native types.
        return "DateTime", "@db.Timestamptz(3)" if postgres else None
    if kind == "uuid":
        if postgres:
            return "String", "@db.Uuid"
        return "String", "@db.VarChar(36)" if mysql else None
    if kind == "json":
        return "Json", None
    if kind == "ordered_json":
        return "Json", "@db.Json" if postgres else None  # json keeps a payload's key order, jsonb does not
    raise ValueError(f"no Prisma type for {kind!r}")


def default_literal(column: Column) -> str:
    """A literal default in Prisma's syntax: Json defaults are JSON text in a string."""
    value: Any = column.default
    if column.type in ("json", "ordered_json"):
        return json.dumps(json.dumps(value, separators=(",", ":")))
    if column.type == "decimal":  # a number with its decimal places, whether declared as a number or as text
        return f"{Decimal(str(value)):.{DECIMAL_PLACES}f}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value)


def _field_attributes(table: Table, column: Column, database: Database) -> list[str]:
    attributes: list[str] = []
    if column.primary_key:
        attributes.append("@id")
        if column.type == "integer":
            attributes.append("@default(autoincrement())")
    if column.unique:
        attributes.append(f'@unique(map: "{column.unique}")')
    if column.default is not None:
        attributes.append(f"@default({default_literal(column)})")
    if column.default_now:
        attributes.append("@default(now())")
    if column.update_now:
        attributes.append("@updatedAt")
    if column.name != field_name(column.name):
        attributes.append(f'@map("{column.name}")')
    native = scalar_type(column, database)[1]
    if native:
        attributes.append(native)
    return attributes


def _relation_attribute(relation: Relation, database: Database) -> str:
    column = relation.column
    assert column.references is not None
    parts = [f'"{relation.name}"'] if relation.name else []
    parts += [
        f"fields: [{field_name(column.name)}]",
        "references: [id]",
        f"onDelete: {_ON_DELETE[column.references.on_delete]}",
        "onUpdate: NoAction",  # as drizzle-kit's foreign keys: an id never changes
    ]
    if database != Database.SQLITE:  # Prisma refuses foreign key names on SQLite
        parts.append(f'map: "{foreign_key_name(relation.table.name, column.name, relation.target.name)}"')
    return f"@relation({', '.join(parts)})"


def _block_attributes(table: Table, database: Database) -> list[str]:
    """``@@id``, ``@@unique``, ``@@index`` then ``@@map``: the order ``prisma format`` sorts them in."""
    lines: list[str] = []
    for kind in (PrimaryKey, Unique, Index):
        for constraint in table.constraints:
            if not isinstance(constraint, kind):
                continue
            fields = ", ".join(field_name(column) for column in constraint.columns)
            if isinstance(constraint, PrimaryKey):
                # Only PostgreSQL names a primary key (MySQL calls every one PRIMARY, SQLite none).
                named = f', map: "{constraint.name}"' if database == Database.POSTGRESQL else ""
                lines.append(f"@@id([{fields}]{named})")
            elif isinstance(constraint, Unique):
                lines.append(f'@@unique([{fields}], map: "{constraint.name}")')
            else:
                lines.append(f'@@index([{fields}], map: "{constraint.name}")')
    lines.append(f'@@map("{table.name}")')
    return lines


def check_sql(check: Check, quote: str) -> str:
    """A CHECK constraint's condition, on the quoted column."""
    column = f"{quote}{check.column}{quote}"
    if check.values:
        return f"{column} IN ({', '.join(_sql_string(value) for value in check.values)})"
    bounds = []
    if check.low is not None:
        bounds.append(f"{column} >= {_number(check.low)}")
    if check.high is not None:
        bounds.append(f"{column} <= {_number(check.high)}")
    return " AND ".join(bounds)


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _aligned(rows: list[tuple[str, str, list[str]]]) -> list[str]:
    """Field lines as ``prisma format`` aligns them: name, type and attributes in columns."""
    name_width = max(len(name) for name, _, _ in rows)
    type_width = max(len(type_) for _, type_, _ in rows)
    lines = []
    for name, type_, attributes in rows:
        line = f"  {name.ljust(name_width)} {type_.ljust(type_width)} {' '.join(attributes)}"
        lines.append(line.rstrip())
    return lines


def _model(table: Table, database: Database, all_relations: list[Relation]) -> list[str]:
    rows: list[tuple[str, str, list[str]]] = []
    for column in table.columns:
        type_ = scalar_type(column, database)[0] + ("?" if column.nullable and not column.primary_key else "")
        rows.append((field_name(column.name), type_, _field_attributes(table, column, database)))
    for relation in all_relations:
        if relation.table is table:
            optional = "?" if relation.column.nullable else ""
            rows.append((relation.field, relation.target.model + optional, [_relation_attribute(relation, database)]))
    for relation in all_relations:
        if relation.target is table:
            type_ = relation.table.model + ("?" if relation.one_to_one else "[]")
            rows.append((relation.back_field, type_, [f'@relation("{relation.name}")'] if relation.name else []))
    checks = [constraint for constraint in table.constraints if isinstance(constraint, Check)]
    lines = [f"// CHECK {check.name}: {check_sql(check, '')}" for check in checks]
    lines.append(f"model {table.model} {{")
    lines += _aligned(rows)
    lines.append("")
    lines += [f"  {attribute}" for attribute in _block_attributes(table, database)]
    lines.append("}")
    return lines


def prisma_schema(tables: list[Table], database: Database | str) -> str:
    """``prisma/schema.prisma``: the client generator, the datasource's provider (its URL is in prisma.config.ts,
    as Prisma 7 wants) and one model per table."""
    database = Database(database)
    all_relations = relations(tables)
    lines = [
        "// The database tables, one model per table; prisma/migrations holds the SQL that creates them.",
        "// CHECK constraints (the lines above a model) cannot be declared here: they exist only in the migration.",
        "",
        "generator client {",
        '  provider = "prisma-client"',
        f'  output   = "{GENERATED_CLIENT}"',
        "}",
        "",
        "datasource db {",
        f'  provider = "{database.value}"',
        "}",
    ]
    for table in tables:
        lines.append("")
        lines += _model(table, database, all_relations)
    return "\n".join(lines) + "\n"
