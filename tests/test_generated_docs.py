"""The generated Docker, CI and docs files agree with the options and with the project's own Makefile."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tests.conftest import render

# (id, answers, database service image or None, worker expected, redis expected)
COMBINATIONS = [
    ("blog-sqlite-plain", {"preset": "blog", "database": "sqlite", "rate_limiting": False, "background_jobs": False},
     None, False, False),
    ("ecommerce-postgresql-jobs", {"preset": "ecommerce", "database": "postgresql"}, "postgres:16", True, True),
    ("saas-mysql-apikeys", {"preset": "saas", "database": "mysql", "auth_methods": "[password_jwt, api_key]",
                            "background_jobs": False, "rate_limiting": True}, "mariadb:11", False, True),
]
MAKE_TARGET = re.compile(r"\bmake\s+([a-z][a-z0-9-]*)")


@pytest.fixture(scope="module", params=COMBINATIONS, ids=[combo[0] for combo in COMBINATIONS])
def project(request, tmp_path_factory) -> tuple[Path, dict, str | None, bool, bool]:
    name, answers, db_image, worker, redis = request.param
    destination = tmp_path_factory.mktemp(name) / "project"
    result = render(destination, **answers)
    assert result.returncode == 0, result.stderr
    return destination, answers, db_image, worker, redis


def _makefile_targets(project: Path) -> set[str]:
    text = (project / "Makefile").read_text()
    return {match.group(1) for match in re.finditer(r"^([a-z][a-z0-9-]*):", text, re.MULTILINE)}


def _env_example_names(project: Path) -> list[str]:
    return [line.split("=", 1)[0] for line in (project / ".env.example").read_text().splitlines()
            if line and not line.startswith("#") and "=" in line]


def test_compose_services_follow_the_options(project):
    root, _answers, db_image, worker, redis = project
    compose = yaml.safe_load((root / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"app", "migrate"} <= set(services)
    assert ("db" in services) == (db_image is not None)
    assert ("worker" in services) == worker
    assert ("redis" in services) == redis
    for service in services.values():
        if "depends_on" in service:
            assert set(service["depends_on"]) <= set(services)
    app_env = services["app"]["environment"]
    assert services["migrate"]["command"] == ["alembic", "upgrade", "heads"]
    assert services["app"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    if db_image:
        assert services["db"]["image"] == db_image and "healthcheck" in services["db"]
        assert "@db:" in app_env["DATABASE_URL"]
        assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    else:
        assert app_env["DATABASE_URL"].startswith("sqlite:////data/")
        assert "sqlite-data" in compose["volumes"]
        assert "sqlite-data:/data" in services["app"]["volumes"]
    if worker:
        assert services["worker"]["command"][:3] == ["celery", "-A", "app.worker.celery_app"]
        assert "--beat" in services["worker"]["command"]
        assert (root / "app" / "worker.py").exists()
    if redis:
        assert app_env["REDIS_URL"] == "redis://redis:6379/0"
    else:
        assert "REDIS_URL" not in app_env
    dockerfile = (root / "Dockerfile").read_text()
    assert "FROM python:3.11-slim AS build" in dockerfile and "USER app" in dockerfile
    assert "HEALTHCHECK" in dockerfile and "/health" in dockerfile
    assert '"uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"' in dockerfile


def test_workflow_runs_only_makefile_targets(project):
    root, answers, _db_image, _worker, _redis = project
    text = (root / ".github" / "workflows" / "ci.yml").read_text()
    assert "{{" not in text and "{%" not in text
    workflow = yaml.safe_load(text)
    jobs = workflow["jobs"]
    runs = [step["run"] for job in jobs.values() for step in job["steps"] if "run" in step]
    assert runs and all(run.startswith("make ") for run in runs), runs
    used = {MAKE_TARGET.match(run).group(1) for run in runs}
    assert used <= _makefile_targets(root)
    assert {"install", "lint", "test", "migrate", "check-migrations"} <= used
    images = {service["image"] for job in jobs.values() for service in job.get("services", {}).values()}
    assert "postgres:16" in images
    assert ("mariadb:11" in images) == (answers["database"] == "mysql")
    versions = {step["with"]["python-version"] for job in jobs.values() for step in job["steps"]
                if step.get("uses", "").startswith("actions/setup-python")}
    assert versions == {"3.11", "3.12"}


def test_docs_mention_only_real_make_targets(project):
    root = project[0]
    targets = _makefile_targets(root)
    for name in ("README.md", "docs/SETUP.md"):
        text = (root / name).read_text()
        assert "{{" not in text and "{%" not in text
        mentioned = set(MAKE_TARGET.findall(text))
        assert mentioned, name
        assert mentioned <= targets, f"{name} mentions make targets the Makefile lacks: {mentioned - targets}"


def test_setup_documents_every_setting_and_route(project):
    root, answers, *_ = project
    setup = (root / "docs" / "SETUP.md").read_text()
    readme = (root / "README.md").read_text()
    names = _env_example_names(root)
    assert "SECRET_KEY" in names and "DATABASE_URL" in names
    for name in names:
        assert f"`{name}`" in setup, f"{name} from .env.example is not documented in docs/SETUP.md"
    prefix = re.search(r'API_PREFIX: str = "([^"]*)"', (root / "app" / "core" / "config.py").read_text()).group(1)
    paths = [re.search(r'APIRouter\(prefix="([^"]+)"', path.read_text()).group(1)
             for path in sorted((root / "app" / "api" / "routes").glob("*.py"))
             if path.stem not in ("__init__", "health", "auth")]
    assert paths
    for path in paths:
        assert f"{prefix}{path}" in setup, f"{prefix}{path} is not in docs/SETUP.md"
    for route in ("/auth/register", "/auth/login", "/auth/refresh", "/auth/logout", "/users/me"):
        assert f"{prefix}{route}" in setup
    assert ("X-API-Key" in setup) == ("api_key" in answers.get("auth_methods", ""))
    assert "docs/SETUP.md" in readme
    for command in ("make install", "make migrate", "make test", "make dev"):
        assert command in readme and command in setup
