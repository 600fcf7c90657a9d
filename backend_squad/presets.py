"""The seed's five use cases as presets: default models and options per preset.

A preset only fills defaults; every question can still be answered differently.
"""

from __future__ import annotations

from typing import Any

import yaml

_F = dict  # terse constructor for field/relation dicts below

PRESET_MODELS: dict[str, list[dict[str, Any]]] = {
    "blog": [
        {
            "name": "Post",
            "description": "An article written by a user.",
            "owned": True,
            "fields": [
                _F(name="title", type="string", max_length=200),
                _F(name="slug", type="string", max_length=200, unique=True, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$"),
                _F(name="body", type="text"),
                _F(name="status", type="enum", values=["draft", "published", "archived"], default="draft"),
                _F(name="published_at", type="datetime", required=False),
            ],
            "relations": [_F(name="tags", to="Tag", kind="many_to_many")],
        },
        {
            "name": "Comment",
            "description": "A reader's comment on a post.",
            "owned": True,
            "fields": [
                _F(name="body", type="text", max_length=5000),
                _F(name="approved", type="boolean", default=False),
            ],
            "relations": [_F(name="post", to="Post", kind="many_to_one", required=True)],
        },
        {
            "name": "Tag",
            "fields": [_F(name="name", type="string", max_length=50, unique=True)],
        },
    ],
    "saas": [
        {
            "name": "Project",
            "description": "A workspace that groups tasks.",
            "owned": True,
            "permissions": {"read": ["editor", "viewer"], "create": ["editor"], "update": ["editor"], "delete": ["editor"]},
            "fields": [
                _F(name="name", type="string", max_length=120),
                _F(name="description", type="text", required=False),
                _F(name="archived", type="boolean", default=False),
            ],
        },
        {
            "name": "Task",
            "owned": True,
            "soft_delete": True,
            "track_authors": True,
            "permissions": {"read": ["editor", "viewer"], "create": ["editor"], "update": ["editor"], "delete": ["editor"]},
            "fields": [
                _F(name="title", type="string", max_length=200),
                _F(name="status", type="enum", values=["todo", "doing", "done"], default="todo"),
                _F(name="priority", type="integer", min=1, max=5, default=3),
                _F(name="due_on", type="date", required=False),
            ],
            "relations": [
                _F(name="project", to="Project", kind="many_to_one", required=True),
                _F(name="assignee", to="User", kind="many_to_one"),
            ],
        },
        {
            "name": "Plan",
            "description": "A subscription plan customers can choose.",
            "tenant_scoped": False,
            "track_authors": True,
            "permissions": {"read": ["editor", "viewer"]},
            "fields": [
                _F(name="code", type="string", max_length=40, unique=True, pattern=r"^[a-z0-9_]+$"),
                _F(name="name", type="string", max_length=80),
                _F(name="price_cents", type="integer", min=0),
                _F(name="interval", type="enum", values=["month", "year"], default="month"),
                _F(name="features", type="json", required=False),
            ],
        },
    ],
    "ecommerce": [
        {
            "name": "Category",
            "fields": [
                _F(name="name", type="string", max_length=100, unique=True),
                _F(name="description", type="text", required=False),
            ],
        },
        {
            "name": "Product",
            "fields": [
                _F(name="sku", type="string", max_length=64, unique=True),
                _F(name="name", type="string", max_length=200),
                _F(name="description", type="text", required=False),
                _F(name="price", type="decimal", min=0),
                _F(name="stock", type="integer", min=0, default=0),
                _F(name="active", type="boolean", default=True),
            ],
            "relations": [_F(name="category", to="Category", kind="many_to_one")],
        },
        {
            "name": "Customer",
            "owned": True,
            "fields": [
                _F(name="email", type="email", unique=True),
                _F(name="full_name", type="string", max_length=200),
                _F(name="phone", type="string", max_length=32, required=False, pattern=r"^\+?[0-9 ()-]{6,32}$"),
            ],
        },
        {
            "name": "Order",
            "owned": True,
            "fields": [
                _F(name="status", type="enum", values=["pending", "paid", "shipped", "cancelled"], default="pending"),
                _F(name="total_cents", type="integer", min=0),
                _F(name="placed_at", type="datetime", required=False),
                _F(name="note", type="text", required=False),
            ],
            "relations": [
                _F(name="customer", to="Customer", kind="many_to_one", required=True),
                _F(name="products", to="Product", kind="many_to_many"),
            ],
        },
    ],
    "api_gateway": [
        {
            "name": "Upstream",
            "description": "A backend service the gateway forwards to.",
            "fields": [
                _F(name="name", type="string", max_length=100, unique=True),
                _F(name="base_url", type="url"),
                _F(name="timeout_ms", type="integer", min=1, max=60000, default=5000),
                _F(name="healthy", type="boolean", default=True),
            ],
        },
        {
            "name": "Route",
            "fields": [
                _F(name="path_prefix", type="string", max_length=200, pattern=r"^/[a-z0-9/_-]*$", default="/"),
                _F(name="methods", type="json"),
                _F(name="rate_limit_per_minute", type="integer", min=1, max=100000, default=600),
                _F(name="enabled", type="boolean", default=True),
            ],
            "relations": [_F(name="upstream", to="Upstream", kind="many_to_one", required=True)],
        },
        {
            "name": "Consumer",
            "owned": True,
            "fields": [
                _F(name="name", type="string", max_length=100),
                _F(name="plan", type="enum", values=["free", "pro", "enterprise"], default="free"),
                _F(name="quota_per_day", type="integer", min=0, default=1000),
            ],
        },
    ],
    "webhook_relay": [
        {
            "name": "Endpoint",
            "description": "A URL that receives relayed events.",
            "owned": True,
            "fields": [
                _F(name="url", type="url"),
                _F(name="description", type="string", max_length=200, required=False),
                _F(name="event_types", type="json"),
                _F(name="active", type="boolean", default=True),
            ],
        },
        {
            "name": "Event",
            "owned": True,
            "fields": [
                _F(name="event_type", type="string", max_length=100, index=True),
                _F(name="payload", type="json"),
                _F(name="received_at", type="datetime", required=False),
                _F(name="source", type="string", max_length=100, required=False),
            ],
        },
        {
            "name": "Delivery",
            "owned": True,
            "fields": [
                _F(name="status", type="enum", values=["pending", "succeeded", "failed"], default="pending"),
                _F(name="attempts", type="integer", min=0, default=0),
                _F(name="response_status", type="integer", min=100, max=599, required=False),
                _F(name="next_attempt_at", type="datetime", required=False),
            ],
            "relations": [
                _F(name="event", to="Event", kind="many_to_one", required=True),
                _F(name="endpoint", to="Endpoint", kind="many_to_one", required=True),
            ],
        },
    ],
    "custom": [
        {
            "name": "Item",
            "owned": True,
            "fields": [
                _F(name="name", type="string", max_length=100),
                _F(name="description", type="text", required=False),
                _F(name="price_cents", type="integer", min=0, default=0),
            ],
        },
    ],
}

ALL_STRIPE_FEATURES = ["checkout", "subscriptions", "webhooks", "customer_portal"]

# Integrations per use case: what such a backend almost always needs, and nothing that needs an account it may not have.
PRESET_OPTIONS: dict[str, dict[str, Any]] = {
    "blog": {"auth_methods": ["password_jwt"], "rate_limiting": False, "background_jobs": False,
             "integrations": [], "stripe_features": ALL_STRIPE_FEATURES, "roles": [], "multi_tenant": False},
    "saas": {"auth_methods": ["password_jwt", "api_key", "magic_link", "oauth", "session"], "rate_limiting": True, "background_jobs": True,
             "integrations": ["stripe", "smtp", "webhooks"], "stripe_features": ALL_STRIPE_FEATURES,
             "roles": ["editor", "viewer"], "multi_tenant": True},
    "ecommerce": {"auth_methods": ["password_jwt"], "rate_limiting": True, "background_jobs": True,
                  "integrations": ["stripe", "smtp", "s3"], "stripe_features": ["checkout", "webhooks", "customer_portal"], "roles": [], "multi_tenant": False},
    "api_gateway": {"auth_methods": ["password_jwt", "api_key"], "rate_limiting": True, "background_jobs": False,
                    "integrations": [], "stripe_features": ALL_STRIPE_FEATURES, "roles": [], "multi_tenant": False},
    "webhook_relay": {"auth_methods": ["password_jwt", "api_key"], "rate_limiting": True, "background_jobs": True,
                      "integrations": ["webhooks"], "stripe_features": ALL_STRIPE_FEATURES, "roles": [], "multi_tenant": False},
    "custom": {"auth_methods": ["password_jwt"], "rate_limiting": False, "background_jobs": False,
               "integrations": [], "stripe_features": ALL_STRIPE_FEATURES, "roles": [], "multi_tenant": False},
}

PRESET_DESCRIPTIONS: dict[str, str] = {
    "blog": "Blog / CMS: posts, comments, tags",
    "saas": "SaaS: projects, tasks, plans, API keys",
    "ecommerce": "E-commerce: catalog, customers, orders",
    "api_gateway": "API gateway: upstreams, routes, consumers",
    "webhook_relay": "Webhook relay: endpoints, events, deliveries",
    "custom": "Custom: one example model to edit",
}


def preset_models(preset: str, roles: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    """The preset's models; given the ``roles`` answer, without the permissions that name a role it lacks, so a
    person who declines the preset's roles still gets valid models (those operations keep the default rule)."""
    models = PRESET_MODELS.get(preset, PRESET_MODELS["custom"])
    if roles is None:
        return models
    return [
        {key: value for key, value in model.items() if key != "permissions"}
        if any(role not in roles for allowed in model.get("permissions", {}).values() for role in allowed) else model
        for model in models
    ]


def preset_models_yaml(preset: str, roles: tuple[str, ...] | None = None) -> str:
    """The preset's models as the YAML a person sees (and may edit) at the ``models`` prompt."""
    return yaml.safe_dump(preset_models(preset, roles), sort_keys=False, default_flow_style=None, width=120)


def preset_option(preset: str, option: str, framework: str = "fastapi") -> Any:
    """A preset's default for ``option``; for Next.js, only the integrations its output renders."""
    value = PRESET_OPTIONS.get(preset, PRESET_OPTIONS["custom"])[option]
    if option == "integrations" and framework == "nextjs":
        from backend_squad.integrations import NEXTJS

        value = [name for name in value if name in NEXTJS]
    return value
