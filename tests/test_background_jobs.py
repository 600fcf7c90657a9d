"""Background jobs: what a render contains (fast), and (slow) the generated worker tests passing against a real
Celery worker on a real Redis, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from tests.conftest import fresh_database, installed_and_linted, passing_tests, render, run_in, service_url

WORKER_TESTS = "tests/test_worker.py"


@pytest.fixture(scope="module")
def with_jobs(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("jobs") / "project"
    result = render(project, preset="blog", background_jobs="true")
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture(scope="module")
def without_jobs(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("nojobs") / "project"
    result = render(project, preset="blog", background_jobs="false")
    assert result.returncode == 0, result.stderr
    return project


def services(project: Path) -> dict:
    return yaml.safe_load((project / "docker-compose.yml").read_text())["services"]


def test_the_worker_tests_come_with_background_jobs_only(with_jobs, without_jobs):
    source = (with_jobs / WORKER_TESTS).read_text()
    compile(source, WORKER_TESTS, "exec")
    assert '"celery", "-A", "app.worker.celery_app", "worker", "--pool=solo"' in source
    assert "TEST_REDIS_URL" in source
    assert "webhook" not in source.lower(), "webhook tests are rendered only when webhooks are chosen"
    assert not (without_jobs / WORKER_TESTS).exists()
    assert not (without_jobs / "app/worker.py").exists()


def test_webhooks_add_delivery_tests_run_by_the_worker(tmp_path):
    project = tmp_path / "relay"
    result = render(project, preset="webhook_relay")
    assert result.returncode == 0, result.stderr
    source = (project / WORKER_TESTS).read_text()
    compile(source, WORKER_TESTS, "exec")
    for test in ("test_the_worker_delivers_a_signed_event", "test_a_failed_delivery_is_retried_by_the_sweep_once_due"):
        assert f"async def {test}(" in source
    assert '"WEBHOOK_ALLOW_PRIVATE_URLS": "true"' in source


def test_compose_runs_the_worker_on_redis(with_jobs, without_jobs):
    running = services(with_jobs)
    assert {"redis", "worker"} <= set(running)
    worker = running["worker"]
    assert worker["command"][:4] == ["celery", "-A", "app.worker.celery_app", "worker"] and "--beat" in worker["command"]
    assert worker["environment"]["REDIS_URL"] == "redis://redis:6379/0"
    assert worker["depends_on"]["redis"] == {"condition": "service_healthy"}
    assert worker["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert "worker" not in services(without_jobs)


def test_make_worker_target_only_with_background_jobs(with_jobs, without_jobs):
    makefile = (with_jobs / "Makefile").read_text()
    assert re.search(r"^worker: install\b.*\n\t\$\(VENV\)/bin/celery -A app\.worker\.celery_app worker --beat ", makefile, re.M)
    assert re.search(r"^\.PHONY:.* worker$", makefile, re.M)
    assert not re.search(r"^worker:", (without_jobs / "Makefile").read_text(), re.M)


# Slow: the generated project's worker tests against real services



def worker_tests_pass(project: Path, expected: int, env: dict[str, str]) -> str:
    """Run only the worker tests, with the skip reasons shown: all of them must have run and passed."""
    output = run_in(project, ".venv/bin/python", "-m", "pytest", WORKER_TESTS, "-rs", "-p", "no:warnings", env=env)
    assert "skipped" not in output.lower(), output[-3000:]
    assert re.search(rf"\b{expected} passed\b", output), output[-3000:]
    return output


def make_worker_starts(project: Path, redis_url: str) -> None:
    """``make worker`` starts the worker and its beat; stopped again at once (a Redis db no test queues on)."""
    log = project / "make-worker.log"
    with log.open("wb") as output:
        process = subprocess.Popen(["make", "worker"], cwd=project, stdout=output, stderr=subprocess.STDOUT,
                                   env=os.environ | {"REDIS_URL": redis_url.rsplit("/", 1)[0] + "/15"}, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            text = log.read_text(errors="replace")
            if " ready." in text and "beat: Starting" in text:
                break
            time.sleep(0.2)
        text = log.read_text(errors="replace")
        assert " ready." in text and "beat: Starting" in text, text[-3000:]
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=15)


@pytest.mark.slow
@pytest.mark.parametrize(("answers", "expected"), [
    ({"preset": "webhook_relay"}, 6),
    ({"preset": "blog", "background_jobs": "true"}, 4),
], ids=["webhook_relay", "blog-with-jobs"])
def test_generated_worker_tests_pass_on_sqlite_and_postgresql(tmp_path, answers, expected):
    redis_url = service_url("TEST_REDIS_URL")
    project = tmp_path / "project"
    result = render(project, **answers)
    assert result.returncode == 0, result.stderr
    installed_and_linted(project)
    env = {"TEST_REDIS_URL": redis_url}
    passing_tests(project, env=env)
    worker_tests_pass(project, expected, env)
    make_worker_starts(project, redis_url)

    pg = env | {"DATABASE_URL": fresh_database(service_url("TEST_POSTGRES_URL"))}
    passing_tests(project, env=pg)
    worker_tests_pass(project, expected, pg)
