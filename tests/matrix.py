"""The option matrix: every valid combination of the core axes, and a small covering set of them.

Used by ``tests/test_matrix.py``: every combination is rendered and linted, the covering set is installed and
tested against real services. Validity comes from the product's own rules (``load_spec``), not from a copy here.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

from backend_squad.presets import PRESET_OPTIONS, preset_models, preset_option
from backend_squad.spec import SpecError, load_spec

PRESETS = tuple(PRESET_OPTIONS)
FRAMEWORKS = ("fastapi", "nextjs")
ORMS = ("prisma", "drizzle")  # Next.js only: a FastAPI combination has no orm
DATABASES = ("sqlite", "postgresql", "mysql")
# Password only, and every method at once (each method's files are independent of the others').
AUTH = (("password_jwt",), ("password_jwt", "api_key", "magic_link", "oauth", "session"))
# Integrations in groups of one kind each (every provider of the kind together), plus none and all of them.
INTEGRATION_GROUPS: dict[str, tuple[str, ...]] = {
    "none": (),
    "payments": ("stripe",),
    "email": ("sendgrid", "mailgun", "ses", "resend", "smtp"),
    "storage": ("s3", "r2", "gcs", "supabase_storage"),
    "messaging": ("twilio", "vonage", "slack", "discord", "telegram"),
    "webhooks": ("webhooks",),
}
INTEGRATION_GROUPS["all"] = tuple(name for group in INTEGRATION_GROUPS.values() for name in group)
BOOLEANS = (False, True)

Combination = dict[str, Any]


def answers(combination: Combination) -> dict[str, Any]:
    """The Copier answers (``--data``) for one combination."""
    data = {key: value for key, value in combination.items() if key != "integration_group"}
    data["integrations"] = list(INTEGRATION_GROUPS[combination["integration_group"]])
    data["auth_methods"] = list(combination["auth_methods"])
    return data


def is_valid(combination: Combination) -> bool:
    """Whether the product accepts these answers (the same rules the questions' validators apply)."""
    data = answers(combination) | {"models": preset_models(combination["preset"]),
                                   "roles": preset_option(combination["preset"], "roles")}
    try:
        load_spec(data)
    except (SpecError, ValueError):
        return False
    return True


def every_combination() -> Iterator[Combination]:
    """Every valid combination of the axes, in a stable order."""
    stacks = [{"framework": "fastapi"}, *({"framework": "nextjs", "orm": orm} for orm in ORMS)]
    for stack, preset, database, auth, group, jobs, versioning, rate in itertools.product(
        stacks, PRESETS, DATABASES, AUTH, INTEGRATION_GROUPS, BOOLEANS, BOOLEANS, BOOLEANS
    ):
        combination = {**stack, "preset": preset, "database": database, "auth_methods": auth,
                       "integration_group": group, "background_jobs": jobs, "api_versioning": versioning,
                       "rate_limiting": rate}
        if is_valid(combination):
            yield combination


PAIRWISE_AXES = ("framework", "database", "auth_methods", "background_jobs")


def covering_set(combinations: list[Combination], axes: tuple[str, ...] = PAIRWISE_AXES) -> list[Combination]:
    """A few combinations that hold every pair of values of PAIRWISE_AXES that occurs at all, and every value of
    every other axis at least once (greedy: each pick covers the most uncovered pairs, then values)."""

    def pairs(combination: Combination) -> set[tuple[str, Any, str, Any]]:
        return {(a, combination[a], b, combination[b]) for a, b in itertools.combinations(axes, 2)}

    def values(combination: Combination) -> set[tuple[str, Any]]:
        return {(axis, value) for axis, value in combination.items()}

    missing_pairs = set().union(*(pairs(c) for c in combinations))
    missing_values = set().union(*(values(c) for c in combinations))
    chosen: list[Combination] = []
    while missing_pairs or missing_values:
        best = max(combinations, key=lambda c: (len(pairs(c) & missing_pairs), len(values(c) & missing_values)))
        chosen.append(best)
        missing_pairs -= pairs(best)
        missing_values -= values(best)
    return chosen


def label(combination: Combination) -> str:
    """A short, readable test id."""
    flags = "".join(flag for flag, on in (("J", combination["background_jobs"]), ("V", combination["api_versioning"]),
                                          ("R", combination["rate_limiting"])) if on)
    auth = "key" if "api_key" in combination["auth_methods"] else "jwt"
    stack = "-".join(filter(None, (combination["framework"], combination.get("orm"))))
    return (f"{stack}-{combination['preset']}-{combination['database']}-{auth}-"
            f"{combination['integration_group']}-{flags or 'plain'}")


COMBINATIONS: list[Combination] = list(every_combination())
COVERING: list[Combination] = covering_set(COMBINATIONS)
COVERING_NEXTJS: list[Combination] = [c for c in COVERING if c["framework"] == "nextjs"]
# Type-checking a Next.js project takes seconds (with integrations, the SDKs' large declarations: Stripe's alone
# several), so of the Next.js combinations the matrix type-checks and lints covering sets and renders the others
# with the leftover checks only: of each integration group, every preset and every pair of the core axes and the
# orm; of those without integrations, on each database, every pair of values of every other axis.
NEXTJS_AXES = (*PAIRWISE_AXES, "orm")
_NEXTJS_BY_GROUP: dict[str, list[Combination]] = {}
for _combination in COMBINATIONS:
    if _combination["framework"] == "nextjs" and _combination["integration_group"] != "none":
        _NEXTJS_BY_GROUP.setdefault(_combination["integration_group"], []).append(_combination)
_CHECKED_NEXTJS_WITH_INTEGRATIONS = {label(c) for group in _NEXTJS_BY_GROUP.values()
                                     for c in covering_set(group, NEXTJS_AXES)}
NEXTJS_PLAIN_AXES = ("orm", "preset", "auth_methods", "background_jobs", "api_versioning", "rate_limiting")
NEXTJS_PLAIN: dict[str, list[Combination]] = {
    database: [c for c in COMBINATIONS if c["framework"] == "nextjs" and c["database"] == database
               and c["integration_group"] == "none"]
    for database in DATABASES
}
_CHECKED_NEXTJS_PLAIN = {label(c) for rows in NEXTJS_PLAIN.values() for c in covering_set(rows, NEXTJS_PLAIN_AXES)}


def fully_checked(combination: Combination) -> bool:
    """Whether the matrix type-checks and lints this combination, not only renders it."""
    if combination["framework"] == "nextjs" and combination["integration_group"] != "none":
        return label(combination) in _CHECKED_NEXTJS_WITH_INTEGRATIONS
    if combination["framework"] == "nextjs":
        return label(combination) in _CHECKED_NEXTJS_PLAIN
    return True
