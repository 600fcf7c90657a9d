"""Fast checks of orm=prisma: a Next.js project on Prisma 7 gets the Prisma files and none of Drizzle's, and each
feature's code and generated tests go through the Prisma client."""

import json
import re
from pathlib import Path

import pytest
import yaml

from backend_squad.codegen import npm_packages
from backend_squad.presets import preset_models
from backend_squad.spec import AuthMethod, load_spec
from tests.conftest import render
from tests.test_nextjs_render import MAKE_TARGET, _makefile_targets

PRISMA_FILES = [
    "prisma/schema.prisma", "prisma.config.ts", "prisma/migrations/migration_lock.toml", "scripts/migrate.ts",
    "scripts/create-admin.ts", "src/db/index.ts", "src/lib/audit.ts", "src/lib/resources/common/crud.ts",
]
DRIZZLE_FILES = ["drizzle.config.ts", "src/db/schema.ts", "scripts/check-migrations.ts"]
TEXT_SUFFIXES = {".ts", ".json", ".md", ".yml", ".prisma", ".toml", ".sql", ""}


@pytest.fixture(scope="module")
def blog(tmp_path_factory):
    dest = tmp_path_factory.mktemp("prisma-blog")
    result = render(dest, framework="nextjs", orm="prisma", preset="blog", database="sqlite")
    assert result.returncode == 0, result.stderr
    return dest


@pytest.fixture(scope="module")
def custom_postgresql(tmp_path_factory):
    dest = tmp_path_factory.mktemp("prisma-custom")
    result = render(dest, framework="nextjs", orm="prisma", preset="custom", database="postgresql",
                    api_versioning="false")
    assert result.returncode == 0, result.stderr
    return dest


def _files(project: Path) -> list[Path]:
    return [path for path in project.rglob("*") if path.is_file() and ".git" not in path.parts]


def test_prisma_renders_its_schema_migration_and_client_modules_and_no_drizzle_file(blog, custom_postgresql):
    for project in (blog, custom_postgresql):
        for name in PRISMA_FILES:
            assert (project / name).is_file(), name
        for name in DRIZZLE_FILES:
            assert not (project / name).exists(), name
        folders = sorted(path.parent.name for path in (project / "prisma/migrations").glob("*/migration.sql"))
        assert len(folders) == 1 and re.fullmatch(r"\d{14}_init", folders[0])
        texts = {path: path.read_text() for path in _files(project) if path.suffix in TEXT_SUFFIXES}
        mentions = [str(path.relative_to(project)) for path, text in texts.items() if "drizzle" in text.lower()]
        assert mentions == [], mentions


def test_the_schema_and_migration_are_for_the_chosen_database(blog, custom_postgresql):
    for project, provider in ((blog, "sqlite"), (custom_postgresql, "postgresql")):
        schema = (project / "prisma/schema.prisma").read_text()
        assert f'provider = "{provider}"' in schema and 'output   = "../src/generated/prisma"' in schema
        assert f'provider = "{provider}"' in (project / "prisma/migrations/migration_lock.toml").read_text()
    migration = next((blog / "prisma/migrations").glob("*/migration.sql")).read_text()
    for table in ("users", "refresh_tokens", "audit_events", "posts", "comments", "tags", "posts_tags"):
        assert f'CREATE TABLE "{table}"' in migration
    assert "model Post {" in (blog / "prisma/schema.prisma").read_text()


def test_packages_are_prisma_and_its_adapter_at_one_exact_version(blog, custom_postgresql):
    for project, adapter in ((blog, "@prisma/adapter-libsql"), (custom_postgresql, "@prisma/adapter-pg")):
        package = json.loads((project / "package.json").read_text())
        everything = package["dependencies"] | package["devDependencies"]
        assert not [name for name in everything if "drizzle" in name]
        versions = {everything[name] for name in ("prisma", "@prisma/client", adapter)}
        assert versions == {npm_packages.PRISMA} and re.fullmatch(r"\d+\.\d+\.\d+", npm_packages.PRISMA)
        assert "db:check" not in package["scripts"] and package["scripts"]["db:generate"] == "prisma generate"


def test_the_generated_client_is_ignored_by_git_and_biome_and_made_by_make_install(blog):
    assert "src/generated/" in (blog / ".gitignore").read_text().splitlines()
    assert "!src/generated" in json.loads((blog / "biome.json").read_text())["files"]["includes"]
    makefile = (blog / "Makefile").read_text()
    assert re.search(r"^install: .*src/generated/prisma/client\.ts", makefile, re.MULTILINE)
    assert re.search(r"^src/generated/prisma/client\.ts: prisma/schema\.prisma", makefile, re.MULTILINE)
    assert "prisma generate" in (blog / "Dockerfile").read_text()


