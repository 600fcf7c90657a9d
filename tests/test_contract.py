"""One contract, two stacks: the same answers rendered as FastAPI and as Next.js (on Drizzle and on Prisma), each
served on loopback, walked through the same HTTP scenario (the same paths, status codes, bodies and problem+json
errors), and Schemathesis run against each Next.js app's OpenAPI document."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from backend_squad.context import build_context
from backend_squad.presets import preset_models
from tests.conftest import installed_from_seed, render, run_in, serving

pytestmark = pytest.mark.slow
# Roles: registered users are editors; tags may be created by viewers (and admins) only.
# Multi-tenant: posts and comments belong to an organization; tags are shared by every organization.
# Posts record who created and who last changed them.
CHANGES = {"Tag": {"permissions": {"create": ["viewer"]}, "tenant_scoped": False}, "Post": {"track_authors": True}}
MODELS = [{**model, **CHANGES.get(model["name"], {})} for model in preset_models("blog")]
# With storage: both stacks serve /files (503 until configured), so its operations are compared and fuzzed too;
# with OAuth, GitHub sign-in is offered and not configured (503); with cookie sessions, the session routes and the
# refresh cookie's parameters and 403s are compared too.
ANSWERS = {"preset": "blog", "database": "sqlite",
           "auth_methods": "[password_jwt, api_key, magic_link, oauth, session]",
           "oauth_providers": "[github]", "integrations": "[s3]", "roles": "[editor, viewer]", "multi_tenant": "true",
           "models": json.dumps(MODELS)}
DESIGN = build_context({"models": MODELS, "framework": "fastapi", "roles": ["editor", "viewer"], "multi_tenant": True}).api
RESOURCE = DESIGN.resources[0]  # Post: owned, with a unique slug
TAGS = DESIGN.resource("Tag")
PREFIX = DESIGN.api_prefix


@pytest.fixture(scope="module")
def fastapi_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    project = tmp_path_factory.mktemp("contract-fastapi") / "project"
    assert render(project, **ANSWERS).returncode == 0
    env = {"DATABASE_URL": f"sqlite:///{project}/contract.db", "RATE_LIMIT": "100000/minute"}
    run_in(project, "make", "install")
    run_in(project, "make", "migrate", env=env)
    with serving(project, [".venv/bin/uvicorn", "app.main:app", "--host", "127.0.0.1"], env, "/health") as base:
        yield base


@pytest.fixture(scope="module", params=["drizzle", "prisma"])
def nextjs_project(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Next.js app on each orm: the same routes over Drizzle and over Prisma."""
    orm = request.param
    project = tmp_path_factory.mktemp(f"contract-nextjs-{orm}") / "project"
    assert render(project, framework="nextjs", orm=orm, **ANSWERS).returncode == 0
    seeds: Callable[[str], Path] = request.getfixturevalue("prisma_node_modules" if orm == "prisma" else "node_modules")
    installed_from_seed(project, seeds(ANSWERS["database"]))
    run_in(project, "make", "migrate", "build", env={"DATABASE_URL": f"file:{project}/contract.db"}, timeout=900)
    return project


@pytest.fixture(scope="module")
def nextjs_app(nextjs_project: Path) -> Iterator[str]:
    env = {"DATABASE_URL": f"file:{nextjs_project}/contract.db"}
    with serving(nextjs_project, ["node_modules/.bin/next", "start", "-H", "127.0.0.1"], env, "/api/health") as base:
        yield base


