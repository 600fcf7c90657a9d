"""Fast checks of the Next.js output on Drizzle (Prisma's own are in test_prisma_render.py): the files are there,
no Python, exact versions; FastAPI gets none of them."""

import json
import re
from pathlib import Path

import pytest
import yaml

from backend_squad.integrations import CATALOG
from tests.conftest import NEXTJS_INTEGRATIONS, TEMPLATE, render

NEXT_FILES = [
    "package.json", "tsconfig.json", "next.config.ts", "biome.json", "vitest.config.ts", "drizzle.config.ts",
    "Makefile", ".gitignore", ".env.example", ".env", "src/proxy.ts", "src/openapi.json", "src/db/index.ts",
    "src/lib/config.ts", "src/lib/problem.ts", "src/lib/auth.ts", "src/lib/http.ts", "src/lib/accounts.ts",
    "src/app/api/health/route.ts", "src/app/api/openapi.json/route.ts", "src/app/api/[...path]/route.ts",
    "scripts/migrate.ts", "scripts/create-admin.ts", "scripts/check-migrations.ts",
    "tests/global-setup.ts", "tests/setup.ts", "tests/helpers.ts", "tests/auth.test.ts", "tests/platform.test.ts",
    "Dockerfile", ".dockerignore", ".github/workflows/ci.yml", "docker-compose.yml", "schemathesis.toml",
    "README.md", "docs/SETUP.md", "docs/GUIDE.md",
]
AUTH_ROUTES = ["auth/register", "auth/login", "auth/refresh", "auth/logout", "users/me"]


@pytest.fixture(scope="module")
def nextjs(tmp_path_factory):
    dest = tmp_path_factory.mktemp("nextjs")
    result = render(dest, framework="nextjs", orm="drizzle", preset="blog", auth_methods=["password_jwt", "api_key"])
    assert result.returncode == 0, result.stderr
    return dest


@pytest.fixture(scope="module")
def nextjs_postgresql(tmp_path_factory):
    dest = tmp_path_factory.mktemp("nextjs-postgresql")
    result = render(dest, framework="nextjs", orm="drizzle", preset="saas", database="postgresql",
                    auth_methods=["password_jwt"])
    assert result.returncode == 0, result.stderr
    return dest


@pytest.fixture(scope="module")
def nextjs_mysql(tmp_path_factory):
    dest = tmp_path_factory.mktemp("nextjs-mysql")
    result = render(dest, framework="nextjs", orm="drizzle", preset="ecommerce", database="mysql",
                    background_jobs=False, rate_limiting=False)
    assert result.returncode == 0, result.stderr
    return dest


@pytest.fixture(scope="module")
def fastapi(tmp_path_factory):
    dest = tmp_path_factory.mktemp("fastapi")
    result = render(dest, preset="blog")
    assert result.returncode == 0, result.stderr
    return dest


def test_nextjs_render_has_the_skeleton(nextjs):
    for name in NEXT_FILES:
        assert (nextjs / name).is_file(), name
    for route in AUTH_ROUTES:
        assert (nextjs / "src/app/api/v1" / route / "route.ts").is_file(), route
    assert (nextjs / "src/app/api/v1/api-keys/route.ts").is_file()
    assert (nextjs / "src/app/api/v1/api-keys/[id]/route.ts").is_file()
    assert (nextjs / "tests/api-keys.test.ts").is_file()


def test_rate_limiting_is_rendered_only_when_chosen(nextjs, nextjs_postgresql):
    for project, limited in ((nextjs, False), (nextjs_postgresql, True)):  # blog does not limit rates, saas does
        assert (project / "src/lib/rate-limit.ts").is_file() is limited
        assert (project / "tests/rate-limit.test.ts").is_file() is limited
        assert ("@/lib/rate-limit" in (project / "src/proxy.ts").read_text()) is limited
        dependencies = json.loads((project / "package.json").read_text())["dependencies"]
        assert ({"ioredis", "rate-limiter-flexible"} <= set(dependencies)) is limited
        assert ("RATE_LIMIT=" in (project / ".env.example").read_text()) is limited


