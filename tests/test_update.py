"""``copier update`` from real releases (git tags) to the current template: the owner's edits survive, nothing
conflicts in files the owner did not touch, the project still passes its tests, and no model is called.

The releases come from ``tests/releases.bundle`` (refreshed by ``scripts/release``), not from this checkout's tags:
CI clones main without them, and a shallow clone has no history to render an old release from."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import (
    TEMPLATE,
    installed_and_linted,
    passing_tests,
    release_tags,
    repository_of_releases,
    run_in,
    version_key,
)

pytestmark = pytest.mark.slow
RELEASES = release_tags()
MODELS = [
    {"name": "Post", "owned": True, "fields": [{"name": "title", "type": "string", "max_length": 200}],
     "actions": [{"name": "publish", "description": "Mark the post published"}]},
    {"name": "Tag", "fields": [{"name": "label", "type": "string", "max_length": 50, "unique": True}]},
]
NOTE = {"name": "Note", "owned": True, "fields": [{"name": "text", "type": "text"}]}
OWNER_EDITS = {
    "app/api/routes/post.py": "# Owner: the list endpoint is audited by the security team.\n",
    "app/models/post.py": "# Owner: posts are archived after a year by an external job.\n",
    "app/actions/post.py": "# Owner: publishing also notifies the editors (filled by hand).\n",
    "README.md": "\n## Our notes\n\nDeployed on the staging cluster.\n",
}
CONFLICT = re.compile(r"^(<{7}|>{7}) ", re.MULTILINE)


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def _copier(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # An update must never reach a model: a key in the environment and no offline switch prove it is not needed.
    env = {key: value for key, value in os.environ.items() if key != "BACKEND_SQUAD_OFFLINE"}
    env |= {"OPENROUTER_API_KEY": "sk-or-test-never-used", "OPENAI_API_KEY": "sk-test-never-used"}
    return subprocess.run([sys.executable, "-m", "copier", *args], cwd=cwd, capture_output=True, text=True, env=env,
                          timeout=300)


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository holding every release, with the working tree under test committed on top of the newest one."""
    repo = repository_of_releases(tmp_path_factory.mktemp("releases") / "backend-squad")
    _git(repo, "checkout", "-q", "-b", "main", RELEASES[-1])
    _git(repo, f"--work-tree={TEMPLATE}", "add", "-A")
    if _git(repo, "status", "--porcelain"):
        _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "working tree under test")
    _git(repo, "reset", "-q", "--hard")
    return repo


def _project(releases: Path, tmp_path: Path, release: str, **answers: object) -> Path:
    """A project copied from ``release``, committed as its owner would."""
    data = tmp_path / "answers.yml"
    data.write_text(yaml.safe_dump({"preset": "blog", "models": MODELS, "integrations": ["smtp"], **answers}))
    project = tmp_path / "project"
    result = _copier(tmp_path, "copy", "--trust", "--defaults", "--vcs-ref", release, "--data-file", str(data),
                     str(releases), str(project))
    assert result.returncode == 0, result.stderr[-3000:]
    _git(project, "init", "-q")
    _git(project, "add", "-A")
    _git(project, "-c", "user.name=o", "-c", "user.email=o@example.com", "commit", "-qm", f"from {release}")
    return project


def _update(project: Path, *data: str) -> subprocess.CompletedProcess[str]:
    extra = [argument for item in data for argument in ("-d", item)]
    result = _copier(project, "update", "--trust", "--defaults", "--vcs-ref", "HEAD", *extra)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def _no_conflicts(project: Path) -> None:
    leftovers = [str(path.relative_to(project)) for path in project.rglob("*")
                 if path.is_file() and ".git" not in path.parts and ".venv" not in path.parts
                 and (path.suffix == ".rej" or CONFLICT.search(path.read_text(errors="ignore")))]
    assert leftovers == []


@pytest.mark.parametrize("release", RELEASES)
def test_update_keeps_owner_edits_and_the_project_passes(releases: Path, tmp_path: Path, release: str):
    project = _project(releases, tmp_path, release)
    for name, addition in OWNER_EDITS.items():
        path = project / name
        path.write_text(path.read_text() + addition)
    (project / ".env").write_text((project / ".env").read_text() + "SMTP_TIMEOUT=45\n")
    secret = next(line for line in (project / ".env").read_text().splitlines() if line.startswith("SECRET_KEY="))
    _git(project, "add", "-A")
    _git(project, "-c", "user.name=o", "-c", "user.email=o@example.com", "commit", "-qm", "owner edits")

    result = _update(project)
    assert "backend-squad: llm" not in result.stderr.lower()  # no model call, not even an attempt
    _no_conflicts(project)
    for name, addition in OWNER_EDITS.items():
        assert addition.strip() in (project / name).read_text(), name
    env = (project / ".env").read_text()
    assert secret in env  # the owner's .env is never rewritten...
    if version_key(release) < version_key("v0.2.0"):  # ...except by the migration of a renamed setting, once, when the update crosses it
        assert "\nEMAIL_TIMEOUT=45\n" in env and "SMTP_TIMEOUT" not in env
    else:
        assert "\nSMTP_TIMEOUT=45\n" in env
    answers = (project / ".copier-answers.yml").read_text()
    assert secret.split("=", 1)[1] not in answers and "sk-or-test" not in answers and "sk-test" not in answers
    assert yaml.safe_load(answers)["_commit"] != release
    passing_tests(installed_and_linted(project))


