"""The three agents and their registry."""

from __future__ import annotations

from typing import Any

from backend_squad.agents.api_architect import APIArchitect
from backend_squad.agents.backend_developer import BackendDeveloper, BackendPlan
from backend_squad.agents.base import BaseAgent
from backend_squad.agents.integration_specialist import IntegrationPlan, IntegrationSpecialist

AGENTS: dict[str, type[BaseAgent]] = {
    agent.name: agent for agent in (APIArchitect, BackendDeveloper, IntegrationSpecialist)
}
_ALIASES = {cls.__name__.lower(): name for name, cls in AGENTS.items()}


def list_agents() -> list[dict[str, str]]:
    """Every agent with its role."""
    return [{"name": name, "class": cls.__name__, "role": cls.role} for name, cls in AGENTS.items()]


def get_agent(name: str, **options: Any) -> BaseAgent:
    """An agent by name (``api_architect`` or ``APIArchitect``); options go to its constructor."""
    key = _ALIASES.get(name.lower(), name.lower())
    if key not in AGENTS:
        raise KeyError(f"unknown agent {name!r}; choose one of {sorted(AGENTS)}")
    return AGENTS[key](**options)


__all__ = [
    "AGENTS", "APIArchitect", "BackendDeveloper", "BackendPlan", "BaseAgent", "IntegrationPlan",
    "IntegrationSpecialist", "get_agent", "list_agents",
]
