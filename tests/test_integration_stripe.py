"""The stripe integration: what a rendered project gets (fast), and that its own payment tests pass against
localstripe, on SQLite and PostgreSQL, with migrations matching the models (slow)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from backend_squad.integrations import AVAILABLE, CATALOG
from tests.conftest import fresh_database, installed_and_linted, passing_tests, render, run_in

ENV_VARS = ["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_WEBHOOK_TOLERANCE", "STRIPE_API_BASE", "STRIPE_SUCCESS_URL", "STRIPE_CANCEL_URL",
            "STRIPE_PORTAL_RETURN_URL", "STRIPE_PLANS"]
EVENTS = ["checkout.session.completed", "customer.subscription.created", "customer.subscription.updated",
          "customer.subscription.deleted", "invoice.payment_failed"]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    destination = tmp_path_factory.mktemp("stripe") / "project"
    result = render(destination, preset="blog", integrations="[stripe]")
    assert result.returncode == 0, result.stderr
    return destination


def test_catalog_entry_is_rendered_and_replaces_the_description():
    entry = CATALOG["stripe"]
    assert "stripe" in AVAILABLE and entry.available and entry.router and entry.models
    assert entry.python_module == "payments" and entry.category == "payments"
    assert [var.name for var in entry.env_vars] == ENV_VARS
    assert list(entry.webhook_events) == EVENTS
    assert entry.python_dependencies == ("stripe>=12",) and entry.dev_dependencies == ("localstripe>=1.15",)


def test_files_dependencies_router_models_and_env(project):
    for name in CATALOG["stripe"].files:
        assert (project / name).is_file(), name
    pyproject = (project / "pyproject.toml").read_text()
    assert '"stripe>=12"' in pyproject and '"localstripe>=1.15"' in pyproject
    router = (project / "app/api/router.py").read_text()
    assert "from app.integrations import payments" in router and "api_router.include_router(payments.router)" in router
    assert "import app.integrations.payments.models" in (project / "app/models/__init__.py").read_text()
    migration = (project / "migrations/versions/0003_payments.py").read_text()
    assert 'revision: str = "0003_payments"' in migration and 'down_revision: str | None = "0001"' in migration
    for table in ("stripe_customers", "stripe_subscriptions", "stripe_events"):
        assert f'"{table}"' in migration
    for name in (".env.example", ".env"):
        text = (project / name).read_text()
        # Secrets stay empty: a fresh project answers 503 on payment routes instead of calling Stripe with a fake key.
        assert "\nSTRIPE_SECRET_KEY=\n" in text and "\nSTRIPE_WEBHOOK_SECRET=\n" in text and "\nSTRIPE_API_BASE=\n" in text
        assert "STRIPE_SUCCESS_URL=http" in text


def test_setup_section(project):
    setup = (project / "docs/SETUP.md").read_text()
    section = setup.split("Stripe payments", 1)[1].split("\n## ", 1)[0]
    for name in ENV_VARS:
        assert f"`{name}`" in section, name
    for event in EVENTS:
        assert f"`{event}`" in section, event
    assert "/payments/webhook" in section and "stripe listen --forward-to" in section


def test_migration_hangs_on_0001_whatever_else_is_chosen(tmp_path):
    """A fixed parent: adding webhooks later with copier update must not move 0003 onto 0002, which a database
    that already ran 0003 would then count as applied (tests/test_update.py runs that update)."""
    result = render(tmp_path / "project", preset="blog", integrations="[stripe, webhooks]")
    assert result.returncode == 0, result.stderr
    versions = tmp_path / "project/migrations/versions"
    assert 'down_revision: str | None = "0001"' in (versions / "0003_payments.py").read_text()
    assert 'down_revision: str | None = "0001"' in (versions / "0002_webhooks.py").read_text()
    assert 'down_revision: str | None = "0001"' in (versions / "0004_audit_events.py").read_text()


@pytest.fixture(scope="module")
def checkout_only(tmp_path_factory) -> Path:
    destination = tmp_path_factory.mktemp("stripe-checkout") / "project"
    result = render(destination, preset="blog", integrations="[stripe]", stripe_features="[checkout]")
    assert result.returncode == 0, result.stderr
    return destination


def test_only_the_chosen_stripe_features_are_rendered(checkout_only):
    payments = checkout_only / "app/integrations/payments"
    router = (payments / "router.py").read_text()
    assert '"/checkout-session"' in router and 'mode: Literal["payment"] = "payment"' in router
    for absent in ('"/customer-portal"', '"/webhook"', '"/subscription"', '"/plans"'):
        assert absent not in router, absent
    assert not (payments / "webhooks.py").exists() and not (payments / "subscriptions.py").exists()
    models = (payments / "models.py").read_text()
    assert "class StripeCustomer" in models and "StripeSubscription" not in models and "StripeEvent" not in models
    migration = (checkout_only / "migrations/versions/0003_payments.py").read_text()
    assert '"stripe_customers"' in migration and '"stripe_subscriptions"' not in migration and '"stripe_events"' not in migration


def test_all_stripe_features_by_default(project):
    router = (project / "app/integrations/payments/router.py").read_text()
    for route in ('"/checkout-session"', '"/customer-portal"', '"/webhook"', '"/subscription"', '"/plans"'):
        assert route in router, route
    assert 'mode: Literal["payment", "subscription"] = "subscription"' in router


@pytest.mark.slow
def test_generated_project_lints_and_passes_its_payment_tests(project):
    passing_tests(installed_and_linted(project))
    payments = run_in(project, ".venv/bin/python", "-m", "pytest", "tests/integrations/test_payments.py", "-o", "addopts=", "-q",
                    "-p", "no:warnings")
    assert "19 passed" in payments, payments
    sqlite_url = f"sqlite:///{project}/migrations-check.db"
    run_in(project, "make", "migrate", env={"DATABASE_URL": sqlite_url})
    run_in(project, "make", "check-migrations", env={"DATABASE_URL": sqlite_url})
    server_url = os.environ.get("TEST_POSTGRES_URL")
    if not server_url:
        return
    database_url = fresh_database(server_url)
    passing_tests(project, env={"DATABASE_URL": database_url})
    run_in(project, "make", "migrate", env={"DATABASE_URL": database_url})
    run_in(project, "make", "check-migrations", env={"DATABASE_URL": database_url})


@pytest.mark.slow
def test_checkout_only_project_lints_passes_and_migrates(checkout_only):
    passing_tests(installed_and_linted(checkout_only))
    payments = run_in(checkout_only, ".venv/bin/python", "-m", "pytest", "tests/integrations/test_payments.py", "-o", "addopts=",
                      "-q", "-p", "no:warnings")
    assert "6 passed" in payments, payments
    sqlite_url = f"sqlite:///{checkout_only}/migrations-check.db"
    run_in(checkout_only, "make", "migrate", "check-migrations", env={"DATABASE_URL": sqlite_url})
