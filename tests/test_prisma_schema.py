"""The Prisma schema and its first SQL migration, rendered from the project's tables.

Fast tests check the text; the slow test runs Prisma 7 itself (validate, format, generate), applies the migration
to fresh SQLite, PostgreSQL and MariaDB databases and writes and reads rows through the generated client.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from backend_squad.agents import APIArchitect
from backend_squad.codegen.drizzle_source import drizzle_schema
from backend_squad.codegen.prisma_migration import migration_directory, migration_lock, migration_sql
from backend_squad.codegen.prisma_schema import field_name, prisma_schema, relations
from backend_squad.codegen.tables import Check, Column, Table, database_tables
from backend_squad.design import ApiDesign
from backend_squad.presets import PRESET_MODELS
from backend_squad.spec import load_spec
from tests.test_drizzle_source import KITCHEN

DATABASES = ("postgresql", "mysql", "sqlite")
PRESETS = ("saas", "ecommerce", "blog", "kitchen")  # kitchen: every field type, defaults, a self-reference
NODE_PACKAGES = {  # the Prisma 7 CLI, client and adapters, the SQLite driver, and Drizzle to compare with
    "prisma": "7.10.1",
    "@prisma/client": "7.10.0",
    "@prisma/adapter-pg": "7.10.1",
    "@prisma/adapter-mariadb": "7.10.0",
    "@prisma/adapter-libsql": "7.10.0",
    "@libsql/client": "0.18.0",
    "tsx": "4.23.15",
    "drizzle-orm": "0.45.4",
    "drizzle-kit": "0.31.11",
}
ROUNDTRIP = Path(__file__).parent / "prisma" / "roundtrip.ts"
CATALOG = Path(__file__).parent / "prisma" / "catalog.ts"


def preset_design(preset: str) -> tuple[ApiDesign, dict[str, Any]]:
    """A preset's design and table options: saas multi-tenant with every optional table, ecommerce with Stripe,
    blog bare; kitchen (test_drizzle_source's models) bare too."""
    models = KITCHEN if preset == "kitchen" else PRESET_MODELS[preset]
    roles = sorted({role for model in models for allowed in model.get("permissions", {}).values() for role in allowed})
    answers = {"models": models, "framework": "nextjs", "roles": roles, "multi_tenant": preset == "saas"}
    api = APIArchitect().design(load_spec(answers))
    if preset == "saas":
        return api, {"stripe_features": ("checkout", "subscriptions", "webhooks"), "webhooks": True,
                     "magic_links": True, "oauth": True, "plans": True, "sessions": True}
    if preset == "ecommerce":
        return api, {"stripe_features": ("checkout", "webhooks")}
    return api, {}


def preset_tables(preset: str) -> list[Table]:
    api, options = preset_design(preset)
    return database_tables(api, **options)


def model_block(schema: str, model: str) -> str:
    match = re.search(rf"^model {model} \{{\n(.*?)^\}}", schema, flags=re.M | re.S)
    assert match, f"no model {model}"
    return match.group(1)


# -- fast --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("database", DATABASES)
@pytest.mark.parametrize("preset", PRESETS)
def test_every_table_and_column_keeps_its_sql_name(preset: str, database: str) -> None:
    tables = preset_tables(preset)
    schema = prisma_schema(tables, database)
    assert re.findall(r"^model (\w+) \{", schema, flags=re.M) == [table.model for table in tables]
    for table in tables:
        block = model_block(schema, table.model)
        assert f'  @@map("{table.name}")\n' in block
        for column in table.columns:
            line = next(line for line in block.splitlines() if line.split()[:1] == [field_name(column.name)])
            assert (f'@map("{column.name}")' in line) == (column.name != field_name(column.name))
            assert line.split()[1].endswith("?") == (column.nullable and not column.primary_key)


def test_two_foreign_keys_to_one_model_are_named_relations_with_their_back_relations() -> None:
    tables = preset_tables("saas")
    schema = prisma_schema(tables, "postgresql")
    tasks, users = model_block(schema, "Task"), model_block(schema, "User")
    assert re.search(
        r'^  createdByUser +User\? +@relation\("TaskCreatedBy", fields: \[createdBy\], references: \[id\], '
        r'onDelete: SetNull, onUpdate: NoAction, map: "tasks_created_by_users_id_fk"\)$', tasks, flags=re.M)
    assert re.search(r'^  tasksCreatedBy +Task\[\] +@relation\("TaskCreatedBy"\)$', users, flags=re.M)
    assert re.search(r'^  tasksUpdatedBy +Task\[\] +@relation\("TaskUpdatedBy"\)$', users, flags=re.M)
    # A unique foreign key is one-to-one: the user has at most one Stripe customer.
    assert re.search(r"^  stripeCustomer +StripeCustomer\?$", users, flags=re.M)
    # Every foreign key has a relation, and each relation field name is used once per model.
    assert len(relations(tables)) == sum(1 for table in tables for column in table.columns if column.references)
    for table in tables:
        names = [line.split()[0] for line in model_block(schema, table.model).splitlines() if line.strip()]
        assert len(names) == len(set(names)), table.model


@pytest.mark.parametrize("database", DATABASES)
def test_native_types_defaults_and_constraint_names(database: str) -> None:
    schema = prisma_schema(preset_tables("ecommerce"), database)
    users, products = model_block(schema, "User"), model_block(schema, "Product")
    created_at = next(line for line in users.splitlines() if line.startswith("  createdAt"))
    updated_at = next(line for line in users.splitlines() if line.startswith("  updatedAt"))
    assert "@default(now())" in created_at
    assert "@default(now()) @updatedAt" in updated_at
    assert ("@db.Timestamptz(3)" in created_at) == (database == "postgresql")
    assert '@unique(map: "uq_users_email")' in users
    price = next(line for line in products.splitlines() if line.startswith("  price "))
    assert price.split()[1] == "Decimal"
    assert ("@db.Decimal(18, 2)" in price) == (database != "sqlite")
    assert "@default(true)" in next(line for line in users.splitlines() if line.startswith("  isActive"))
    # Prisma refuses foreign key names on SQLite; elsewhere they are drizzle-kit's.
    assert ('map: "refresh_tokens_user_id_users_id_fk"' in schema) == (database != "sqlite")


@pytest.mark.parametrize("database", DATABASES)
def test_literal_defaults_in_the_schema_and_the_migration(database: str) -> None:
    tables = preset_tables("kitchen")
    folder = model_block(prisma_schema(tables, database), "Folder")
    sql = migration_sql(tables, database)
    quote = "`" if database == "mysql" else '"'
    assert re.search(r"^  budget +Decimal +@default\(10\.50\)", folder, flags=re.M)  # declared as "10.5"
    assert re.search(r"^  ratio +Float +@default\(0\.5\)", folder, flags=re.M)
    assert re.search(r'^  settings +Json +@default\("\{\\"theme\\":\\"dark\\"\}"\)', folder, flags=re.M)
    assert re.search(r'^  level +String +@default\("low"\)', folder, flags=re.M)
    assert re.search(r"^  pinned +Boolean +@default\(false\)", folder, flags=re.M)
    assert re.search(rf"{quote}budget{quote} DECIMAL(\(18, ?2\))? NOT NULL DEFAULT 10\.50,", sql)
    json_default = "('{\"theme\":\"dark\"}')" if database == "mysql" else "'{\"theme\":\"dark\"}'"
    assert f"{quote}settings{quote} {'JSON' if database == 'mysql' else 'JSONB'} NOT NULL DEFAULT {json_default}," in sql
    assert f"{quote}level{quote} " in sql and "NOT NULL DEFAULT 'low'," in sql


@pytest.mark.parametrize("database", DATABASES)
def test_check_constraints_live_only_in_the_migration(database: str) -> None:
    tables = preset_tables("ecommerce")
    checks = [c for table in tables for c in table.constraints if isinstance(c, Check)]
    assert checks
    schema, sql = prisma_schema(tables, database), migration_sql(tables, database)
    quote = "`" if database == "mysql" else '"'
    for check in checks:
        assert f"// CHECK {check.name}: " in schema
        assert f"CONSTRAINT {quote}{check.name}{quote} CHECK (" in sql
    assert "@@check" not in schema


def test_migration_per_provider() -> None:
    tables = preset_tables("blog")
    postgres, mysql, sqlite = (migration_sql(tables, database) for database in DATABASES)
    assert 'CONSTRAINT "users_pkey" PRIMARY KEY ("id")' in postgres
    assert 'CONSTRAINT "pk_posts_tags" PRIMARY KEY ("post_id", "tag_id")' in postgres
    assert 'CREATE UNIQUE INDEX "uq_users_email" ON "users"("email");' in postgres
    assert (
        'ALTER TABLE "refresh_tokens" ADD CONSTRAINT "refresh_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") '
        'REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION;'
    ) in postgres
    assert '"created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP' in postgres
    assert "`id` INTEGER NOT NULL AUTO_INCREMENT" in mysql
    assert "UNIQUE INDEX `uq_users_email`(`email`)" in mysql
    assert "`created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)" in mysql
    assert ") DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;" in mysql
    # SQLite cannot ALTER TABLE ... ADD CONSTRAINT: foreign keys are part of CREATE TABLE.
    assert "ALTER TABLE" not in sqlite
    assert (
        'CONSTRAINT "refresh_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "users" ("id") '
        "ON DELETE CASCADE ON UPDATE NO ACTION"
    ) in sqlite
    assert '"id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT' in sqlite


def test_migration_lock_names_the_provider() -> None:
    assert migration_directory("20260101000000") == "20260101000000_init"  # as `prisma migrate dev --name init`
    assert migration_lock("mysql") == (
        "# Please do not edit this file manually\n"
        "# It should be added in your version-control system (e.g., Git)\n"
        'provider = "mysql"\n'
    )


# -- slow: Prisma itself and real databases ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def prisma_modules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """node_modules with Prisma 7, installed once per test run."""
    if shutil.which("npm") is None:
        pytest.skip("npm is not installed")
    root = tmp_path_factory.mktemp("prisma-npm")
    (root / "package.json").write_text(json.dumps({"name": "prisma-check", "private": True, "type": "module",
                                                    "dependencies": NODE_PACKAGES}))
    subprocess.run(["nice", "-n", "19", "npm", "install", "--no-audit", "--no-fund"], cwd=root, check=True,
                   capture_output=True, timeout=900)
    return root / "node_modules"


def _services() -> dict[str, str]:
    urls = {name: os.environ.get(name, "") for name in ("TEST_POSTGRES_URL", "TEST_MYSQL_URL")}
    missing = [name for name, url in urls.items() if not url]
    if missing:
        pytest.fail(f"{', '.join(missing)} not set: run `eval \"$(scripts/services.sh env)\"` first")
    return urls


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _plan(tables: list[Table], database: str, url: str, migration: Path) -> dict[str, Any]:
    """What roundtrip.ts creates and checks: every model's fields, the user, a row related to it with a DateTime,
    and a Decimal column and a date column when the tables have them."""
    by_name = {table.name: table for table in tables}

    def field(table: Table, column: Column) -> dict[str, Any]:
        checks = [c for c in table.constraints if isinstance(c, Check) and c.column == column.name]
        generated = column.primary_key and column.type == "integer"
        return {
            "name": field_name(column.name), "type": column.type, "unique": column.unique is not None,
            "required": not (column.nullable or generated or column.default is not None or column.default_now
                             or column.update_now),
            "length": column.length, "values": list(column.values),
            "low": next((c.low for c in checks if c.low is not None), None),
            "high": next((c.high for c in checks if c.high is not None), None),
            "ref": by_name[column.references.table].model if column.references else None,
            "list": (column.ts_type or "").endswith("[]"),
        }

    models = {
        table.model: {"model": table.model, "delegate": table.model[0].lower() + table.model[1:],
                      "fields": [field(table, column) for column in table.columns]}
        for table in tables
    }
    related = next(
        {"model": table.model, "field": field_name(column.name), "relation": relation.field}
        for relation in relations(tables)
        for table in [relation.table]
        if relation.target.name == "users" and relation.column.name == "user_id" and not relation.column.nullable
        for column in table.columns
        if column.type == "datetime" and not column.nullable and not column.default_now
    )
    decimal = next(
        ({"model": table.model, "field": field_name(column.name), "value": "1234.56"}
         for table in tables for column in table.columns if column.type == "decimal"),
        None,
    )
    date = next(
        ({"model": table.model, "field": field_name(column.name)}
         for table in tables for column in table.columns if column.type == "date"),
        None,
    )
    return {"database": database, "url": url, "migration": str(migration), "models": models, "user": "User",
            "related": related, "decimal": decimal, "date": date}


def _prisma(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {
        # validate, format and generate never run the schema engine, which cannot be downloaded here.
        "PRISMA_SCHEMA_ENGINE_BINARY": "/bin/true",
        "PRISMA_HIDE_UPDATE_MESSAGE": "1",
        "CHECKPOINT_DISABLE": "1",
    }
    return subprocess.run(["node_modules/.bin/prisma", *args, "--schema", "prisma/schema.prisma"], cwd=project,
                          env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
@pytest.mark.parametrize("database", DATABASES)
@pytest.mark.parametrize("preset", PRESETS)
def test_prisma_accepts_the_schema_and_the_client_round_trips_rows(
    preset: str, database: str, prisma_modules: Path, tmp_path: Path
) -> None:
    tables = preset_tables(preset)
    project = tmp_path / "project"
    (project / "prisma" / "migrations" / "20260101000000_init").mkdir(parents=True)
    (project / "node_modules").symlink_to(prisma_modules)
    schema = prisma_schema(tables, database)
    schema_file = project / "prisma" / "schema.prisma"
    schema_file.write_text(schema)
    migration = project / "prisma" / "migrations" / "20260101000000_init" / "migration.sql"
    migration.write_text(migration_sql(tables, database))
    (project / "prisma" / "migrations" / "migration_lock.toml").write_text(migration_lock(database))

    for command in ("validate", "format", "generate"):
        result = _prisma(project, command)
        assert result.returncode == 0, f"prisma {command}:\n{result.stdout}\n{result.stderr}"
    assert schema_file.read_text() == schema, "prisma format changed the schema"

    with _fresh_database(database, project, "dev") as url:
        (project / "plan.json").write_text(json.dumps(_plan(tables, database, url, migration)))
        shutil.copy(ROUNDTRIP, project / "roundtrip.ts")
        result = subprocess.run(["node_modules/.bin/tsx", "roundtrip.ts", "plan.json"], cwd=project,
                                capture_output=True, text=True, timeout=300)
        assert "ROUNDTRIP OK" in result.stdout, f"{result.stdout}\n{result.stderr}"


@pytest.mark.slow
@pytest.mark.parametrize("database", DATABASES)
@pytest.mark.parametrize("preset", PRESETS)
def test_the_prisma_migration_creates_what_drizzle_kit_creates(
    preset: str, database: str, prisma_modules: Path, tmp_path: Path
) -> None:
    """Same tables, columns and nullability, indexes (names, uniqueness, columns), foreign keys (names, targets,
    actions), primary keys and CHECK constraints as the Drizzle project's first migration."""
    api, options = preset_design(preset)
    project = tmp_path / "project"
    project.mkdir()
    (project / "node_modules").symlink_to(prisma_modules)
    (project / "schema.ts").write_text(drizzle_schema(api, database, **options))
    (project / "drizzle.config.ts").write_text(
        f'export default {{ dialect: "{database}", schema: "./schema.ts", out: "./drizzle" }};\n'
    )
    subprocess.run(["node_modules/.bin/drizzle-kit", "generate"], cwd=project, check=True, capture_output=True,
                   timeout=300)
    (drizzle_sql,) = (project / "drizzle").glob("*.sql")
    prisma_sql = project / "migration.sql"
    prisma_sql.write_text(migration_sql(database_tables(api, **options), database))
    shutil.copy(CATALOG, project / "catalog.ts")
    catalogs = []
    for name, sql in (("drizzle", drizzle_sql), ("prisma", prisma_sql)):
        with _fresh_database(database, project, name) as url:
            result = subprocess.run(["node_modules/.bin/tsx", "catalog.ts", database, url, str(sql)], cwd=project,
                                    capture_output=True, text=True, timeout=300)
            assert result.returncode == 0, result.stderr
            catalog = json.loads(result.stdout)
            catalogs.append({key: sorted(json.dumps(row, sort_keys=True) for row in rows)
                             for key, rows in catalog.items()})
    drizzle, prisma = catalogs
    assert prisma["columns"]
    for key in drizzle:
        assert prisma[key] == drizzle[key], key


@contextlib.contextmanager
def _fresh_database(database: str, project: Path, name: str) -> Iterator[str]:
    """The URL of a new, empty database, dropped afterwards (a file in ``project`` for SQLite)."""
    if database == "sqlite":
        yield f"file:{project / (name + '.db')}"
        return
    server = _services()["TEST_POSTGRES_URL" if database == "postgresql" else "TEST_MYSQL_URL"]
    database_name = f"hp_prisma_{name}_{uuid.uuid4().hex[:8]}"
    _admin(database, server, f"CREATE DATABASE {database_name}", project)
    try:
        yield _with_database(server, database_name)
    finally:
        _admin(database, server, f"DROP DATABASE IF EXISTS {database_name}", project)


def _admin(database: str, server: str, statement: str, cwd: Path) -> None:
    """CREATE or DROP DATABASE on the test server, through the node driver the adapter brings."""
    if database == "postgresql":
        script = ("import pg from 'pg'; const c = new pg.Client(process.env.URL); await c.connect();"
                  " await c.query(process.env.SQL); await c.end();")
    else:
        script = ("import * as m from 'mariadb'; const u = new URL(process.env.URL);"
                  " const c = await m.createConnection({host: u.hostname, port: Number(u.port || 3306),"
                  " user: decodeURIComponent(u.username), password: decodeURIComponent(u.password)});"
                  " await c.query(process.env.SQL); await c.end();")
    subprocess.run(["node", "--input-type=module", "-e", script], cwd=cwd, check=True,
                   env=os.environ | {"URL": server, "SQL": statement}, capture_output=True, timeout=60)