def test_update_that_adds_a_model_needs_only_the_next_migration(releases: Path, tmp_path: Path):
    project = _project(releases, tmp_path, RELEASES[-1])
    _update(project, f"models={yaml.safe_dump([*MODELS, NOTE], default_flow_style=True).strip()}")
    _no_conflicts(project)
    assert (project / "app/models/note.py").is_file() and (project / "tests/test_note.py").is_file()
    assert "notes" not in (project / "migrations/versions/0001_initial.py").read_text()  # the owner's, never rewritten
    installed_and_linted(project)
    database = {"DATABASE_URL": f"sqlite:///{project}/check.db"}
    run_in(project, "make", "migrate", env=database)
    drift = subprocess.run(["make", "check-migrations"], cwd=project, capture_output=True, text=True,
                           env=os.environ | database)
    assert drift.returncode != 0  # the models changed: the message tells the owner to add a migration
    run_in(project, "make", "migration", "message=add notes", env=database)
    run_in(project, "make", "migrate", "check-migrations", env=database)
    passing_tests(project)


def test_update_that_adds_an_integration_brings_its_code_and_migration(releases: Path, tmp_path: Path):
    project = _project(releases, tmp_path, RELEASES[0])
    _update(project, "integrations=[smtp, webhooks]")
    _no_conflicts(project)
    assert (project / "app/integrations/webhooks/service.py").is_file()
    assert (project / "migrations/versions/0002_webhooks.py").is_file()
    passing_tests(installed_and_linted(project))


def _tables(database: Path) -> set[str]:
    import sqlite3

    with sqlite3.connect(database) as connection:
        return {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_a_deployed_database_follows_an_update_that_adds_an_integration(releases: Path, tmp_path: Path):
    """A database of the newest release, with a migration of the owner's on top, gets the tables of an integration
    the update adds (webhooks, whose migration is numbered before Stripe's), the template's new migrations, and
    ``make migration`` still works: the template's migrations are branches on fixed parents."""
    project = _project(releases, tmp_path, RELEASES[-1], integrations=["smtp", "stripe"])
    database = tmp_path / "deployed.db"
    env = {"DATABASE_URL": f"sqlite:///{database}"}
    run_in(project, "make", "migrate", env=env)  # the release's own Makefile: installs, then migrates
    run_in(project, ".venv/bin/alembic", "revision", "-m", "owner data fix", "--rev-id", "0100_owner", env=env)
    run_in(project, "make", "migrate", env=env)
    _git(project, "add", "-A")
    _git(project, "-c", "user.name=o", "-c", "user.email=o@example.com", "commit", "-qm", "owner migration")
    assert "webhook_subscriptions" not in _tables(database)

    _update(project, "integrations=[smtp, stripe, webhooks]")
    _no_conflicts(project)
    run_in(project, "make", "migrate", "check-migrations", env=env)
    assert {"webhook_subscriptions", "audit_events", "stripe_customers"} <= _tables(database)
    run_in(project, "make", "migration", "message=after the update", env=env)  # merges the heads first
    heads = run_in(project, ".venv/bin/alembic", "heads", env=env)
    assert len(heads.strip().splitlines()) == 1, heads


def test_a_database_that_ran_webhooks_before_payments_survives_the_new_graph(releases: Path, tmp_path: Path):
    """Releases up to v0.3.0 chained 0003_payments after 0002_webhooks; 0003 now hangs on 0001, so Alembic runs
    0002 once more on such a database, which must find its tables and only record itself."""
    project = _project(releases, tmp_path, RELEASES[-1], integrations=["smtp", "stripe", "webhooks"])
    database = tmp_path / "deployed.db"
    env = {"DATABASE_URL": f"sqlite:///{database}"}
    run_in(project, "make", "migrate", env=env)  # the release's own Makefile: installs, then migrates
    _update(project)
    _no_conflicts(project)
    assert 'down_revision: str | None = "0001"' in (project / "migrations/versions/0003_payments.py").read_text()
    run_in(project, "make", "migrate", "check-migrations", env=env)
    assert {"webhook_subscriptions", "stripe_customers", "audit_events"} <= _tables(database)


def test_an_update_never_turns_multi_tenancy_on_by_itself(releases: Path, tmp_path: Path):
    """The saas preset answers multi_tenant: true on copy, but a saas project from before the question keeps its
    single-tenant models on update: tenancy changes every table, which the owner's database would need migrated."""
    project = _project(releases, tmp_path, RELEASES[-1], preset="saas", models=MODELS)
    _update(project)
    _no_conflicts(project)
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["multi_tenant"] is False
    assert not list(project.rglob("organizations.py")) and "organization_id" not in (project / "app/models/post.py").read_text()


def test_an_update_keeps_a_nextjs_project_from_before_prisma_on_drizzle(releases: Path, tmp_path: Path):
    """New Next.js projects default to Prisma, but one from a release where Drizzle was the only orm stays Drizzle:
    an update that switched it would replace its data layer and leave its database without Prisma's migrations."""
    project = _project(releases, tmp_path, RELEASES[-1], framework="nextjs", integrations=[])
    assert (project / "drizzle.config.ts").is_file()
    _update(project)
    _no_conflicts(project)
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["orm"] == "drizzle"
    assert (project / "drizzle.config.ts").is_file() and (project / "src/db/schema.ts").is_file()
    assert not (project / "prisma").exists() and "prisma" not in (project / "package.json").read_text()
