"""The Next.js matrix: every preset, and the Next.js rows of the covering set, installed with npm, linted with Biome,
type-checked with tsc, built with `next build` and tested with vitest against a real server, on SQLite and on
PostgreSQL; the drizzle migrations must match the schema."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import PRESETS, fresh_database, render, run_in, service_url
from tests.matrix import COVERING_NEXTJS, answers, label

pytestmark = pytest.mark.slow


def _project(tmp_path: Path, node_modules: Callable[[str], Path], **options: object) -> Path:
    project = tmp_path / "project"
    result = render(project, framework="nextjs", **options)
    assert result.returncode == 0, result.stderr
    # Hard links: the project gets the seed's packages in a second; `make install` then only reconciles its name.
    subprocess.run(["cp", "-al", str(node_modules(str(options.get("database", "sqlite")))),
                    str(project / "node_modules")], check=True)
    run_in(project, "make", "install", timeout=900)
    run_in(project, "make", "lint")
    run_in(project, "make", "typecheck")
    return project


def _passing(project: Path, env: dict[str, str] | None = None) -> str:
    output = run_in(project, "make", "test", env=env, timeout=900)
    assert " passed" in output and " failed" not in output, output[-3000:]
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


@pytest.mark.parametrize("combination", COVERING_NEXTJS, ids=label)
def test_covering_set_rows(combination: dict, tmp_path: Path, node_modules: Callable[[str], Path]):
    options = answers(combination)
    server = service_url("TEST_POSTGRES_URL") if options["database"] == "postgresql" else None
    project = _project(tmp_path, node_modules, **{key: value for key, value in options.items() if key not in ("integrations", "framework")})
    env = {"DATABASE_URL": fresh_database(server)} if server else None
    _passing(project, env=env)
