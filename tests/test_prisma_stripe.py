"""orm=prisma with Stripe: the ecommerce preset with every stripe_features on PostgreSQL (where a failed insert ends
the transaction, so the webhook ledger's duplicate check has the most to prove), rendered, installed from the Prisma
seed, linted, type-checked and tested with vitest against a real server and the Stripe stand-in."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import fresh_database, installed_from_seed, render, run_in, secured, service_url

pytestmark = pytest.mark.slow


def test_ecommerce_with_every_stripe_feature(tmp_path: Path, prisma_node_modules: Callable[[str], Path]):
    project = tmp_path / "shop"
    result = render(project, framework="nextjs", orm="prisma", preset="ecommerce", database="postgresql",
                    stripe_features='["checkout","subscriptions","webhooks","customer_portal"]')
    assert result.returncode == 0, result.stderr
    installed_from_seed(project, prisma_node_modules("postgresql"))
    run_in(project, "make", "lint")
    run_in(project, "make", "typecheck")
    env = {"TEST_REDIS_URL": service_url("TEST_REDIS_URL"),
           "DATABASE_URL": fresh_database(service_url("TEST_POSTGRES_URL"))}
    output = run_in(secured(project), "make", "test", env=env, timeout=900)
    assert " passed" in output and not re.search(r"\d+ failed", output), output[-3000:]
    assert "payments.test.ts" in output
