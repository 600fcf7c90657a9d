"""The Next.js sources computed in Python: src/db/schema.ts for each database, and the Zod request schemas."""

from __future__ import annotations

import re
from typing import Any

import pytest

from backend_squad.agents import APIArchitect
from backend_squad.codegen.drizzle_source import drizzle_schema, property_name, table_export
from backend_squad.codegen.zod_source import regex_literal, zod_validation
from backend_squad.design import URL_PATTERN, ApiDesign
from backend_squad.presets import PRESET_MODELS
from backend_squad.spec import load_spec

DATABASES = ["sqlite", "postgresql", "mysql"]
CORE = {"sqlite": ("sqlite-core", "sqliteTable"), "postgresql": ("pg-core", "pgTable"), "mysql": ("mysql-core", "mysqlTable")}

# Every field type, defaults, bounds, a self-reference, a reference to User, soft delete and a many-to-many link.
KITCHEN: list[dict[str, Any]] = [
    {
        "name": "Folder",
        "owned": True,
        "soft_delete": True,
        "fields": [
            {"name": "label", "type": "string", "max_length": 80, "unique": True},
            {"name": "ratio", "type": "float", "min": 0, "max": 1, "default": 0.5},
            {"name": "budget", "type": "decimal", "min": 0, "default": "10.5"},
            {"name": "settings", "type": "json", "default": {"theme": "dark"}},
            {"name": "external_id", "type": "uuid", "required": False, "unique": True},
            {"name": "starts_on", "type": "date", "required": False},
            {"name": "due_at", "type": "datetime", "required": False},
            {"name": "homepage", "type": "url", "required": False},
            {"name": "contact", "type": "email", "required": False},
            {"name": "level", "type": "enum", "values": ["low", "high"], "default": "low"},
            {"name": "pinned", "type": "boolean", "default": False},
            {"name": "count", "type": "integer", "index": True},
            {"name": "notes", "type": "text", "required": False},
            {"name": "path", "type": "string", "max_length": 100, "pattern": r"^/[a-z/]*$", "default": "/"},
        ],
        "relations": [
            {"name": "parent", "to": "Folder", "kind": "many_to_one", "required": False},
            {"name": "reviewer", "to": "User", "kind": "many_to_one", "required": False},
            {"name": "labels", "to": "Badge", "kind": "many_to_many"},
        ],
    },
    {
        "name": "Badge",
        "owned": False,
        "fields": [{"name": "title", "type": "string", "max_length": 40}],
        "relations": [{"name": "folder", "to": "Folder", "kind": "many_to_one", "required": True}],
    },
]


def design(models: list[dict[str, Any]]) -> ApiDesign:
    roles = sorted({role for model in models for allowed in model.get("permissions", {}).values() for role in allowed})
    return APIArchitect().design(load_spec({"models": models, "framework": "nextjs", "roles": roles}))


def table_block(source: str, export: str) -> str:
    """The source of one table, from ``export const <name>`` to the closing ``);``."""
    match = re.search(rf"^export const {export} = \w+\((.*?)^\}}?\);$", source, flags=re.M | re.S)
    assert match, f"no table {export} in\n{source}"
    return match.group(0)