def _problem(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    body = response.json()
    assert body["status"] == status and body["title"] and "type" in body
    return body


def _instant(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def walk_the_scenario(base: str, email: str) -> list[tuple[str, int]]:
    """The contract both stacks keep; returns (step, status) pairs so the two runs can be compared."""
    api = f"{base}{PREFIX}"
    seen: list[tuple[str, int]] = []
    with httpx.Client(timeout=20) as http:
        credentials = {"email": email, "password": "correct-horse-battery"}
        registered = http.post(f"{api}/auth/register", json={**credentials, "full_name": "Contract Keeper"})
        assert registered.status_code == 201, registered.text
        assert registered.json()["email"] == credentials["email"] and "password" not in registered.text
        assert registered.json()["full_name"] == "Contract Keeper"
        _problem(http.post(f"{api}/auth/register", content=b'{"email": ', headers={"content-type": "application/json"}),
                 422)
        seen.append(("register", registered.status_code))
        _problem(http.post(f"{api}/auth/register", json=credentials), 409)
        _problem(http.post(f"{api}/auth/login", data={"username": credentials["email"], "password": "wrong"}), 401)
        login = http.post(f"{api}/auth/login", data={"username": credentials["email"], "password": credentials["password"]})
        assert login.status_code == 200, login.text
        tokens = login.json()
        assert tokens["token_type"].lower() == "bearer" and tokens["access_token"] and tokens["refresh_token"]
        headers = {"Authorization": f"Bearer {tokens['access_token']}"}
        me = http.get(f"{api}/users/me", headers=headers)
        assert me.status_code == 200 and me.json()["email"] == credentials["email"]
        seen.append(("me", me.status_code))

        rotated = http.post(f"{api}/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
        assert rotated.status_code == 200 and rotated.json()["refresh_token"] != tokens["refresh_token"]
        _problem(http.post(f"{api}/auth/refresh", json={"refresh_token": tokens["refresh_token"]}), 401)  # reused
        _problem(http.post(f"{api}/auth/refresh", json={"refresh_token": rotated.json()["refresh_token"]}), 401)
        assert http.post(f"{api}/auth/logout", json={"refresh_token": "rt_unknown"}).status_code == 204
        seen.append(("refresh", rotated.status_code))

        # The same 202 for an account and for no account; an unknown token is refused like a spent one.
        for_account = http.post(f"{api}/auth/magic-link", json={"email": credentials["email"]})
        for_nobody = http.post(f"{api}/auth/magic-link", json={"email": "nobody@example.com"})
        assert for_account.status_code == for_nobody.status_code == 202 and for_account.json() == for_nobody.json()
        # Any RFC 5322 atext local part is an e-mail address on both stacks (Zod's default pattern refuses "}").
        assert http.post(f"{api}/auth/magic-link", json={"email": "o}k@example.com"}).status_code == 202
        _problem(http.post(f"{api}/auth/magic-link", json={"email": "x@example.com", "extra": 1}), 422)
        _problem(http.post(f"{api}/auth/magic-link/verify", json={"token": "ml_unknown"}), 401)
        seen.append(("magic-link", for_account.status_code))

        organizations = f"{api}/organizations"
        home = http.post(organizations, json={"name": "Contract"}, headers=headers)
        assert home.status_code == 201, home.text
        assert home.json()["name"] == "Contract" and home.json()["role"] == "admin"
        in_home = {**headers, "X-Organization-Id": str(home.json()["id"])}
        seen.append(("organization", home.status_code))

        key = http.post(f"{api}/api-keys", json={"name": "ci", "scopes": ["read"]}, headers=headers)
        assert key.status_code == 201 and key.json()["key"] and key.json()["scopes"] == ["read"], key.text
        listed = http.get(f"{api}/api-keys", headers=headers).json()
        assert [entry["id"] for entry in listed] == [key.json()["id"]] and "key" not in listed[0]
        by_key = {"X-API-Key": key.json()["key"], "X-Organization-Id": in_home["X-Organization-Id"]}
        assert http.get(f"{api}/users/me", headers=by_key).json()["email"] == credentials["email"]
        _problem(http.post(f"{api}{RESOURCE.path}", json=json.loads(RESOURCE.samples[0]), headers=by_key), 403)
        assert http.delete(f"{api}/api-keys/{key.json()['id']}", headers=headers).status_code == 204
        _problem(http.get(f"{api}/users/me", headers=by_key), 401)
        seen.append(("api-keys", key.status_code))

        collection = f"{api}{RESOURCE.path}"
        _problem(http.get(collection), 401)
        sample = json.loads(RESOURCE.samples[0])
        # The active organization is a required header: 422 without it or when it is no id, 403 outside it.
        unnamed = _problem(http.get(collection, headers=headers), 422)
        assert [error["loc"] for error in unnamed["errors"]] == [["header", "x-organization-id"]], unnamed
        _problem(http.get(collection, headers={**headers, "X-Organization-Id": "abc"}), 422)
        outsider = _problem(http.get(collection, headers={**headers, "X-Organization-Id": "999999"}), 403)
        assert outsider["detail"] == "Not a member of organization 999999."
        seen.append(("tenant-header", outsider["status"]))
        headers = in_home
        created = http.post(collection, json=sample, headers=headers)
        assert created.status_code == 201, created.text
        row = created.json()
        for field, value in sample.items():
            if field.endswith("_at"):  # the same instant, however each stack writes the offset
                assert _instant(row[field]) == _instant(value), (field, row[field], value)
            else:
                assert row[field] == value, (field, row[field], value)
        assert row["created_by"] == row["updated_by"] == me.json()["id"], row
        seen.append(("create", created.status_code))
        _problem(http.post(collection, json=sample, headers=headers), 409)  # the unique slug again
        _problem(http.post(collection, json={**sample, "created_by": 999999}, headers=headers), 422)  # set by the API
        invalid = _problem(http.post(collection, json={}, headers=headers), 422)
        assert invalid["errors"] and all({"loc", "msg", "type"} <= set(error) for error in invalid["errors"])

        page = http.get(collection, params={"limit": 1, "offset": 0, "sort": "-id"}, headers=headers)
        assert page.status_code == 200, page.text
        assert {"items", "total", "limit", "offset"} <= set(page.json()) and page.json()["total"] == 1
        _problem(http.get(collection, params={"limit": 0}, headers=headers), 422)

        item = f"{collection}/{row['id']}"
        assert http.get(item, headers=headers).json()["id"] == row["id"]
        # Another organization of the same user sees none of it, and may reuse the unique slug.
        away = http.post(organizations, json={"name": "Elsewhere"}, headers=headers).json()
        in_away = {**headers, "X-Organization-Id": str(away["id"])}
        _problem(http.get(item, headers=in_away), 404)
        _problem(http.patch(item, json={}, headers=in_away), 404)
        assert http.get(collection, headers=in_away).json()["total"] == 0
        assert http.post(collection, json=sample, headers=in_away).status_code == 201
        seen.append(("isolation", 404))
        patch = {RESOURCE.patch_field: json.loads(RESOURCE.patch_value)}
        patched = http.patch(item, json=patch, headers=headers)
        assert patched.status_code == 200 and patched.json()[RESOURCE.patch_field] == patch[RESOURCE.patch_field]
        assert patched.json()["updated_by"] == me.json()["id"]
        _problem(http.patch(item, json={"updated_by": 999999}, headers=headers), 422)
        deleted = http.delete(item, headers=headers)
        assert deleted.status_code == 204 and not deleted.content
        _problem(http.get(item, headers=headers), 404)
        _problem(http.get(f"{collection}/0", headers=headers), 422)
        seen.append(("delete", deleted.status_code))

        mine = http.get(organizations, headers=headers).json()
        assert [entry["name"] for entry in mine["items"]] == ["Contract", "Elsewhere"] and mine["total"] == 2
        members = http.get(f"{organizations}/{home.json()['id']}/members", headers=headers).json()
        assert [(m["email"], m["role"]) for m in members["items"]] == [(credentials["email"], "admin")]
        last = _problem(http.put(f"{organizations}/{home.json()['id']}/members/{me.json()['id']}/role",
                                 json={"role": None}, headers=headers), 409)
        assert last["detail"] == "An organization keeps at least one admin."
        invitations = f"{organizations}/{home.json()['id']}/invitations"
        invited = http.post(invitations, json={"email": "Colleague@Example.com", "role": "viewer"}, headers=headers)
        assert invited.status_code == 201, invited.text
        assert invited.json()["email"] == "colleague@example.com" and invited.json()["role"] == "viewer"
        assert "token" not in invited.json()
        assert _instant(invited.json()["expires_at"]) > _instant(invited.json()["created_at"])
        already = _problem(http.post(invitations, json={"email": credentials["email"]}, headers=headers), 409)
        assert already["detail"] == f"{credentials['email']} is already a member."
        _problem(http.post(invitations, json={"email": "x@example.com", "role": "owner"}, headers=headers), 422)
        assert [i["id"] for i in http.get(invitations, headers=headers).json()["items"]] == [invited.json()["id"]]
        assert http.delete(f"{invitations}/{invited.json()['id']}", headers=headers).status_code == 204
        assert http.get(invitations, headers=headers).json()["total"] == 0
        _problem(http.delete(f"{invitations}/{invited.json()['id']}", headers=headers), 404)
        unknown = _problem(http.post(f"{api}/invitations/accept", json={"token": "inv_unknown"}, headers=headers), 404)
        assert unknown["detail"] == "Invitation not found or expired."
        hidden = _problem(http.get(f"{organizations}/999999", headers=headers), 404)
        assert hidden["detail"] == "Organization 999999 not found."
        seen.append(("invitations", invited.status_code))

        audit = f"{api}/audit-events"
        _problem(http.get(audit), 401)
        refused = _problem(http.get(audit, headers=headers), 403)  # only admins read the audit log
        seen.append(("audit", 403 if "audit log" in refused["detail"] else 0))

        assert me.json()["role"] == "editor"  # DEFAULT_ROLE: the first role
        tag = _problem(http.post(f"{api}{TAGS.path}", json=json.loads(TAGS.samples[0]), headers=headers), 403)
        assert tag["detail"] == "Requires one of the roles: admin, viewer." == TAGS.denied_detail("create")
        _problem(http.get(f"{api}{TAGS.path}/999999", headers=headers), 404)  # reads keep the usual rule
        changed = _problem(http.put(f"{api}/users/{me.json()['id']}/role", json={"role": "viewer"}, headers=headers), 403)
        assert changed["detail"] == "Only admins may change roles."
        seen.append(("roles", tag["status"]))

        oauth = f"{api}/auth/oauth"
        _problem(http.get(f"{oauth}/github/authorize"), 503)  # offered, not configured
        _problem(http.get(f"{oauth}/gitlab/authorize"), 404)
        back = http.get(f"{oauth}/github/callback", params={"code": "c", "state": "s"})  # no state cookie
        assert back.status_code == 302 and back.headers["location"].endswith("?error=invalid_state"), back.headers
        _problem(http.post(f"{oauth}/token", json={"code": "oc_unknown"}), 401)
        seen.append(("oauth", back.status_code))
    return seen


def test_fastapi_keeps_the_contract(fastapi_app: str):
    walk_the_scenario(fastapi_app, "fastapi@example.com")


def test_nextjs_keeps_the_same_contract(nextjs_app: str, fastapi_app: str, request: pytest.FixtureRequest):
    # The FastAPI app serves each orm's run: a new user there for each.
    orm = request.node.callspec.params["nextjs_project"]
    assert walk_the_scenario(nextjs_app, "nextjs@example.com") == walk_the_scenario(fastapi_app, f"{orm}@example.com")


def published_operations(document: dict) -> dict[tuple[str, str], dict[str, object]]:
    """Each operation of an OpenAPI document as what a client relies on: statuses, parameters and body fields."""
    schemas = document["components"]["schemas"]

    def resolved(schema: dict) -> dict:
        while "$ref" in schema:
            schema = schemas[schema["$ref"].rsplit("/", 1)[-1]]
        return schema

    operations = {}
    for path, item in document["paths"].items():
        shared = [parameter["name"] for parameter in item.get("parameters", [])]
        for method, operation in item.items():
            if method == "parameters":
                continue
            body = {}
            for media_type, content in operation.get("requestBody", {}).get("content", {}).items():
                schema = resolved(content["schema"])
                body[media_type] = (sorted(schema["properties"]), sorted(schema.get("required", [])))
            operations[(method, path.removeprefix("/api") if path == "/api/health" else path)] = {
                "statuses": sorted(operation["responses"]),
                "parameters": sorted(shared + [parameter["name"] for parameter in operation.get("parameters", [])]),
                "body": body,
                "secured": bool(operation.get("security")),
            }
    return operations


def test_both_stacks_publish_the_same_operations(nextjs_app: str, fastapi_app: str):
    """FastAPI writes its document from the code; Next.js serves the design's: a route one stack lacks, or a status,
    parameter or body field only one declares, shows up here."""
    fastapi = published_operations(httpx.get(f"{fastapi_app}/openapi.json", timeout=20).json())
    nextjs = published_operations(httpx.get(f"{nextjs_app}/api/openapi.json", timeout=20).json())
    assert ("post", f"{PREFIX}/api-keys") in fastapi and ("get", f"{PREFIX}/users/me") in fastapi
    assert sorted(nextjs) == sorted(fastapi)
    for operation, published in fastapi.items():
        assert nextjs[operation] == published, operation


def test_schemathesis_finds_no_failures_on_nextjs(nextjs_app: str, nextjs_project: Path):
    """Run from the project, so its schemathesis.toml (the same rules as the FastAPI output's) applies."""
    schemathesis = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
    with httpx.Client(timeout=20) as http:
        api = f"{nextjs_app}{PREFIX}"
        credentials = {"email": "fuzz@example.com", "password": "correct-horse-battery"}
        http.post(f"{api}/auth/register", json=credentials)
        token = http.post(f"{api}/auth/login", data={"username": credentials["email"],
                                                     "password": credentials["password"]}).json()["access_token"]
        organization = http.post(f"{api}/organizations", json={"name": "Fuzz"},
                                 headers={"Authorization": f"Bearer {token}"}).json()["id"]
    # The fuzzer's requests act in the fuzz user's organization, so tenant-scoped routes answer more than 403.
    result = subprocess.run([schemathesis, "run", f"{nextjs_app}/api/openapi.json", "-H", f"Authorization: Bearer {token}",
                             "-H", f"X-Organization-Id: {organization}",
                             "--max-examples", "30", "--seed", "1", "--no-color"], cwd=nextjs_project,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-6000:]
