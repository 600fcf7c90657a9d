"""Shared fixtures: the template root and helpers to render and run generated projects."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import httpx
import pytest

from backend_squad.integrations import NEXTJS as NEXTJS_INTEGRATIONS

TEMPLATE = Path(__file__).resolve().parent.parent
PRESETS = ["blog", "saas", "ecommerce", "api_gateway", "webhook_relay", "custom"]
RELEASES_BUNDLE = TEMPLATE / "tests" / "releases.bundle"
# Models with custom actions, the same for both stacks' slow tests.
ACTIONS_MODELS = """
- name: Post
  owned: true
  fields:
    - {name: title, type: string, max_length: 200}
  actions:
    - {name: publish, description: "Mark the post published and email subscribers"}
    - {name: archive_now, description: "Archive it at once", method: PATCH}
- name: Tag
  fields:
    - {name: label, type: string, max_length: 50, unique: true}
  actions:
    - {name: merge, description: "Merge into another tag"}
"""


def version_key(tag: str) -> tuple[int, ...]:
    """``v0.10.0`` after ``v0.9.0``: release tags compared as numbers, not as strings."""
    return tuple(int(part) for part in tag.removeprefix("v").split("."))


def release_tags() -> tuple[str, ...]:
    """The release tags held by ``tests/releases.bundle``, oldest first."""
    heads = subprocess.run(["git", "bundle", "list-heads", str(RELEASES_BUNDLE)], check=True, capture_output=True,
                           text=True, cwd=TEMPLATE).stdout
    tags = [line.split()[1].removeprefix("refs/tags/") for line in heads.splitlines()]
    return tuple(sorted(tags, key=version_key))


def repository_of_releases(repo: Path) -> Path:
    """A new git repository at ``repo`` holding the release tags of ``tests/releases.bundle`` (no branch checked out)."""
    subprocess.run(["git", "init", "-q", str(repo)], check=True, capture_output=True)
    subprocess.run(["git", "fetch", "-q", str(RELEASES_BUNDLE), "refs/tags/*:refs/tags/*"], cwd=repo, check=True)
    return repo


def render(destination: Path, **answers: object) -> subprocess.CompletedProcess[str]:
    """Run the real copier CLI, as a user would."""
    command = [sys.executable, "-m", "copier", "copy", "--trust", "--defaults", "--quiet", "--vcs-ref=HEAD"]
    for key, value in answers.items():
        command += ["-d", f"{key}={value}"]
    command += [str(TEMPLATE), str(destination)]
    env = os.environ | {"BACKEND_SQUAD_OFFLINE": "1"}
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(project: Path, command: list[str], env: dict[str, str], health: str) -> Iterator[str]:
    """A generated app's server (uvicorn or ``next start``) on a free loopback port, once ``health`` answers 200;
    yields its base URL and stops the whole process group afterwards."""
    port = free_port()
    process = subprocess.Popen([*command, "--port" if command[0].endswith("uvicorn") else "-p", str(port)],
                               cwd=project, env=os.environ | env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}{health}", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the app did not start:\n{process.stderr.read().decode()[-3000:]}")
            time.sleep(0.2)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


def run_in(project: Path, *command: str, env: dict[str, str] | None = None, timeout: int = 600) -> str:
    """Run a command in a generated project; fail the test with its output when it fails."""
    result = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=timeout,
                            env=os.environ | (env or {}))
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return result.stdout


def passing_tests(project: Path, pytest_args: str = "-p no:warnings", env: dict[str, str] | None = None) -> str:
    """``make test`` in a generated project; fails unless tests passed and none failed or errored."""
    output = run_in(project, "make", "test", f"PYTEST_ARGS={pytest_args}", env=env)
    assert re.search(r"\b\d+ passed\b", output), output[-3000:]
    assert not re.search(r"\b\d+ (failed|errors?)\b", output), output[-3000:]
    return output


def installed_from_seed(project: Path, seed: Path) -> Path:
    """A Next.js project's ``make install`` with the seed's node_modules hard-linked in first: the packages arrive in
    a second, and npm only reconciles the project's own name (and drizzle-kit writes the first migration)."""
    subprocess.run(["cp", "-al", str(seed), str(project / "node_modules")], check=True)
    run_in(project, "make", "install", timeout=900)
    return project


