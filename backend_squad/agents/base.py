"""``BaseAgent``: what the three agents share — a name, a role, and ``execute(task)``."""

from __future__ import annotations

import abc
from typing import Any, ClassVar

from backend_squad.spec import ProjectSpec, load_spec


class BaseAgent(abc.ABC):
    """An agent turns a task (answers, or a ``ProjectSpec``) into a typed plan.

    Offline, every method is deterministic. ``api_key``/``model`` are kept for the
    LLM-backed mode; without them the agent never touches the network.
    """

    name: ClassVar[str]
    role: ClassVar[str]

    def __init__(self, api_key: str | None = None, model: str | None = None, **options: Any) -> None:
        self._api_key = api_key
        self.model = model
        self.options = options

    def __repr__(self) -> str:  # never show the key
        return f"{type(self).__name__}(model={self.model!r}, online={self._api_key is not None})"

    @staticmethod
    def spec_from_task(task: ProjectSpec | dict[str, Any]) -> ProjectSpec:
        """Accept a ``ProjectSpec``, a dict of answers, or ``{"project": answers}``."""
        if isinstance(task, ProjectSpec):
            return task
        if not isinstance(task, dict):
            raise TypeError("a task is a ProjectSpec or a dict of answers (at least 'models')")
        answers = task.get("project", task)
        if isinstance(answers, ProjectSpec):
            return answers
        return load_spec(answers)

    @abc.abstractmethod
    async def execute(self, task: ProjectSpec | dict[str, Any]) -> dict[str, Any]:
        """Run the agent's whole job on ``task`` and return the seed's documented keys."""
