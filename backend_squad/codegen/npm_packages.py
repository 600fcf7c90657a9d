"""The Next.js project's npm packages, pinned to exact versions: the stack, what the answers switch on, and the
chosen integrations' own (from the catalog). Sorted as npm writes them, so `npm install` leaves package.json as is."""

from __future__ import annotations

from typing import TYPE_CHECKING

from backend_squad.spec import AuthMethod, Database, Orm, ProjectSpec

if TYPE_CHECKING:
    from backend_squad.agents.integration_specialist import IntegrationPlan

STACK = {
    "@next/env": "16.4.6",
    "@node-rs/argon2": "2.2.1",
    "jose": "6.2.18",
    "next": "16.4.6",
    "react": "19.3.1",
    "react-dom": "19.3.1",
    "tsx": "4.23.15",
    "zod": "4.6.7",
}
DEV_STACK = {
    "@biomejs/biome": "2.6.8",
    "@types/node": "20.19.43",
    "@types/react": "19.3.0",
    "typescript": "5.9.3",
    "vitest": "4.1.12",
}


PRISMA = "7.10.0"  # the CLI, the client and its driver adapters are released together: one version for all
PRISMA_ADAPTERS = {
    Database.SQLITE: "@prisma/adapter-libsql",
    Database.POSTGRESQL: "@prisma/adapter-pg",
    Database.MYSQL: "@prisma/adapter-mariadb",  # the mariadb driver speaks to MySQL too
}


def dependencies(spec: ProjectSpec, integrations: IntegrationPlan) -> dict[str, str]:
    packages = dict(STACK)
    if spec.orm == Orm.PRISMA:
        packages |= {"@prisma/client": PRISMA, PRISMA_ADAPTERS[spec.database]: PRISMA}
    else:
        packages["drizzle-orm"] = "0.45.4"
    if spec.database == Database.SQLITE:
        packages["@libsql/client"] = "0.18.0"
    if spec.database == Database.POSTGRESQL:
        packages["pg"] = "8.23.1"
    if spec.database == Database.MYSQL:
        packages["mysql2"] = "3.24.5"
    if spec.background_jobs:
        packages["bullmq"] = "6.7.0"
    if spec.rate_limiting:
        packages["rate-limiter-flexible"] = "11.4.0"
        if spec.rate_limits_looked_up_callers:
            packages["lru-cache"] = "11.5.3"  # the API-key and session lookups of rate limiting, kept a minute
    if spec.rate_limiting or spec.background_jobs:
        packages["ioredis"] = "6.0.0"
    if AuthMethod.OAUTH in spec.auth_methods:
        packages["oauth4webapi"] = "3.8.8"  # the OAuth protocol library Auth.js is built on
    for entry in integrations.integrations:
        packages |= entry.nextjs.dependencies if entry.nextjs else {}
    return dict(sorted(packages.items()))


def dev_dependencies(spec: ProjectSpec, integrations: IntegrationPlan) -> dict[str, str]:
    packages = dict(DEV_STACK)
    packages |= {"prisma": PRISMA} if spec.orm == Orm.PRISMA else {"drizzle-kit": "0.31.11"}
    if spec.database == Database.POSTGRESQL:
        packages["@types/pg"] = "8.23.1"
    for entry in integrations.integrations:
        packages |= entry.nextjs.dev_dependencies if entry.nextjs else {}
    return dict(sorted(packages.items()))
