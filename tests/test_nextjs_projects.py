"""The Next.js matrix: every preset on Drizzle (on Prisma: test_prisma_projects.py), and the Next.js rows of the
covering set on their orm, installed with npm, linted with Biome, type-checked with tsc, built with `next build` and
tested with vitest against a real server, on SQLite, on PostgreSQL and (the presets that use MySQL's dialect
branches) on MariaDB; the drizzle migrations must match the schema."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
import yaml

from tests.conftest import (
    ACTIONS_MODELS,
    NEXTJS_INTEGRATIONS,
    PRESETS,
    free_port,
    fresh_database,
    installed_from_seed,
    render,
    run_in,
    secured,
    service_url,
)
from tests.matrix import COVERING_NEXTJS, answers, label

pytestmark = pytest.mark.slow


def _project(tmp_path: Path, node_modules: Callable[[str], Path], **options: object) -> Path:
    """A Drizzle project unless ``options`` name the orm (then ``node_modules`` must be that orm's seed)."""
    project = tmp_path / "project"
    result = render(project, framework="nextjs", **{"orm": "drizzle", **options})
    assert result.returncode == 0, result.stderr
    installed_from_seed(project, node_modules(str(options.get("database", "sqlite"))))
    run_in(project, "make", "lint")
    run_in(project, "make", "typecheck")
    return secured(project)


def _passing(project: Path, env: dict[str, str] | None = None, vitest_args: str = "") -> str:
    output = run_in(project, "make", "test", *([f"VITEST_ARGS={vitest_args}"] if vitest_args else []), env=env,
                    timeout=900)
    # vitest's summary ("Tests  80 passed (80)"); a test's own title may say "failed".
    assert " passed" in output and not re.search(r"\d+ failed", output), output[-3000:]
    return output


@pytest.mark.parametrize("preset", PRESETS)
def test_preset_on_sqlite(preset: str, tmp_path: Path, node_modules: Callable[[str], Path]):
    project = _project(tmp_path, node_modules, preset=preset, database="sqlite")
    _passing(project)
    database = {"DATABASE_URL": f"file:{project}/check.db"}
    run_in(project, "make", "migrate", "check-migrations", env=database)


@pytest.mark.parametrize("preset", PRESETS)
def test_preset_on_postgresql(preset: str, tmp_path: Path, node_modules: Callable[[str], Path]):
    server = service_url("TEST_POSTGRES_URL")
    project = _project(tmp_path, node_modules, preset=preset, database="postgresql")
    _passing(project, env={"DATABASE_URL": fresh_database(server)})
    database = {"DATABASE_URL": fresh_database(server)}
    run_in(project, "make", "migrate", "check-migrations", env=database)


# Every resource shape (owned rows, links, decimals, enums, a payable model with Stripe's webhooks) and the
# accounts' writes, which MySQL does without RETURNING.
MYSQL_PRESETS = ("ecommerce", "saas")


@pytest.mark.parametrize("preset", MYSQL_PRESETS)
def test_preset_on_mysql(preset: str, tmp_path: Path, node_modules: Callable[[str], Path]):
    server = service_url("TEST_MYSQL_URL")
    project = _project(tmp_path, node_modules, preset=preset, database="mysql")
    _passing(project, env={"DATABASE_URL": fresh_database(server, "mysql")})
    database = {"DATABASE_URL": fresh_database(server, "mysql")}
    run_in(project, "make", "migrate", "check-migrations", env=database)


def _database_env(database: str) -> dict[str, str] | None:
    """DATABASE_URL on a fresh database of a server kind; None for SQLite (the tests make their own file)."""
    if database == "sqlite":
        return None
    server = service_url("TEST_POSTGRES_URL" if database == "postgresql" else "TEST_MYSQL_URL")
    return {"DATABASE_URL": fresh_database(server, database)}


@pytest.mark.parametrize("combination", COVERING_NEXTJS, ids=label)
def test_covering_set_rows(combination: dict, tmp_path: Path, node_modules: Callable[[str], Path],
                           prisma_node_modules: Callable[[str], Path]):
    options = answers(combination)
    seed = prisma_node_modules if options["orm"] == "prisma" else node_modules
    chosen = {key: value for key, value in options.items() if key not in ("integrations", "framework")}
    project = _project(tmp_path, seed, **chosen)
    _passing(project, env=_database_env(options["database"]))


def test_every_integration_together(tmp_path: Path, node_modules: Callable[[str], Path]):
    """Each e-mail provider's tests run (SMTP against a real local server, the REST APIs against their documented
    requests) and EMAIL_PROVIDER chooses among them; S3 serves /files against a local S3 server and R2 round-trips
    through it too; Stripe's four features run against the Stripe stand-in; SMS and chat against the providers'
    documented requests; webhooks deliver to a local receiver. The presets cover SMTP, S3, Stripe (with ecommerce's
    payable Order) and webhooks (saas, webhook_relay) on every database they run on."""
    project = _project(tmp_path, node_modules, preset="blog", database="sqlite", integrations=list(NEXTJS_INTEGRATIONS))
    suites = ("email", "storage", "payments", "notify", "webhooks")
    output = re.sub(r"\x1b\[[0-9;]*m", "", _passing(project, vitest_args=" ".join(f"tests/{name}.test.ts" for name in suites)))
    for name in suites:
        assert re.search(rf"tests/{name}\.test\.ts \((\d+) tests\)", output), output[-3000:]
    counted = re.search(r"Tests\s+(\d+) passed", output)
    assert counted and int(counted.group(1)) >= 200, output[-3000:]


def test_make_serve_runs_workers_processes_on_one_port(tmp_path: Path, node_modules: Callable[[str], Path]):
    """`make serve WORKERS=2`: two next-server processes answer on one port, and SIGTERM stops them all."""
    project = _project(tmp_path, node_modules, preset="blog", database="sqlite")
    env = {**os.environ, "DATABASE_URL": f"file:{project}/serve.db"}
    run_in(project, "make", "migrate", "build", env=env)
    port = free_port()
    server = subprocess.Popen(["make", "serve", "WORKERS=2", f"PORT={port}"], cwd=project, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        statuses = []
        for _ in range(120):
            try:
                statuses = [httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).status_code for _ in range(6)]
                break
            except httpx.TransportError:
                time.sleep(0.5)
        assert statuses == [200] * 6
        session = subprocess.run(["ps", "-o", "comm=", "-s", str(server.pid)], capture_output=True, text=True).stdout
        assert session.count("next-server") == 2, session
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    left = "?"
    for _ in range(40):  # the workers finish their requests in hand, then the primary exits
        left = subprocess.run(["ps", "-o", "pid=,comm=", "-s", str(server.pid)], capture_output=True, text=True).stdout
        if not left.strip():
            break
        time.sleep(0.5)
    assert left.strip() == "", left


PUBLISH_TEST = """
import { expect, it } from "vitest";
import { Factory, PATHS } from "./factories";
import { api, body, tokens } from "./helpers";

it("publish answers with what its slot returns", async () => {
  const who = await tokens();
  const created = await new Factory(who).create("post", who.user);
  const response = await api("POST", `${PATHS.post}/${created.id}/publish`, { token: who.user });
  expect(response.status).toBe(200);
  expect(await body(response)).toEqual({ id: created.id, action: "publish", result: { title: created.title } });
});
"""


def test_actions_answer_501_until_written_then_their_result(tmp_path: Path, node_modules: Callable[[str], Path]):
    """The FastAPI output's models with actions; then the owner writes one slot and a test of their own."""
    project = _project(tmp_path, node_modules, preset="custom", models=json.dumps(yaml.safe_load(ACTIONS_MODELS)))
    slots = project / "src/actions/post.ts"
    assert slots.read_text().count("// >>> backend-squad slot Post.") == 2
    # Only the actions' tests (3 actions, and an unknown one per resource): other titles say "action" too.
    only_actions = _passing(project, vitest_args="-t 'action \\w+:|an action this'")
    assert re.search(r"Tests\s+5 passed", re.sub(r"\x1b\[[0-9;]*m", "", only_actions)), only_actions[-3000:]
    written = slots.read_text().replace('throw new NotImplemented("Post.publish");', "return { title: item.title };")
    slots.write_text(written.replace("publish: async () => {", "publish: async (item) => {"))
    (project / "tests/publish.test.ts").write_text(PUBLISH_TEST.lstrip())
    run_in(project, "make", "format")  # the owner's edit, formatted as Biome wants
    run_in(project, "make", "lint", "typecheck")
    assert "1 passed" in _passing(project, vitest_args="tests/publish.test.ts")
