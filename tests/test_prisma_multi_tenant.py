"""orm=prisma with multi_tenant: the saas models (an owned model, one with soft delete, a User reference and a
reference to the first, and a shared model with tenant_scoped false) with roles, on PostgreSQL, rendered, installed
from the Prisma seed, linted, type-checked and tested with vitest against a real server (organizations, tenancy,
roles and the models' tests)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from backend_squad.presets import preset_models
from tests.conftest import fresh_database, installed_from_seed, render, run_in, secured, service_url

pytestmark = pytest.mark.slow


def test_saas_models_in_organizations_on_postgresql(tmp_path: Path, prisma_node_modules: Callable[[str], Path]):
    project = tmp_path / "project"
    # preset custom: saas itself chooses Stripe, which orm prisma does not cover yet
    result = render(project, framework="nextjs", orm="prisma", preset="custom", database="postgresql",
                    multi_tenant="true", roles="[editor, viewer]", models=json.dumps(preset_models("saas")))
    assert result.returncode == 0, result.stderr
    installed_from_seed(project, prisma_node_modules("postgresql"))
    run_in(project, "make", "lint")
    run_in(project, "make", "typecheck")
    env = {"DATABASE_URL": fresh_database(service_url("TEST_POSTGRES_URL"))}
    output = run_in(secured(project), "make", "test", env=env, timeout=900)
    assert " passed" in output and not re.search(r"\d+ failed", output), output[-3000:]
    for tests in ("organizations.test.ts", "tenancy.test.ts", "roles.test.ts", "task.test.ts", "plan.test.ts"):
        assert tests in output
