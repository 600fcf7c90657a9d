"""BackendDeveloper: authentication, middleware, background jobs, dependencies and the implementation plan."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from backend_squad.agents.base import BaseAgent
from backend_squad.oauth_providers import OAUTH_ENV_VARS, OAuthProviderDesign, provider_designs, public_url_setting
from backend_squad.spec import AuthMethod, Database, Framework, ProjectSpec

# Pinned lower bounds the generated pyproject uses; checked against the registry when the template changes.
PYTHON_DEPENDENCIES = {
    "core": [
        "fastapi>=0.115", "uvicorn[standard]>=0.34", "sqlalchemy[asyncio]>=2.0.36", "alembic>=1.14",
        "pydantic[email]>=2.10", "pydantic-settings>=2.7", "pyjwt>=2.10", "pwdlib[argon2]>=0.2.1",
        "python-multipart>=0.0.20",
    ],
    Database.SQLITE: ["aiosqlite>=0.20"],
    Database.POSTGRESQL: ["asyncpg>=0.30"],
    Database.MYSQL: ["aiomysql>=0.2", "cryptography>=43"],
    "rate_limiting": ["limits[async-redis]>=4.0"],
    "rate_limited_lookups": ["cachetools>=5"],  # the API-key and session lookups of rate limiting, kept a minute
    "background_jobs": ["celery[redis]>=5.4"],
    "oauth": ["authlib>=1.9", "httpx2>=2.16"],  # Authlib 1.9 runs on httpx2; its httpx fallback is deprecated
}
# Drivers for every database, so `make test` works against any DATABASE_URL the owner points it at.
ALL_DRIVERS = [*PYTHON_DEPENDENCIES[Database.SQLITE], *PYTHON_DEPENDENCIES[Database.POSTGRESQL],
               *PYTHON_DEPENDENCIES[Database.MYSQL]]
DEV_DEPENDENCIES = ["pytest>=8.3", "pytest-asyncio>=0.25", "httpx>=0.28", "ruff>=0.9", "bandit>=1.8"]


class Middleware(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    purpose: str


class Job(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    schedule_seconds: int | None
    purpose: str


# Both stacks read these when magic links are chosen (FastAPI's settings, Next.js's config.ts).
MAGIC_LINK_ENV_VARS = [
    ("MAGIC_LINK_URL", "http://localhost:3000/magic-link",
     "your front end's page that receives ?token= from a sign-in link and posts it to /auth/magic-link/verify"),
    ("MAGIC_LINK_MINUTES", "15", "how long a sign-in link works (1 to 1440 minutes)"),
]

# Both stacks read these when cookie sessions are chosen.
SESSION_ENV_VARS = [
    ("SESSION_IDLE_MINUTES", "120", "a cookie session unused this long ends"),
    ("SESSION_MAX_DAYS", "14", "a cookie session ends this long after it started, used or not"),
    ("SESSION_COOKIE_SECURE", "true", "the Secure flag on the session and CSRF cookies (false only for a plain-http "
     "server that is not localhost)"),
    ("REFRESH_TOKEN_COOKIE", "false", "true: token routes put the refresh token in an httpOnly cookie instead of the "
     "JSON body, and /auth/refresh and /auth/logout read it from there"),
]

# Both stacks read these in multi-tenant projects: where an invitation e-mail sends people, and for how long.
INVITATION_ENV_VARS = [
    ("INVITATION_URL", "http://localhost:3000/invitations/accept",
     "your front end's page that receives ?token= from an invitation and posts it to /invitations/accept"),
    ("INVITATION_TTL_HOURS", "168", "how long an invitation works (1 to 720 hours)"),
]


class BackendPlan(BaseModel):
    """What BackendDeveloper decided: auth, middleware, jobs, dependencies and the settings they read."""

    model_config = ConfigDict(frozen=True)

    auth_methods: tuple[str, ...]
    password_jwt: bool
    api_keys: bool
    access_token_minutes: int
    refresh_token_days: int
    middleware: tuple[Middleware, ...]
    rate_limiting: bool
    rate_limit_default: str
    background_jobs: bool
    jobs: tuple[Job, ...]
    dependencies: tuple[str, ...]
    dev_dependencies: tuple[str, ...]
    database: str
    database_url_default: str
    env_vars: tuple[tuple[str, str, str], ...]  # (name, example, help)
    implementation_plan: tuple[str, ...]
    oauth_providers: tuple[OAuthProviderDesign, ...] = ()  # the sign-in providers offered, empty without oauth

    @property
    def oauth_env_vars(self) -> tuple[tuple[str, str, str], ...]:
        """(name, example, help) of the OAuth settings: PUBLIC_URL, OAUTH_REDIRECT_URL and each provider's."""
        names = {"PUBLIC_URL", "OAUTH_REDIRECT_URL"} | {
            name for provider in self.oauth_providers for name, _, _ in provider.settings()
        }
        return tuple(var for var in self.env_vars if self.oauth_providers and var[0] in names)

    @property
    def secret_env_vars(self) -> tuple[str, ...]:
        """Settings of the auth plan that hold credentials (the security check looks for their values in git)."""
        return tuple(f"{provider.env}_CLIENT_SECRET" for provider in self.oauth_providers)


