"""The integration catalog: every entry the agents know, and those the template can render.

A rendered integration is a module in this package defining ``ENTRY`` (with ``available=True``);
it is found here without editing this file.
"""

from __future__ import annotations

import importlib
import pkgutil

from backend_squad.integrations.catalog import PROVIDER_SELECTORS, EnvVar, IntegrationEntry, NextjsSupport
from backend_squad.integrations.described import DESCRIBED

_SUPPORT_MODULES = {"catalog", "described"}


def _rendered() -> tuple[IntegrationEntry, ...]:
    entries = []
    for module in sorted(info.name for info in pkgutil.iter_modules(__path__)):
        if module not in _SUPPORT_MODULES:
            entry = getattr(importlib.import_module(f"{__name__}.{module}"), "ENTRY", None)
            if isinstance(entry, IntegrationEntry) and entry.available:
                entries.append(entry)
    return tuple(entries)


RENDERED: tuple[IntegrationEntry, ...] = _rendered()
CATALOG: dict[str, IntegrationEntry] = {entry.name: entry for entry in (*DESCRIBED, *RENDERED)}
AVAILABLE: tuple[str, ...] = tuple(entry.name for entry in RENDERED)
NEXTJS: tuple[str, ...] = tuple(entry.name for entry in RENDERED if entry.nextjs)  # the Next.js output renders these

__all__ = ["AVAILABLE", "CATALOG", "NEXTJS", "PROVIDER_SELECTORS", "RENDERED", "EnvVar", "IntegrationEntry",
           "NextjsSupport"]
