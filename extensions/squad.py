"""Copier's door into ``backend_squad``: filters for validators and defaults, a global for the templates.

Loaded by copier-template-extensions from a path, so the template root is not on
``sys.path``; it is added only around the import, and a ``backend_squad`` cached
from another template version (``copier update`` loads two in one process) is dropped first.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

from jinja2 import Environment, pass_context
from jinja2.ext import Extension

TEMPLATE_ROOT = Path(__file__).resolve().parent.parent


def _load_backend_squad() -> Any:
    loaded = sys.modules.get("backend_squad.extension_api")
    if loaded is not None and Path(loaded.__file__ or "").resolve().is_relative_to(TEMPLATE_ROOT):
        return loaded  # this template's own copy: re-importing it would only cost time (many renders, one process)
    for name in [module for module in sys.modules if module == "backend_squad" or module.startswith("backend_squad.")]:
        del sys.modules[name]
    sys.path.insert(0, str(TEMPLATE_ROOT))
    try:
        return importlib.import_module("backend_squad.extension_api")
    finally:
        sys.path.remove(str(TEMPLATE_ROOT))


class SquadExtension(Extension):
    """Adds ``squad_*`` filters (used by copier.yml) and the ``squad()`` global (used by templates)."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        api = _load_backend_squad()
        environment.filters["squad_models_error"] = api.models_error
        environment.filters["squad_roles_error"] = api.roles_error
        environment.filters["squad_slug_error"] = api.slug_error
        environment.filters["squad_integrations_error"] = api.integrations_error
        environment.filters["squad_framework_error"] = api.framework_error
        environment.filters["squad_stripe_features_error"] = api.stripe_features_error
        environment.filters["squad_email_error"] = api.email_error
        environment.filters["squad_preset_models"] = api.preset_models_yaml
        environment.globals["squad_models_default"] = api.models_default
        environment.globals["squad_copier_operation"] = api.copier_operation
        environment.filters["squad_preset_option"] = api.preset_option
        environment.filters["squad_slugify"] = api.slugify

        @pass_context
        def squad(context: Any) -> Any:
            return api.context_for(dict(context.get_all()))

        environment.globals["squad"] = squad
