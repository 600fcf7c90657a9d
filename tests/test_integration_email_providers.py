"""The e-mail providers beside SMTP (SendGrid, Mailgun, Amazon SES, Resend): catalog entries, what each choice renders
(fast), and a project with all five and background jobs that installs, lints and passes its own tests (slow)."""

from __future__ import annotations

import os
import py_compile
from pathlib import Path

import pytest

from backend_squad.integrations import AVAILABLE, CATALOG
from tests.conftest import fresh_database, installed_and_linted, passing_tests, render, run_in

PROVIDERS = ("sendgrid", "mailgun", "ses", "resend")
ENV_VARS = {  # EMAIL_PROVIDER is not an entry's: the plan adds it once when two or more providers are chosen
    "sendgrid": ["SENDGRID_API_KEY", "SENDGRID_API_URL", "EMAIL_FROM"],
    "mailgun": ["MAILGUN_API_KEY", "MAILGUN_DOMAIN", "MAILGUN_API_URL", "EMAIL_FROM"],
    "ses": ["SES_REGION", "SES_ACCESS_KEY_ID", "SES_SECRET_ACCESS_KEY", "SES_ENDPOINT_URL", "EMAIL_FROM"],
    "resend": ["RESEND_API_KEY", "RESEND_API_URL", "EMAIL_FROM"],
}
SHARED = {"__init__.py", "__main__.py", "message.py", "settings.py", "templates.py"}
HTTP = {"sendgrid", "mailgun", "resend"}  # they share rest.py (httpx)
ALL = "[sendgrid, mailgun, ses, resend, smtp]"


def _rendered(destination: Path, integrations: str, **answers: object) -> Path:
    result = render(destination, preset="blog", integrations=integrations, **answers)
    assert result.returncode == 0, result.stderr[-3000:]
    return destination


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """All five e-mail providers, with Celery: the richest combination."""
    return _rendered(tmp_path_factory.mktemp("email") / "project", ALL, background_jobs="true")


@pytest.mark.parametrize("name", PROVIDERS)
def test_catalog_entry(name: str):
    entry = CATALOG[name]
    assert name in AVAILABLE and entry.available and entry.category == "email" and entry.python_module == "email"
    assert entry.tasks and not entry.router and not entry.models
    assert [var.name for var in entry.env_vars] == ENV_VARS[name]
    assert all(var.help for var in entry.env_vars)
    secrets = {var.name for var in entry.env_vars if var.secret}
    assert secrets == {var for var in ENV_VARS[name] if var.endswith(("_KEY", "_KEY_ID"))}
    assert "jinja2>=3.1" in entry.python_dependencies
    assert ("boto3>=1.36" if name == "ses" else "httpx>=0.28") in entry.python_dependencies
    assert entry.dev_dependencies == (("moto[server]>=5",) if name == "ses" else ())
    assert f"app/integrations/email/{name}.py" in entry.files and f"tests/integrations/test_email_{name}.py" in entry.files
    assert ("app/integrations/email/rest.py" in entry.files) == (name in HTTP)
    assert len(entry.setup_steps) >= 4 and f"EMAIL_PROVIDER={name}" in " ".join(entry.setup_steps)


def test_setup_steps_cover_keys_domains_sandboxes_and_regions():
    steps = {name: " ".join(CATALOG[name].setup_steps) for name in PROVIDERS}
    assert "Mail Send" in steps["sendgrid"] and "CNAME" in steps["sendgrid"] and "api.eu.sendgrid.com" in steps["sendgrid"]
    assert "api.eu.mailgun.net" in steps["mailgun"] and "Authorized Recipients" in steps["mailgun"]
    assert "Sending API keys" in steps["mailgun"] and "DKIM" in steps["mailgun"]
    assert "sandbox" in steps["ses"] and "production access" in steps["ses"] and "ses:SendEmail" in steps["ses"]
    assert "DKIM" in steps["ses"]
    assert "Sending access" in steps["resend"] and "onboarding@resend.dev" in steps["resend"] and "DKIM" in steps["resend"]


def test_smtp_entry_runs_tasks_too():
    assert CATALOG["smtp"].tasks and CATALOG["smtp"].category == "email" and CATALOG["smtp"].python_module == "email"


@pytest.mark.parametrize("name", PROVIDERS)
def test_only_the_chosen_provider_renders(tmp_path: Path, name: str):
    project = _rendered(tmp_path / "project", f"[{name}]")
    package = project / "app/integrations/email"
    expected = SHARED | {f"{name}.py"} | ({"rest.py"} if name in HTTP else set())
    assert {path.name for path in package.iterdir()} == expected  # no tasks.py: background jobs are off in blog
    assert {path.name for path in (project / "tests/integrations").glob("test_email*.py")} == {"test_email.py", f"test_email_{name}.py"}
    for path in (*package.glob("*.py"), *(project / "tests/integrations").glob("test_email*.py")):
        py_compile.compile(str(path), doraise=True)
    settings = (package / "settings.py").read_text()
    assert f'EmailProvider = Literal["{name}"]' in settings
    assert "SMTP_URL" not in settings and all(other.upper() not in settings for other in PROVIDERS if other != name)
    assert f'"{name}": {name}.from_settings,' in (package / "__init__.py").read_text()
    pyproject = (project / "pyproject.toml").read_text()
    assert "aiosmtplib" not in pyproject and ('"boto3>=1.36"' in pyproject) == (name == "ses")
    env_example = (project / ".env.example").read_text()
    for var in ENV_VARS[name]:
        assert f"\n{var}=" in env_example
    assert "SMTP_URL" not in env_example and "EMAIL_PROVIDER" not in env_example  # one provider: nothing to choose