@pytest.mark.parametrize("database", DATABASES)
@pytest.mark.parametrize("preset", sorted(PRESET_MODELS))
def test_every_preset_has_every_table_and_column(preset: str, database: str) -> None:
    api = design(PRESET_MODELS[preset])
    source = drizzle_schema(api, database)
    core, table_function = CORE[database]
    assert f'from "drizzle-orm/{core}";' in source
    assert all(f"{table_function}(" in source for _ in api.resources)
    assert {function for function in ("pgTable", "sqliteTable", "mysqlTable") if f"{function}(" in source} == {table_function}
    for resource in api.resources:
        block = table_block(source, table_export(resource.table))
        assert f'"{resource.table}"' in block
        names = ["id", *(column.name for column in resource.columns), "created_at", "updated_at"]
        names += ["owner_id"] if resource.owned else []
        names += ["deleted_at"] if resource.soft_delete else []
        names += ["created_by", "updated_by"] if resource.track_authors else []
        for name in names:
            assert re.search(rf'^\s+{property_name(name)}: \w+\("{name}"', block, flags=re.M), (resource.table, name)
        if resource.track_authors:  # nullable, and the row outlives its authors
            for name in ("created_by", "updated_by"):
                assert f'("{name}").references(() => users.id, {{ onDelete: "set null" }}),' in block, (resource.table, name)
        for column in resource.columns:
            line = re.search(rf"^\s+{property_name(column.name)}: .*?(?=^\s+\w+: |\Z)", block, flags=re.M | re.S)
            assert line
            assert (".notNull()" in line.group(0)) == (not column.nullable), column.name
            assert (f'.unique("uq_{resource.table}_{column.name}")' in line.group(0)) == column.unique
        for column in resource.columns:
            if column.index:
                assert f'index("ix_{resource.table}_{column.name}").on(t.{property_name(column.name)})' in block
    for m2m in api.association_tables:
        block = table_block(source, table_export(m2m.table))
        assert f'primaryKey({{ name: "pk_{m2m.table}"' in block
        assert block.count('onDelete: "cascade"') == 2
    # braces and parentheses balance: the module is at least well-formed
    assert source.count("(") == source.count(")") and source.count("{") == source.count("}")


@pytest.mark.parametrize("database", DATABASES)
def test_account_tables_have_the_columns_the_auth_modules_use(database: str) -> None:
    source = drizzle_schema(design(PRESET_MODELS["custom"]), database)
    users = table_block(source, "users")
    for expected in (
        "email: ",
        'unique("uq_users_email")',
        "hashedPassword: ",
        "isActive: ",
        "default(true)",
        "isAdmin: ",
        "default(false)",
        "createdAt: ",
        "updatedAt: ",
        "$onUpdate(() => new Date())",
    ):
        assert expected in users, expected
    tokens = table_block(source, "refreshTokens")
    for expected in (
        '"refresh_tokens"',
        "userId: ",
        "tokenDigest: ",
        "familyId: ",
        "expiresAt: ",
        "revokedAt: ",
        'references(() => users.id, { onDelete: "cascade" })',
    ):
        assert expected in tokens, expected
    keys = table_block(source, "apiKeys")
    for expected in (
        '"api_keys"',
        "keyDigest: ",
        'unique("uq_api_keys_key_digest")',
        'scopes: text("scopes").notNull()',
        "lastUsedAt: ",
        "prefix: ",
    ):
        assert expected in keys, expected



@pytest.mark.parametrize("database", DATABASES)
def test_audit_events_table_on_every_project(database: str) -> None:
    """audit_events: no foreign key on actor_id (events outlive users), a text target id, actor and action indexed,
    created_at declared as the dialect's other created_at columns."""
    source = drizzle_schema(design(PRESET_MODELS["custom"]), database)
    audit = table_block(source, "auditEvents")
    integer = "int" if database == "mysql" else "integer"
    string = "text" if database == "sqlite" else "varchar"
    for expected in (
        '"audit_events"',
        f'actorId: {integer}("actor_id"),',
        f'action: {string}("action", {{ length: 64 }}).notNull(),',
        f'targetType: {string}("target_type", {{ length: 64 }}),',
        f'targetId: {string}("target_id", {{ length: 64 }}),',
        'index("ix_audit_events_actor_id").on(t.actorId)',
        'index("ix_audit_events_action").on(t.action)',
    ):
        assert expected in audit, expected
    assert "references(" not in audit
    users_created_at = re.search(r"createdAt: .*?,$", table_block(source, "users"), flags=re.M | re.S)
    audit_created_at = re.search(r"createdAt: .*?,$", audit, flags=re.M | re.S)
    assert users_created_at and audit_created_at
    assert audit_created_at.group(0).split() == users_created_at.group(0).split()