def test_workflow_and_docs_name_only_the_targets_the_makefile_has(blog, custom_postgresql):
    for project in (blog, custom_postgresql):
        targets = _makefile_targets(project)
        assert "check-migrations" not in targets and {"migrate", "migration"} <= targets
        jobs = yaml.safe_load((project / ".github/workflows/ci.yml").read_text())["jobs"]
        runs = [step["run"] for job in jobs.values() for step in job["steps"] if "run" in step]
        assert {MAKE_TARGET.match(run).group(1) for run in runs} <= targets
        for name in ("README.md", "docs/SETUP.md", "docs/GUIDE.md"):
            mentioned = set(MAKE_TARGET.findall((project / name).read_text()))
            assert mentioned <= targets, f"{name} mentions {mentioned - targets}"
        assert "prisma/migrations" in (project / "docs/SETUP.md").read_text()


def test_prisma_is_the_default_and_drizzle_when_chosen_renders_no_prisma_file(tmp_path):
    result = render(tmp_path / "default", framework="nextjs", preset="blog")
    assert result.returncode == 0, result.stderr
    project = tmp_path / "default"
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["orm"] == "prisma"
    assert (project / "prisma/schema.prisma").is_file() and not (project / "drizzle.config.ts").exists()

    result = render(tmp_path / "drizzle", framework="nextjs", orm="drizzle", preset="blog")
    assert result.returncode == 0, result.stderr
    project = tmp_path / "drizzle"
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["orm"] == "drizzle"
    assert not (project / "prisma").exists() and not (project / "prisma.config.ts").exists()
    assert (project / "drizzle.config.ts").is_file() and (project / "src/db/schema.ts").is_file()
    assert "prisma" not in (project / "package.json").read_text()


def test_the_spec_takes_every_next_js_answer_with_prisma_and_ignores_orm_for_fastapi():
    """Prisma covers what Drizzle does: the saas preset's options (every auth method, organizations, Stripe,
    e-mail and webhooks) and the integrations without tables load with orm prisma."""
    saas = {"framework": "nextjs", "orm": "prisma", "models": preset_models("saas"), "multi_tenant": True,
            "roles": ["editor", "viewer"], "auth_methods": [str(method) for method in AuthMethod],
            "integrations": ["stripe", "smtp", "webhooks", "s3", "slack", "twilio"]}
    assert load_spec(saas).orm == "prisma"
    assert load_spec({**saas, "framework": "fastapi"})


def test_api_keys_roles_and_rate_limits_render_with_prisma_queries_only(tmp_path):
    project = tmp_path / "gateway"
    result = render(project, framework="nextjs", orm="prisma", preset="api_gateway", database="sqlite",
                    roles="[editor]")
    assert result.returncode == 0, result.stderr
    for name in ("src/app/api/v1/api-keys/route.ts", "src/app/api/v1/api-keys/[id]/route.ts",
                 "src/app/api/v1/users/[id]/role/route.ts", "src/app/api/v1/users/[id]/plan/route.ts",
                 "src/lib/callers.ts", "tests/roles.test.ts", "tests/rate-limit-callers.test.ts"):
        assert (project / name).is_file(), name
    texts = {path: path.read_text() for path in _files(project) if path.suffix in TEXT_SUFFIXES}
    mentions = [str(path.relative_to(project)) for path, text in texts.items() if "drizzle" in text.lower()]
    assert mentions == [], mentions
    assert "db.apiKey." in (project / "src/lib/auth.ts").read_text()
    assert "db.apiKey." in (project / "src/lib/callers.ts").read_text()


def test_prisma_background_jobs_purge_refresh_tokens_through_the_prisma_client(tmp_path):
    """The worker's scheduled cleanup and its test use the Prisma client, not Drizzle's query builder."""
    project = tmp_path / "jobs"
    result = render(project, framework="nextjs", orm="prisma", preset="blog", background_jobs="true")
    assert result.returncode == 0, result.stderr
    tasks = (project / "src/jobs/tasks.ts").read_text()
    assert "db.refreshToken.deleteMany(" in tasks and "return deleted.count;" in tasks
    worker_test = (project / "tests/worker.test.ts").read_text()
    assert "db.refreshToken.createMany(" in worker_test
    for source in (tasks, worker_test):
        assert "drizzle" not in source and "schema." not in source


