"""orm=prisma with background_jobs end to end: the BullMQ worker runs as its own process against Redis and the
project's database, and its scheduled cleanup deletes refresh tokens through the Prisma client (SQLite and
PostgreSQL), and other processes writing the same SQLite file wait for one another."""

from __future__ import annotations

import os
import re
import subprocess
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


CONCURRENT_WRITER = """\
import { db } from "@/db";

// Each transaction reads, then writes: the shape SQLite refuses at once when it began DEFERRED.
let failures = 0;
for (let i = 0; i < 150; i++) {
  try {
    await db.$transaction(async (tx) => {
      await tx.tag.count();
      await tx.tag.create({ data: { name: `${process.argv[2]}-${i}` } });
    });
  } catch (error) {
    failures++;
    if (failures === 1) console.error(String(error));
  }
}
console.log(`failures ${failures}`);
await db.$disconnect();
"""


def test_sqlite_writers_in_several_processes_wait_for_each_other(
        tmp_path: Path, prisma_node_modules: Callable[[str], Path]):
    """The worker and the app write one SQLite file: a transaction that meets another process's write lock must
    wait for it (the busy timeout), not fail. Three processes each run transactions that read, then write."""
    project = tmp_path / "project"
    result = render(project, framework="nextjs", orm="prisma", preset="blog", database="sqlite")
    assert result.returncode == 0, result.stderr
    installed_from_seed(project, prisma_node_modules("sqlite"))
    env = {"DATABASE_URL": f"file:{tmp_path / 'shared.db'}"}
    run_in(project, "make", "migrate", env=env)
    (project / "concurrent-writer.ts").write_text(CONCURRENT_WRITER)
    writers = [subprocess.Popen([str(project / "node_modules/.bin/tsx"), "concurrent-writer.ts", name], cwd=project,
                                env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for name in ("app", "worker", "script")]
    outputs = [writer.communicate(timeout=300) for writer in writers]
    for (stdout, stderr), writer in zip(outputs, writers, strict=True):
        assert writer.returncode == 0 and stdout.strip() == "failures 0", stdout + stderr[-2000:]
