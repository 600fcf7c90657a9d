"""The webhooks integration: what a render contains, and (slow) the generated project's own tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from backend_squad.integrations import AVAILABLE, CATALOG
from tests.conftest import fresh_database, installed_and_linted, passing_tests, render, run_in

PACKAGE = "app/integrations/webhooks"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("webhooks") / "project"
    result = render(project, preset="blog", integrations="[webhooks]")
    assert result.returncode == 0, result.stderr
    return project


def test_the_entry_is_available_and_complete():
    entry = CATALOG["webhooks"]
    assert "webhooks" in AVAILABLE and entry.available and entry.router and entry.models
    assert [var.name for var in entry.env_vars] == ["WEBHOOK_SIGNING_SECRET", "WEBHOOK_TOLERANCE_SECONDS", "WEBHOOK_MAX_ATTEMPTS",
                                                   "WEBHOOK_ALLOW_PRIVATE_URLS"]
    assert entry.python_dependencies == ("httpx>=0.28",)


def test_render_has_the_package_migration_and_tests(rendered):
    for name in ("__init__.py", "destinations.py", "models.py", "routes.py", "schemas.py", "service.py", "settings.py", "signing.py"):
        assert (rendered / PACKAGE / name).is_file(), name
    assert not (rendered / PACKAGE / "tasks.py").exists(), "the Celery task only comes with background_jobs"
    migration = (rendered / "migrations/versions/0002_webhooks.py").read_text()
    assert 'revision: str = "0002_webhooks"' in migration and 'down_revision: str | None = "0001"' in migration
    for table in ("webhook_subscriptions", "webhook_deliveries", "received_webhooks"):
        assert f'"{table}"' in migration
    assert (rendered / "tests/integrations/test_webhooks.py").is_file()
    assert "import app.integrations.webhooks.models" in (rendered / "app/models/__init__.py").read_text()
    router = (rendered / "app/api/router.py").read_text()
    assert "from app.integrations import webhooks" in router and "include_router(webhooks.router)" in router
    assert '"httpx>=0.28"' in (rendered / "pyproject.toml").read_text().split("[project.optional-dependencies]")[0]


def test_settings_and_setup_are_documented(rendered):
    env_example = (rendered / ".env.example").read_text()
    for name in ("WEBHOOK_SIGNING_SECRET=", "WEBHOOK_TOLERANCE_SECONDS=300", "WEBHOOK_MAX_ATTEMPTS=6"):
        assert name in env_example
    setup = (rendered / "docs/SETUP.md").read_text()
    assert "Webhooks" in setup and "X-Webhook-Signature" in setup and "/webhooks/incoming/<source>" in setup


def test_background_jobs_add_the_celery_task(tmp_path):
    result = render(tmp_path / "p", preset="saas", integrations="[webhooks]")
    assert result.returncode == 0, result.stderr
    tasks = (tmp_path / "p" / PACKAGE / "tasks.py").read_text()
    assert "from app.worker import celery_app" in tasks and "def deliver_webhook" in tasks


@pytest.mark.slow
def test_generated_project_lints_and_passes_on_sqlite_and_postgresql(tmp_path):
    """saas has background jobs, so the Celery task is rendered and tested too."""
    project = tmp_path / "project"
    result = render(project, preset="saas", integrations="[webhooks]")
    assert result.returncode == 0, result.stderr
    output = passing_tests(installed_and_linted(project), "-p no:warnings -rA")
    assert "PASSED tests/integrations/test_webhooks.py::test_the_celery_task_delivers" in output
    run_in(project, "make", "migrate", "check-migrations", env={"DATABASE_URL": f"sqlite:///{tmp_path}/check.db"})

    server = os.environ.get("TEST_POSTGRES_URL")
    if not server:
        pytest.skip("TEST_POSTGRES_URL not set: PostgreSQL run skipped")
    env = {"DATABASE_URL": fresh_database(server)}
    output = passing_tests(project, "-p no:warnings -rA", env=env)
    assert "PASSED tests/integrations/test_webhooks.py::test_a_redelivered_event_is_processed_once" in output
    run_in(project, "make", "migrate", "check-migrations", env=env)
