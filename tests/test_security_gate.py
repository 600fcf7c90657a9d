"""``make security``'s secret check in a generated FastAPI project (fast: the script needs only the standard
library; bandit and the Next.js script run where generated projects are installed, in the slow tests)."""

from __future__ import annotations

import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import render


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    destination = tmp_path_factory.mktemp("security") / "project"
    assert render(destination, preset="saas").returncode == 0
    subprocess.run(["git", "init", "--quiet"], cwd=destination, check=True)
    return destination


def check(project: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "scripts/check_secrets.py"], cwd=project, capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", **env})


def secret_key(project: Path) -> str:
    line = next(line for line in (project / ".env").read_text().splitlines() if line.startswith("SECRET_KEY="))
    return line.split("=", 1)[1]


def test_a_fresh_project_passes_and_names_what_it_checked(project: Path):
    result = check(project)
    assert result.returncode == 0, result.stderr
    # SECRET_KEY, saas's Stripe, SMTP and webhook secrets, and its two OAuth client secrets (Google, GitHub)
    assert "no secret of 7 setting(s)" in result.stdout


def test_the_generated_secret_key_in_a_source_file_fails_without_printing_it(project: Path):
    leak = project / "app" / "leak.py"
    leak.write_text(f'KEY = "{secret_key(project)}"\n')
    try:
        result = check(project)
    finally:
        leak.unlink()
    assert result.returncode == 1
    assert "app/leak.py:1: holds the value of SECRET_KEY" in result.stderr
    assert secret_key(project) not in result.stderr + result.stdout


def test_a_key_from_the_environment_in_an_untracked_file_fails(project: Path):
    key = secrets.token_hex(16)  # made up per run: nothing key-shaped is committed here
    notes = project / "notes.md"
    notes.write_text(f"staging key: {key}\n")
    try:
        leaked = check(project, STRIPE_SECRET_KEY=key)
        placeholder = check(project, STRIPE_SECRET_KEY="short")  # under 8 characters: not a secret
    finally:
        notes.unlink()
    assert leaked.returncode == 1 and "notes.md:1: holds the value of STRIPE_SECRET_KEY" in leaked.stderr
    assert placeholder.returncode == 0


def test_a_tracked_env_file_fails_and_an_ignored_one_does_not(project: Path):
    subprocess.run(["git", "add", "--force", ".env"], cwd=project, check=True)
    try:
        tracked = check(project)
    finally:
        subprocess.run(["git", "rm", "--quiet", "--cached", ".env"], cwd=project, check=True)
    assert tracked.returncode == 1 and ".env: git tracks it" in tracked.stderr
    assert check(project).returncode == 0


def test_outside_a_git_repository_it_says_what_to_do(tmp_path: Path, project: Path):
    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / "scripts").mkdir()
    (copy / "scripts" / "check_secrets.py").write_bytes((project / "scripts" / "check_secrets.py").read_bytes())
    result = check(copy, GIT_CEILING_DIRECTORIES=str(tmp_path))
    assert result.returncode != 0 and "run `git init` first" in result.stderr
