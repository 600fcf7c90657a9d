"""orm=prisma with webhooks end to end: the webhook_relay preset (password + JWT and API keys, rate limits,
background jobs, webhooks) on PostgreSQL, rendered, installed from the Prisma seed, linted, type-checked and
tested with vitest against a real server: subscriptions, signed deliveries with retries, the idempotent incoming
receiver (its duplicate check on the unique index) and the deliver_webhook jobs, all through the Prisma client."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import fresh_database, installed_from_seed, render, run_in, secured, service_url

pytestmark = pytest.mark.slow


def test_webhook_relay_on_postgresql(tmp_path: Path, prisma_node_modules: Callable[[str], Path]):
    env = {"TEST_REDIS_URL": service_url("TEST_REDIS_URL"),
           "DATABASE_URL": fresh_database(service_url("TEST_POSTGRES_URL"))}
    project = tmp_path / "project"
    result = render(project, framework="nextjs", orm="prisma", preset="webhook_relay", database="postgresql")
    assert result.returncode == 0, result.stderr
    installed_from_seed(project, prisma_node_modules("postgresql"))
    run_in(project, "make", "lint")
    run_in(project, "make", "typecheck")
    output = run_in(secured(project), "make", "test", env=env, timeout=900)
    assert " passed" in output and not re.search(r"\d+ (failed|skipped)", output), output[-3000:]
    assert "webhooks.test.ts" in output, output[-3000:]
