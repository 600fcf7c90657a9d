"""APIArchitect: resources, endpoints, validation schemas, versioning and the OpenAPI document."""

from __future__ import annotations

from typing import Any

from backend_squad.agents.base import BaseAgent
from backend_squad.codegen.pydantic_source import pydantic_module
from backend_squad.codegen.zod_source import zod_module
from backend_squad.design import ApiDesign, ResourceDesign, build_resources
from backend_squad.openapi import build_openapi
from backend_squad.spec import ProjectSpec

API_VERSION = "v1"


class APIArchitect(BaseAgent):
    name = "api_architect"
    role = "Designs the API: resources, endpoints, schemas, versioning and OpenAPI 3.1"

    def design_versioning_strategy(self, spec: ProjectSpec) -> dict[str, Any]:
        if not spec.api_versioning:
            return {"strategy": "none", "prefix": "", "current": None,
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
        return build_openapi(spec.project_name, "0.1.0", spec.description, prefix, resources)

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
        )

    async def execute(self, task: ProjectSpec | dict[str, Any]) -> dict[str, Any]:
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
            "design": design,
        }
