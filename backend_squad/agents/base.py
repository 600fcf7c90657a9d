"""``BaseAgent``: what the three agents share — a name, a role, and ``execute(task)``."""

from __future__ import annotations

import abc
import dataclasses
from typing import Any, ClassVar

from backend_squad.llm import LLMSettings, Provider
from backend_squad.spec import ProjectSpec, load_spec


class BaseAgent(abc.ABC):
    """An agent turns a task (answers, or a ``ProjectSpec``) into a typed plan.

    Offline, every method is deterministic. With ``api_key`` (OpenRouter unless ``base_url`` names another
    OpenAI-compatible server) or ``provider``/``base_url`` options, ``execute`` also asks the LLM for what
    only it can add; its answers are validated and any failure falls back to the offline result.
    """

    name: ClassVar[str]
    role: ClassVar[str]

    def __init__(self, api_key: str | None = None, model: str | None = None, **options: Any) -> None:
        self._api_key = api_key
        self.model = model
        self.options = options

    def __repr__(self) -> str:  # never show the key
        return f"{type(self).__name__}(model={self.model!r}, online={self.llm_settings().enabled})"

    def llm_settings(self) -> LLMSettings:
        """The LLM this agent may use: the constructor's key and options over the environment.

        ``BACKEND_SQUAD_OFFLINE=1`` still wins, so a key passed in code cannot force a network call.
        """
        base_url = self.options.get("base_url")
        provider = self.options.get("provider")
        if self._api_key is not None and provider is None:
            provider = "openai_compatible" if base_url else "openrouter"
        settings = LLMSettings.from_env(provider=provider, model=self.model, base_url=base_url)
        if self._api_key is not None and settings.provider is not Provider.OFFLINE:
            settings = dataclasses.replace(settings, api_key=self._api_key)
        return settings

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