@pytest.mark.parametrize("database", DATABASES)
def test_magic_link_table_with_the_auth_method_only(database: str) -> None:
    """magic_link_tokens: the token's digest (unique), its user (cascade, indexed), expiry and use, timestamps declared
    as refresh_tokens' are; only when magic_link is chosen."""
    api = design(PRESET_MODELS["custom"])
    assert "magic_link_tokens" not in drizzle_schema(api, database)
    source = drizzle_schema(api, database, magic_links=True)
    links = table_block(source, "magicLinkTokens")
    compact = re.sub(r"\s+", "", links)  # Biome breaks a chain over lines when it is long
    integer = "int" if database == "mysql" else "integer"
    string = "text" if database == "sqlite" else "varchar"
    for expected in (
        '"magic_link_tokens"',
        f'userId: {integer}("user_id").notNull().references(() => users.id, {{ onDelete: "cascade" }}),',
        f'tokenHash: {string}("token_hash", {{ length: 64 }}).notNull().unique("uq_magic_link_tokens_token_hash"),',
        'index("ix_magic_link_tokens_user_id").on(t.userId)',
    ):
        assert re.sub(r"\s+", "", expected) in compact, expected
    tokens = table_block(source, "refreshTokens")
    for column, like in (("expiresAt", "expiresAt"), ("usedAt", "revokedAt"), ("createdAt", "createdAt")):
        declared = re.search(rf"{column}: \w+\(\"\w+\"(.*?),$", links, flags=re.M | re.S)
        reference = re.search(rf"{like}: \w+\(\"\w+\"(.*?),$", tokens, flags=re.M | re.S)
        assert declared and reference, column
        assert declared.group(1).split() == reference.group(1).split(), column
    assert source.index('"refresh_tokens"') < source.index('"magic_link_tokens"') < source.index('"audit_events"')


@pytest.mark.parametrize("database", DATABASES)
def test_every_users_table_has_a_nullable_role(database: str) -> None:
    """Every project has the column (FastAPI's 0006_user_roles), with or without roles, so adding roles later
    needs no migration of its own."""
    users = table_block(drizzle_schema(design(PRESET_MODELS["custom"]), database), "users")
    role = re.search(r"^\s*role: (\w+)\(\"role\", \{ length: 32 \}\)(.*)$", users, flags=re.M)
    assert role, users
    assert role.group(1) == ("text" if database == "sqlite" else "varchar") and "notNull" not in role.group(2)


@pytest.mark.parametrize("database", DATABASES)
def test_oauth_tables_with_the_auth_method_only(database: str) -> None:
    """oauth_accounts (one row per provider and subject, for a user: cascade, indexed) and oauth_login_codes (the
    digest of the callback's one-time code, unique), with the names the FastAPI migration 0007_oauth gives them."""
    api = design(PRESET_MODELS["custom"])
    assert "oauth_accounts" not in drizzle_schema(api, database)
    source = drizzle_schema(api, database, oauth=True)
    accounts = re.sub(r"\s+", "", table_block(source, "oauthAccounts"))
    codes = re.sub(r"\s+", "", table_block(source, "oauthLoginCodes"))
    integer = "int" if database == "mysql" else "integer"
    string = "text" if database == "sqlite" else "varchar"
    for block, expected in (
        (accounts, f'userId: {integer}("user_id").notNull().references(() => users.id, {{ onDelete: "cascade" }}),'),
        (accounts, f'subject: {string}("subject", {{ length: 255 }}).notNull(),'),
        (accounts, 'unique("uq_oauth_accounts_provider_subject").on(t.provider, t.subject)'),
        (accounts, 'index("ix_oauth_accounts_user_id").on(t.userId)'),
        (codes, f'codeHash: {string}("code_hash", {{ length: 64 }}).notNull().unique("uq_oauth_login_codes_code_hash"),'),
        (codes, 'index("ix_oauth_login_codes_user_id").on(t.userId)'),
    ):
        assert re.sub(r"\s+", "", expected) in block, expected


