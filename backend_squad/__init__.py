"""Backend Squad: three agents that design a backend from Copier answers.

Library use::

    from backend_squad import get_agent
    result = await get_agent("api_architect").execute({"models": [...]})
"""

from backend_squad.agents import (
    APIArchitect,
    BackendDeveloper,
    BaseAgent,
    IntegrationSpecialist,
    get_agent,
    list_agents,
)
from backend_squad.spec import ProjectSpec, SpecError, load_spec

__all__ = [
    "APIArchitect", "BackendDeveloper", "BaseAgent", "IntegrationSpecialist", "ProjectSpec", "SpecError",
    "get_agent", "list_agents", "load_spec",
]