def installed_and_linted(project: Path) -> Path:
    """``make install``, ``make lint`` and ``make security``: the first gates every generated project must pass."""
    run_in(project, "make", "install")
    run_in(project, "make", "lint")
    return secured(project)


def secured(project: Path) -> Path:
    """``make security`` as the owner runs it: in the project's git repository (made here when there is none)."""
    if not (project / ".git").exists():
        run_in(project, "git", "init", "--quiet")
    run_in(project, "make", "security")
    return project


def service_url(name: str) -> str:
    """A test service's URL from the environment (scripts/services.sh env); skip without it, or fail when
    BACKEND_SQUAD_REQUIRE_SERVICES=1 says every service must be there (as in CI)."""
    url = os.environ.get(name)
    if not url:
        if os.environ.get("BACKEND_SQUAD_REQUIRE_SERVICES") == "1":
            pytest.fail(f"{name} is not set; start services with scripts/services.sh start")
        pytest.skip(f"{name} not set; start services with scripts/services.sh start")
    return url


def fresh_database(server_url: str, kind: str = "postgresql") -> str:
    """Create an empty database on a test server and return its URL (the tests never share one)."""
    name = f"t_{uuid.uuid4().hex[:10]}"
    if kind == "postgresql":
        subprocess.run(["psql", server_url, "-qc", f"CREATE DATABASE {name}"], check=True, capture_output=True)
    else:
        parsed = urlparse(server_url)
        subprocess.run(["mysql", "-h", parsed.hostname or "127.0.0.1", "-P", str(parsed.port), "-u", parsed.username or "",
                        f"-p{parsed.password}", "-e", f"CREATE DATABASE {name}"], check=True, capture_output=True)
    return server_url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture
def template_dir() -> Path:
    return TEMPLATE


def _npm_seeds(tmp_path_factory: pytest.TempPathFactory, orm: str) -> Callable[[str], Path]:
    """node_modules per database for projects on ``orm``, installed by npm once per run into a seed project and
    hard-linked into the projects on that database: the seed chooses every option that adds a package (the auth
    methods but sessions, which add none; every integration; rate limits and jobs), so it holds the packages of any
    combination (an extra package changes nothing for a project that does not import it)."""
    if not shutil.which("npm"):
        pytest.fail("npm is not installed: the Next.js output needs Node.js 20 and npm")
    seeds = tmp_path_factory.mktemp(f"{orm}-node-seeds")
    installed: dict[str, Path] = {}

    def for_database(database: str) -> Path:
        if database not in installed:
            seed = seeds / database
            result = render(seed, framework="nextjs", orm=orm, database=database, preset="custom",
                            rate_limiting="true", background_jobs="true",
                            integrations=f"[{', '.join(NEXTJS_INTEGRATIONS)}]",
                            auth_methods="[password_jwt, api_key, magic_link, oauth]")
            assert result.returncode == 0, result.stderr
            run_in(seed, "npm", "install", "--prefer-offline", "--no-audit", "--no-fund", timeout=900)
            installed[database] = seed / "node_modules"
        return installed[database]

    return for_database


@pytest.fixture(scope="session")
def node_modules(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """node_modules for an orm=drizzle project on a database."""
    return _npm_seeds(tmp_path_factory, "drizzle")


@pytest.fixture(scope="session")
def prisma_node_modules(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """node_modules for an orm=prisma project on a database: Prisma's CLI, client and that database's adapter, no
    Drizzle."""
    return _npm_seeds(tmp_path_factory, "prisma")