def test_background_jobs_are_rendered_only_when_chosen(nextjs, nextjs_postgresql):
    for project, jobs in ((nextjs, False), (nextjs_postgresql, True)):  # blog has no jobs, saas has
        for name in ("src/jobs/queue.ts", "src/jobs/tasks.ts", "src/jobs/worker.ts", "scripts/worker.ts",
                     "tests/worker.test.ts"):
            assert (project / name).is_file() is jobs, name
        assert ("bullmq" in json.loads((project / "package.json").read_text())["dependencies"]) is jobs
        assert ("worker" in _makefile_targets(project)) is jobs
        services = yaml.safe_load((project / "docker-compose.yml").read_text())["services"]
        assert (services.get("worker", {}).get("command") == ["node_modules/.bin/tsx", "scripts/worker.ts"]) is jobs
    # The schedule comes from BackendDeveloper's plan, the same as the Celery beat schedule of the FastAPI output.
    tasks = (nextjs_postgresql / "src/jobs/tasks.ts").read_text()
    assert '{ name: "purge_expired_refresh_tokens", everyMs: 3600000 }' in tasks


EMAIL_PROVIDERS = tuple(name for name in NEXTJS_INTEGRATIONS if CATALOG[name].category == "email")
STORAGE_PROVIDERS = tuple(name for name in NEXTJS_INTEGRATIONS if CATALOG[name].category == "storage")