def test_oauth_renders_with_prisma_queries_only(tmp_path):
    """lib/oauth.ts and its tests go through the Prisma client; the protocol itself is the same file as Drizzle's."""
    project = tmp_path / "oauth"
    result = render(project, framework="nextjs", orm="prisma", preset="custom",
                    auth_methods='["password_jwt","oauth"]')
    assert result.returncode == 0, result.stderr
    oauth = (project / "src/lib/oauth.ts").read_text()
    oauth_test = (project / "tests/oauth.test.ts").read_text()
    assert "db.$transaction(" in oauth and "db.oauthLoginCode.updateMany(" in oauth
    assert "provider_subject" in oauth and "oauth4webapi" in oauth
    for source in (oauth, oauth_test):
        assert "drizzle" not in source and "schema." not in source


def test_multi_tenant_renders_with_organization_scoped_prisma_queries(tmp_path):
    """Tenant-scoped models filter and fill organizationId through Prisma; a shared model (tenant_scoped false)
    takes the plain caller; the organizations and tenancy tests read the database through the Prisma client."""
    models = [{"name": "Note", "owned": True, "soft_delete": True,
               "fields": [{"name": "title", "type": "string"}],
               "relations": [{"name": "assignee", "to": "User", "kind": "many_to_one"}]},
              {"name": "Plan", "tenant_scoped": False, "fields": [{"name": "code", "type": "string"}]}]
    project = tmp_path / "tenant"
    result = render(project, framework="nextjs", orm="prisma", preset="custom", database="sqlite",
                    multi_tenant="true", models=json.dumps(models))
    assert result.returncode == 0, result.stderr
    note = (project / "src/lib/resources/note.ts").read_text()
    assert "return { organizationId: principal.organizationId, deletedAt: null, ...ownedBy(principal) };" in note
    assert "    organizationId: principal.organizationId,\n  };" in note  # create puts the row in the organization
    assert "const where = { id, organizationId: principal.organizationId };" in note  # restore stays inside it
    assert "await isMember(principal.organizationId, data.assignee_id)" in note
    assert "export async function list(principal: Member," in note
    plan = (project / "src/lib/resources/plan.ts").read_text()
    assert "organizationId" not in plan and "export async function list(principal: Principal," in plan
    for name in ("organizations.test.ts", "tenancy.test.ts", "helpers.ts"):
        text = (project / "tests" / name).read_text()
        assert "drizzle" not in text and "schema." not in text, name


def test_prisma_stripe_queries_go_through_the_prisma_client(tmp_path):
    """Every Stripe feature with orm prisma: the payments code and its test read and write through the client, the
    webhook ledger stores Stripe's bigint timestamps as BigInt and takes P2002 on the event id as a duplicate."""
    project = tmp_path / "shop"
    result = render(project, framework="nextjs", orm="prisma", preset="ecommerce", database="postgresql",
                    stripe_features='["checkout","subscriptions","webhooks","customer_portal"]')
    assert result.returncode == 0, result.stderr
    payments = project / "src/lib/payments"
    sources = {path.name: path.read_text() for path in [*payments.glob("*.ts"), project / "tests/payments.test.ts"]}
    assert {"customers.ts", "checkout.ts", "subscriptions.ts", "webhooks.ts", "payments.test.ts"} <= set(sources)
    for name, source in sources.items():
        assert "drizzle" not in source and "schema." not in source, name
    webhooks = sources["webhooks.ts"]
    assert "tx.stripeEvent.create(" in webhooks and 'error.code === "P2002"' in webhooks
    assert "created: BigInt(event.created)" in webhooks and "eventCreated: { lte: eventCreated }" in webhooks
    assert "db.order.findFirst(" in sources["checkout.ts"] and "tx.order.updateMany(" in webhooks


def test_webhook_relay_renders_its_webhooks_with_prisma_queries_only(tmp_path):
    """Subscriptions, deliveries and the incoming receiver query through the Prisma client; nothing names Drizzle."""
    project = tmp_path / "relay"
    result = render(project, framework="nextjs", orm="prisma", preset="webhook_relay", database="sqlite")
    assert result.returncode == 0, result.stderr
    texts = {path: path.read_text() for path in _files(project) if path.suffix in TEXT_SUFFIXES}
    mentions = [str(path.relative_to(project)) for path, text in texts.items() if "drizzle" in text.lower()]
    assert mentions == [], mentions
    webhooks = project / "src/lib/webhooks"
    assert "db.webhookDelivery.findMany(" in (webhooks / "service.ts").read_text()
    assert "db.webhookSubscription.deleteMany(" in (webhooks / "subscriptions.ts").read_text()
    assert "db.webhookDelivery.updateMany(" in (webhooks / "deliveries.ts").read_text()
    incoming = (webhooks / "incoming.ts").read_text()
    assert "tx.receivedWebhook.create(" in incoming and "isConstraintViolation(error)" in incoming
    assert "db.receivedWebhook.findMany(" in (project / "tests/webhooks.test.ts").read_text()
