"""The Next.js project's tables as data (codegen/tables.py): what the Drizzle and Prisma renderers rely on."""

from __future__ import annotations

import copy
import itertools
from typing import Any

import pytest

from backend_squad.agents import APIArchitect
from backend_squad.codegen.tables import Check, Index, PrimaryKey, Table, Unique, database_tables
from backend_squad.design import ApiDesign
from backend_squad.presets import PRESET_MODELS
from backend_squad.spec import load_spec
from tests.test_drizzle_source import KITCHEN

EVERYTHING: dict[str, Any] = {"stripe_features": ("subscriptions", "webhooks"), "webhooks": True, "magic_links": True,
                              "oauth": True, "plans": True, "sessions": True}
MODEL_SETS = {**PRESET_MODELS, "kitchen": KITCHEN}


def design(models: list[dict[str, Any]], multi_tenant: bool = False) -> ApiDesign:
    models = copy.deepcopy(models)
    roles = sorted({role for model in models for allowed in model.get("permissions", {}).values() for role in allowed})
    return APIArchitect().design(load_spec({"models": models, "framework": "nextjs", "roles": roles,
                                            "multi_tenant": multi_tenant}))


def every_schema() -> dict[str, tuple[ApiDesign, list[Table]]]:
    """Every model set, single- and multi-tenant, with every optional table."""
    schemas = {}
    for (name, models), multi_tenant in itertools.product(MODEL_SETS.items(), (False, True)):
        api = design(models, multi_tenant)
        schemas[f"{name}{'-multi-tenant' if multi_tenant else ''}"] = (api, database_tables(api, **EVERYTHING))
    return schemas


SCHEMAS = every_schema()


@pytest.mark.parametrize("name", SCHEMAS)
def test_foreign_keys_point_at_tables_declared_before_except_between_models(name: str) -> None:
    """A renderer declares tables in order: only a model may reference itself or a model declared after it."""
    api, tables = SCHEMAS[name]
    order = [table.name for table in tables]
    resources = {resource.table for resource in api.resources}
    for position, table in enumerate(tables):
        for column in table.columns:
            if column.references is None:
                continue
            target = column.references.table
            assert target in order, (table.name, column.name, target)
            if order.index(target) >= position:
                assert table.name in resources and target in resources, (table.name, column.name, target)
            assert column.type == "integer" and column.references.on_delete in ("CASCADE", "SET NULL")
            assert column.nullable == (column.references.on_delete == "SET NULL"), (table.name, column.name)


@pytest.mark.parametrize("name", SCHEMAS)
def test_names_are_unique_and_constraints_name_existing_columns(name: str) -> None:
    """Index and constraint names share one namespace per database (PostgreSQL), and fit its 63 characters."""
    _, tables = SCHEMAS[name]
    names = [column.unique for table in tables for column in table.columns if column.unique]
    for table in tables:
        columns = [column.name for column in table.columns]
        assert len(columns) == len(set(columns)), table.name
        for constraint in table.constraints:
            names.append(constraint.name)
            named = (constraint.column,) if isinstance(constraint, Check) else constraint.columns
            assert set(named) <= set(columns), (table.name, constraint)
        keys = [column.name for column in table.columns if column.primary_key]
        composite = [constraint for constraint in table.constraints if isinstance(constraint, PrimaryKey)]
        assert len(keys) + len(composite) == 1, table.name  # exactly one primary key
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
    assert all(len(n) <= 63 for n in names)
    for kind in ("tables", "models"):
        values = [table.name if kind == "tables" else table.model for table in tables]
        assert len(values) == len(set(values)), kind


def test_a_unique_field_is_unique_per_organization_when_tenant_scoped() -> None:
    models = [{"name": "Project", "fields": [{"name": "slug", "type": "string", "max_length": 40, "unique": True}]}]
    shared = next(t for t in database_tables(design(models)) if t.name == "projects")
    assert shared.column("slug").unique == "uq_projects_slug"
    assert not [c for c in shared.constraints if isinstance(c, Unique)]
    assert "organization_id" not in [column.name for column in shared.columns]

    scoped = next(t for t in database_tables(design(models, multi_tenant=True)) if t.name == "projects")
    assert scoped.column("slug").unique is None
    assert Unique("uq_projects_slug", ("organization_id", "slug")) in scoped.constraints
    organization = scoped.column("organization_id")
    assert not organization.nullable and organization.references and organization.references.table == "organizations"
    assert Index("ix_projects_organization_id", ("organization_id",)) in scoped.constraints