def test_default_provider_is_the_first_chosen(tmp_path: Path):
    """Copier records a multiselect answer in the question's order, so "first chosen" follows copier.yml's list."""
    project = _rendered(tmp_path / "project", "[smtp, sendgrid, mailgun]")
    settings = (project / "app/integrations/email/settings.py").read_text()
    assert 'EmailProvider = Literal["sendgrid", "mailgun", "smtp"]' in settings
    assert "or PROVIDERS[0]" in settings
    # isort order in the import, the answers' order in the registry
    init = (project / "app/integrations/email/__init__.py").read_text()
    assert "from app.integrations.email import mailgun, sendgrid, smtp\n" in init
    assert init.index('"sendgrid": sendgrid') < init.index('"mailgun": mailgun') < init.index('"smtp": smtp')


def test_everything_chosen_renders_every_sender_and_its_tests(project: Path):
    package = project / "app/integrations/email"
    assert {path.name for path in package.iterdir()} == SHARED | {f"{name}.py" for name in (*PROVIDERS, "smtp")} | {
        "rest.py",
        "tasks.py",
    }
    tests = {path.name for path in (project / "tests/integrations").glob("test_email*.py")}
    assert tests == {"test_email.py", "test_email_tasks.py", *(f"test_email_{name}.py" for name in (*PROVIDERS, "smtp"))}
    for path in (*package.glob("*.py"), *(project / "tests/integrations").glob("test_email*.py")):
        py_compile.compile(str(path), doraise=True)


def test_env_example_and_setup_sections(project: Path):
    env_example = (project / ".env.example").read_text()
    for name in PROVIDERS:
        for var in ENV_VARS[name]:
            assert f"\n{var}=" in env_example, var
    # Once each, EMAIL_PROVIDER naming the default: the first provider in the answers.
    names = [line.split("=", 1)[0] for line in env_example.splitlines() if "=" in line and not line.startswith("#")]
    assert names.count("EMAIL_FROM") == 1 and names.count("EMAIL_PROVIDER") == 1
    assert "\nEMAIL_PROVIDER=sendgrid\n" in env_example
    assert "\nMAILGUN_API_URL=https://api.mailgun.net\n" in env_example
    assert "\nSENDGRID_API_KEY=\n" in env_example and "\nSES_REGION=\n" in env_example  # nothing made up
    setup = (project / "docs/SETUP.md").read_text()
    assert "`EMAIL_PROVIDER`" in setup
    for title, needles in {
        "E-mail (SendGrid)": ("`SENDGRID_API_KEY`", "Mail Send", "api.eu.sendgrid.com"),
        "E-mail (Mailgun)": ("`MAILGUN_DOMAIN`", "api.eu.mailgun.net", "Authorized Recipients"),
        "E-mail (Amazon SES)": ("`SES_REGION`", "production access", "DKIM"),
        "E-mail (Resend)": ("`RESEND_API_KEY`", "Sending access", "onboarding@resend.dev"),
    }.items():
        section = setup.split(title, 1)[1].split("\n## ", 1)[0]
        for needle in needles:
            assert needle in section, (title, needle)


def test_tasks_render_with_background_jobs_only(project: Path, tmp_path: Path):
    tasks = (project / "app/integrations/email/tasks.py").read_text()
    assert "from app.worker import celery_app" in tasks
    assert 'name="app.integrations.email.tasks.send_email"' in tasks and 'name="app.integrations.email.tasks.send_template"' in tasks
    assert '"app.integrations.email.tasks"' in (project / "app/worker.py").read_text()
    without = _rendered(tmp_path / "without", "[sendgrid]", background_jobs="false")
    assert not (without / "app/integrations/email/tasks.py").exists()
    assert not (without / "tests/integrations/test_email_tasks.py").exists()


def test_message_templates_are_copied_verbatim(project: Path):
    templates = (project / "app/integrations/email/templates.py").read_text()
    assert "{{ app_name }}" in templates and "{% extends" in templates


@pytest.mark.slow
def test_project_with_every_provider_installs_lints_and_passes_its_tests(project: Path):
    installed_and_linted(project)
    run_in(project, ".venv/bin/ruff", "format", "--check", "app/integrations/email", "tests/integrations")
    email_tests = sorted(str(path.relative_to(project)) for path in (project / "tests/integrations").glob("test_email*.py"))
    output = run_in(project, ".venv/bin/python", "-m", "pytest", *email_tests, "-o", "addopts=", "-q", "-p", "no:warnings")
    assert " passed" in output and "skipped" not in output and "failed" not in output, output[-3000:]
    passing_tests(project)
    server_url = os.environ.get("TEST_POSTGRES_URL")
    if server_url:
        passing_tests(project, env={"DATABASE_URL": fresh_database(server_url)})
