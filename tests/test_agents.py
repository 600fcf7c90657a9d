"""The three agents: registry, documented result keys, the OpenAPI document, generated schema sources, determinism."""

from __future__ import annotations

import asyncio
import copy
import json
import re
from typing import Any

import pytest

from backend_squad import (
    APIArchitect,
    BackendDeveloper,
    BaseAgent,
    IntegrationSpecialist,
    ProjectSpec,
    SpecError,
    get_agent,
    list_agents,
    load_spec,
)
from backend_squad.presets import PRESET_MODELS, PRESET_OPTIONS

AGENT_NAMES = ["api_architect", "backend_developer", "integration_specialist"]
DOCUMENTED_KEYS = {
    "api_architect": {"api_spec", "schemas", "endpoints", "documentation"},
    "backend_developer": {"files", "dependencies", "setup_instructions"},
    "integration_specialist": {"files", "env_vars", "setup_instructions"},
}

# One model per constraint the generated sources must carry.
MODELS: list[dict[str, Any]] = [
    {
        "name": "Product",
        "owned": True,
        "fields": [
            {"name": "name", "type": "string", "max_length": 120},
            {"name": "sku", "type": "string", "max_length": 32, "unique": True, "pattern": r"^[A-Z0-9-]+$",
             "default": "SKU-1"},
            {"name": "notes", "type": "text", "max_length": 5000, "required": False},
            {"name": "stock", "type": "integer", "min": 0, "max": 1000, "default": 0},
            {"name": "rating", "type": "float", "min": 0, "max": 5, "required": False},
            {"name": "price", "type": "decimal", "min": 0},
            {"name": "status", "type": "enum", "values": ["draft", "live"], "default": "draft"},
            {"name": "launched_on", "type": "date", "required": False},
            {"name": "contact", "type": "email", "required": False},
            {"name": "attributes", "type": "json", "required": False},
        ],
        "relations": [
            {"name": "category", "to": "Category", "kind": "many_to_one", "required": True},
            {"name": "tags", "to": "Tag", "kind": "many_to_many"},
        ],
    },
    {"name": "Category", "fields": [{"name": "title", "type": "string", "max_length": 80, "unique": True}]},
    {"name": "Tag", "fields": [{"name": "label", "type": "string", "max_length": 40}]},
    {"name": "OrderItem", "fields": [{"name": "quantity", "type": "integer", "min": 1, "max": 99}]},
]


def run(agent: BaseAgent, task: Any) -> dict[str, Any]:
    return asyncio.run(agent.execute(task))


def architect(models: list[dict[str, Any]] | None = None, **answers: Any) -> dict[str, Any]:
    return run(get_agent("api_architect"), {"models": copy.deepcopy(models or MODELS), **answers})


@pytest.fixture(scope="module")
def api() -> dict[str, Any]:
    return architect()


# --------------------------------------------------------------------------- registry


def test_list_agents() -> None:
    agents = list_agents()
    assert [agent["name"] for agent in agents] == AGENT_NAMES
    assert [agent["class"] for agent in agents] == ["APIArchitect", "BackendDeveloper", "IntegrationSpecialist"]
    assert all(agent["role"].strip() for agent in agents)


@pytest.mark.parametrize(
    ("name", "cls"),
    [("api_architect", APIArchitect), ("APIArchitect", APIArchitect), ("apiarchitect", APIArchitect),
     ("API_ARCHITECT", APIArchitect), ("backend_developer", BackendDeveloper), ("BackendDeveloper", BackendDeveloper),
     ("integration_specialist", IntegrationSpecialist), ("IntegrationSpecialist", IntegrationSpecialist)],
)
def test_get_agent_by_name_or_class_name(name: str, cls: type[BaseAgent]) -> None:
    agent = get_agent(name)
    assert type(agent) is cls
    assert isinstance(agent, BaseAgent)


@pytest.mark.parametrize("name", ["architect", "", "frontend_developer", "BaseAgent"])
def test_unknown_agent_raises_key_error_naming_the_choices(name: str) -> None:
    with pytest.raises(KeyError) as info:
        get_agent(name)
    message = str(info.value)
    assert repr(name) in message
    for known in AGENT_NAMES:
        assert known in message


def test_get_agent_passes_options() -> None:
    agent = get_agent("api_architect", model="some-model", temperature=0)
    assert agent.model == "some-model"
    assert agent.options == {"temperature": 0}


def test_base_agent_is_abstract() -> None:
    with pytest.raises(TypeError):
        BaseAgent()  # type: ignore[abstract]


@pytest.mark.parametrize("name", AGENT_NAMES)
def test_repr_never_shows_the_api_key(name: str) -> None:
    secret = "sk-test-7f3a9c0e1d2b4a5c"
    agent = get_agent(name, api_key=secret, model="m")
    for text in (repr(agent), str(agent), f"{agent}", f"{agent!r}", repr([agent]), repr({"agent": agent})):
        assert secret not in text
        assert "sk-" not in text
    assert "online=True" in repr(agent)
    assert "online=False" in repr(get_agent(name))


# --------------------------------------------------------------------------- documented keys, for each agent


