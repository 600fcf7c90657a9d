"""orm=prisma with API keys, roles and rate limits: the api_gateway preset (password + JWT and API keys, rate limits
on Redis) on SQLite and PostgreSQL, and blog with roles and API keys on SQLite, rendered, installed from the Prisma
seed, linted, type-checked and tested with vitest against a real server (api-keys, roles, rate-limit tests)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import fresh_database, installed_from_seed, render, run_in, secured, service_url

pytestmark = pytest.mark.slow


def _tested(tmp_path: Path, modules: Callable[[str], Path], env: dict[str, str], **options: str) -> str:
    project = tmp_path / "project"
    result = render(project, framework="nextjs", orm="prisma", **options)
    assert result.returncode == 0, result.stderr
    installed_from_seed(project, modules(options["database"]))
    run_in(project, "make", "lint")
    run_in(project, "make", "typecheck")
    output = run_in(secured(project), "make", "test", env=env, timeout=900)
    assert " passed" in output and not re.search(r"\d+ failed", output), output[-3000:]
    return output


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_api_gateway(database: str, tmp_path: Path, prisma_node_modules: Callable[[str], Path]):
    env = {"TEST_REDIS_URL": service_url("TEST_REDIS_URL")}
    if database == "postgresql":
        env["DATABASE_URL"] = fresh_database(service_url("TEST_POSTGRES_URL"))
    output = _tested(tmp_path, prisma_node_modules, env, preset="api_gateway", database=database)
    for tests in ("api-keys.test.ts", "rate-limit-callers.test.ts", "rate-limit.test.ts"):
        assert tests in output


def test_blog_with_roles_and_api_keys(tmp_path: Path, prisma_node_modules: Callable[[str], Path]):
    output = _tested(tmp_path, prisma_node_modules, {}, preset="blog", database="sqlite", roles="[editor, viewer]",
                     auth_methods='["password_jwt","api_key"]')
    assert "roles.test.ts" in output and "api-keys.test.ts" in output