@pytest.fixture(scope="module")
def every_integration(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("nextjs-integrations") / "p"
    result = render(project, framework="nextjs", orm="drizzle", preset="blog", integrations=list(NEXTJS_INTEGRATIONS))
    assert result.returncode == 0, result.stderr
    return project


def test_integrations_are_rendered_from_the_catalog_only_when_chosen(nextjs, nextjs_postgresql, every_integration):
    # blog chooses no integration; saas's default, the same on both stacks, is stripe, smtp and webhooks.
    for project, chosen in ((nextjs, ()), (nextjs_postgresql, ("stripe", "smtp", "webhooks")),
                            (every_integration, NEXTJS_INTEGRATIONS)):
        package = json.loads((project / "package.json").read_text())
        answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
        assert sorted(answers["integrations"]) == sorted(chosen)
        for name in NEXTJS_INTEGRATIONS:
            support = CATALOG[name].nextjs
            if name in chosen:
                assert all((project / file).is_file() for file in support.files), support.files
                assert support.dependencies.items() <= package["dependencies"].items()
                assert support.dev_dependencies.items() <= package["devDependencies"].items()
        for name in EMAIL_PROVIDERS:
            assert (project / f"src/lib/email/{name}.ts").is_file() is (name in chosen), (project, name)
        emails = [name for name in answers["integrations"] if name in EMAIL_PROVIDERS]
        assert (project / "src/lib/email").is_dir() is bool(emails)
        assert ("nodemailer" in package["dependencies"]) is ("smtp" in chosen)
        assert ("@aws-sdk/client-sesv2" in package["dependencies"]) is ("ses" in chosen)
        sms = {"twilio", "vonage"} & set(chosen)  # the E.164 checks are theirs; chat providers share the rest
        assert (project / "src/lib/notify/phone.ts").is_file() is bool(sms)
        assert (project / "src/lib/notify").is_dir() is bool(sms | {"slack", "discord", "telegram"} & set(chosen))
        http_apis = {"resend", "sendgrid", "mailgun"} & set(chosen)  # they share one POST helper
        assert (project / "src/lib/email/rest.ts").is_file() is bool(http_apis)
        env_example = (project / ".env.example").read_text()
        assert ("EMAIL_FROM=" in env_example) is bool(emails)
        if len(emails) > 1:  # the first chosen (in copier.yml's order) is the default
            assert f"EMAIL_PROVIDER={emails[0]}" in env_example
        assert ("EMAIL_PROVIDER=" in env_example) is (len(emails) > 1)
    setup = (every_integration / "docs/SETUP.md").read_text()
    assert "npx tsx scripts/send-email.ts" in setup and ".venv/bin/python" not in setup
    assert "npx tsx scripts/notify.ts sms +15558675310" in setup and "npx tsx scripts/notify.ts chat" in setup


def test_storage_serves_files_routes_listed_in_the_openapi_document(nextjs, every_integration):
    """S3 and R2 share one client module and the /files routes; STORAGE_PROVIDER picks the first chosen."""
    for project, chosen in ((nextjs, ()), (every_integration, STORAGE_PROVIDERS)):
        files = project / "src/app/api/v1/files"
        routes = [files / "route.ts", files / "presign-upload/route.ts", files / "[...key]/route.ts"]
        assert [route.is_file() for route in routes] == [bool(chosen)] * 3
        assert (project / "src/lib/storage/s3.ts").is_file() is bool(chosen)
        storage = (project / "src/lib/storage/settings.ts").read_text() if chosen else ""
        for name in STORAGE_PROVIDERS:
            assert (f'"{name}"' in storage) is (name in chosen)
        document = json.loads((project / "src/openapi.json").read_text())
        listed = {path: sorted(item) for path, item in document["paths"].items() if "/files" in path}
        assert listed == ({"/api/v1/files": ["post"], "/api/v1/files/presign-upload": ["post"],
                           "/api/v1/files/{key}/download-url": ["get"], "/api/v1/files/{key}": ["delete"]}
                          if chosen else {})
        package = json.loads((project / "package.json").read_text())
        assert ("@aws-sdk/client-s3" in package["dependencies"]) is bool(chosen)
        assert ("s3rver" in package["devDependencies"]) is bool(chosen)
    answers = yaml.safe_load((every_integration / ".copier-answers.yml").read_text())
    first = next(name for name in answers["integrations"] if name in STORAGE_PROVIDERS)
    assert f"STORAGE_PROVIDER={first}" in (every_integration / ".env.example").read_text()
    readme = (every_integration / "README.md").read_text()
    assert "lib/storage/" in readme and "/api/v1/files" in (every_integration / "docs/SETUP.md").read_text()


def test_supabase_storage_alone_renders_no_aws_sdk_and_serves_tests_from_its_stand_in(tmp_path):
    project = tmp_path / "supabase"
    result = render(project, framework="nextjs", orm="drizzle", preset="blog", integrations=["supabase_storage"])
    assert result.returncode == 0, result.stderr
    assert (project / "src/lib/storage/supabase.ts").is_file() and (project / "tests/supabase-stand-in.ts").is_file()
    assert not (project / "src/lib/storage/s3.ts").exists()
    package = json.loads((project / "package.json").read_text())
    assert "@aws-sdk/client-s3" not in package["dependencies"] and "s3rver" not in package["devDependencies"]
    setup = (project / "tests/global-setup.ts").read_text()
    assert "startSupabaseStandIn(TEST_BUCKET)" in setup and "s3rver" not in setup
    assert "SUPABASE_SERVICE_ROLE_KEY=" in (project / ".env.example").read_text()


def test_actions_get_one_route_per_resource_and_slots_the_owner_keeps(tmp_path):
    models = [{"name": "Post", "fields": [{"name": "title", "type": "string"}],
               "actions": [{"name": "publish", "description": "Publish it"},
                           {"name": "mark_archived", "description": "Archive it", "method": "PUT"}]},
              {"name": "Tag", "fields": [{"name": "label", "type": "string"}]}]
    result = render(tmp_path / "p", framework="nextjs", orm="drizzle", preset="custom", models=json.dumps(models))
    assert result.returncode == 0, result.stderr
    project = tmp_path / "p"
    route = (project / "src/app/api/v1/posts/[id]/[action]/route.ts").read_text()
    assert 'publish: { method: "POST", name: "publish" }' in route
    assert '"mark-archived": { method: "PUT", name: "mark_archived" }' in route
    assert not (project / "src/app/api/v1/tags/[id]/[action]").exists() and not (project / "src/actions/tag.ts").exists()
    slots = (project / "src/actions/post.ts").read_text()
    for slot in ("Post.publish", "Post.mark_archived"):
        assert f"// >>> backend-squad slot {slot}" in slots and f'throw new NotImplemented("{slot}")' in slots
    paths = json.loads((project / "src/openapi.json").read_text())["paths"]
    assert set(paths["/api/v1/posts/{item_id}/publish"]) == {"parameters", "post"}
    assert "501" in paths["/api/v1/posts/{item_id}/mark-archived"]["put"]["responses"]
    copier = yaml.safe_load((TEMPLATE / "copier.yml").read_text())
    assert "src/actions/*.ts" in copier["_skip_if_exists"]  # the owner's code after copy: updates leave it alone


def test_nextjs_render_has_no_python(nextjs):
    python = [p.relative_to(nextjs) for p in nextjs.rglob("*") if p.suffix in (".py", ".ini", ".mako")]
    assert python == []
    assert not (nextjs / "app").exists() and not (nextjs / "migrations").exists()
    assert not (nextjs / "pyproject.toml").exists()
    assert "__pycache__" not in (nextjs / ".gitignore").read_text()
    assert "node_modules/" in (nextjs / ".gitignore").read_text()


def test_package_versions_are_exact(nextjs):
    package = json.loads((nextjs / "package.json").read_text())
    versions = {**package["dependencies"], **package["devDependencies"]}
    assert {"next", "drizzle-orm", "drizzle-kit", "zod", "jose", "@node-rs/argon2", "@libsql/client"} <= set(versions)
    assert "pg" not in versions  # SQLite was chosen: one driver only
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", version) for version in versions.values()), versions
    assert package["type"] == "module"
    assert "-H 127.0.0.1" in package["scripts"]["start"]


def test_env_has_a_generated_secret_and_a_libsql_url(nextjs):
    env = dict(line.split("=", 1) for line in (nextjs / ".env").read_text().splitlines() if "=" in line and not line.startswith("#"))
    assert len(env["SECRET_KEY"]) >= 32 and env["SECRET_KEY"] != "change-me-to-at-least-32-random-characters"
    assert env["DATABASE_URL"].startswith("file:")


def test_openapi_json_is_the_design_document_under_api(nextjs):
    document = json.loads((nextjs / "src/openapi.json").read_text())
    assert document["openapi"].startswith("3.1")
    assert all(path.startswith("/api/") for path in document["paths"])
    assert "/api/health" in document["paths"] and "/api/v1/posts/{item_id}" in document["paths"]


def test_without_api_keys_or_versioning(tmp_path):
    result = render(tmp_path, framework="nextjs", orm="drizzle", preset="blog", auth_methods=["password_jwt"],
                    api_versioning=False, database="postgresql")
    assert result.returncode == 0, result.stderr
    assert not list(tmp_path.rglob("*api-keys*"))
    assert (tmp_path / "src/app/api/(api)/auth/login/route.ts").is_file()
    package = json.loads((tmp_path / "package.json").read_text())
    assert "pg" in package["dependencies"] and "@libsql/client" not in package["dependencies"]
    assert '"postgresql"' in (tmp_path / "drizzle.config.ts").read_text()
    assert "X-API-Key" not in (tmp_path / "src/lib/auth.ts").read_text()
    document = json.loads((tmp_path / "src/openapi.json").read_text())
    assert "/api/auth/login" in document["paths"]
    assert 'API_PREFIX = "/api"' in (tmp_path / "src/lib/config.ts").read_text()


def test_mysql_uses_mysql2_and_a_mysql_url_everywhere(nextjs_mysql):
    package = json.loads((nextjs_mysql / "package.json").read_text())
    assert "mysql2" in package["dependencies"]
    assert not {"pg", "@libsql/client"} & set(package["dependencies"])
    assert '"mysql"' in (nextjs_mysql / "drizzle.config.ts").read_text()
    assert '"--dialect", "mysql"' in (nextjs_mysql / "scripts/check-migrations.ts").read_text()
    assert 'from "drizzle-orm/mysql-core"' in (nextjs_mysql / "src/db/schema.ts").read_text()
    assert 'from "drizzle-orm/mysql2"' in (nextjs_mysql / "src/db/index.ts").read_text()
    env = (nextjs_mysql / ".env").read_text()
    assert "DATABASE_URL=mysql://app:app@localhost:3306/my_api" in env and "DATABASE_POOL_SIZE=" in env
    assert "mysql://app:app@localhost:3306/my_api" in (nextjs_mysql / "src/lib/config.ts").read_text()
    # MySQL has no RETURNING: nothing rendered may ask for it
    sources = [path for path in (nextjs_mysql / "src").rglob("*.ts")]
    assert not [path for path in sources if ".returning(" in path.read_text() or "onConflictDo" in path.read_text()]


def test_fastapi_render_has_no_next_files(fastapi):
    for name in ["package.json", "tsconfig.json", "next.config.ts", "biome.json", "src", "scripts/migrate.ts", ".npmrc"]:
        assert not (fastapi / name).exists(), name
    assert "__pycache__/" in (fastapi / ".gitignore").read_text()


# Words that only belong to the FastAPI output.
PYTHON_WORDS = re.compile(r"alembic|uvicorn|celery|pytest|pyproject|\.venv|python|pip install|/docs\b|:8000", re.IGNORECASE)
MAKE_TARGET = re.compile(r"\bmake\s+([a-z][a-z0-9-]*)")
# The routes of the skeleton: each answers every other method with a 405 problem (src/lib/http.ts).
SKELETON_ROUTES = ["health", "openapi.json", *(f"v1/{route}" for route in AUTH_ROUTES), "v1/api-keys", "v1/api-keys/[id]"]


def _makefile_targets(project) -> set[str]:
    text = (project / "Makefile").read_text()
    return {match.group(1) for match in re.finditer(r"^([a-z][a-z0-9-]*):", text, re.MULTILINE)}


def _env_example_names(project) -> list[str]:
    return [line.split("=", 1)[0] for line in (project / ".env.example").read_text().splitlines()
            if line and not line.startswith("#") and "=" in line]


@pytest.mark.parametrize("name", ["README.md", "docs/SETUP.md", "docs/GUIDE.md", "Dockerfile", "docker-compose.yml",
                                  "schemathesis.toml", ".github/workflows/ci.yml"])
def test_shared_files_speak_nextjs(nextjs, nextjs_postgresql, name):
    for project in (nextjs, nextjs_postgresql):
        text = (project / name).read_text()
        assert "{{" not in text and "{%" not in text, name
        assert not PYTHON_WORDS.search(text), (name, PYTHON_WORDS.search(text).group(0))


def test_dockerfile_builds_with_next_and_runs_as_a_user(nextjs, nextjs_postgresql):
    for project in (nextjs, nextjs_postgresql):
        dockerfile = (project / "Dockerfile").read_text()
        stages = re.findall(r"^FROM (\S+)", dockerfile, re.MULTILINE)
        assert len(stages) >= 3 and set(stages) <= {"node:20-slim", "deps"}, stages
        assert "next build" in dockerfile and "--omit=dev" in dockerfile
        assert "USER app" in dockerfile and "HEALTHCHECK" in dockerfile and "/api/health" in dockerfile
        # next start in WORKERS processes; scripts/serve.mjs is plain JavaScript, as the image has no dev dependencies
        assert 'CMD ["node", "scripts/serve.mjs", "-H", "0.0.0.0", "-p", "3000"]' in dockerfile
        assert "ENV WORKERS=1" in dockerfile and (project / "scripts/serve.mjs").is_file()
        assert "scripts/migrate.ts" in dockerfile
    assert "ENV DATABASE_URL=file:/data/" in (nextjs / "Dockerfile").read_text()
    assert "DATABASE_URL=file:" not in (nextjs_postgresql / "Dockerfile").read_text()


def test_compose_runs_the_app_on_3000_after_the_migrations(nextjs, nextjs_postgresql, nextjs_mysql):
    for project, database, redis in ((nextjs, None, False), (nextjs_postgresql, "postgres:16", True),  # saas: jobs
                                     (nextjs_mysql, "mariadb:11", False)):
        services = yaml.safe_load((project / "docker-compose.yml").read_text())["services"]
        assert set(services) == ({"app", "migrate"} | ({"db"} if database else set())
                                 | ({"redis", "worker"} if redis else set()))
        assert (services["app"]["environment"].get("REDIS_URL") == "redis://redis:6379/0") is redis
        assert services["app"]["ports"] == ["3000:3000"]
        assert services["migrate"]["command"] == ["node_modules/.bin/tsx", "scripts/migrate.ts"]
        assert services["app"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        url = services["app"]["environment"]["DATABASE_URL"]
        if database:
            scheme = "postgresql://" if database.startswith("postgres") else "mysql://"
            assert services["db"]["image"] == database and url.startswith(scheme) and "@db:" in url
        else:
            assert url.startswith("file:/data/") and "sqlite-data:/data" in services["app"]["volumes"]


def test_workflow_runs_only_makefile_targets_on_the_chosen_database(nextjs, nextjs_postgresql, nextjs_mysql):
    for project, server, redis in ((nextjs, None, False), (nextjs_postgresql, "postgres:16", True),  # saas limits rates
                                   (nextjs_mysql, "mariadb:11", False)):
        jobs = yaml.safe_load((project / ".github" / "workflows" / "ci.yml").read_text())["jobs"]
        runs = [step["run"] for job in jobs.values() for step in job["steps"] if "run" in step]
        assert runs and all(run.startswith("make ") for run in runs), runs
        used = {MAKE_TARGET.match(run).group(1) for run in runs}
        assert {"install", "lint", "typecheck", "test", "migrate", "check-migrations"} <= used <= _makefile_targets(project)
        nodes = [step["with"] for job in jobs.values() for step in job["steps"]
                 if step.get("uses", "").startswith("actions/setup-node")]
        assert nodes and all(node["node-version"] == "20" and node["cache"] == "npm" for node in nodes)
        images = {service["image"] for job in jobs.values() for service in job.get("services", {}).values()}
        assert images == {image for image, wanted in ((server, server), ("redis:7", redis)) if wanted}
        urls = {job.get("env", {}).get("DATABASE_URL") for job in jobs.values() if "services" in job}
        assert urls == {"postgres:16": {"postgresql://postgres:postgres@localhost:5432/ci"},
                        "mariadb:11": {"mysql://root:root@127.0.0.1:3306/ci"}}.get(server, set())
        assert (jobs["test"].get("env", {}).get("TEST_REDIS_URL") == "redis://localhost:6379/0") is redis


def test_docs_mention_only_real_make_targets_settings_and_routes(nextjs, nextjs_postgresql, nextjs_mysql):
    for project in (nextjs, nextjs_postgresql, nextjs_mysql):
        targets = _makefile_targets(project)
        setup = (project / "docs" / "SETUP.md").read_text()
        readme = (project / "README.md").read_text()
        for name, text in (("README.md", readme), ("docs/SETUP.md", setup), ("docs/GUIDE.md",
                                                                             (project / "docs/GUIDE.md").read_text())):
            mentioned = set(MAKE_TARGET.findall(text))
            assert mentioned and mentioned <= targets, f"{name} mentions missing targets: {mentioned - targets}"
        assert targets - {"node_modules", "drizzle"} <= set(MAKE_TARGET.findall(setup)), "a target is undocumented"
        for name in _env_example_names(project):
            assert f"`{name}`" in setup, f"{name} from .env.example is not documented in docs/SETUP.md"
        document = json.loads((project / "src/openapi.json").read_text())
        prefix = re.search(r'API_PREFIX = "([^"]+)"', (project / "src/lib/config.ts").read_text()).group(1)
        resource_paths = [path for path in document["paths"] if path.startswith(prefix) and "{" not in path
                          and not path.startswith(f"{prefix}/auth")]
        assert resource_paths
        for path in [*resource_paths, *(f"{prefix}/{route}" for route in AUTH_ROUTES)]:
            assert f"`{path}`" in setup, f"{path} is not in docs/SETUP.md"
        assert "docs/SETUP.md" in readme and "/api/openapi.json" in setup and "drizzle-kit" in setup
        for command in ("make install", "make migrate", "make test", "make dev"):
            assert command in readme and command in setup
    assert "X-API-Key" in (nextjs / "docs/SETUP.md").read_text()
    assert "X-API-Key" not in (nextjs_postgresql / "docs/SETUP.md").read_text()


def test_schemathesis_operations_exist_in_the_openapi_document(nextjs_postgresql):
    config = (nextjs_postgresql / "schemathesis.toml").read_text()
    document = json.loads((nextjs_postgresql / "src/openapi.json").read_text())
    names = re.findall(r'include-name = "(\w+) ([^"]+)"', config)
    assert names
    for method, path in names:
        assert method.lower() in document["paths"][path], (method, path)


def test_every_route_answers_other_methods_with_405(nextjs):
    assert "export function methodNotAllowed(" in (nextjs / "src/lib/http.ts").read_text()
    routes = sorted(path for path in (nextjs / "src/app/api").rglob("route.ts") if "[...path]" not in str(path))
    assert {f"v1/{resource}" for resource in ("posts", "comments", "tags")} <= {
        str(path.parent.relative_to(nextjs / "src/app/api")) for path in routes}
    for path in routes:
        route, source = path.parent.relative_to(nextjs / "src/app/api"), path.read_text()
        exported = set(re.findall(r"^export (?:async )?(?:function|const) (GET|POST|PUT|PATCH|DELETE|OPTIONS)\b",
                                  source, re.MULTILINE))
        assert exported == {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}, (route, exported)
        assert "methodNotAllowed(" in source, route


STRIPE_ROUTES = {"checkout": ["checkout-session"], "subscriptions": ["plans", "subscription"],
                 "customer_portal": ["customer-portal"], "webhooks": ["webhook"]}


@pytest.mark.parametrize("features", [["checkout", "webhooks", "customer_portal"], ["webhooks", "subscriptions"],
                                      ["customer_portal"]])
def test_stripe_renders_the_chosen_features_only(features: list[str], tmp_path: Path):
    """Each stripe_features answer brings its routes, library module and tables; the payable order only with
    checkout and webhooks (ecommerce's Order)."""
    project = tmp_path / "p"
    result = render(project, framework="nextjs", orm="drizzle", preset="ecommerce", integrations=["stripe"],
                    stripe_features=json.dumps(features))
    assert result.returncode == 0, result.stderr
    payments = project / "src/app/api/v1/payments"
    served = sorted(path.parent.name for path in payments.glob("*/route.ts"))
    assert served == sorted(route for feature in features for route in STRIPE_ROUTES[feature])
    modules = {"checkout": "checkout.ts", "subscriptions": "subscriptions.ts", "customer_portal": "portal.ts",
               "webhooks": "webhooks.ts"}
    for feature, module in modules.items():
        assert (project / "src/lib/payments" / module).is_file() is (feature in features), module
    schema = (project / "src/db/schema.ts").read_text()
    assert 'sqliteTable("stripe_customers"' in schema
    assert ('"stripe_subscriptions"' in schema) is ("subscriptions" in features)
    assert ('"stripe_events"' in schema) is ("webhooks" in features)
    checkout = project / "src/lib/payments/checkout.ts"
    payable = {"checkout", "webhooks"} <= set(features)
    assert checkout.is_file() is ("checkout" in features)
    if checkout.is_file():
        assert ("order_id: z.int()" in checkout.read_text()) is payable
    assert json.loads((project / "package.json").read_text())["dependencies"]["stripe"] == "23.1.0"
    setup = (project / "docs/SETUP.md").read_text()
    assert "requireSubscription" in setup and "make migration name=payments" in setup