@pytest.mark.parametrize("name", AGENT_NAMES)
def test_execute_returns_the_documented_keys(name: str) -> None:
    result = run(get_agent(name), {"models": copy.deepcopy(MODELS)})
    assert DOCUMENTED_KEYS[name] <= set(result)


@pytest.mark.parametrize("name", AGENT_NAMES)
@pytest.mark.parametrize("preset", sorted(PRESET_MODELS))
def test_every_agent_runs_on_every_preset(name: str, preset: str) -> None:
    answers = {"preset": preset, "models": copy.deepcopy(PRESET_MODELS[preset]), **PRESET_OPTIONS[preset]}
    result = run(get_agent(name), answers)
    assert DOCUMENTED_KEYS[name] <= set(result)


@pytest.mark.parametrize("name", AGENT_NAMES)
def test_execute_accepts_a_spec_or_a_project_envelope(name: str) -> None:
    spec = load_spec({"models": copy.deepcopy(MODELS)})
    from_dict = run(get_agent(name), {"models": copy.deepcopy(MODELS)})
    from_spec = run(get_agent(name), spec)
    from_envelope = run(get_agent(name), {"project": {"models": copy.deepcopy(MODELS)}})
    keys = DOCUMENTED_KEYS[name]
    assert {k: from_dict[k] for k in keys} == {k: from_spec[k] for k in keys} == {k: from_envelope[k] for k in keys}


@pytest.mark.parametrize("name", AGENT_NAMES)
def test_execute_rejects_bad_answers_with_spec_error(name: str) -> None:
    with pytest.raises(SpecError, match="not a PascalCase"):
        run(get_agent(name), {"models": [{"name": "post", "fields": [{"name": "title", "type": "string"}]}]})


@pytest.mark.parametrize("name", AGENT_NAMES)
@pytest.mark.parametrize("task", [None, "models", ["Post"]])
def test_execute_rejects_a_task_that_is_not_a_mapping(name: str, task: Any) -> None:
    with pytest.raises(TypeError, match="ProjectSpec or a dict"):
        run(get_agent(name), task)


@pytest.mark.parametrize("name", AGENT_NAMES)
def test_results_are_deterministic(name: str) -> None:
    first = run(get_agent(name), {"models": copy.deepcopy(MODELS), "rate_limiting": True, "background_jobs": True})
    second = run(get_agent(name), {"models": copy.deepcopy(MODELS), "rate_limiting": True, "background_jobs": True})
    assert first == second
    for key in DOCUMENTED_KEYS[name]:
        # same order too, not only equal mappings
        assert json.dumps(first[key], default=str) == json.dumps(second[key], default=str)


def test_execute_does_not_mutate_the_answers() -> None:
    answers = {"models": copy.deepcopy(MODELS)}
    before = copy.deepcopy(answers)
    for name in AGENT_NAMES:
        run(get_agent(name), answers)
    assert answers == before


# --------------------------------------------------------------------------- APIArchitect


def test_api_architect_result_shapes(api: dict[str, Any]) -> None:
    assert isinstance(api["api_spec"], dict)
    assert set(api["schemas"]) == {"pydantic", "zod"}
    assert set(api["schemas"]["pydantic"]) == set(api["schemas"]["zod"]) == {"product", "category", "tag", "order_item"}
    assert isinstance(api["documentation"], str) and api["documentation"]
    assert "4 resources" in api["documentation"]
    assert f"{len(api['endpoints'])} endpoints" in api["documentation"]
    for endpoint in api["endpoints"]:
        assert set(endpoint) == {"method", "path", "operation_id"}
        assert endpoint["method"] in {"GET", "POST", "PATCH", "PUT", "DELETE"}
        assert endpoint["path"] in api["api_spec"]["paths"]


def test_openapi_is_3_1_with_info(api: dict[str, Any]) -> None:
    document = api["api_spec"]
    assert document["openapi"] == "3.1.0"
    assert document["info"]["title"] == "My API"
    assert document["info"]["version"]
    json.dumps(document)  # plain JSON data, nothing exotic


def test_openapi_has_paths_for_every_model_under_api_v1(api: dict[str, Any]) -> None:
    paths = api["api_spec"]["paths"]
    for collection in ("/api/v1/products", "/api/v1/categories", "/api/v1/tags", "/api/v1/order-items"):
        assert set(paths[collection]) >= {"get", "post"}
        assert set(paths[f"{collection}/{{item_id}}"]) >= {"get", "patch", "delete"}
    assert "/api/v1/auth/login" in paths
    for path in paths:
        assert path == "/health" or path.startswith("/api/v1/"), path
    account = ("/auth/", "/users/me", "/api-keys", "/audit-events")
    crud = [e for e in api["endpoints"] if e["path"] != "/health" and not any(part in e["path"] for part in account)]
    assert len(crud) == 5 * len(MODELS)
    assert {"method": "GET", "path": "/api/v1/audit-events"}.items() <= next(
        e for e in api["endpoints"] if e["path"] == "/api/v1/audit-events").items()
    assert api["versioning"]["prefix"] == "/api/v1"


