"""IntegrationSpecialist: third-party integrations, their env vars and setup steps (catalog-driven)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from backend_squad.agents.base import BaseAgent
from backend_squad.integrations import CATALOG, PROVIDER_SELECTORS, EnvVar, IntegrationEntry
from backend_squad.spec import ProjectSpec


class IntegrationPlan(BaseModel):
    """The chosen integrations and what they add to the project (settings, packages, routes, steps)."""

    model_config = ConfigDict(frozen=True)

    integrations: tuple[IntegrationEntry, ...]
    env_vars: tuple[tuple[str, str], ...]
    dependencies: tuple[str, ...]
    setup_steps: tuple[str, ...]
    dev_dependencies: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(entry.name for entry in self.integrations)

    @property
    def provider_selectors(self) -> tuple[EnvVar, ...]:
        """EMAIL_PROVIDER and the like, for each kind of service with two or more chosen providers."""
        selectors = []
        for category, name in PROVIDER_SELECTORS.items():
            providers = self.in_category(category)
            if len(providers) > 1:
                selectors.append(EnvVar(
                    name=name, example=providers[0], secret=False,
                    help=f"which {category} provider the app uses: {', '.join(providers)} (default {providers[0]})",
                ))
        return tuple(selectors)

    @property
    def env_sections(self) -> tuple[tuple[IntegrationEntry, tuple[EnvVar, ...]], ...]:
        """Each integration with the settings not already listed by an earlier one (providers share AWS keys...)."""
        seen = {var.name for var in self.provider_selectors}  # listed once, under "Providers"
        sections = []
        for entry in self.integrations:
            fresh = tuple(var for var in entry.env_vars if var.name not in seen)
            seen.update(var.name for var in fresh)
            if fresh:
                sections.append((entry, fresh))
        return tuple(sections)

    @property
    def modules(self) -> tuple[str, ...]:
        """The modules under app.integrations, once each (several e-mail providers share ``email``)."""
        return tuple(dict.fromkeys(entry.python_module for entry in self.integrations))

    def uses(self, module: str) -> bool:
        """Whether app.integrations.<module> is rendered: a template folder's condition."""
        return module in self.modules

    @property
    def secret_env_vars(self) -> tuple[str, ...]:
        """The settings that hold credentials (keys, tokens, webhook secrets): they belong in .env, never in git."""
        return tuple(var.name for _, env_vars in self.env_sections for var in env_vars if var.secret)

    def in_category(self, category: str) -> tuple[str, ...]:
        """The chosen integrations of one kind (e.g. the e-mail providers), in copier.yml's order (Copier records that)."""
        return tuple(entry.name for entry in self.integrations if entry.category == category)

    def _modules_where(self, flag: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(entry.python_module for entry in self.integrations if getattr(entry, flag)))

    @property
    def model_modules(self) -> tuple[str, ...]:
        """Modules that add tables: their models must be imported for Alembic and the metadata."""
        return self._modules_where("models")

    @property
    def routed_modules(self) -> tuple[str, ...]:
        """Modules that expose a ``router`` for the API."""
        return self._modules_where("router")

    @property
    def task_modules(self) -> tuple[str, ...]:
        """Modules whose ``tasks`` the Celery worker loads."""
        return self._modules_where("tasks")


class IntegrationSpecialist(BaseAgent):
    name = "integration_specialist"
    role = "Wires third-party services: payments, email, storage, messaging, webhooks"

    def plan(self, spec: ProjectSpec, chosen: tuple[str, ...] = ()) -> IntegrationPlan:
        chosen = chosen or spec.integrations
        unknown = [name for name in chosen if name not in CATALOG]
        if unknown:
            raise ValueError(f"unknown integrations {unknown}; known: {sorted(CATALOG)}")
        entries = tuple(CATALOG[name] for name in chosen)
        return IntegrationPlan(
            integrations=entries,
            env_vars=tuple((var.name, var.help) for entry in entries for var in entry.env_vars),
            dependencies=tuple(dict.fromkeys(dep for entry in entries for dep in entry.python_dependencies)),
            dev_dependencies=tuple(dict.fromkeys(dep for entry in entries for dep in entry.dev_dependencies)),
            setup_steps=tuple(step for entry in entries for step in entry.setup_steps),
        )

    def _entry_plan(self, name: str) -> dict[str, Any]:
        """One integration as a plain dict: what it adds and how to set it up (dashboard steps, events to enable)."""
        entry = CATALOG[name]
        return {"name": entry.name, "title": entry.title or entry.name, "category": entry.category,
                "files": list(entry.files), "dependencies": list(entry.python_dependencies),
                "dev_dependencies": list(entry.dev_dependencies),
                "env_vars": [var.model_dump() for var in entry.env_vars], "setup_instructions": list(entry.setup_steps),
                "webhook_events": list(entry.webhook_events)}

    def generate_stripe_integration(self) -> dict[str, Any]:
        return self._entry_plan("stripe")

    def generate_oauth_integration(self) -> dict[str, Any]:
        return self._entry_plan("oauth")

    def generate_webhook_system(self) -> dict[str, Any]:
        return self._entry_plan("webhooks")

    def generate_email_integration(self, provider: str = "smtp") -> dict[str, Any]:
        return self._provider_plan("email", provider)

    def generate_storage_integration(self, provider: str = "s3") -> dict[str, Any]:
        return self._provider_plan("storage", provider)

    def _provider_plan(self, category: str, provider: str) -> dict[str, Any]:
        entry = CATALOG.get(provider)
        if entry is None or entry.category != category:
            known = sorted(name for name, item in CATALOG.items() if item.category == category)
            raise ValueError(f"unknown {category} provider {provider!r}; known: {known}")
        return self._entry_plan(provider)

    async def execute(self, task: ProjectSpec | dict[str, Any]) -> dict[str, Any]:
        """Plan the task's ``integrations``: any catalog entry, rendered by the template or only described."""
        chosen: tuple[str, ...] = ()
        if isinstance(task, dict):
            chosen = tuple(task.get("integrations", ()))
            task = {key: value for key, value in task.items() if key != "integrations"}
        spec = self.spec_from_task(task)
        plan = self.plan(spec, chosen)
        return {
            "files": [file for entry in plan.integrations for file in entry.files],
            "env_vars": [{"name": name, "help": help_text} for name, help_text in plan.env_vars],
            "dependencies": list(plan.dependencies),
            "setup_instructions": list(plan.setup_steps),
            "integrations": {name: self._entry_plan(name) for name in plan.names},
            "plan": plan,
        }