class BackendDeveloper(BaseAgent):
    name = "backend_developer"
    role = "Implements auth, middleware, background jobs and the build plan"

    def generate_authentication(self, spec: ProjectSpec) -> dict[str, Any]:
        return {
            "methods": [method.value for method in spec.auth_methods],
            "password_hashing": "argon2id (pwdlib)",
            "access_token": {"algorithm": "HS256", "minutes": 15, "claims": ["sub", "role", "exp", "iat", "type"]},
            "refresh_token": {"storage": "sha256 hash in refresh_tokens", "days": 14, "rotation": True,
                              "reuse": "revokes every refresh token of the user"},
            "api_keys": AuthMethod.API_KEY in spec.auth_methods,
            "magic_links": AuthMethod.MAGIC_LINK in spec.auth_methods,
            "sessions": AuthMethod.SESSION in spec.auth_methods,
        }

    def generate_middleware(self, spec: ProjectSpec) -> tuple[Middleware, ...]:
        middleware = [
            Middleware(name="request_id", purpose="X-Request-ID on every response, echoed from the request if sent"),
            Middleware(name="security_headers", purpose="nosniff, frame denial, referrer policy, strict CSP on JSON"),
            Middleware(name="cors", purpose="origins from CORS_ORIGINS"),
        ]
        if spec.rate_limiting:
            middleware.append(Middleware(name="rate_limit", purpose="limits package; per API key, user or client IP"))
        return tuple(middleware)

    def generate_background_jobs(self, spec: ProjectSpec) -> tuple[Job, ...]:
        if not spec.background_jobs:
            return ()
        jobs = [Job(name="purge_expired_refresh_tokens", schedule_seconds=3600,
                    purpose="delete refresh tokens that expired or were revoked more than a day ago")]
        if AuthMethod.SESSION in spec.auth_methods:
            jobs.append(Job(name="purge_ended_sessions", schedule_seconds=3600,
                            purpose="delete cookie sessions that expired or sat idle past SESSION_IDLE_MINUTES"))
        return tuple(jobs)

    @staticmethod
    def _route_limit_example(spec: ProjectSpec) -> str:
        """A ROUTE_RATE_LIMITS value for the project's first resource, with the prefix its routes really have."""
        from backend_squad.agents.api_architect import APIArchitect  # a sibling agent: imported late, like get_agent

        prefix = APIArchitect().design_versioning_strategy(spec)["prefix"]
        path = prefix + "/" + spec.models[0].table.replace("_", "-")  # as design.build_resources names it
        return f"POST {path}=10/minute,DELETE {path}/{{item_id}}=5/minute"

    def plan(self, spec: ProjectSpec) -> BackendPlan:
        dependencies = [*PYTHON_DEPENDENCIES["core"], *ALL_DRIVERS]
        if spec.rate_limiting:
            dependencies += PYTHON_DEPENDENCIES["rate_limiting"]
        if spec.rate_limits_looked_up_callers:
            dependencies += PYTHON_DEPENDENCIES["rate_limited_lookups"]
        if spec.background_jobs:
            dependencies += PYTHON_DEPENDENCIES["background_jobs"]
        oauth = provider_designs(spec.chosen_oauth_providers)
        if oauth:
            dependencies += PYTHON_DEPENDENCIES["oauth"]
        database_url = {
            Database.SQLITE: f"sqlite:///./{spec.project_slug}.db",
            Database.POSTGRESQL: f"postgresql://postgres:postgres@localhost:5432/{spec.project_slug}",
            Database.MYSQL: f"mysql://app:app@localhost:3306/{spec.project_slug}",
        }[spec.database]
        env_vars = [
            ("ENVIRONMENT", "development", "development, test or production"),
            ("SECRET_KEY", "<generated on copy>", "signs access tokens; at least 32 random bytes"),
            ("DATABASE_URL", database_url, "postgresql://, mysql:// or sqlite:/// URL as your host gives it"),
            ("CORS_ORIGINS", '["http://localhost:3000"]', "JSON list of browser origins allowed to call the API"),
            ("ACCESS_TOKEN_MINUTES", "15", "lifetime of access tokens"),
            ("REFRESH_TOKEN_DAYS", "14", "lifetime of refresh tokens"),
        ]
        if AuthMethod.MAGIC_LINK in spec.auth_methods:
            env_vars += MAGIC_LINK_ENV_VARS
        if AuthMethod.SESSION in spec.auth_methods:
            env_vars += SESSION_ENV_VARS
        if oauth:
            env_vars += [public_url_setting("http://localhost:3000" if spec.framework == Framework.NEXTJS
                                            else "http://localhost:8000"), *OAUTH_ENV_VARS]
            env_vars += [setting for provider in oauth for setting in provider.settings()]
        if spec.multi_tenant:
            env_vars += INVITATION_ENV_VARS
        if spec.roles:
            env_vars.append(("DEFAULT_ROLE", spec.roles[0],
                             f"role of newly registered users: {', '.join(spec.roles)}, or empty for none"))
        if spec.rate_limiting:
            env_vars.append(("RATE_LIMIT", "120/minute", "default limit per caller: user, API key or client address "
                             "(limits notation)"))
            env_vars.append(("RATE_LIMIT_PLANS", "", "limits by plan instead of RATE_LIMIT, "
                             "for example free=60/minute,pro=600/minute (set a user's plan with PUT /users/{id}/plan)"))
            example = self._route_limit_example(spec)
            env_vars.append(("ROUTE_RATE_LIMITS", "", f"extra limits per route and caller, for example {example}"))
            signing_in = ("login, register, refresh"
                          + (", cookie sessions" if AuthMethod.SESSION in spec.auth_methods else "")
                          + (", magic links" if AuthMethod.MAGIC_LINK in spec.auth_methods else "")
                          + (", OAuth codes" if oauth else ""))
            env_vars.append(("AUTH_RATE_LIMIT", "10/minute", f"sign-in attempts per client address ({signing_in})"))
        if spec.rate_limiting or spec.background_jobs:
            env_vars.append(("REDIS_URL", "redis://localhost:6379/0",
                             "Redis for rate limits and jobs; empty uses in-memory rate limits"))
        auth = self.generate_authentication(spec)
        return BackendPlan(
            auth_methods=tuple(auth["methods"]),
            password_jwt=True,
            api_keys=auth["api_keys"],
            access_token_minutes=15,
            refresh_token_days=14,
            middleware=self.generate_middleware(spec),
            rate_limiting=spec.rate_limiting,
            rate_limit_default="120/minute",
            background_jobs=spec.background_jobs,
            jobs=self.generate_background_jobs(spec),
            dependencies=tuple(dependencies),
            dev_dependencies=tuple(DEV_DEPENDENCIES),
            database=spec.database.value,
            database_url_default=database_url,
            env_vars=tuple(env_vars),
            oauth_providers=oauth,
            implementation_plan=(
                "models and initial Alembic migration",
                "schemas (Create/Update/Read) with declared constraints",
                "CRUD routers with pagination, filters, sorting and owner scoping",
                "auth: register, login, refresh rotation, logout" + (", API keys" if auth["api_keys"] else "")
                + (", magic links" if auth["magic_links"] else "")
                + (", cookie sessions with CSRF tokens" if auth["sessions"] else "")
                + (", OAuth sign-in with " + ", ".join(p.title for p in oauth) if oauth else ""),
                "middleware: " + ", ".join(m.name for m in self.generate_middleware(spec)),
                *(["background jobs: " + ", ".join(j.name for j in self.generate_background_jobs(spec))]
                  if spec.background_jobs else []),
                "tests against SQLite, PostgreSQL and MariaDB",
            ),
        )

    async def execute(self, task: ProjectSpec | dict[str, Any]) -> dict[str, Any]:
        plan = self.plan(self.spec_from_task(task))
        return {
            "files": [],  # the template renders the files from the plan
            "dependencies": list(plan.dependencies),
            "setup_instructions": list(plan.implementation_plan),
            "env_vars": [{"name": n, "example": e, "help": h} for n, e, h in plan.env_vars],
            "plan": plan,
        }
