"""The smtp integration: what a rendered project gets (fast), and that the project's own e-mail tests pass (slow)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from backend_squad.integrations import AVAILABLE, CATALOG
from tests.conftest import fresh_database, installed_and_linted, passing_tests, render, run_in

EMAIL_FILES = [
    "app/integrations/email/__init__.py",
    "app/integrations/email/__main__.py",
    "app/integrations/email/message.py",
    "app/integrations/email/settings.py",
    "app/integrations/email/smtp.py",
    "app/integrations/email/templates.py",
    "tests/integrations/test_email.py",
    "tests/integrations/test_email_smtp.py",
]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    destination = tmp_path_factory.mktemp("smtp") / "project"
    result = render(destination, preset="blog", integrations="[smtp]")
    assert result.returncode == 0, result.stderr
    return destination


def test_catalog_entry_is_rendered_and_replaces_the_description():
    entry = CATALOG["smtp"]
    assert "smtp" in AVAILABLE and entry.available and entry.python_module == "email" and not entry.router
    assert entry.category == "email" and entry.tasks  # Celery tasks send (and retry) when background jobs are on
    assert [var.name for var in entry.env_vars] == ["SMTP_URL", "EMAIL_FROM"]
    assert sorted(entry.files) == EMAIL_FILES


def test_files_dependencies_and_env(project):
    for name in EMAIL_FILES:
        assert (project / name).is_file(), name
    # SMTP alone: no other provider's sender, no REST helper, no Celery task without background jobs.
    package = project / "app/integrations/email"
    assert sorted(path.name for path in package.iterdir()) == sorted(Path(name).name for name in EMAIL_FILES if "/email/" in name)
    assert 'EmailProvider = Literal["smtp"]' in (package / "settings.py").read_text()
    pyproject = (project / "pyproject.toml").read_text()
    assert '"aiosmtplib>=3"' in pyproject and '"jinja2>=3.1"' in pyproject and '"aiosmtpd>=1.4"' in pyproject
    env_example = (project / ".env.example").read_text()
    # Empty by default: a fresh project must not try to send through a made-up server.
    assert "\nSMTP_URL=\n" in env_example and "\nEMAIL_FROM=noreply@example.com" in env_example
    assert "EMAIL_PROVIDER" not in env_example  # one provider: nothing to choose
    assert "\nSMTP_URL=\n" in (project / ".env").read_text()
    # Not an API module: nothing is mounted on the router.
    assert "email" not in (project / "app/api/router.py").read_text()


def test_setup_section(project):
    setup = (project / "docs/SETUP.md").read_text()
    section = setup.split("E-mail (SMTP)", 1)[1].split("\n## ", 1)[0]
    assert "`SMTP_URL`" in section and "`EMAIL_FROM`" in section
    assert "smtps://" in section and "starttls=false" in section and "send_welcome_email" in section
    assert "python -m app.integrations.email" in section


def test_rendered_code_keeps_email_templates_verbatim(project):
    """The e-mail templates are Jinja too: Copier must copy them, not render them."""
    templates = (project / "app/integrations/email/templates.py").read_text()
    assert "{{ app_name }}" in templates and "{% extends" in templates


def test_smtp_sender_not_rendered_for_another_provider(tmp_path):
    result = render(tmp_path / "project", preset="blog", integrations="[resend]")
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "project/app/integrations/email/smtp.py").exists()
    assert not (tmp_path / "project/tests/integrations/test_email_smtp.py").exists()
    assert "aiosmtplib" not in (tmp_path / "project/pyproject.toml").read_text()


@pytest.mark.slow
def test_generated_project_lints_and_passes_its_email_tests(project):
    passing_tests(installed_and_linted(project))
    email = run_in(project, ".venv/bin/python", "-m", "pytest", "tests/integrations/test_email.py", "tests/integrations/test_email_smtp.py",
                   "-o", "addopts=", "-q", "-p", "no:warnings")
    assert "27 passed" in email, email
    server_url = os.environ.get("TEST_POSTGRES_URL")
    if not server_url:
        return
    passing_tests(project, env={"DATABASE_URL": fresh_database(server_url)})
