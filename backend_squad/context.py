"""The render context: answers -> spec -> the three agents' plans, computed once per set of answers.

Copier renders defaults and every template file against the same answers, so the
result is memoized on a canonical dump of the answers that matter.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict

from backend_squad.agents import APIArchitect, BackendDeveloper, BackendPlan, IntegrationPlan, IntegrationSpecialist
from backend_squad.codegen.drizzle_source import NextjsCode
from backend_squad.design import DECIMAL_PATTERN, UNSIGNED_DECIMAL_PATTERN, URL_PATTERN, ApiDesign
from backend_squad.integrations.stripe_payments import PayableDesign, paid_for
from backend_squad.spec import ProjectSpec, load_spec


class ProjectContext(BaseModel):
    model_config = ConfigDict(frozen=True)

    spec: ProjectSpec
    api: ApiDesign
    backend: BackendPlan
    integrations: IntegrationPlan

    @property
    def decimal_patterns(self) -> dict[str, str]:
        """The decimal-string formats the generated validators and schemas share."""
        return {"signed": DECIMAL_PATTERN, "unsigned": UNSIGNED_DECIMAL_PATTERN}

    @property
    def url_pattern(self) -> str:
        return URL_PATTERN

    @property
    def nextjs(self) -> NextjsCode:
        """Next.js sources computed in Python: the Drizzle schema, Zod request schemas and TypeScript names."""
        return NextjsCode(api=self.api, spec=self.spec, integrations=self.integrations)

    @property
    def payable(self) -> PayableDesign | None:
        """The model a Stripe Checkout pays for (an Order with a status), when Stripe checkout and webhooks are on."""
        return paid_for(self.spec.chosen_stripe_features, self.api.resources)


def _canonical(answers: dict[str, Any]) -> str:
    relevant = {key: answers.get(key) for key in ProjectSpec.model_fields if key in answers}
    return json.dumps(relevant, sort_keys=True, default=str)


@lru_cache(maxsize=32)
def _build(canonical: str) -> ProjectContext:
    spec = load_spec(json.loads(canonical))
    return ProjectContext(
        spec=spec,
        api=APIArchitect().design(spec),
        backend=BackendDeveloper().plan(spec),
        integrations=IntegrationSpecialist().plan(spec),
    )


def build_context(answers: dict[str, Any]) -> ProjectContext:
    """Validate the answers and run the agents offline (memoized)."""
    return _build(_canonical(answers))
