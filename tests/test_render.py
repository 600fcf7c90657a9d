"""Every preset renders only what was chosen, with the answers recorded and a secret kept out of them."""

from __future__ import annotations

import ast
import re

import pytest
import yaml

from tests.conftest import PRESETS, TEMPLATE, render


@pytest.mark.parametrize("preset", PRESETS)
def test_preset_renders_valid_python_and_records_answers(tmp_path, preset):
    result = render(tmp_path / "out", preset=preset)
    assert result.returncode == 0, result.stderr
    project = tmp_path / "out"
    for path in project.rglob("*.py"):
        ast.parse(path.read_text(), filename=str(path))
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["preset"] == preset and answers["models"]
    # A copy takes the preset's multi-tenancy (only an update keeps it off by default: tests/test_update.py).
    assert answers["multi_tenant"] is (preset == "saas")
    assert (project / "app/api/routes/organizations.py").exists() is (preset == "saas")
    for model in answers["models"]:
        assert (project / "app" / "models").glob("*.py")
        module = "".join("_" + c.lower() if c.isupper() else c for c in model["name"]).lstrip("_")
        assert (project / "app" / "models" / f"{module}.py").exists()
        assert (project / "tests" / f"test_{module}.py").exists()
    secret = next(line for line in (project / ".env").read_text().splitlines() if line.startswith("SECRET_KEY="))
    assert len(secret) > 40 and secret.split("=", 1)[1] not in (project / ".copier-answers.yml").read_text()
    # The e-mail message templates are Jinja on purpose: the project renders them at send time.
    runtime_templates = {project / "app/integrations/email/templates.py"}
    leftovers = [p for p in project.rglob("*") if p.is_file() and p not in runtime_templates
                 and ("{{" in p.read_text(errors="ignore") or "{%" in p.read_text(errors="ignore"))]
    assert leftovers == []


def test_options_render_only_what_was_chosen(tmp_path):
    plain = tmp_path / "plain"
    assert render(plain, preset="blog", rate_limiting=False, background_jobs=False).returncode == 0
    assert not (plain / "app" / "core" / "ratelimit.py").exists()
    assert not (plain / "app" / "worker.py").exists()
    assert not (plain / "app" / "api" / "routes" / "api_keys.py").exists()
    full = tmp_path / "full"
    result = render(full, preset="blog", rate_limiting=True, background_jobs=True, auth_methods="[password_jwt, api_key]")
    assert result.returncode == 0, result.stderr
    assert (full / "app" / "core" / "ratelimit.py").exists()
    assert (full / "app" / "worker.py").exists()
    assert (full / "app" / "api" / "routes" / "api_keys.py").exists()


def test_unversioned_api_has_no_prefix(tmp_path):
    assert render(tmp_path / "o", api_versioning=False).returncode == 0
    assert 'API_PREFIX: str = ""' in (tmp_path / "o" / "app" / "core" / "config.py").read_text()


def test_message_after_copy_names_real_commands(tmp_path):
    """The after-copy message is the first thing a user follows: every command in it must exist."""
    import re
    import subprocess
    import sys

    from tests.conftest import TEMPLATE

    project = tmp_path / "app"
    result = subprocess.run(
        [sys.executable, "-m", "copier", "copy", "--trust", "--defaults", "--vcs-ref=HEAD", str(TEMPLATE), str(project)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    message = result.stderr + result.stdout
    assert f"cd {project}" in message
    targets = re.findall(r"^\s+make (\S+)", message, flags=re.MULTILINE)
    assert {"install", "migrate", "test", "dev"} <= set(targets)
    makefile = (project / "Makefile").read_text()
    for target in targets:
        assert re.search(rf"^{re.escape(target)}:", makefile, flags=re.MULTILINE), target
    assert (project / ".env").exists() and (project / ".env.example").exists()


@pytest.mark.slow
def test_an_offline_copy_needs_only_copier_and_its_extension_loader(tmp_path):
    """The README's first command on a fresh machine: no httpx, no dev tools, and the copy still completes."""
    import shutil
    import subprocess

    from tests.conftest import TEMPLATE

    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("uv is not installed")
    venv = tmp_path / "venv"
    subprocess.run([uv, "venv", "--quiet", "--python", "python3", str(venv)], check=True)
    subprocess.run([uv, "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"), "copier",
                    "copier-template-extensions"], check=True, timeout=300)
    missing = subprocess.run([str(venv / "bin" / "python"), "-c", "import httpx"], capture_output=True)
    assert missing.returncode != 0, "this test needs an environment without httpx"
    result = subprocess.run([str(venv / "bin" / "copier"), "copy", "--trust", "--defaults", "--vcs-ref=HEAD", str(TEMPLATE),
                             str(tmp_path / "my-api")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "my-api" / "Makefile").exists() and (tmp_path / "my-api" / ".env").exists()


def test_without_integrations_none_of_their_files_or_dependencies_render(tmp_path):
    """Every rendered integration's files, migration and packages appear only when it is chosen."""
    from backend_squad.integrations import RENDERED

    project = tmp_path / "plain"
    assert render(project, preset="blog", integrations="[]", background_jobs="false").returncode == 0
    assert not (project / "app/integrations").exists() and not (project / "tests/integrations").exists()
    migrations = sorted(path.name for path in (project / "migrations/versions").glob("0*.py"))
    assert migrations == ["0001_initial.py", "0004_audit_events.py", "0006_user_roles.py"]  # no integration's tables
    pyproject = (project / "pyproject.toml").read_text()
    for entry in RENDERED:
        for dependency in (*entry.python_dependencies, *entry.dev_dependencies):
            name = re.split(r"[<>=\[]", dependency)[0]
            if name not in ("httpx", "jinja2"):  # the app and its tests use these anyway
                assert f'"{dependency}"' not in pyproject, (entry.name, dependency)
        for name in entry.files:
            assert not (project / name).exists(), (entry.name, name)


def test_no_inline_if_without_else_in_templates():
    """Copier names templates by their path; with a quote in it (every conditional name has one), Jinja's code for
    ``{{ x if cond }}`` without ``else`` is a Python syntax error at render time."""
    pattern = re.compile(r"\{\{(?:(?!\}\}).)*\bif\b(?:(?!\}\}|\belse\b).)*\}\}")
    offenders = [
        f"{path.relative_to(TEMPLATE)}:{number}"
        for path in (TEMPLATE / "template").rglob("*") if path.is_file()
        for number, line in enumerate(path.read_text(errors="ignore").splitlines(), 1) if pattern.search(line)
    ]
    assert offenders == []
