"""orm=prisma with background_jobs end to end: the BullMQ worker runs as its own process against Redis and the
project's database, and its scheduled cleanup deletes refresh tokens through the Prisma client (SQLite and
PostgreSQL)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import fresh_database, installed_from_seed, render, run_in, secured, service_url

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_worker_jobs_run_on_prisma(database: str, tmp_path: Path, prisma_node_modules: Callable[[str], Path]):
    env = {"TEST_REDIS_URL": service_url("TEST_REDIS_URL")}
    if database == "postgresql":
        env["DATABASE_URL"] = fresh_database(service_url("TEST_POSTGRES_URL"))
    project = tmp_path / "project"
    result = render(project, framework="nextjs", orm="prisma", preset="blog", database=database,
                    background_jobs="true")
    assert result.returncode == 0, result.stderr
    installed_from_seed(project, prisma_node_modules(database))
    run_in(project, "make", "lint")
    run_in(project, "make", "typecheck")
    secured(project)
    output = run_in(project, "make", "test", env=env, timeout=900)
    assert " passed" in output and not re.search(r"\d+ (failed|skipped)", output), output[-3000:]
    assert "worker.test.ts" in output, output[-3000:]
