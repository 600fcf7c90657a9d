"""The option matrix: every valid combination rendered and linted, and a covering set installed and tested.

``BACKEND_SQUAD_MATRIX_LIMIT=N`` renders only every k-th combination (about N of them) for a quick local look.
"""

from __future__ import annotations

import functools
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import (
    TEMPLATE,
    fresh_database,
    installed_and_linted,
    passing_tests,
    service_url,
)
from tests.matrix import (
    AUTH,
    BOOLEANS,
    COMBINATIONS,
    COVERING,
    DATABASES,
    INTEGRATION_GROUPS,
    NEXTJS_AXES,
    NEXTJS_PLAIN,
    NEXTJS_PLAIN_AXES,
    ORMS,
    PAIRWISE_AXES,
    PRESETS,
    Combination,
    answers,
    fully_checked,
    label,
)

RUFF = shutil.which("ruff", path=str(Path(sys.executable).parent)) or "ruff"
LEFTOVERS = ("{{", "{%", "TODO: template")
RUNTIME_TEMPLATES = {"app/integrations/email/templates.py"}  # Jinja on purpose: rendered when a message is sent
ENTRY_POINTS = {"fastapi": "app/main.py", "nextjs": "src/proxy.ts"}  # a render without them checked nothing


def test_the_matrix_holds_every_valid_combination_and_only_those():
    counts = Counter(combination["framework"] for combination in COMBINATIONS)
    print(f"\nmatrix: {len(COMBINATIONS)} valid combinations ({dict(counts)}), covering set: {len(COVERING)}")
    every = len(PRESETS) * len(DATABASES) * len(AUTH) * len(INTEGRATION_GROUPS) * len(BOOLEANS) ** 3
    # Both frameworks, and Next.js on both ORMs, render every database and every integration: each combination of
    # the axes is valid for each stack.
    assert counts == {"fastapi": every, "nextjs": every * len(ORMS)}
    assert Counter(c["orm"] for c in COMBINATIONS if c["framework"] == "nextjs") == {orm: every for orm in ORMS}


def test_the_covering_set_holds_every_value_and_every_pair_of_the_core_axes():
    for axis in {axis for c in COMBINATIONS for axis in c}:
        assert {c.get(axis) for c in COVERING} == {c.get(axis) for c in COMBINATIONS}, axis
    for a, b in itertools.combinations(PAIRWISE_AXES, 2):
        assert {(c[a], c[b]) for c in COVERING} == {(c[a], c[b]) for c in COMBINATIONS}, (a, b)
    assert len(COVERING) <= 12  # small enough to install and test every one of them


@pytest.mark.parametrize("group", [group for group in INTEGRATION_GROUPS if group != "none"])
def test_the_matrix_type_checks_every_preset_with_each_integration_group_on_nextjs(group: str):
    rows = [c for c in COMBINATIONS if c["framework"] == "nextjs" and c["integration_group"] == group]
    checked = [c for c in rows if fully_checked(c)]
    assert {c["preset"] for c in checked} == set(PRESETS)
    for a, b in itertools.combinations(NEXTJS_AXES, 2):
        assert {(c[a], c[b]) for c in checked} == {(c[a], c[b]) for c in rows}, (a, b)
    assert len(checked) <= 16  # a covering set, not all of them


def test_the_matrix_type_checks_every_fastapi_combination():
    assert all(fully_checked(c) for c in COMBINATIONS if c["framework"] == "fastapi")


@pytest.mark.parametrize("database", DATABASES)
def test_the_matrix_type_checks_every_pair_of_options_of_nextjs_without_integrations(database: str):
    rows = NEXTJS_PLAIN[database]
    checked = [c for c in rows if fully_checked(c)]
    for a, b in itertools.combinations(NEXTJS_PLAIN_AXES, 2):
        assert {(c[a], c[b]) for c in checked} == {(c[a], c[b]) for c in rows}, (a, b)
    assert len(checked) <= len(rows) // 4


def _plain_template(root: Path) -> Path:
    """The template's files without git history: Copier then renders the directory as is, without a clone."""
    files = subprocess.run(["git", "ls-files", "-z", "-co", "--exclude-standard"], cwd=TEMPLATE, capture_output=True,
                           text=True, check=True).stdout.split("\0")
    for name in files:
        source = TEMPLATE / name
        if source.is_file():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / name)
    return root


def _render_many_in_one_process() -> None:
    """Worker initializer for thousands of renders: what Copier repeats per run but that cannot differ between them.

    - Copier builds a new Jinja environment per run, so each template source is compiled again; compiling each once
      per worker makes a render ~2.5x faster. Extensions still see every template (``preprocess`` is where Copier's
      yield tag resets its state).
    - Copier asks git about each rendered file (one subprocess per file, to sync an executable bit into the
      destination's git index); the destinations here are fresh directories outside any repository, where git
      answers "not a repository" and Copier does nothing.
    - Copier rebuilds its render context (every answer, merged and filtered) for each path and file; while files
      are rendered the answers are settled, so one context per run serves them all.
    """
    import copier._main
    import jinja2
    from copier._types import LazyDict, Phase

    compile_source = jinja2.Environment.compile
    compiled: dict[tuple, Any] = {}

    def compile_once(self, source, name=None, filename=None, raw=False, defer_init=False):
        self.preprocess(source, name, filename)
        key = (source, name, filename, raw, defer_init)
        if key not in compiled:
            compiled[key] = compile_source(self, source, name, filename, raw, defer_init)
        return compiled[key]

    jinja2.Environment.compile = compile_once
    copier._main.is_git_available = lambda: False

    render_context = copier._main.Worker._render_context

    def render_context_once_per_run(self):
        if Phase.current() is not Phase.RENDER:
            return render_context(self)
        if "_matrix_render_context" not in self.__dict__:
            self.__dict__["_matrix_render_context"] = render_context(self)
        context = dict(self.__dict__["_matrix_render_context"])
        settled = context["_copier_conf"]  # a copy per call: Copier edits its own (answers_relpath blanks a key)
        context["_copier_conf"] = LazyDict({key: functools.partial(settled.__getitem__, key) for key in settled})
        return context

    copier._main.Worker._render_context = render_context_once_per_run


