"""orm=prisma end to end: every preset rendered on Prisma 7, installed with npm (which generates the client), linted
with Biome, type-checked, migrated by the project's own runner into Prisma's `_prisma_migrations` ledger, built with
`next build` and tested with vitest against a real server on SQLite and PostgreSQL (blog on MariaDB too; api_gateway
is in test_prisma_access.py)."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tests.conftest import fresh_database, installed_from_seed, render, run_in, secured, service_url
from tests.test_drizzle_source import KITCHEN

pytestmark = pytest.mark.slow

def _project(tmp_path: Path, modules: Callable[[str], Path], **options: object) -> Path:
    project = tmp_path / "project"
    result = render(project, framework="nextjs", orm="prisma", **options)
    assert result.returncode == 0, result.stderr
    installed_from_seed(project, modules(str(options["database"])))
    assert (project / "src/generated/prisma/client.ts").is_file()
    run_in(project, "make", "lint")
    run_in(project, "make", "typecheck")
    return secured(project)


def _passing(project: Path, env: dict[str, str] | None = None) -> str:
    output = run_in(project, "make", "test", env=env, timeout=900)
    assert " passed" in output and not re.search(r"\d+ failed", output), output[-3000:]
    return output


def _migrated_twice(project: Path, url: str) -> None:
    """`make migrate` applies the first migration, a second run has nothing to apply."""
    first = run_in(project, "make", "migrate", env={"DATABASE_URL": url})
    assert re.search(r"\d{14}_init", first), first
    assert "nothing to apply" in run_in(project, "make", "migrate", env={"DATABASE_URL": url})


@pytest.mark.parametrize("preset", ["blog", "custom"])
def test_preset_on_sqlite(preset: str, tmp_path: Path, prisma_node_modules: Callable[[str], Path]):
    project = _project(tmp_path, prisma_node_modules, preset=preset, database="sqlite")
    _passing(project)
    database = project / "check.db"
    _migrated_twice(project, f"file:{database}")
    migration = next((project / "prisma/migrations").glob("*_init/migration.sql"))
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT migration_name, checksum, finished_at IS NOT NULL, rolled_back_at, "
                                  "applied_steps_count FROM _prisma_migrations").fetchall()
    assert rows == [(migration.parent.name, hashlib.sha256(migration.read_bytes()).hexdigest(), 1, None, 1)]


@pytest.mark.parametrize("preset", ["blog", "custom"])
def test_preset_on_postgresql(preset: str, tmp_path: Path, prisma_node_modules: Callable[[str], Path]):
    server = service_url("TEST_POSTGRES_URL")
    project = _project(tmp_path, prisma_node_modules, preset=preset, database="postgresql")
    _passing(project, env={"DATABASE_URL": fresh_database(server)})
    _migrated_twice(project, fresh_database(server))


def test_blog_on_mysql(tmp_path: Path, prisma_node_modules: Callable[[str], Path]):
    server = service_url("TEST_MYSQL_URL")
    project = _project(tmp_path, prisma_node_modules, preset="blog", database="mysql")
    _passing(project, env={"DATABASE_URL": fresh_database(server, "mysql")})
    _migrated_twice(project, fresh_database(server, "mysql"))


# The features each preset's generated tests must have run, beside the models' and the platform's.
PRESET_TESTS = {
    "saas": ["oauth", "sessions", "magic-links", "api-keys", "organizations", "tenancy", "roles", "payments",
             "email", "webhooks", "worker", "rate-limit"],
    "ecommerce": ["payments", "email", "storage", "worker", "rate-limit"],
    "webhook_relay": ["webhooks", "api-keys", "worker", "rate-limit"],
}


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
@pytest.mark.parametrize("preset", sorted(PRESET_TESTS))
def test_preset_with_its_integrations(preset: str, database: str, tmp_path: Path,
                                      prisma_node_modules: Callable[[str], Path]):
    """The presets with auth methods, organizations and integrations; ecommerce on PostgreSQL with every Stripe
    feature (subscriptions too)."""
    env = {"DATABASE_URL": fresh_database(service_url("TEST_POSTGRES_URL"))} if database == "postgresql" else None
    options = {"stripe_features": "[checkout, subscriptions, webhooks, customer_portal]"} if (
        preset == "ecommerce" and database == "postgresql") else {}
    project = _project(tmp_path, prisma_node_modules, preset=preset, database=database, **options)
    output = _passing(project, env=env)
    missing = [name for name in PRESET_TESTS[preset] if f"tests/{name}.test.ts" not in output]
    assert not missing, output[-3000:]


def test_every_field_kind_and_model_option(tmp_path: Path, prisma_node_modules: Callable[[str], Path]):
    """Every field type (JSON, dates, decimals, UUIDs, enums...), a self-reference, a User reference, links and an
    action on an owned, soft-deleted model, and a model with authors, soft delete and an action."""
    folder, badge = (dict(model) for model in KITCHEN)
    folder |= {"actions": [{"name": "archive", "description": "Archive the folder"}]}
    # Badge's action module imports its resource module before common/crud (Biome sorts imports by path).
    badge |= {"track_authors": True, "soft_delete": True,
              "actions": [{"name": "award", "description": "Award the badge"}]}
    models = yaml.safe_dump([folder, badge], default_flow_style=True, width=10_000).strip()
    project = _project(tmp_path, prisma_node_modules, preset="custom", database="sqlite", models=models)
    _passing(project)
