"""The small surface ``extensions/squad.py`` exposes to Copier: plain functions with plain results."""

from __future__ import annotations

import re
from typing import Any

import yaml

from backend_squad import drafting
from backend_squad.context import ProjectContext, build_context
from backend_squad.db_names import colliding_identifier, too_long_identifier
from backend_squad.design import build_resources
from backend_squad.presets import preset_models_yaml, preset_option
from backend_squad.spec import (
    SpecError,
    StripeFeature,
    check_author_email,
    check_project_slug,
    check_role_names,
    framework_problem,
    load_spec,
    stripe_features_problem,
)

__all__ = [
    "context_for",
    "email_error",
    "framework_error",
    "integrations_error",
    "models_default",
    "models_error",
    "preset_models_yaml",
    "preset_option",
    "roles_error",
    "slug_error",
    "slugify",
    "stripe_features_error",
]


def copier_operation() -> str:
    """"copy" or "update". Copier names the operation to tasks (``_copier_operation``) but not to question
    defaults, so this reads the context variable Copier 9 sets around each operation (updates included, with
    their replays of the old and new versions); "copy" when there is none."""
    try:
        from copier._main import _operation
    except ImportError:
        return "copy"
    return _operation.get("copy")


def framework_error(value: Any, framework: Any, question: str) -> str:
    """Empty when ``question``'s answer can be rendered for ``framework``, otherwise what to change."""
    return framework_problem(framework, question, value)


def models_default(preset: str, description: str, provider: str, model: str = "", base_url: str = "",
                   roles: Any = None) -> str:
    """The ``models`` question's default (see ``drafting.models_default``); Copier passes ``roles`` as a list."""
    chosen = tuple(roles) if isinstance(roles, list | tuple) else None
    return drafting.models_default(preset, description, provider, model, base_url, chosen)


def roles_error(roles: Any) -> str:
    """Empty when the ``roles`` answer is a valid list of role names, otherwise what to change."""
    try:
        check_role_names(roles)
    except ValueError as exc:
        return str(exc)
    return ""


def models_error(models: Any, auth_methods: Any = None, framework: Any = None, roles: Any = None,
                 multi_tenant: Any = False) -> str:
    """Empty when the ``models`` answer is valid, otherwise the message Copier shows (and writes nothing)."""
    if isinstance(models, str):
        try:
            models = yaml.safe_load(models)
        except yaml.YAMLError as exc:
            return f"models is not valid YAML: {exc}".replace("\n", " ")
    answers: dict[str, Any] = {"models": models}
    if auth_methods:
        answers["auth_methods"] = auth_methods
    if framework:
        answers["framework"] = framework
    if roles:
        answers["roles"] = roles
    if multi_tenant:
        answers["multi_tenant"] = True
    try:
        spec = load_spec(answers)
    except SpecError as exc:
        return str(exc)
    resources = build_resources(spec)
    return too_long_identifier(resources, spec.framework) or colliding_identifier(resources, spec.framework, spec.multi_tenant) or ""


def integrations_error(integrations: Any, background_jobs: Any = None) -> str:
    """Empty when every chosen integration can be rendered, otherwise what to change."""
    from backend_squad.integrations import AVAILABLE

    chosen = integrations if isinstance(integrations, list | tuple) else [integrations] if integrations else []
    unknown = [name for name in chosen if name not in AVAILABLE]
    if unknown:
        return f"integrations {unknown} are not available yet; choose from: {', '.join(AVAILABLE) or 'none'}"
    return ""


def stripe_features_error(features: Any) -> str:
    """Empty when the chosen Stripe features work together, otherwise what to change."""
    chosen = features if isinstance(features, list | tuple) else [features] if features else []
    unknown = [name for name in chosen if name not in set(StripeFeature)]
    if unknown:
        return f"stripe_features {unknown} are unknown; choose from: {', '.join(StripeFeature)}"
    return stripe_features_problem(chosen)


def slug_error(slug: str) -> str:
    try:
        check_project_slug(slug)
    except ValueError as exc:
        return str(exc)
    return ""


def email_error(email: Any) -> str:
    """Empty when ``author_email`` looks like something@something.tld, otherwise the message Copier shows."""
    try:
        check_author_email(str(email or ""))
    except ValueError as exc:
        return str(exc)
    return ""


def slugify(name: str) -> str:
    """``"My Shop API"`` -> ``my_shop_api``: the default project_slug."""
    slug = re.sub(r"[^a-z0-9]+", "_", (name or "").lower()).strip("_")
    if not slug or not slug[0].isalpha():
        slug = f"app_{slug}".strip("_")
    return slug


def context_for(answers: dict[str, Any]) -> ProjectContext:
    return build_context(answers)