def test_openapi_without_versioning_has_no_prefix() -> None:
    result = architect(api_versioning=False)
    paths = result["api_spec"]["paths"]
    for collection in ("/products", "/categories", "/tags", "/order-items"):
        assert collection in paths and f"{collection}/{{item_id}}" in paths
    assert not [path for path in paths if "/api/" in path or "/v1" in path]
    assert not [e for e in result["endpoints"] if "/v1" in e["path"]]
    token_url = result["api_spec"]["components"]["securitySchemes"]["OAuth2PasswordBearer"]["flows"]["password"]["tokenUrl"]
    assert token_url == "/auth/login"
    assert result["versioning"]["strategy"] == "none"


def test_openapi_lists_the_account_routes_and_api_keys_only_when_chosen() -> None:
    with_keys = architect(auth_methods=["password_jwt", "api_key"])["api_spec"]
    without = architect(auth_methods=["password_jwt"])["api_spec"]
    for document in (with_keys, without):
        paths = document["paths"]
        for route in ("register", "login", "refresh", "logout"):
            assert set(paths[f"/api/v1/auth/{route}"]) == {"post"}
        assert paths["/api/v1/users/me"]["get"]["security"]
        register = document["components"]["schemas"]["RegisterRequest"]
        assert register["required"] == ["email", "password"] and register["additionalProperties"] is False
        assert register["properties"]["password"]["minLength"] == 8
    assert set(with_keys["paths"]["/api/v1/api-keys"]) == {"get", "post"}
    assert set(with_keys["paths"]["/api/v1/api-keys/{key_id}"]) == {"parameters", "delete"}
    assert "ApiKeyCreated" in with_keys["components"]["schemas"]
    assert not [path for path in without["paths"] if "api-keys" in path]
    assert not [name for name in without["components"]["schemas"] if name.startswith("ApiKey")]


def test_openapi_lists_magic_link_routes_only_when_chosen() -> None:
    with_links = architect(auth_methods=["password_jwt", "magic_link"])["api_spec"]
    without = architect(auth_methods=["password_jwt", "api_key"])["api_spec"]
    request = with_links["paths"]["/api/v1/auth/magic-link"]["post"]
    verify = with_links["paths"]["/api/v1/auth/magic-link/verify"]["post"]
    # Both are how a caller without credentials gets some; neither tells which e-mails have an account.
    assert "security" not in request and "security" not in verify
    assert sorted(request["responses"]) == ["202", "400", "422"]
    assert sorted(verify["responses"]) == ["200", "400", "401", "422"]
    schemas = with_links["components"]["schemas"]
    assert schemas["MagicLinkRequest"]["required"] == ["email"] and schemas["MagicLinkVerify"]["required"] == ["token"]
    assert schemas["MagicLinkVerify"]["properties"]["token"]["maxLength"] == 200
    assert not [path for path in without["paths"] if "magic-link" in path]
    assert not [name for name in without["components"]["schemas"] if name.startswith("MagicLink")]


def test_openapi_operation_ids_are_unique(api: dict[str, Any]) -> None:
    ids = [e["operation_id"] for e in api["endpoints"]]
    assert all(ids) and len(ids) == len(set(ids))


def test_openapi_refs_resolve(api: dict[str, Any]) -> None:
    document = api["api_spec"]
    refs = re.findall(r'"\$ref": "#/components/schemas/([A-Za-z0-9]+)"', json.dumps(document))
    assert refs
    assert set(refs) <= set(document["components"]["schemas"])


def test_openapi_schemas_carry_the_constraints(api: dict[str, Any]) -> None:
    schemas = api["api_spec"]["components"]["schemas"]
    create = schemas["ProductCreate"]["properties"]
    assert create["name"]["maxLength"] == 120
    assert create["sku"]["pattern"] == r"^[A-Z0-9-]+$"
    assert (create["stock"]["minimum"], create["stock"]["maximum"]) == (0, 1000)
    assert create["status"]["enum"] == ["draft", "live"]
    assert "tag_ids" in create
    assert "name" in schemas["ProductCreate"]["required"]
    assert "stock" not in schemas["ProductCreate"]["required"]  # has a default
    assert "notes" not in schemas["ProductCreate"]["required"]  # optional
    assert "owner_id" in schemas["ProductRead"]["properties"]
    assert "owner_id" not in schemas["CategoryRead"]["properties"]


def test_pydantic_sources_compile_and_carry_the_constraints(api: dict[str, Any]) -> None:
    sources = api["schemas"]["pydantic"]
    for module, source in sources.items():
        compile(source, f"app/schemas/{module}.py", "exec")
    product = sources["product"]
    for fragment in ("class ProductCreate(", "class ProductUpdate(", "class ProductRead(",
                     "max_length=120", "max_length=32", "max_length=5000", "max_length=320",
                     "ge=0, le=1000", "ge=0, le=5", "pattern='^[A-Z0-9-]+$'",
                     "max_digits=18, decimal_places=2", "class ProductStatus(StrEnum)",
                     "status: ProductStatus", "category_id: Annotated[int, Field(ge=1, le=2147483647), JSON_INT]",
                     "tag_ids: list[", "owner_id: int"):
        assert fragment in product, fragment
    assert "ge=1, le=99" in sources["order_item"]
    assert "max_length=80" in sources["category"]
    assert "owner_id" not in sources["category"]