@pytest.mark.parametrize("database", DATABASES)
def test_stripe_tables_follow_the_chosen_features(database: str) -> None:
    """The tables of the FastAPI migration 0003_payments: customers always, subscriptions and the event ledger with
    their features, event timestamps as 64-bit integers on PostgreSQL (as SQLAlchemy's BigInteger)."""
    api = design(PRESET_MODELS["custom"])
    assert "stripe_customers" not in drizzle_schema(api, database)
    every = drizzle_schema(api, database, ("checkout", "subscriptions", "webhooks", "customer_portal"))
    customers = table_block(every, "stripeCustomers")
    assert 'unique("uq_stripe_customers_user_id")' in customers and 'unique("uq_stripe_customers_customer_id")' in customers
    assert 'references(() => users.id, { onDelete: "cascade" })' in customers
    subscriptions = table_block(every, "stripeSubscriptions")
    assert 'index("ix_stripe_subscriptions_customer_id")' in subscriptions
    events = table_block(every, "stripeEvents")
    assert 'id: {}("id", {{ length: 255 }}).primaryKey()'.format("text" if database == "sqlite" else "varchar") in events
    big = 'integer("created")' if database == "sqlite" else 'bigint("created", { mode: "number" })'
    assert big in events
    checkout_only = drizzle_schema(api, database, ("checkout",))
    assert "stripeCustomers" in checkout_only
    assert "stripeSubscriptions" not in checkout_only and "stripeEvents" not in checkout_only


@pytest.mark.parametrize("database", DATABASES)
def test_webhook_tables_mirror_the_fastapi_migration(database: str) -> None:
    """The tables of the FastAPI migration 0002_webhooks, with the integration only: subscriptions by owner, their
    deliveries (JSON payloads, indexed by retry time) and received events, unique per (source, event id)."""
    api = design(PRESET_MODELS["custom"])
    assert "webhook_subscriptions" not in drizzle_schema(api, database)
    source = drizzle_schema(api, database, webhooks=True)
    assert re.search(r"import \{[^}]*\bunique\b[^}]*\} from", source)
    subscriptions = table_block(source, "webhookSubscriptions")
    assert 'references(() => users.id, { onDelete: "cascade" })' in subscriptions
    assert 'index("ix_webhook_subscriptions_owner_id").on(t.ownerId)' in subscriptions
    json_column = 'text("event_types", { mode: "json" })' if database == "sqlite" else 'json("event_types")'
    assert f"eventTypes: {json_column}.$type<string[]>().notNull()," in subscriptions
    deliveries = table_block(source, "webhookDeliveries")
    assert 'references(() => webhookSubscriptions.id, { onDelete: "cascade" })' in deliveries
    for index in ("ix_webhook_deliveries_next_attempt_at", "ix_webhook_deliveries_subscription_id"):
        assert f'index("{index}")' in deliveries
    assert '.notNull().default("pending"),' in deliveries and ".notNull().default(0)," in deliveries
    received = table_block(source, "receivedWebhooks")
    assert 'unique("uq_received_webhooks_source").on(t.source, t.eventId)' in received

