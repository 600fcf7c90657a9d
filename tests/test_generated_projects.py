"""The slow matrix: render presets, install them, lint, and run their own tests on real databases."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.conftest import (
    ACTIONS_MODELS,
    PRESETS,
    fresh_database,
    installed_and_linted,
    passing_tests,
    render,
    run_in,
    service_url,
    serving,
)

pytestmark = pytest.mark.slow



@pytest.fixture(scope="module", params=PRESETS)
def installed(request, tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp(request.param) / "project"
    result = render(project, preset=request.param)
    assert result.returncode == 0, result.stderr
    run_in(project, "make", "install")
    return project


def test_lint_and_sqlite_tests(installed):
    run_in(installed, "make", "lint")
    passing_tests(installed)


def test_postgresql_tests_and_migrations_match_models(installed):
    url = fresh_database(service_url("TEST_POSTGRES_URL"), "postgresql")
    env = {"DATABASE_URL": url}
    passing_tests(installed, env=env)
    run_in(installed, "make", "migrate", env=env)
    run_in(installed, "make", "check-migrations", env=env)


def test_mariadb_tests(installed):
    if installed.parent.name.rstrip("0123456789") not in ("ecommerce", "blog"):
        pytest.skip("MariaDB runs for the ecommerce and blog presets")
    url = fresh_database(service_url("TEST_MYSQL_URL"), "mysql")
    passing_tests(installed, env={"DATABASE_URL": url})


def _schemathesis_passes(project: Path) -> None:
    """Serve ``project`` on a fresh PostgreSQL database and let Schemathesis probe its OpenAPI contract."""
    url = fresh_database(service_url("TEST_POSTGRES_URL"), "postgresql")
    env = {"DATABASE_URL": url, "RATE_LIMIT": "1000000/minute", "AUTH_RATE_LIMIT": "1000000/minute",
           "ADMIN_PASSWORD": "admin-password-123",
           # Signed receivers configured, so fuzzed deliveries reach signature checking instead of a 503.
           "STRIPE_WEBHOOK_SECRET": "whsec_schemathesis", "WEBHOOK_SIGNING_SECRET": "schemathesis-secret"}
    run_in(project, "make", "migrate", env=env)
    run_in(project, ".venv/bin/python", "-m", "app.cli", "create-admin", "admin@example.com", env=env)
    with serving(project, [".venv/bin/uvicorn", "app.main:app", "--host", "127.0.0.1", "--no-access-log"], env,
                 "/health") as base:
        prefix = httpx.get(f"{base}/openapi.json").json()["components"]["securitySchemes"]["OAuth2PasswordBearer"]
        token_url = prefix["flows"]["password"]["tokenUrl"]
        token = httpx.post(f"{base}{token_url}", data={"username": "admin@example.com",
                                                         "password": env["ADMIN_PASSWORD"]}).json()["access_token"]
        headers = ["-H", f"Authorization: Bearer {token}"]
        organizations = token_url.replace("/auth/login", "/organizations")
        if organizations in httpx.get(f"{base}/openapi.json").json()["paths"]:  # multi-tenant: act in one of them
            organization = httpx.post(f"{base}{organizations}", json={"name": "Fuzz"},
                                      headers={"Authorization": f"Bearer {token}"}).json()["id"]
            headers += ["-H", f"X-Organization-Id: {organization}"]
        schemathesis = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
        result = subprocess.run(
            [schemathesis, "run", f"{base}/openapi.json", *headers, "--max-examples", "30", "--seed", "1", "--no-color"],
            cwd=project, capture_output=True, text=True, timeout=600,
        )
        assert result.returncode == 0, result.stdout[-6000:]
        assert " passed" in result.stdout


def test_schemathesis_finds_no_failures(installed):
    """The served OpenAPI document is a contract the app keeps, probed by Schemathesis on PostgreSQL."""
    _schemathesis_passes(installed)


def test_actions_render_as_501_slots_that_pass_their_smoke_tests(tmp_path):
    project = tmp_path / "actions"
    data = tmp_path / "answers.yml"
    data.write_text("models:" + "".join(f"\n  {line}" for line in ACTIONS_MODELS.strip().splitlines()) + "\n")
    result = subprocess.run(
        [sys.executable, "-m", "copier", "copy", "--trust", "--defaults", "--vcs-ref=HEAD", "--data-file", str(data),
         str(Path(__file__).resolve().parent.parent), str(project)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    slots = (project / "app" / "actions" / "post.py").read_text()
    assert slots.count(">>> backend-squad slot Post.") == 2 and 'raise NotImplementedError("Post.publish")' in slots
    output = passing_tests(installed_and_linted(project), "-p no:warnings -k action")
    assert "3 passed" in output


ALL_INTEGRATIONS = ("[stripe, sendgrid, mailgun, ses, resend, smtp, s3, r2, gcs, supabase_storage, twilio, vonage, slack, "
                    "discord, telegram, webhooks]")


def test_every_integration_together_on_three_databases(tmp_path):
    """All 16 integrations and background jobs in one project: routes, settings, tasks and chained migrations coexist,
    on SQLite, PostgreSQL and MariaDB, with the worker tests on Redis and the contract probed by Schemathesis."""
    project = tmp_path / "all"
    result = render(project, preset="saas", integrations=ALL_INTEGRATIONS, background_jobs="true")
    assert result.returncode == 0, result.stderr
    redis = {"TEST_REDIS_URL": service_url("TEST_REDIS_URL")}
    output = passing_tests(installed_and_linted(project), "-p no:warnings -rs", env=redis)
    assert "SKIPPED" not in output, output[-3000:]  # the worker, localstripe, moto and emulator tests all ran
    pg = {"DATABASE_URL": fresh_database(service_url("TEST_POSTGRES_URL"), "postgresql")} | redis
    passing_tests(project, env=pg)
    run_in(project, "make", "migrate", "check-migrations", env=pg)
    mysql = {"DATABASE_URL": fresh_database(service_url("TEST_MYSQL_URL"), "mysql")} | redis
    passing_tests(project, env=mysql)
    _schemathesis_passes(project)
