"""The option matrix: every valid combination rendered and linted, and a covering set installed and tested.

``BACKEND_SQUAD_MATRIX_LIMIT=N`` renders only every k-th combination (about N of them) for a quick local look.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
import yaml

from tests.conftest import TEMPLATE, fresh_database, installed_and_linted, passing_tests, service_url
from tests.matrix import (
    AUTH,
    BOOLEANS,
    COMBINATIONS,
    COVERING,
    DATABASES,
    INTEGRATION_GROUPS,
    PAIRWISE_AXES,
    PRESETS,
    Combination,
    answers,
    label,
)

RUFF = shutil.which("ruff", path=str(Path(sys.executable).parent)) or "ruff"
LEFTOVERS = ("{{", "{%", "TODO: template")
RUNTIME_TEMPLATES = {"app/integrations/email/templates.py"}  # Jinja on purpose: rendered when a message is sent


def test_the_matrix_holds_every_valid_combination_and_only_those():
    counts = Counter(combination["framework"] for combination in COMBINATIONS)
    print(f"\nmatrix: {len(COMBINATIONS)} valid combinations ({dict(counts)}), covering set: {len(COVERING)}")
    fastapi = len(PRESETS) * len(DATABASES) * len(AUTH) * len(INTEGRATION_GROUPS) * len(BOOLEANS) ** 3
    assert counts["fastapi"] == fastapi  # every FastAPI combination is valid
    # Next.js: no MySQL, integrations, jobs or rate limiting yet; all the rest.
    assert counts["nextjs"] == len(PRESETS) * 2 * len(AUTH) * len(BOOLEANS)
    assert not any(c["framework"] == "nextjs" and (c["database"] == "mysql" or c["background_jobs"]) for c in COMBINATIONS)


def test_the_covering_set_holds_every_value_and_every_pair_of_the_core_axes():
    for axis in COMBINATIONS[0]:
        assert {c[axis] for c in COVERING} == {c[axis] for c in COMBINATIONS}, axis
    for a, b in itertools.combinations(PAIRWISE_AXES, 2):
        assert {(c[a], c[b]) for c in COVERING} == {(c[a], c[b]) for c in COMBINATIONS}, (a, b)
    assert len(COVERING) <= 12  # small enough to install and test every one of them


def _plain_template(root: Path) -> Path:
    """The template's files without git history: Copier then renders the directory as is, without a clone."""
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=TEMPLATE, capture_output=True,
                           text=True, check=True).stdout.split()
    for name in files:
        source = TEMPLATE / name
        if source.is_file():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / name)
    return root


def _render_and_check(job: tuple[str, Combination, str]) -> str:
    """Render one combination and return what is wrong with it ("" when nothing is)."""
    from copier import run_copy

    template, combination, workdir = job
    destination = Path(tempfile.mkdtemp(dir=workdir))
    try:
        run_copy(template, str(destination), data=answers(combination), defaults=True, unsafe=True, quiet=True,
                 skip_tasks=True)
        problems = []
        for path in destination.rglob("*"):
            if not path.is_file():
                continue
            relative = str(path.relative_to(destination))
            text = path.read_text(errors="ignore")
            if not text.strip() and path.name != "__init__.py" and path.suffix != ".gitkeep":
                problems.append(f"empty file {relative}")
            if relative not in RUNTIME_TEMPLATES and any(marker in text for marker in LEFTOVERS):
                problems.append(f"template leftover in {relative}")
        if combination["framework"] == "fastapi":
            lint = subprocess.run([RUFF, "check", "--quiet", "."], cwd=destination, capture_output=True, text=True)
            if lint.returncode:
                problems.append(f"ruff: {lint.stdout[-1500:]}")
        return f"{label(combination)}: {'; '.join(problems)}" if problems else ""
    except Exception as exc:
        return f"{label(combination)}: render failed: {exc}"
    finally:
        shutil.rmtree(destination, ignore_errors=True)


@pytest.mark.slow
def test_every_combination_renders_without_leftovers_and_lints(tmp_path: Path):
    combinations = COMBINATIONS
    limit = int(os.environ.get("BACKEND_SQUAD_MATRIX_LIMIT", "0"))
    if limit:
        combinations = combinations[:: max(1, len(combinations) // limit)]
    template = _plain_template(tmp_path / "template")
    started = time.monotonic()
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        jobs = [(str(template), combination, str(tmp_path)) for combination in combinations]
        problems = [problem for problem in pool.map(_render_and_check, jobs, chunksize=8) if problem]
    print(f"\nmatrix: rendered and checked {len(combinations)} combinations in {time.monotonic() - started:.0f} s "
          f"(ruff on the {sum(c['framework'] == 'fastapi' for c in combinations)} FastAPI ones)")
    assert problems == [], "\n".join(problems[:20])


def _services_for(combination: Combination) -> dict[str, str]:
    """DATABASE_URL on a fresh database of the combination's kind, and Redis for the Redis-backed tests."""
    env: dict[str, str] = {}
    if combination["database"] != "sqlite":
        name = "TEST_POSTGRES_URL" if combination["database"] == "postgresql" else "TEST_MYSQL_URL"
        env["DATABASE_URL"] = fresh_database(service_url(name), combination["database"])
    if os.environ.get("TEST_REDIS_URL"):
        env["TEST_REDIS_URL"] = os.environ["TEST_REDIS_URL"]
    return env


@pytest.mark.slow
@pytest.mark.parametrize("combination", [c for c in COVERING if c["framework"] == "fastapi"], ids=label)
def test_covering_set_installs_lints_and_passes_on_its_database(combination: Combination, tmp_path: Path):
    data = tmp_path / "answers.yml"
    data.write_text(yaml.safe_dump(answers(combination)))
    project = tmp_path / "project"
    result = subprocess.run([sys.executable, "-m", "copier", "copy", "--trust", "--defaults", "--vcs-ref=HEAD",
                             "--data-file", str(data), str(TEMPLATE), str(project)], capture_output=True, text=True,
                            env=os.environ | {"BACKEND_SQUAD_OFFLINE": "1"}, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    passing_tests(installed_and_linted(project), env=_services_for(combination))