def test_pydantic_source_declares_each_attribute_once_per_class(api: dict[str, Any]) -> None:
    for module, source in api["schemas"]["pydantic"].items():
        for block in re.split(r"\n(?=class )", source):
            names = re.findall(r"^    ([a-z_][a-z0-9_]*): ", block, flags=re.M)
            assert len(names) == len(set(names)), (module, block)


def test_zod_sources_carry_the_constraints(api: dict[str, Any]) -> None:
    zod = api["schemas"]["zod"]
    product = zod["product"]
    assert 'import { z } from "zod";' in product
    assert "export const productCreateSchema = z.object({" in product
    assert "name: z.string().max(120)," in product
    assert ".max(32)" in product and ".max(5000)" in product
    assert 'regex(new RegExp("^[A-Z0-9-]+$"))' in product
    # bounds are numbers; 0 and 0.0 are the same number in JavaScript
    assert re.search(r"stock: z\.number\(\)\.int\(\)\.min\(0(\.0)?\)\.max\(1000(\.0)?\)", product), product
    assert re.search(r"quantity: z\.number\(\)\.int\(\)\.min\(1(\.0)?\)\.max\(99(\.0)?\)", zod["order_item"])
    assert 'z.enum(["draft", "live"])' in product
    assert "tag_ids: z.array(" in product
    assert "z.string().max(80)" in zod["category"]
    assert "export const orderItemCreateSchema" in zod["order_item"]
    for source in zod.values():
        assert source.count("{") == source.count("}")
        assert source.count("(") == source.count(")")


def test_architect_design_methods() -> None:
    spec = load_spec({"models": copy.deepcopy(MODELS)})
    agent = APIArchitect()
    assert agent.design_versioning_strategy(spec)["prefix"] == "/api/v1"
    assert agent.generate_openapi_spec(spec) == architect()["api_spec"]
    design = agent.design(spec)
    # parents before children: Category before Product
    order = [resource.name for resource in design.resources]
    assert order.index("Category") < order.index("Product")
    assert [t.table for t in design.association_tables] == ["products_tags"]


# --------------------------------------------------------------------------- BackendDeveloper


def test_backend_developer_result() -> None:
    result = run(BackendDeveloper(), {"models": copy.deepcopy(MODELS)})
    assert isinstance(result["files"], list)
    assert all(isinstance(dep, str) for dep in result["dependencies"])
    assert any(dep.startswith("fastapi") for dep in result["dependencies"])
    assert any(dep.startswith("aiosqlite") for dep in result["dependencies"])
    assert not any(dep.startswith(("celery", "limits")) for dep in result["dependencies"])
    assert result["setup_instructions"] and all(isinstance(step, str) for step in result["setup_instructions"])
    names = [var["name"] for var in result["env_vars"]]
    assert {"SECRET_KEY", "DATABASE_URL"} <= set(names)
    assert "REDIS_URL" not in names


def test_backend_developer_follows_the_options() -> None:
    result = run(BackendDeveloper(), {"models": copy.deepcopy(MODELS), "rate_limiting": True, "background_jobs": True,
                                      "auth_methods": ["password_jwt", "api_key"], "database": "postgresql",
                                      "project_slug": "shop"})
    assert any(dep.startswith("celery") for dep in result["dependencies"])
    assert any(dep.startswith("limits") for dep in result["dependencies"])
    assert {"RATE_LIMIT", "RATE_LIMIT_PLANS", "ROUTE_RATE_LIMITS", "REDIS_URL"} <= {var["name"] for var in result["env_vars"]}
    assert any("API keys" in step for step in result["setup_instructions"])
    assert any("background jobs" in step for step in result["setup_instructions"])
    database_url = next(var["example"] for var in result["env_vars"] if var["name"] == "DATABASE_URL")
    assert database_url.startswith("postgresql://") and database_url.endswith("/shop")


def test_backend_developer_lists_session_settings_only_with_cookie_sessions() -> None:
    chosen = run(BackendDeveloper(), {"models": copy.deepcopy(MODELS), "rate_limiting": True,
                                      "auth_methods": ["password_jwt", "session"]})
    names = [var["name"] for var in chosen["env_vars"]]
    assert {"SESSION_IDLE_MINUTES", "SESSION_MAX_DAYS", "SESSION_COOKIE_SECURE", "REFRESH_TOKEN_COOKIE"} <= set(names)
    throttle = next(var["help"] for var in chosen["env_vars"] if var["name"] == "AUTH_RATE_LIMIT")
    assert "cookie sessions" in throttle
    assert any("cookie sessions" in step for step in chosen["setup_instructions"])
    plain = run(BackendDeveloper(), {"models": copy.deepcopy(MODELS), "auth_methods": ["password_jwt"]})
    assert not [var for var in plain["env_vars"] if var["name"].startswith("SESSION_")]


