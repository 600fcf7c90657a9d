"""The names the generated migrations give tables, columns, constraints and indexes, checked before anything is
written.

A long model or field name makes them long too: MySQL refuses a name past 64 characters and PostgreSQL cuts it
at 63 (two cut names can then collide, and the migration check sees a difference). And names joined with ``_``
can meet: table ``a`` with column ``b_c`` and table ``a_b`` with column ``c`` both get the index ``ix_a_b_c``,
while PostgreSQL and SQLite want index names unique in the whole database (MySQL its foreign key names).
Refusing such answers at copy time, with what to rename, beats a migration that fails on the user's database.
This module is the one place for those rules; spec.py checks the answer's shape and meaning.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from backend_squad.codegen.tables import Check, Index, PrimaryKey, Unique, database_tables
from backend_squad.design import ApiDesign, ResourceDesign
from backend_squad.spec import Framework, StripeFeature

# PostgreSQL's limit; MySQL's is 64, SQLite has none. The strictest, since the tests run on every database.
MAX_IDENTIFIER_LENGTH = 63
_LIMITS = f"longer than the {MAX_IDENTIFIER_LENGTH} PostgreSQL keeps (MySQL refuses names past 64)"

# FastAPI's own tables, with those of every auth method and integration, so that turning one on later cannot break
# a model's migration. The FastAPI migrations under template/ create them (tests/test_spec.py checks these lists
# against them); Next.js projects take theirs from codegen/tables.py, which both ORMs render.
FIXED_TABLES = (
    "users", "refresh_tokens", "api_keys", "audit_events", "magic_link_tokens", "oauth_accounts", "oauth_login_codes",
    "browser_sessions", "organizations", "memberships", "invitations", "stripe_customers", "stripe_subscriptions",
    "stripe_events", "webhook_subscriptions", "webhook_deliveries", "received_webhooks",
)
TENANCY_TABLES = ("organizations", "memberships", "invitations")  # only with multi_tenant
# (table, column, referred table) of their foreign keys.
FIXED_REFERENCES = (
    ("refresh_tokens", "user_id", "users"), ("api_keys", "user_id", "users"),
    ("magic_link_tokens", "user_id", "users"), ("oauth_accounts", "user_id", "users"),
    ("oauth_login_codes", "user_id", "users"), ("browser_sessions", "user_id", "users"),
    ("memberships", "organization_id", "organizations"), ("memberships", "user_id", "users"),
    ("invitations", "organization_id", "organizations"), ("invitations", "invited_by_id", "users"),
    ("stripe_customers", "user_id", "users"), ("webhook_subscriptions", "owner_id", "users"),
    ("webhook_deliveries", "subscription_id", "webhook_subscriptions"),
)
# Their index and unique constraint names.
FIXED_INDEXES = (
    "ix_api_keys_prefix", "ix_api_keys_user_id", "ix_audit_events_action", "ix_audit_events_actor_id",
    "ix_browser_sessions_user_id", "ix_invitations_organization_id", "ix_magic_link_tokens_user_id",
    "ix_memberships_user_id", "ix_oauth_accounts_user_id", "ix_oauth_login_codes_user_id", "ix_refresh_tokens_user_id",
    "ix_stripe_subscriptions_customer_id", "ix_webhook_deliveries_next_attempt_at",
    "ix_webhook_deliveries_subscription_id", "ix_webhook_subscriptions_owner_id",
    "uq_browser_sessions_token_hash", "uq_invitations_token_digest", "uq_magic_link_tokens_token_hash",
    "uq_oauth_accounts_provider_subject", "uq_oauth_login_codes_code_hash", "uq_received_webhooks_source",
    "uq_stripe_customers_customer_id", "uq_stripe_customers_user_id", "uq_stripe_subscriptions_subscription_id",
    "uq_users_email", "uq_api_keys_key_hash", "uq_memberships_organization_id", "uq_refresh_tokens_token_hash",
)


@dataclass(frozen=True)
class GeneratedName:
    """A name the migrations create, what it names, and the model it is for ("" for the project's own tables)."""

    name: str
    named: str
    owner: str


def _foreign_key_name(table: str, column: str, referred: str, framework: Framework) -> str:
    """SQLAlchemy's naming convention (FastAPI's ``app/db/base.py``) or drizzle-kit's default (Next.js)."""
    if framework == Framework.NEXTJS:
        return f"{table}_{column}_{referred}_id_fk"
    return f"fk_{table}_{column}_{referred}"


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


def _indexed_columns(resource: ResourceDesign) -> Iterator[str]:
    """The columns the migrations index (foreign keys from relations are ``index`` columns)."""
    yield from (column.name for column in resource.columns if column.index)
    if resource.owned:
        yield "owner_id"
    if resource.soft_delete:
        yield "deleted_at"
    if resource.tenant_scoped:
        yield "organization_id"


def identifiers(resource: ResourceDesign, framework: Framework) -> Iterator[tuple[str, str]]:
    """(name, what it names) for the resource's tables, primary keys, foreign keys, indexes, unique constraints and
    checks, as the stack names them: SQLAlchemy's naming convention on FastAPI; on Next.js drizzle-kit's default
    for foreign keys and the FastAPI names for the rest (codegen/drizzle_source.py), plus its CHECK constraints."""
    tables = (resource.table, *(link.table for link in resource.many_to_many))
    yield resource.table, "its table"
    for link in resource.many_to_many:
        yield link.table, f"the table of relation '{link.name}'"
    for table in tables if framework == Framework.FASTAPI else tables[1:]:
        yield f"pk_{table}", f"the primary key of {table}"
    for table, column, referred in _references(resource):
        yield _foreign_key_name(table, column, referred, framework), f"the foreign key {table}.{column}"
    for column_name in _indexed_columns(resource):
        yield f"ix_{resource.table}_{column_name}", f"the index on {resource.table}.{column_name}"
    for column in resource.columns:
        if column.unique:
            yield f"uq_{resource.table}_{column.name}", f"the unique constraint on {resource.table}.{column.name}"
        if framework == Framework.NEXTJS and column.kind in ("integer", "float", "decimal") and (
            {"ge", "le"} & set(column.constraints)
        ):
            yield f"ck_{resource.table}_{column.name}_range", f"the range check on {resource.table}.{column.name}"
        if framework == Framework.NEXTJS and column.enum:
            yield f"ck_{resource.table}_{column.name}_values", f"the values check on {resource.table}.{column.name}"


def fixed_identifiers(framework: Framework, multi_tenant: bool) -> Iterator[tuple[str, str]]:
    """(name, what it names) for the project's own tables, as ``identifiers`` gives them for a model's. The
    tenancy tables only with ``multi_tenant``: a single-tenant project may have an Organization model."""
    if framework == Framework.NEXTJS:
        yield from _nextjs_fixed_identifiers(multi_tenant)
        return
    tables = [table for table in FIXED_TABLES if multi_tenant or table not in TENANCY_TABLES]
    for table in tables:
        yield table, f"the table {table}"
        yield f"pk_{table}", f"the primary key of {table}"
    for table, column, referred in FIXED_REFERENCES:
        if table in tables:
            yield _foreign_key_name(table, column, referred, framework), f"the foreign key {table}.{column}"
    for name in FIXED_INDEXES:
        if multi_tenant or not name.startswith(tuple(f"{kind}_{table}_" for kind in ("ix", "uq")
                                                     for table in TENANCY_TABLES)):
            yield name, f"the {'index' if name.startswith('ix_') else 'unique constraint'} {name}"


def _nextjs_fixed_identifiers(multi_tenant: bool) -> Iterator[tuple[str, str]]:
    """The Next.js project's own tables and their keys, indexes and constraints, from the table list both ORMs
    render, with every auth method and integration on."""
    kinds = {Index: "the index", Unique: "the unique constraint", Check: "the check", PrimaryKey: "the primary key"}
    api = ApiDesign(title="", version="", api_prefix="", versioning={}, resources=(), association_tables=(),
                    openapi={}, pydantic_schemas={}, zod_schemas={}, multi_tenant=multi_tenant)
    for table in database_tables(api, stripe_features=tuple(StripeFeature), webhooks=True, magic_links=True,
                                 oauth=True, plans=True, sessions=True):
        yield table.name, f"the table {table.name}"
        for column in table.columns:
            if column.unique:
                yield column.unique, f"the unique constraint {column.unique}"
            if column.references:
                name = _foreign_key_name(table.name, column.name, column.references.table, Framework.NEXTJS)
                yield name, f"the foreign key {table.name}.{column.name}"
        for constraint in table.constraints:
            yield constraint.name, f"{kinds[type(constraint)]} {constraint.name}"


def _columns(resource: ResourceDesign) -> Iterator[tuple[str, str, str]]:
    """(table, column, what to shorten) for the tables and columns the answer names; the fixed ones (id, owner_id,
    created_at...) are short."""
    yield resource.table, "", f"the model name '{resource.name}'"
    for column in resource.columns:
        source = f"relation '{column.name.removesuffix('_id')}'" if column.foreign_key else f"field '{column.name}'"
        yield resource.table, column.name, source
    for link in resource.many_to_many:
        yield link.table, "", f"relation '{link.name}'"
        yield link.table, link.local_column, f"the model name '{resource.name}'"
        yield link.table, link.remote_column, f"the model name '{link.target}'"


def too_long_identifier(resources: tuple[ResourceDesign, ...], framework: Framework) -> str | None:
    """What to shorten when a table, column or generated name would pass the limit, else None."""
    for resource in resources:
        for table, column, source in _columns(resource):
            name = column or table
            if len(name) > MAX_IDENTIFIER_LENGTH:
                named = f"the column {table}.{column}" if column else f"the table {table}"
                return (f"Model '{resource.name}': {named} has a name of {len(name)} characters, {_LIMITS}; "
                        f"shorten {source}")
    for resource in resources:
        name, named = max(identifiers(resource, framework), key=lambda pair: len(pair[0]), default=("", ""))
        if len(name) > MAX_IDENTIFIER_LENGTH:
            return (f"Model '{resource.name}': {named} would be named '{name}' ({len(name)} characters), {_LIMITS}; "
                    f"shorten the names it is built from")
    return None


def colliding_identifier(resources: tuple[ResourceDesign, ...], framework: Framework,
                         multi_tenant: bool = False) -> str | None:
    """What to rename when two different objects would get the same name, else None."""
    generated = [GeneratedName(name, named, "") for name, named in fixed_identifiers(framework, multi_tenant)]
    generated += [GeneratedName(name, named, resource.name)
                  for resource in resources for name, named in identifiers(resource, framework)]
    seen: dict[str, GeneratedName] = {}
    for current in generated:
        earlier = seen.setdefault(current.name, current)
        if (earlier.named, earlier.owner) == (current.named, current.owner):
            continue  # the same object, reached twice
        where = ("one of the project's own tables, with every auth method and integration" if not earlier.owner else
                 "in the same model" if earlier.owner == current.owner else f"in model '{earlier.owner}'")
        return (f"Model '{current.owner}': {current.named} would be named '{current.name}', like {earlier.named} "
                f"({where}); each table, index and constraint needs a name of its own (PostgreSQL and SQLite share "
                f"index names across tables, MySQL foreign key names), so rename a field, relation or model it is "
                f"built from")
    return None
