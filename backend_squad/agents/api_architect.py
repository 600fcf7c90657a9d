"""APIArchitect: resources, endpoints, validation schemas, versioning and the OpenAPI document."""

from __future__ import annotations

from typing import Any

from backend_squad.agents.base import BaseAgent
from backend_squad.codegen.pydantic_source import pydantic_module
from backend_squad.codegen.zod_source import zod_module
from backend_squad.design import ApiDesign, ResourceDesign, build_resources
from backend_squad.integrations import CATALOG
from backend_squad.integrations.stripe_payments import paid_for
from backend_squad.openapi import build_openapi
from backend_squad.spec import AuthMethod, Framework, ProjectSpec

API_VERSION = "v1"


def _uses_storage(spec: ProjectSpec) -> bool:
    """A storage provider serves ``/files``, whichever one is chosen."""
    return any(CATALOG[name].category == "storage" for name in spec.integrations)


class APIArchitect(BaseAgent):
    name = "api_architect"
    role = "Designs the API: resources, endpoints, schemas, versioning and OpenAPI 3.1"

    def design_versioning_strategy(self, spec: ProjectSpec) -> dict[str, Any]:
        if not spec.api_versioning:
            # Next.js serves route handlers under /api (its app/api folder); FastAPI mounts them at the root.
            prefix = "/api" if spec.framework == Framework.NEXTJS else ""
            return {"strategy": "none", "prefix": prefix, "current": None,
                    "policy": "Unversioned paths; breaking changes need a coordinated client release."}
        return {
            "strategy": "url_path",
            "prefix": f"/api/{API_VERSION}",
            "current": API_VERSION,
            "policy": "Additive changes stay in v1; a breaking change adds /api/v2 beside it and v1 is "
            "deprecated with a Sunset header before removal.",
        }

    def generate_validation_schemas(self, resources: tuple[ResourceDesign, ...]) -> dict[str, dict[str, str]]:
        return {
            "pydantic": {resource.module: pydantic_module(resource) for resource in resources},
            "zod": {resource.module: zod_module(resource) for resource in resources},
        }

    def generate_openapi_spec(self, spec: ProjectSpec, resources: tuple[ResourceDesign, ...] | None = None) -> dict:
        resources = resources if resources is not None else build_resources(spec)
        prefix = self.design_versioning_strategy(spec)["prefix"]
        health = "/api/health" if spec.framework == Framework.NEXTJS else "/health"  # Next.js serves only app/api
        stripe = spec.chosen_stripe_features
        payable = paid_for(stripe, resources)
        return build_openapi(spec.project_name, "0.1.0", spec.description, prefix, resources, health_path=health,
                             api_keys=AuthMethod.API_KEY in spec.auth_methods,
                             magic_links=AuthMethod.MAGIC_LINK in spec.auth_methods, storage=_uses_storage(spec),
                             stripe_features=stripe, paid_for=payable.id_field if payable else None,
                             webhooks="webhooks" in spec.integrations, roles=spec.roles,
                             oauth_providers=spec.chosen_oauth_providers, membership_roles=spec.membership_roles,
                             plans=spec.rate_limiting, sessions=AuthMethod.SESSION in spec.auth_methods)

    def design(self, spec: ProjectSpec) -> ApiDesign:
        resources = build_resources(spec)
        versioning = self.design_versioning_strategy(spec)
        schemas = self.generate_validation_schemas(resources)
        association = tuple(m2m for resource in resources for m2m in resource.many_to_many)
        return ApiDesign(
            title=spec.project_name,
            version="0.1.0",
            api_prefix=versioning["prefix"],
            versioning=versioning,
            resources=resources,
            association_tables=association,
            openapi=self.generate_openapi_spec(spec, resources),
            pydantic_schemas=schemas["pydantic"],
            zod_schemas=schemas["zod"],
            roles=spec.roles,
            multi_tenant=spec.multi_tenant,
            membership_roles=spec.membership_roles,
        )

    async def draft_models(self, description: str, preset: str = "custom",
                           roles: tuple[str, ...] = ()) -> tuple[list[dict[str, Any]], list[str]]:
        """Models for ``description`` from the LLM, or the preset's (with the permissions ``roles`` allows) and a
        warning when that is not possible."""
        from backend_squad.drafting import draft_models
        from backend_squad.llm import LLMClient, LLMError, print_progress
        from backend_squad.presets import preset_models

        settings = self.llm_settings()
        if not settings.enabled:
            return preset_models(preset, roles), [f"offline ({settings.disabled_reason}): used the '{preset}' preset's models"]
        async with LLMClient(settings, progress=self.options.get("progress", print_progress)) as client:
            try:
                return await draft_models(description, preset, client), []
            except LLMError as error:
                return preset_models(preset, roles), [f"could not draft models ({error}): used the '{preset}' preset's models"]

    async def execute(self, task: ProjectSpec | dict[str, Any]) -> dict[str, Any]:
        """Design the API for ``task``; a task with a ``description`` but no ``models`` gets models drafted first."""
        warnings: list[str] = []
        if isinstance(task, dict) and "models" not in task.get("project", task) and task.get("description"):
            models, warnings = await self.draft_models(task["description"], task.get("preset", "custom"),
                                                       tuple(task.get("roles") or ()))
            task = {**task, "models": models}
        design = self.design(self.spec_from_task(task))
        endpoints = [
            {"method": method.upper(), "path": path, "operation_id": operation.get("operationId")}
            for path, item in design.openapi["paths"].items()
            for method, operation in item.items()
            if method in ("get", "post", "put", "patch", "delete")
        ]
        return {
            "api_spec": design.openapi,
            "schemas": {"pydantic": design.pydantic_schemas, "zod": design.zod_schemas},
            "endpoints": endpoints,
            "versioning": design.versioning,
            "documentation": f"{len(design.resources)} resources, {len(endpoints)} endpoints, "
            f"versioning: {design.versioning['strategy']}",
            "models": [resource.name for resource in design.resources],
            "warnings": warnings,
            "design": design,
        }