def test_backend_developer_purges_ended_cookie_sessions_only_with_sessions_and_jobs() -> None:
    """Ended sessions are refused on sight; the hourly job keeps browser_sessions from growing with them."""
    def jobs(**answers: object) -> list[str]:
        return [job.name for job in BackendDeveloper().plan(ProjectSpec.model_validate(
            {"models": copy.deepcopy(MODELS), **answers})).jobs]

    assert jobs(background_jobs=True, auth_methods=["password_jwt", "session"]) == [
        "purge_expired_refresh_tokens", "purge_ended_sessions"]
    assert jobs(background_jobs=True, auth_methods=["password_jwt"]) == ["purge_expired_refresh_tokens"]
    assert jobs(background_jobs=False, auth_methods=["password_jwt", "session"]) == []


def test_backend_developer_never_puts_a_real_secret_in_its_plan() -> None:
    result = run(BackendDeveloper(), {"models": copy.deepcopy(MODELS)})
    secret = next(var["example"] for var in result["env_vars"] if var["name"] == "SECRET_KEY")
    assert secret == "<generated on copy>"


# --------------------------------------------------------------------------- IntegrationSpecialist


def test_integration_specialist_without_integrations() -> None:
    result = run(IntegrationSpecialist(), {"models": copy.deepcopy(MODELS)})
    assert result["files"] == [] and result["env_vars"] == [] and result["setup_instructions"] == []


def test_integration_specialist_with_integrations() -> None:
    from backend_squad.integrations import CATALOG

    result = run(IntegrationSpecialist(), {"models": copy.deepcopy(MODELS), "integrations": ["stripe", "smtp"]})
    expected = [var.name for name in ("stripe", "smtp") for var in CATALOG[name].env_vars]
    names = [var["name"] for var in result["env_vars"]]
    assert names == expected and "STRIPE_SECRET_KEY" in names and "SMTP_URL" in names
    assert all(var["help"] for var in result["env_vars"])
    assert isinstance(result["files"], list)
    assert result["setup_instructions"] == [*CATALOG["stripe"].setup_steps, *CATALOG["smtp"].setup_steps]
    assert any(dep.startswith("stripe") for dep in result["dependencies"])
    stripe = result["integrations"]["stripe"]
    assert list(result["integrations"]) == ["stripe", "smtp"]
    assert "checkout.session.completed" in stripe["webhook_events"]
    assert any("/payments/webhook" in step for step in stripe["setup_instructions"])
    assert {var["name"]: var["secret"] for var in stripe["env_vars"]}["STRIPE_SECRET_KEY"] is True


def test_seed_methods_describe_one_provider_each() -> None:
    agent = IntegrationSpecialist()
    assert agent.generate_storage_integration("gcs")["category"] == "storage"
    assert agent.generate_email_integration()["name"] == "smtp"
    with pytest.raises(ValueError, match="unknown storage provider 'smtp'"):
        agent.generate_storage_integration("smtp")


def test_integration_specialist_rejects_unknown_integrations() -> None:
    with pytest.raises(ValueError, match="unknown integrations") as info:
        run(IntegrationSpecialist(), {"models": copy.deepcopy(MODELS), "integrations": ["paypal"]})
    assert "paypal" in str(info.value) and "stripe" in str(info.value)


@pytest.mark.parametrize("method", ["generate_stripe_integration", "generate_oauth_integration",
                                    "generate_webhook_system", "generate_email_integration",
                                    "generate_storage_integration"])
def test_integration_generators_return_the_documented_keys(method: str) -> None:
    plan = getattr(IntegrationSpecialist(), method)()
    assert {"files", "env_vars", "setup_instructions", "dependencies"} <= set(plan)
    assert plan["env_vars"] and plan["setup_instructions"]


# --------------------------------------------------------------------------- formerly known bugs (each test pins its fix)


def test_fractional_integer_bounds_are_rejected_not_truncated() -> None:
    """Truncating min 1.5 to ge=1 admitted n=1 in pydantic while Zod and OpenAPI kept 1.5: now no stack sees 1.5."""
    with pytest.raises(SpecError) as info:
        architect([{"name": "Box", "fields": [{"name": "n", "type": "integer", "min": 1.5, "max": 9}]}])
    message = str(info.value)
    assert all(part in message for part in ("Model 'Box'", "field 'n'", "not a whole number", "min: 2")), message
    with pytest.raises(SpecError, match="max: 9"):
        architect([{"name": "Box", "fields": [{"name": "n", "type": "integer", "min": 2, "max": 9.5}]}])
    result = architect([{"name": "Box", "fields": [{"name": "n", "type": "integer", "min": 2.0, "max": 9.0}]}])
    source = result["schemas"]["pydantic"]["box"]
    # every stack must reject n=1 (below min 2): pydantic needs ge=2
    assert "ge=2" in source and "le=9" in source, source


def test_a_spec_that_validates_can_be_designed() -> None:
    spec = load_spec({"models": [{"name": "Currency", "fields": [{"name": "iso", "type": "string",
                                                                   "pattern": "^[A-Z]{3}$"}]}]})
    assert isinstance(spec, ProjectSpec)
    run(APIArchitect(), spec)


