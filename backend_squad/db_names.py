"""The names the generated migrations give constraints and indexes, checked against the databases' limits.

A long model or field name makes them long too: MySQL refuses a name past 64 characters and PostgreSQL cuts it
at 63 (two cut names can then collide, and the migration check sees a difference). Refusing such answers at
copy time, with the name to shorten, beats a migration that fails on the user's database.
"""

from __future__ import annotations

from collections.abc import Iterator

from backend_squad.design import ResourceDesign
from backend_squad.spec import Framework

# PostgreSQL's limit; MySQL's is 64, SQLite has none. The strictest, since the tests run on every database.
MAX_IDENTIFIER_LENGTH = 63


def _references(resource: ResourceDesign) -> Iterator[tuple[str, str, str]]:
    """(table, column, referred table) of every foreign key the resource's tables hold."""
    table = resource.table
    for column in resource.columns:
        if column.foreign_key:
            yield table, column.name, column.foreign_key.split(".")[0]
    if resource.owned:
        yield table, "owner_id", "users"
    if resource.tenant_scoped:
        yield table, "organization_id", "organizations"
    if resource.track_authors:
        yield table, "created_by", "users"
        yield table, "updated_by", "users"
    for link in resource.many_to_many:
        yield link.table, link.local_column, link.local_table
        yield link.table, link.remote_column, link.target_table


def identifiers(resource: ResourceDesign, framework: Framework) -> Iterator[tuple[str, str]]:
    """(name, what it names) for the resource's foreign keys, indexes and unique constraints, as the stack names
    them: SQLAlchemy's naming convention (FastAPI's ``app/db/base.py``) or drizzle-kit's default for foreign keys
    (Next.js; its indexes and unique constraints are named as on FastAPI)."""
    for table, column, referred in _references(resource):
        if framework == Framework.NEXTJS:
            yield f"{table}_{column}_{referred}_id_fk", f"the foreign key {table}.{column}"
        else:
            yield f"fk_{table}_{column}_{referred}", f"the foreign key {table}.{column}"
        yield f"ix_{table}_{column}", f"the index on {table}.{column}"
    for column in resource.columns:
        if column.unique:
            yield f"uq_{resource.table}_{column.name}", f"the unique constraint on {resource.table}.{column.name}"
        if column.index:
            yield f"ix_{resource.table}_{column.name}", f"the index on {resource.table}.{column.name}"


def too_long_identifier(resources: tuple[ResourceDesign, ...], framework: Framework) -> str | None:
    """What to shorten when a generated name would pass the limit, else None."""
    for resource in resources:
        name, named = max(identifiers(resource, framework), key=lambda pair: len(pair[0]), default=("", ""))
        if len(name) > MAX_IDENTIFIER_LENGTH:
            return (f"Model '{resource.name}': {named} would be named '{name}' ({len(name)} characters), longer than "
                    f"the {MAX_IDENTIFIER_LENGTH} PostgreSQL keeps (MySQL refuses names past 64); shorten the names "
                    f"it is built from")
    return None