def test_column_types_per_dialect() -> None:
    api = design(KITCHEN)
    postgres = table_block(drizzle_schema(api, "postgresql"), "folders")
    sqlite = table_block(drizzle_schema(api, "sqlite"), "folders")
    expected = {
        "label": ('varchar("label", { length: 80 })', 'text("label", { length: 80 })'),
        "ratio": ('doublePrecision("ratio")', 'real("ratio")'),
        "budget": ('numeric("budget", { precision: 18, scale: 2 })', 'numeric("budget")'),
        "settings": ('jsonb("settings")', 'text("settings", { mode: "json" })'),
        "externalId": ('uuid("external_id")', 'text("external_id", { length: 36 })'),
        "startsOn": ('date("starts_on", { mode: "string" })', 'text("starts_on")'),
        "dueAt": (
            'timestamp("due_at", { withTimezone: true, mode: "date" })',
            'integer("due_at", { mode: "timestamp_ms" })',
        ),
        "homepage": ('varchar("homepage", { length: 2048 })', 'text("homepage", { length: 2048 })'),
        "contact": ('varchar("contact", { length: 320 })', 'text("contact", { length: 320 })'),
        "level": (
            'varchar("level", { length: 4, enum: ["low", "high"] })',
            'text("level", { length: 4, enum: ["low", "high"] })',
        ),
        "pinned": ('boolean("pinned")', 'integer("pinned", { mode: "boolean" })'),
        "count": ('integer("count")', 'integer("count")'),
        "notes": ('text("notes")', 'text("notes")'),
        "id": ('serial("id").primaryKey()', 'integer("id").primaryKey({ autoIncrement: true })'),
    }
    for prop, (pg, lite) in expected.items():
        assert f"{prop}: {pg}" in postgres, prop
        assert f"{prop}: {lite}" in sqlite, prop
    # defaults from the answers; decimals keep two places on PostgreSQL
    assert ".default(0.5)" in postgres and '.default("10.50")' in postgres and '.default("low")' in postgres
    assert '.default({ theme: "dark" })' in postgres and ".default(false)" in postgres and '.default("/")' in postgres
    # CHECK constraints for the declared bounds and the enum values, as validation refuses the same values
    assert 'check("ck_folders_ratio_range", sql`${t.ratio} >= 0 AND ${t.ratio} <= 1`)' in postgres
    assert 'check("ck_folders_budget_range", sql`${t.budget} >= 0`)' in sqlite
    assert "check(\"ck_folders_level_values\", sql`${t.level} IN ('low', 'high')`)" in sqlite
    assert "ck_folders_count" not in postgres  # no declared bounds, no check
    # timestamps: PostgreSQL fills in now(); SQLite stores milliseconds set by the application
    assert 'createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow()' in postgres
    assert "$defaultFn(() => new Date())" in sqlite


def test_mysql_column_types() -> None:
    """MySQL: INT keys (the foreign keys match them), VARCHAR with its length, DECIMAL, DATETIME(3) set by the
    application (a DATETIME(3) cannot default to a plain CURRENT_TIMESTAMP), JSON and real booleans."""
    source = drizzle_schema(design(KITCHEN), "mysql")
    folders = table_block(source, "folders")
    for expected in (
        'id: int("id").autoincrement().primaryKey()',
        'label: varchar("label", { length: 80 })',
        'ratio: double("ratio")',
        'budget: decimal("budget", { precision: 18, scale: 2 })',
        'settings: json("settings")',
        'externalId: varchar("external_id", { length: 36 })',
        'startsOn: date("starts_on", { mode: "string" })',
        'dueAt: datetime("due_at", { mode: "date", fsp: 3 })',
        'level: varchar("level", { length: 4, enum: ["low", "high"] })',
        'pinned: boolean("pinned")',
        'count: int("count")',
        'notes: text("notes")',
        'parentId: int("parent_id").references((): AnyMySqlColumn => folders.id, { onDelete: "set null" })',
        'ownerId: int("owner_id")',
    ):
        assert expected in folders, expected
    assert '.default("10.50")' in folders  # two places, as DECIMAL(18, 2) gives it back
    assert 'createdAt: datetime("created_at", { mode: "date", fsp: 3 })' in folders
    assert "defaultNow()" not in source and "$defaultFn(() => new Date())" in folders
    assert 'userId: int("user_id")' in table_block(source, "refreshTokens")
    assert 'isAdmin: boolean("is_admin").notNull().default(false)' in table_block(source, "users")
    assert "serial(" not in source and "integer(" not in source


