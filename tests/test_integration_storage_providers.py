"""Storage providers (S3, R2, GCS, Supabase) behind one ObjectStorage interface: catalog entries and rendered files
(fast), and a project with all four installing, linting and passing its own tests against local stand-ins (slow)."""

from __future__ import annotations

import os
import py_compile
from pathlib import Path

import pytest

from backend_squad.integrations import AVAILABLE, CATALOG
from tests.conftest import fresh_database, installed_and_linted, passing_tests, render

PROVIDERS = {  # name: (backend module, generated test, a setting only it has)
    "s3": ("s3.py", "test_storage_s3.py", "S3_BUCKET"),
    "r2": ("s3.py", "test_storage_r2.py", "R2_ACCOUNT_ID"),
    "gcs": ("gcs.py", "test_storage_gcs.py", "GCS_CREDENTIALS_JSON"),
    "supabase_storage": ("supabase.py", "test_storage_supabase.py", "SUPABASE_SERVICE_ROLE_KEY"),
}
SHARED = ("__init__.py", "base.py", "settings.py", "providers.py", "router.py")


@pytest.fixture(scope="module")
def everything(tmp_path_factory: pytest.TempPathFactory) -> Path:
    destination = tmp_path_factory.mktemp("storage") / "project"
    result = render(destination, preset="blog", integrations="[s3, r2, gcs, supabase_storage]")
    assert result.returncode == 0, result.stderr
    return destination


@pytest.mark.parametrize("name", sorted(PROVIDERS))
def test_each_provider_is_a_storage_entry_with_settings_and_steps(name: str):
    entry = CATALOG[name]
    assert name in AVAILABLE and entry.available and entry.router
    assert entry.category == "storage" and entry.python_module == "storage"
    assert entry.title.startswith("Object storage (")
    module, test, setting = PROVIDERS[name]
    assert f"app/integrations/storage/{module}" in entry.files and f"tests/integrations/{test}" in entry.files
    assert setting in {var.name for var in entry.env_vars}
    assert all(var.help for var in entry.env_vars) and entry.python_dependencies and entry.setup_steps
    assert any(f"STORAGE_PROVIDER={name}" in step for step in entry.setup_steps)


def test_setup_steps_cover_consoles_cors_scopes_and_keys():
    steps = {name: " ".join(CATALOG[name].setup_steps) for name in PROVIDERS}
    assert "CORS" in steps["s3"] and "s3:PutObject" in steps["s3"]
    assert "CORS" in steps["r2"] and "Object Read & Write" in steps["r2"]
    assert "CORS" in steps["gcs"] and "Storage Object User" in steps["gcs"] and "JSON" in steps["gcs"]
    assert "service_role" in steps["supabase_storage"] and "2 hours" in steps["supabase_storage"]
    assert CATALOG["gcs"].dev_dependencies and CATALOG["r2"].dev_dependencies == ("moto[server]>=5",)


@pytest.mark.parametrize("chosen", [("gcs",), ("supabase_storage",), ("r2",), ("r2", "supabase_storage")])
def test_only_the_chosen_providers_are_rendered(tmp_path: Path, chosen: tuple[str, ...]):
    result = render(tmp_path / "p", preset="blog", integrations=f"[{', '.join(chosen)}]")
    assert result.returncode == 0, result.stderr
    package = tmp_path / "p" / "app" / "integrations" / "storage"
    tests = tmp_path / "p" / "tests" / "integrations"
    wanted_modules = {PROVIDERS[name][0] for name in chosen}
    assert {path.name for path in package.glob("*.py")} == set(SHARED) | wanted_modules
    assert {path.name for path in tests.glob("test_storage*.py")} == {"test_storage.py"} | {PROVIDERS[n][1] for n in chosen}
    settings = (package / "settings.py").read_text()
    assert f'STORAGE_PROVIDER: str = "{chosen[0]}"' in settings
    env_example = (tmp_path / "p" / ".env.example").read_text()
    pyproject = (tmp_path / "p" / "pyproject.toml").read_text()
    for name, (_, _, setting) in PROVIDERS.items():
        assert (f"\n{setting}=" in env_example) == (name in chosen), name
        assert (setting in settings) == (name in chosen), name
    assert ("google-cloud-storage" in pyproject) == ("gcs" in chosen)
    assert ("boto3" in pyproject) == ("r2" in chosen)


def test_all_four_render_one_package_with_every_backend(everything: Path):
    package = everything / "app" / "integrations" / "storage"
    for path in [*package.glob("*.py"), *(everything / "tests" / "integrations").glob("test_storage*.py")]:
        py_compile.compile(str(path), doraise=True)
    assert {path.name for path in package.glob("*.py")} == set(SHARED) | {"s3.py", "gcs.py", "supabase.py"}
    assert not (everything / "app" / "integrations" / "storage.py").exists()
    router = (everything / "app" / "api" / "router.py").read_text()
    assert router.count("api_router.include_router(storage.router)") == 1
    providers = (package / "providers.py").read_text()
    for name in PROVIDERS:
        assert f'"{name}": _' in providers
    setup = (everything / "docs" / "SETUP.md").read_text()
    for title in ("Amazon S3", "Cloudflare R2", "Google Cloud Storage", "Supabase Storage"):
        assert f"Object storage ({title})" in setup
    pyproject = (everything / "pyproject.toml").read_text()
    for dependency in ('"boto3>=', '"google-cloud-storage>=', '"moto[server]>=5"', '"gcp-storage-emulator>='):
        assert dependency in pyproject


@pytest.mark.slow
def test_project_with_every_storage_provider_installs_lints_and_passes_its_tests(everything: Path):
    output = passing_tests(installed_and_linted(everything))
    assert "skipped" not in output
    server_url = os.environ.get("TEST_POSTGRES_URL")
    if server_url:
        passing_tests(everything, env={"DATABASE_URL": fresh_database(server_url)})