def _render(template: str, combination: Combination, destination: Path) -> None:
    from copier import run_copy

    run_copy(template, str(destination), data=answers(combination), defaults=True, unsafe=True, quiet=True,
             skip_tasks=True)


def _render_in(job: tuple[str, Combination, str]) -> None:
    _render(job[0], job[1], Path(job[2]))


def _tree(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


@pytest.mark.slow
def test_the_faster_renders_of_the_matrix_render_what_copier_renders(tmp_path: Path):
    template = str(_plain_template(tmp_path / "template"))
    chosen = [COMBINATIONS[0], COMBINATIONS[-1], *COVERING[:2]]
    # Both in child processes: a render loads the template copy's backend_squad into sys.modules, which would
    # replace the modules the other tests of this process imported.
    with ProcessPoolExecutor(max_workers=1, initializer=_render_many_in_one_process) as pool:
        list(pool.map(_render_in, [(template, c, str(tmp_path / f"memo-{i}")) for i, c in enumerate(chosen)]))
    with ProcessPoolExecutor(max_workers=1) as pool:
        list(pool.map(_render_in, [(template, c, str(tmp_path / f"plain-{i}")) for i, c in enumerate(chosen)]))
    for index, combination in enumerate(chosen):
        assert _tree(tmp_path / f"memo-{index}") == _tree(tmp_path / f"plain-{index}"), label(combination)


def _typecheck_and_lint_nextjs(project: Path, orm: str, node_modules: str) -> list[str]:
    """What `make typecheck` and `make lint` run, on node_modules shared with every project of the same orm and
    database (a Prisma project first generates its client into its own src/, as `make install` does)."""
    (project / "node_modules").symlink_to(node_modules, target_is_directory=True)
    problems = []
    commands = [["prisma", "generate"]] if orm == "prisma" else []
    # As the Makefile's PRISMA_OFFLINE: any existing file stands for the schema engine, which is not downloaded.
    offline_prisma = {"PRISMA_SCHEMA_ENGINE_BINARY": str(project / "prisma/schema.prisma")} if commands else {}
    for command in (*commands, ["next", "typegen"], ["tsc", "--noEmit"], ["biome", "check", "."]):
        checked = subprocess.run([f"node_modules/.bin/{command[0]}", *command[1:]], cwd=project, capture_output=True,
                                 text=True, env=os.environ | offline_prisma)
        if checked.returncode:
            problems.append(f"{' '.join(command)}: {(checked.stdout + checked.stderr)[-1500:]}")
            break
    return problems


def _render_and_check(job: tuple[str, Combination, str, dict[str, str]]) -> str:
    """Render one combination and return what is wrong with it ("" when nothing is)."""
    template, combination, workdir, node_modules = job
    destination = Path(tempfile.mkdtemp(dir=workdir))
    try:
        _render(template, combination, destination)
        problems = []
        if not (destination / ENTRY_POINTS[combination["framework"]]).is_file():
            problems.append(f"{ENTRY_POINTS[combination['framework']]} was not rendered")
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
        elif fully_checked(combination):
            stack = f"{combination['orm']}-{combination['database']}"
            problems += _typecheck_and_lint_nextjs(destination, combination["orm"], node_modules[stack])
        return f"{label(combination)}: {'; '.join(problems)}" if problems else ""
    except Exception as exc:
        return f"{label(combination)}: render failed: {exc}"
    finally:
        shutil.rmtree(destination, ignore_errors=True)


@pytest.mark.slow
def test_every_combination_renders_without_leftovers_and_lints(tmp_path: Path,
                                                                node_modules: Callable[[str], Path],
                                                                prisma_node_modules: Callable[[str], Path]):
    combinations = COMBINATIONS
    limit = int(os.environ.get("BACKEND_SQUAD_MATRIX_LIMIT", "0"))
    if limit:
        combinations = combinations[:: max(1, len(combinations) // limit)]
    template = _plain_template(tmp_path / "template")
    seeds = {"drizzle": node_modules, "prisma": prisma_node_modules}
    shared = {f"{orm}-{database}": str(seeds[orm](database))
              for orm, database in sorted({(c["orm"], c["database"]) for c in combinations if fully_checked(c)
                                           and c["framework"] == "nextjs"})}
    started = time.monotonic()
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 2, initializer=_render_many_in_one_process) as pool:
        jobs = [(str(template), combination, str(tmp_path), shared) for combination in combinations]
        problems = [problem for problem in pool.map(_render_and_check, jobs, chunksize=8) if problem]
    frameworks = Counter(c["framework"] for c in combinations if fully_checked(c))
    print(f"\nmatrix: rendered {len(combinations)} combinations in {time.monotonic() - started:.0f} s "
          f"(ruff on the {frameworks['fastapi']} FastAPI ones; next typegen, tsc and biome on "
          f"{frameworks['nextjs']} Next.js ones)")
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