def test_pattern_samples_fit_the_pattern_and_differ_for_unique_fields() -> None:
    """Samples come from the regex when no stock candidate fits; unique fields get one value per sample row."""
    from backend_squad.design import build_resources

    models = [{"name": "Currency", "fields": [
        {"name": "iso", "type": "string", "max_length": 3, "unique": True, "pattern": "^[A-Z]{3}$"},
        {"name": "code", "type": "string", "unique": True, "pattern": r"^[A-Z]{2}-\d{2}$", "default": "AB-12"},
    ]}]
    samples = [json.loads(sample) for sample in build_resources(load_spec({"models": models}))[0].samples]
    for column, pattern in (("iso", "^[A-Z]{3}$"), ("code", r"^[A-Z]{2}-\d{2}$")):
        values = [sample[column] for sample in samples]
        assert all(re.fullmatch(pattern.strip("^$"), value) for value in values), values
        assert len(set(values)) == len(values), values


def test_openapi_names_the_roles_each_restricted_operation_needs() -> None:
    models = [{"name": "Post", "owned": True, "fields": [{"name": "title", "type": "string"}],
               "permissions": {"read": ["viewer", "editor"], "create": ["editor"]},
               "actions": [{"name": "publish", "description": "Publish it"}]},
              {"name": "Tag", "fields": [{"name": "name", "type": "string"}], "permissions": {"update": ["editor"]}}]
    document = architect(models, roles=["editor", "viewer"])["api_spec"]
    paths = document["paths"]
    listing, one = paths["/api/v1/posts"]["get"], paths["/api/v1/posts/{item_id}"]["get"]
    assert listing["description"] == one["description"] == "Roles: admin, editor, viewer."
    assert paths["/api/v1/posts"]["post"]["description"] == "Roles: admin, editor."
    assert listing["responses"]["403"]["description"] == "Requires one of the roles"
    # Operations the model leaves out keep the default rule and say nothing of roles.
    assert "description" not in paths["/api/v1/posts/{item_id}"]["patch"]
    assert "403" not in paths["/api/v1/posts/{item_id}"]["patch"]["responses"]
    # No update permission on Post, so its action keeps the default rule too; Tag's update names its roles.
    assert "description" not in paths["/api/v1/posts/{item_id}/publish"]["post"]
    assert paths["/api/v1/tags/{item_id}"]["patch"]["description"] == "Roles: admin, editor."
    assert paths["/api/v1/tags/{item_id}"]["patch"]["responses"]["403"]["description"] == "Requires one of the roles"
    role = paths["/api/v1/users/{user_id}/role"]["put"]
    assert role["operationId"] == "set_user_role" and role["security"]
    assert sorted(role["responses"]) == ["200", "400", "401", "403", "404", "422"]
    schemas = document["components"]["schemas"]
    assert schemas["RoleUpdate"]["properties"]["role"] == {"anyOf": [{"type": "string", "enum": ["editor", "viewer"]},
                                                                     {"type": "null"}]}
    assert "role" in schemas["UserRead"]["required"]
    assert schemas["UserRead"]["properties"]["role"] == {"anyOf": [{"type": "string"}, {"type": "null"}]}


def test_openapi_without_roles_has_no_role_route_or_field() -> None:
    document = architect()["api_spec"]
    assert not [path for path in document["paths"] if path.endswith("/role")]
    assert "RoleUpdate" not in document["components"]["schemas"]
    assert "role" not in document["components"]["schemas"]["UserRead"]["properties"]


def test_openapi_publishes_the_plan_route_only_with_rate_limiting() -> None:
    """Plans pick a user's rate-limit budget, so only rate-limited projects have them."""
    document = architect(rate_limiting=True)["api_spec"]
    plan = document["paths"]["/api/v1/users/{user_id}/plan"]["put"]
    assert plan["operationId"] == "set_user_plan" and plan["security"]
    assert sorted(plan["responses"]) == ["200", "400", "401", "403", "404", "422"]
    schemas = document["components"]["schemas"]
    assert schemas["UserPlanUpdate"]["required"] == ["plan"] and schemas["UserPlanUpdate"]["additionalProperties"] is False
    assert re.fullmatch(schemas["UserPlanUpdate"]["properties"]["plan"]["anyOf"][0]["pattern"].strip("^$"), "pro_2")
    assert "plan" in schemas["UserRead"]["required"]
    without = architect()["api_spec"]
    assert not [path for path in without["paths"] if path.endswith("/plan")]
    assert "plan" not in without["components"]["schemas"]["UserRead"]["properties"]