def test_association_tables_have_the_composite_primary_key() -> None:
    tables = database_tables(design(KITCHEN))
    link = next(table for table in tables if table.name == "folders_labels")
    assert link.model == "FoldersLabels"
    assert [column.name for column in link.columns] == ["folder_id", "badge_id"]
    assert link.constraints == (PrimaryKey("pk_folders_labels", ("folder_id", "badge_id")),)
    assert [(c.references.table, c.references.on_delete, c.nullable) for c in link.columns if c.references] == [
        ("folders", "CASCADE", False), ("badges", "CASCADE", False)]


def test_model_fields_keep_their_types_defaults_and_checks() -> None:
    folders = next(table for table in database_tables(design(KITCHEN)) if table.name == "folders")
    assert folders.model == "Folder"
    level = folders.column("level")
    assert (level.type, level.length, level.values, level.default) == ("string", 4, ("low", "high"), "low")
    assert Check("ck_folders_level_values", "level", values=("low", "high")) in folders.constraints
    assert Check("ck_folders_ratio_range", "ratio", low=0, high=1) in folders.constraints
    assert folders.column("budget").type == "decimal" and folders.column("budget").default == "10.5"
    assert folders.column("settings").default == {"theme": "dark"}
    assert folders.column("label").length == 80 and folders.column("notes").length is None
    tail = [column.name for column in folders.columns][-4:]
    assert tail == ["owner_id", "deleted_at", "created_at", "updated_at"]
    assert folders.column("updated_at").update_now and folders.column("created_at").default_now


BASE = {"users", "refresh_tokens", "api_keys", "audit_events"}
FLAG_TABLES: dict[str, set[str]] = {
    "magic_links": {"magic_link_tokens"},
    "oauth": {"oauth_accounts", "oauth_login_codes"},
    "sessions": {"browser_sessions"},
    "webhooks": {"webhook_subscriptions", "webhook_deliveries", "received_webhooks"},
    "plans": set(),  # a column, users.plan
}
STRIPE_TABLES = {
    (): {"stripe_customers"},
    ("subscriptions",): {"stripe_customers", "stripe_subscriptions"},
    ("webhooks",): {"stripe_customers", "stripe_events"},
    ("subscriptions", "webhooks"): {"stripe_customers", "stripe_subscriptions", "stripe_events"},
}


def test_each_flag_adds_exactly_its_tables() -> None:
    api = design(PRESET_MODELS["custom"])
    models = {resource.table for resource in api.resources} | {link.table for link in api.association_tables}
    assert {table.name for table in database_tables(api)} == BASE | models
    for count in range(len(FLAG_TABLES) + 1):
        for flags in itertools.combinations(FLAG_TABLES, count):
            expected = BASE | models | set().union(*(FLAG_TABLES[flag] for flag in flags))
            tables = database_tables(api, **dict.fromkeys(flags, True))
            assert {table.name for table in tables} == expected, flags
    for features, expected in STRIPE_TABLES.items():
        assert {table.name for table in database_tables(api, stripe_features=features)} == BASE | models | expected
    tenancy = {table.name for table in database_tables(design(PRESET_MODELS["custom"], multi_tenant=True))}
    assert tenancy - BASE - models == {"organizations", "memberships", "invitations"}


def test_plans_adds_the_nullable_users_plan_column() -> None:
    api = design(PRESET_MODELS["custom"])
    users = database_tables(api, plans=True)[0]
    assert users.name == "users" and users.column("plan").nullable and users.column("plan").length == 40
    assert "plan" not in [column.name for column in database_tables(api)[0].columns]


def test_tables_are_named_as_the_prisma_models() -> None:
    api = design(PRESET_MODELS["blog"], multi_tenant=True)
    models = {table.name: table.model for table in database_tables(api, **EVERYTHING)}
    assert models == {
        "users": "User", "refresh_tokens": "RefreshToken", "api_keys": "ApiKey", "magic_link_tokens": "MagicLinkToken",
        "oauth_accounts": "OauthAccount", "oauth_login_codes": "OauthLoginCode", "browser_sessions": "BrowserSession",
        "audit_events": "AuditEvent", "organizations": "Organization", "memberships": "Membership",
        "invitations": "Invitation", "posts": "Post", "comments": "Comment", "tags": "Tag", "posts_tags": "PostsTags",
        "stripe_customers": "StripeCustomer", "stripe_subscriptions": "StripeSubscription",
        "stripe_events": "StripeEvent", "webhook_subscriptions": "WebhookSubscription",
        "webhook_deliveries": "WebhookDelivery", "received_webhooks": "ReceivedWebhook",
    }
