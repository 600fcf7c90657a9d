"""orm=prisma with cookie sessions and magic links: a custom project signing in with a password, a cookie session or
a magic link on PostgreSQL (where issuing a link locks the user's row), rendered, installed from the Prisma seed,
linted, type-checked and tested with vitest against a real server (sessions and magic-links tests)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import fresh_database, installed_from_seed, render, run_in, secured, service_url

pytestmark = pytest.mark.slow


def test_sessions_and_magic_links_on_postgres(tmp_path: Path, prisma_node_modules: Callable[[str], Path]):
    project = tmp_path / "project"
    result = render(project, framework="nextjs", orm="prisma", preset="custom", database="postgresql",
                    auth_methods='["password_jwt","session","magic_link"]')
    assert result.returncode == 0, result.stderr
    installed_from_seed(project, prisma_node_modules("postgresql"))
    run_in(project, "make", "lint")
    run_in(project, "make", "typecheck")
    env = {"DATABASE_URL": fresh_database(service_url("TEST_POSTGRES_URL"))}
    output = run_in(secured(project), "make", "test", env=env, timeout=900)
    assert " passed" in output and not re.search(r"\d+ failed", output), output[-3000:]
    assert "sessions.test.ts" in output and "magic-links.test.ts" in output