def test_openapi_publishes_cookie_sessions_only_when_chosen() -> None:
    """A browser app reads from the document how to start and end a session and which routes take the cookie."""
    document = architect(auth_methods=["password_jwt", "api_key", "session"])["api_spec"]
    session = document["paths"]["/api/v1/auth/session"]
    assert session["post"]["operationId"] == "start_session" and "security" not in session["post"]
    login_form = document["paths"]["/api/v1/auth/login"]["post"]["requestBody"]
    assert session["post"]["requestBody"] == login_form  # the same password form as login
    assert session["post"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/SessionStarted")
    assert session["delete"]["operationId"] == "end_session"
    assert session["delete"]["security"] == [{"APIKeyCookie": []}]
    assert sorted(session["delete"]["responses"]) == ["204", "401", "403"]
    assert sorted(session["post"]["responses"]) == ["200", "400", "401", "403", "422"]
    schemes = document["components"]["securitySchemes"]
    assert schemes["APIKeyCookie"]["in"] == "cookie" and schemes["APIKeyCookie"]["name"] == "session"
    assert "X-CSRF-Token" in schemes["APIKeyCookie"]["description"]
    assert document["components"]["schemas"]["SessionStarted"]["required"] == ["csrf_token", "expires_at"]
    secured = [operation for item in document["paths"].values() for operation in item.values()
               if isinstance(operation, dict) and operation.get("security")]
    taking_tokens = [operation for operation in secured if {"OAuth2PasswordBearer": []} in operation["security"]]
    assert len(taking_tokens) > 5
    assert all({"APIKeyCookie": []} in operation["security"] for operation in taking_tokens)

    without = architect(auth_methods=["password_jwt", "api_key"])["api_spec"]
    assert "/api/v1/auth/session" not in without["paths"] and "SessionStarted" not in without["components"]["schemas"]
    assert "APIKeyCookie" not in without["components"]["securitySchemes"]
    assert all({"APIKeyCookie": []} not in operation.get("security", []) for item in without["paths"].values()
               for operation in item.values() if isinstance(operation, dict))


def test_openapi_lets_refresh_and_logout_read_the_refresh_cookie_only_with_sessions() -> None:
    """A browser app that keeps its refresh token in the httpOnly cookie sends no body to refresh or log out, and
    reads a null refresh_token and a CSRF token from every token pair."""
    document = architect(auth_methods=["password_jwt", "magic_link", "session"])["api_spec"]
    pair = document["components"]["schemas"]["TokenPair"]
    assert {"type": "null"} in pair["properties"]["refresh_token"]["anyOf"]
    assert "csrf_token" in pair["required"] and {"type": "null"} in pair["properties"]["csrf_token"]["anyOf"]
    for name in ("refresh", "logout"):
        operation = document["paths"][f"/api/v1/auth/{name}"]["post"]
        assert operation["requestBody"]["required"] is False
        assert operation["parameters"] == [{**operation["parameters"][0], "name": "refresh_token", "in": "cookie"}]
        assert "403" in operation["responses"]
    for path in ("login", "magic-link/verify"):
        assert document["paths"][f"/api/v1/auth/{path}"]["post"]["responses"]["403"]["description"] == (
            "Sign-in from another site refused")

    without = architect(auth_methods=["password_jwt", "magic_link"])["api_spec"]
    assert without["components"]["schemas"]["TokenPair"]["properties"]["refresh_token"] == {"type": "string"}
    assert "csrf_token" not in without["components"]["schemas"]["TokenPair"]["properties"]
    refresh = without["paths"]["/api/v1/auth/refresh"]["post"]
    assert refresh["requestBody"]["required"] is True and "parameters" not in refresh
    assert "403" not in without["paths"]["/api/v1/auth/login"]["post"]["responses"]


def test_openapi_scopes_tenant_resources_to_the_header_organization() -> None:
    models = [{"name": "Post", "owned": True, "fields": [{"name": "title", "type": "string"}],
               "soft_delete": True, "actions": [{"name": "publish", "description": "Publish it"}]},
              {"name": "Plan", "tenant_scoped": False, "fields": [{"name": "code", "type": "string"}]}]
    document = architect(models, roles=["editor"], multi_tenant=True)["api_spec"]
    paths = document["paths"]
    tenant_paths = [path for path in paths if path.startswith("/api/v1/posts")]
    assert len(tenant_paths) == 4  # list/create, one row, restore, the action
    for path in tenant_paths:
        assert paths[path]["parameters"][-1]["name"] == "x-organization-id"
        assert paths[path]["parameters"][-1]["required"] is True
        for method, operation in paths[path].items():
            if method != "parameters":
                assert "403" in operation["responses"], (path, method)
    # The shared model is untouched: no header, and its reads refuse no one.
    assert not any(p["name"] == "x-organization-id" for p in paths["/api/v1/plans"].get("parameters", []))
    assert "403" not in paths["/api/v1/plans"]["get"]["responses"]


def test_openapi_publishes_the_organization_routes_only_when_multi_tenant() -> None:
    document = architect(roles=["editor"], multi_tenant=True)["api_spec"]
    paths, schemas = document["paths"], document["components"]["schemas"]
    statuses = {
        ("post", "/organizations"): ["201", "400", "401", "403", "422"],
        ("get", "/organizations"): ["200", "401", "422"],
        ("get", "/organizations/{organization_id}"): ["200", "401", "404", "422"],
        ("patch", "/organizations/{organization_id}"): ["200", "400", "401", "403", "404", "422"],
        ("delete", "/organizations/{organization_id}"): ["204", "401", "403", "404", "422"],
        ("get", "/organizations/{organization_id}/members"): ["200", "401", "404", "422"],
        ("put", "/organizations/{organization_id}/members/{user_id}/role"): ["200", "400", "401", "403", "404", "409", "422"],
        ("delete", "/organizations/{organization_id}/members/{user_id}"): ["204", "401", "403", "404", "409", "422"],
        ("post", "/organizations/{organization_id}/invitations"): ["201", "400", "401", "403", "404", "409", "422"],
        ("get", "/organizations/{organization_id}/invitations"): ["200", "401", "403", "404", "422"],
        ("delete", "/organizations/{organization_id}/invitations/{invitation_id}"): ["204", "401", "403", "404", "422"],
        ("post", "/invitations/accept"): ["200", "400", "401", "403", "404", "409", "422"],
    }
    published = {(method, path.removeprefix("/api/v1")): sorted(operation["responses"])
                 for path, item in paths.items() if "/organizations" in path or "/invitations" in path
                 for method, operation in item.items() if method != "parameters"}
    assert published == statuses
    assert all(operation["security"] for path, item in paths.items() if "/organizations" in path
               for method, operation in item.items() if method != "parameters")
    assert schemas["MembershipUpdate"]["properties"]["role"] == {
        "anyOf": [{"type": "string", "enum": ["admin", "editor"]}, {"type": "null"}]}
    assert schemas["InvitationCreate"]["required"] == ["email"]
    assert schemas["OrganizationUpdate"] == schemas["OrganizationCreate"]
    assert schemas["OrganizationUpdate"]["additionalProperties"] is False
    assert sorted(schemas["OrganizationRead"]["required"]) == ["created_at", "id", "name", "role"]
    single = architect(roles=["editor"])["api_spec"]
    assert not [path for path in single["paths"] if "organization" in path or "invitation" in path]
    assert "OrganizationRead" not in single["components"]["schemas"]


def test_openapi_lists_oauth_routes_for_the_chosen_providers_only() -> None:
    document = architect(auth_methods=["password_jwt", "oauth"], oauth_providers=["github", "microsoft"])["api_spec"]
    paths = document["paths"]
    authorize = paths["/api/v1/auth/oauth/{provider}/authorize"]
    assert authorize["parameters"][0]["schema"]["enum"] == ["github", "microsoft"]
    assert sorted(authorize["get"]["responses"]) == ["302", "404", "503"]
    callback = paths["/api/v1/auth/oauth/{provider}/callback"]["get"]
    assert [p["name"] for p in callback["parameters"]] == ["code", "state", "error"]
    assert sorted(callback["responses"]) == ["302", "404"]
    token = paths["/api/v1/auth/oauth/token"]["post"]
    assert sorted(token["responses"]) == ["200", "400", "401", "422"]
    # All three are how a caller without credentials gets some.
    assert not any("security" in operation for item in (authorize, paths["/api/v1/auth/oauth/token"])
                   for operation in item.values() if isinstance(operation, dict))
    assert document["components"]["schemas"]["OAuthCodeExchange"]["required"] == ["code"]
    # oauth_providers has a default, but without the oauth method nothing is rendered.
    without = architect(oauth_providers=["github"])["api_spec"]
    assert not [path for path in without["paths"] if "/oauth/" in path]
    assert "OAuthCodeExchange" not in without["components"]["schemas"]


def test_backend_plan_carries_the_oauth_providers_settings_and_secrets() -> None:
    from backend_squad.agents import BackendDeveloper
    from backend_squad.spec import load_spec

    spec = load_spec({"models": MODELS, "auth_methods": ["password_jwt", "oauth"], "framework": "nextjs",
                      "oauth_providers": ["auth0", "google"]})
    plan = BackendDeveloper().plan(spec)
    assert [p.name for p in plan.oauth_providers] == ["google", "auth0"]  # catalogue order
    names = [name for name, _, _ in plan.oauth_env_vars]
    assert names[:2] == ["PUBLIC_URL", "OAUTH_REDIRECT_URL"] and "AUTH0_DOMAIN" in names
    assert "GITHUB_CLIENT_ID" not in names
    assert dict((n, e) for n, e, _ in plan.env_vars)["PUBLIC_URL"] == "http://localhost:3000"
    assert plan.secret_env_vars == ("GOOGLE_CLIENT_SECRET", "AUTH0_CLIENT_SECRET")
    assert any(dep.startswith("authlib") for dep in plan.dependencies)
    microsoft = BackendDeveloper().plan(load_spec({"models": MODELS, "auth_methods": ["password_jwt", "oauth"],
                                                   "oauth_providers": ["microsoft"]})).oauth_providers[0]
    # Microsoft's e-mail claim is whatever the tenant typed: it must never link an existing account.
    assert microsoft.verified_email_claim is False and "{tenant}" in microsoft.authorize_url
    # Both stacks fill each {key} of the URLs from the setting the catalogue pairs with it.
    assert microsoft.placeholders == (("tenant", "MICROSOFT_TENANT"),)
    plain = BackendDeveloper().plan(load_spec({"models": MODELS}))
    assert plain.oauth_providers == () and plain.oauth_env_vars == () and plain.secret_env_vars == ()
    assert not any(dep.startswith("authlib") for dep in plain.dependencies)