def test_references_and_links() -> None:
    source = drizzle_schema(design(KITCHEN), "postgresql")
    folders = table_block(source, "folders")
    # a self-reference needs a typed callback; the nullable foreign keys are SET NULL, the owner CASCADE
    assert (
        'parentId: integer("parent_id").references((): AnyPgColumn => folders.id, { onDelete: "set null" })' in folders
    )
    assert 'reviewerId: integer("reviewer_id").references(() => users.id, { onDelete: "set null" })' in folders
    assert "import {\n  type AnyPgColumn," in source
    assert 'index("ix_folders_owner_id").on(t.ownerId)' in folders and 'index("ix_folders_deleted_at")' in folders
    badges = table_block(source, "badges")
    assert re.search(
        r'folderId: integer\("folder_id"\)\s+\.notNull\(\)\s+\.references\(\(\) => folders\.id, '
        r'\{ onDelete: "cascade" \}\)',
        badges,
    )
    links = table_block(source, "foldersLabels")
    assert 'folderId: integer("folder_id")' in links and 'badgeId: integer("badge_id")' in links
    assert "columns: [t.folderId, t.badgeId]" in links


def test_lines_fit_biome_width() -> None:
    for database in DATABASES:
        for models in [*PRESET_MODELS.values(), KITCHEN]:
            source = drizzle_schema(design(models), database)
            long = [line for line in source.splitlines() if len(line) > 110 and "sql`" not in line]
            assert not long, long


def test_zod_validation_matches_the_fastapi_rules() -> None:
    api = design(KITCHEN)
    folder = zod_validation(api.resource("Folder"))
    create = folder.split("export const folderCreate = ", 1)[1].split("});", 1)[0]
    update = folder.split("export const folderUpdate = ", 1)[1].split("});", 1)[0]
    query = folder.split("export const folderListQuery = ", 1)[1].split("});", 1)[0]
    assert create.startswith("z.strictObject({") and update.startswith("z.strictObject({")
    assert "  label: z.string().max(80).regex(NO_NUL),\n" in create  # required: no optional()
    assert "  ratio: z.number().min(0).max(1).optional()," in create  # a default: optional
    assert "  budget: decimalText({ min: 0 }).optional()," in create
    assert "  count: z.int().min(-2147483648).max(2147483647),\n" in create
    assert "  notes: z.string().regex(NO_NUL).nullable().optional()," in create
    assert "  path: z.string().max(100).regex(PATH_PATTERN).optional()," in create
    assert "const PATH_PATTERN = /^\\/[a-z/]*$/;" in folder
    assert "  homepage: z.string().max(2048).regex(HTTP_URL).nullable().optional()," in create
    assert "  due_at: awareDatetime.nullable().optional()," in create
    assert "  external_id: uuidText.nullable().optional()," in create
    assert "  parent_id: recordId.nullable().optional()," in create
    assert "  label_ids: idList.optional()," in create
    # PATCH: every field optional; only nullable ones accept null
    assert "  count: z.int().min(-2147483648).max(2147483647).optional()," in update
    assert "  label: z.string().max(80).regex(NO_NUL).optional()," in update
    assert "  label_ids: idList.nullable().optional()," in update
    # list query: paging bounds, sort values, lenient filters on the filterable columns only
    assert "limit: queryInt(1, 100).default(20)," in query and "offset: queryInt(0, 1_000_000).default(0)," in query
    assert 'sort: z.enum(folderSorts).default("id"),' in query
    assert "pinned: queryBoolean.optional()," in query and "parent_id: queryInt(1, MAX_ID).optional()," in query
    assert "notes" not in query and "ratio" not in query and "settings" not in query
    sorts = re.search(r"export const folderSorts = \[(.*?)\] as const;", folder, flags=re.S)
    assert sorts and '"-budget"' in sorts.group(1) and '"notes"' not in sorts.group(1)
    badge = zod_validation(api.resource("Badge"))
    assert "  folder_id: recordId,\n" in badge


def test_regex_literals_escape_slashes_outside_classes_only() -> None:
    assert regex_literal(r"^/[a-z/]*$") == r"/^\/[a-z/]*$/"
    assert regex_literal(r"a\/b") == r"/a\/b/"
    literal = regex_literal(URL_PATTERN)
    assert literal.startswith(r"/^https?:\/\/[^") and "@[\\]:]+" in literal
