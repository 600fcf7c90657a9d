"""The s3 integration: what a rendered project gets (fast), and that its own tests pass against moto (slow)."""

from __future__ import annotations

import os
import py_compile
from pathlib import Path

import pytest

from backend_squad.agents import IntegrationSpecialist
from backend_squad.integrations import AVAILABLE, CATALOG
from tests.conftest import fresh_database, installed_and_linted, passing_tests, render

ENV_VARS = ("S3_BUCKET", "S3_REGION", "S3_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "S3_PRESIGN_SECONDS")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    destination = tmp_path_factory.mktemp("s3") / "project"
    result = render(destination, preset="blog", integrations="[s3]")
    assert result.returncode == 0, result.stderr
    return destination


def test_the_catalog_renders_s3_with_its_settings():
    entry = CATALOG["s3"]
    assert "s3" in AVAILABLE and entry.available and entry.router and entry.python_module == "storage"
    assert {var.name for var in entry.env_vars} >= set(ENV_VARS)
    assert "moto[server]>=5" in entry.dev_dependencies
    plan = IntegrationSpecialist().generate_storage_integration()
    assert "S3_ENDPOINT_URL" in {var["name"] for var in plan["env_vars"]}


def test_rendered_project_has_storage_module_tests_and_route(project: Path):
    package = project / "app" / "integrations" / "storage"
    tests = project / "tests" / "integrations" / "test_storage_s3.py"
    for path in (*package.glob("*.py"), tests, tests.with_name("test_storage.py")):
        assert path.is_file()
        py_compile.compile(str(path), doraise=True)
    assert "asyncio.to_thread" in (package / "s3.py").read_text()
    assert 'prefix="/files"' in (package / "router.py").read_text()
    assert not (package / "gcs.py").exists() and not (package / "supabase.py").exists()
    assert "ThreadedMotoServer" in tests.read_text()
    router = (project / "app" / "api" / "router.py").read_text()
    assert "from app.integrations import storage" in router
    assert "api_router.include_router(storage.router)" in router


def test_rendered_dependencies_env_example_and_setup(project: Path):
    pyproject = (project / "pyproject.toml").read_text()
    assert '"boto3>=' in pyproject and '"moto[server]>=5"' in pyproject
    env_example = (project / ".env.example").read_text()
    for name in ENV_VARS:
        assert f"\n{name}=" in env_example
    setup = (project / "docs" / "SETUP.md").read_text()
    assert "Object storage (Amazon S3)" in setup
    assert "IAM" in setup and "CORS" in setup and "STORAGE_PROVIDER=s3" in setup


@pytest.mark.slow
def test_rendered_project_installs_lints_and_passes_its_tests(project: Path):
    output = passing_tests(installed_and_linted(project))
    assert "skipped" not in output
    server_url = os.environ.get("TEST_POSTGRES_URL")
    if server_url:
        passing_tests(project, env={"DATABASE_URL": fresh_database(server_url)})
