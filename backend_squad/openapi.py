"""The OpenAPI 3.1 document of a design: the contract every stack's output serves."""

from __future__ import annotations

from typing import Any

from backend_squad.design import (
    DECIMAL_PATTERN,
    ID_MAX,
    INT32_MAX,
    INT32_MIN,
    URL_PATTERN,
    ColumnDesign,
    ResourceDesign,
)
from backend_squad.spec import FieldType

_JSON_TYPES: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "text": {"type": "string"},
    "integer": {"type": "integer"},
    "float": {"type": "number"},
    "decimal": {"type": "string", "pattern": DECIMAL_PATTERN},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
    "datetime": {"type": "string", "format": "date-time"},
    "uuid": {"type": "string", "format": "uuid"},
    "email": {"type": "string", "format": "email"},
    "url": {"type": "string"},
    "json": {},
    "foreign_key": {"type": "integer", "minimum": 1, "maximum": ID_MAX},
}
ID = {"type": "integer", "minimum": 1, "maximum": ID_MAX}

PROBLEM = {"$ref": "#/components/schemas/Problem"}
NO_NUL = "^[^\\x00]*$"
MAX_OFFSET = 1_000_000


def _column_schema(column: ColumnDesign) -> dict[str, Any]:
    schema = dict(_JSON_TYPES[column.kind]) if not column.enum else {
        "type": "string", "enum": [value for _, value in column.enum.members]
    }
    keys = {"max_length": "maxLength", "pattern": "pattern", "ge": "minimum", "le": "maximum"}
    for key, value in column.constraints.items():
        if key in ("ge", "le") and column.kind not in (FieldType.INTEGER.value, FieldType.FLOAT.value):
            continue
        schema[keys[key]] = value
    if column.kind == FieldType.INTEGER.value:  # the 32-bit INTEGER column holds no more
        schema["minimum"] = max(schema.get("minimum", INT32_MIN), INT32_MIN)
        schema["maximum"] = min(schema.get("maximum", INT32_MAX), INT32_MAX)
    if column.description:
        schema["description"] = column.description
    if column.nullable:
        schema = _nullable(schema)
    return schema


def _filter_schema(column: ColumnDesign) -> dict[str, Any]:
    """A filter's query schema with the bounds the app checks (``filter_args``, the FastAPI ``Query(...)`` keywords)."""
    if column.enum:
        return {"type": "string", "enum": [value for _, value in column.enum.members]}
    # e-mail and URL filters are plain strings: a filter only compares, it does not validate.
    schema = {"type": "string"} if column.kind in ("email", "url") else dict(_JSON_TYPES[column.kind])
    keys = {"ge": "minimum", "le": "maximum", "max_length": "maxLength", "pattern": "pattern"}
    for arg in filter(None, (part.strip() for part in column.filter_args.split(","))):
        key, _, value = arg.partition("=")
        if key not in keys:
            continue
        if key == "pattern":
            schema["pattern"] = NO_NUL if value == "NO_NUL" else value.strip("'\"")
        else:
            schema[keys[key]] = int(value)
    return schema


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/problem+json": {"schema": PROBLEM}}}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def _row_id(name: str) -> list[dict[str, Any]]:
    """A path parameter holding a row id, as FastAPI's ``RowId`` declares it."""
    return [{"name": name, "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1, "maximum": ID_MAX}}]


def _body(ref: str) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}}


def _page(item_schema: str) -> dict[str, Any]:
    """A list endpoint's answer: one page of items and what it takes to ask for the next."""
    return {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": {"$ref": f"#/components/schemas/{item_schema}"}},
            "total": {"type": "integer"}, "limit": {"type": "integer"}, "offset": {"type": "integer"},
        },
        "required": ["items", "total", "limit", "offset"],
    }


def _page_parameters() -> list[dict[str, Any]]:
    return [
        {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}},
        {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0}},
    ]


# What every authenticated route accepts and answers, and what every route with a JSON body may answer.
SECURITY = [{"OAuth2PasswordBearer": []}, {"APIKeyHeader": []}]
UNAUTHORIZED = {"401": _problem("Missing, invalid or expired credentials")}
UNPARSEABLE = {"400": _problem("The body is not parseable")}
# The OAuth2 password form: /auth/login trades it for tokens, /auth/session (cookie sessions) for a session.
PASSWORD_FORM = {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": {
    "type": "object",
    "properties": {
        "username": {"type": "string", "minLength": 1, "maxLength": 320, "pattern": NO_NUL,
                     "description": "The account's e-mail"},
        "password": {"type": "string", "maxLength": 128},
        "grant_type": {"type": "string", "pattern": "^password$"},
    },
    "required": ["username", "password"],
}}}}
# A cookie session, as FastAPI's ``APIKeyCookie`` names it; unsafe methods also need the session's CSRF token.
SESSION_COOKIE = {"type": "apiKey", "in": "cookie", "name": "session",
                  "description": "A cookie session from POST /auth/session. Requests other than GET, HEAD and OPTIONS "
                                 "must also send the session's CSRF token (the csrf_token cookie) in the X-CSRF-Token "
                                 "header, or they are refused with 403."}
# A rate-limit plan's name, as RATE_LIMIT_PLANS writes it.
PLAN_NAME = "^[a-z0-9_]{1,40}$"
# The active organization of a multi-tenant project, as FastAPI's ``Header()`` parameter names it.
ORGANIZATION_HEADER = {"name": "x-organization-id", "in": "header", "required": True, "schema": ID,
                       "description": "The organization whose rows the request reads or writes"}


def resource_components(resource: ResourceDesign) -> dict[str, Any]:
    properties = {column.name: _column_schema(column) for column in resource.writable_columns}
    updates = dict(properties)
    for m2m in resource.many_to_many:
        properties[m2m.ids_field] = {"type": "array", "items": ID, "maxItems": 100}
        # PATCH: null leaves the links as they are, like leaving the field out.
        updates[m2m.ids_field] = _nullable(properties[m2m.ids_field])
    required = [
        column.name for column in resource.writable_columns
        if not column.nullable and "=" not in column.create_annotation.rsplit("]", 1)[-1]
    ]
    read_props = {"id": {"type": "integer"}, **{c.name: _column_schema(c) for c in resource.columns}}
    for m2m in resource.many_to_many:
        read_props[m2m.ids_field] = {"type": "array", "items": {"type": "integer"}}
    if resource.owned:
        read_props["owner_id"] = {"type": "integer"}
    if resource.track_authors:
        for field, who in (("created_by", "created"), ("updated_by", "last changed")):
            read_props[field] = {"type": ["integer", "null"],
                                 "description": f"The user who {who} the row (null once that user is deleted)"}
    read_props["created_at"] = {"type": "string", "format": "date-time"}
    read_props["updated_at"] = {"type": "string", "format": "date-time"}
    return {
        # Unknown fields are an error, not silently dropped.
        f"{resource.name}Create": {"type": "object", "properties": properties, "required": required,
                                   "additionalProperties": False},
        f"{resource.name}Update": {"type": "object", "properties": updates, "additionalProperties": False},
        f"{resource.name}Read": {"type": "object", "properties": read_props, "required": list(read_props)},
    }


def resource_paths(resource: ResourceDesign, prefix: str) -> dict[str, Any]:
    ref = f"#/components/schemas/{resource.name}"
    tag = [resource.tag]
    item_errors = {**UNAUTHORIZED, "404": _problem(f"No such {resource.module.replace('_', ' ')} visible to you"),
                   "422": _problem("Invalid id")}
    write_errors = {**UNPARSEABLE, "409": _problem("Conflicts with an existing row"), "422": _problem("Invalid body")}
    delete_errors: dict[str, Any] = {}
    if not resource.owned:
        write_errors["403"] = delete_errors["403"] = _problem("Only admins may change shared resources")
    list_params = [
        *_page_parameters(),
        {"name": "sort", "in": "query", "schema": {"type": "string", "enum": list(resource.sort_values), "default": "id"}},
        *({"name": column.name, "in": "query", "schema": _filter_schema(column)} for column in resource.filter_columns),
    ]
    id_param = _row_id("item_id")
    base = f"{prefix}{resource.path}"
    paths: dict[str, Any] = {
        base: {
            "get": {
                "tags": tag, "summary": f"List {resource.title_plural}", "operationId": f"list_{resource.table}",
                "security": SECURITY, "parameters": list_params,
                "responses": {"200": _json({"$ref": f"#/components/schemas/{resource.name}Page"}, "A page"), **UNAUTHORIZED,
                              "422": _problem("Invalid query")},
            },
            "post": {
                "tags": tag, "summary": f"Create a {resource.module.replace('_', ' ')}",
                "operationId": f"create_{resource.module}", "security": SECURITY,
                "requestBody": _body(f"{resource.name}Create"),
                "responses": {"201": _json({"$ref": f"{ref}Read"}, "Created"), **UNAUTHORIZED, **write_errors},
            },
        },
        f"{base}/{{item_id}}": {
            "parameters": id_param,
            "get": {
                "tags": tag, "operationId": f"get_{resource.module}", "security": SECURITY,
                "responses": {"200": _json({"$ref": f"{ref}Read"}, "Found"), **item_errors},
            },
            "patch": {
                "tags": tag, "operationId": f"update_{resource.module}", "security": SECURITY,
                "requestBody": _body(f"{resource.name}Update"),
                "responses": {"200": _json({"$ref": f"{ref}Read"}, "Updated"), **item_errors, **write_errors,
                              "422": _problem("Invalid id or body")},
            },
            "delete": {
                "tags": tag, "operationId": f"delete_{resource.module}", "security": SECURITY,
                "responses": {"204": {"description": "Deleted"}, **item_errors, **delete_errors},
            },
        },
    }
    operations = {"read": [paths[base]["get"], paths[f"{base}/{{item_id}}"]["get"]],
                  "create": [paths[base]["post"]], "update": [paths[f"{base}/{{item_id}}"]["patch"]],
                  "delete": [paths[f"{base}/{{item_id}}"]["delete"]]}
    for operation, operations_of_kind in operations.items():
        for entry in operations_of_kind:
            _restrict(entry, resource, operation)
    if resource.soft_delete:
        paths[f"{base}/{{item_id}}/restore"] = {
            "parameters": id_param,
            "post": {
                "tags": tag, "summary": f"Restore a deleted {resource.module.replace('_', ' ')} (admins only)",
                "operationId": f"restore_{resource.module}", "security": SECURITY,
                "responses": {"200": _json({"$ref": f"{ref}Read"}, "Restored"), **UNAUTHORIZED,
                              "403": _problem("Only admins may restore deleted rows"),
                              "404": _problem(f"No such {resource.module.replace('_', ' ')}"),
                              "422": _problem("Invalid id")},
            },
        }
    for action in resource.actions:
        paths[f"{base}{action.path}"] = {
            "parameters": id_param,
            action.method.lower(): {
                "tags": tag, "summary": action.description, "operationId": f"{action.name}_{resource.module}",
                "security": SECURITY,
                "responses": {"200": _json({"$ref": "#/components/schemas/ActionResult"}, "Done"), **item_errors,
                              **delete_errors, "501": _problem("The action's slot is not written yet")},
            },
        }
        _restrict(paths[f"{base}{action.path}"][action.method.lower()], resource, "update")
    if resource.tenant_scoped:
        _scope_to_organization(paths)
    return paths


def _scope_to_organization(paths: dict[str, Any]) -> None:
    """Every operation of a tenant-scoped resource names the active organization and may refuse a non-member."""
    for path_item in paths.values():
        path_item["parameters"] = [*path_item.get("parameters", []), ORGANIZATION_HEADER]
        for method, operation in path_item.items():
            if method != "parameters":
                operation["responses"].setdefault("403", _problem("Not a member of the organization"))


def _restrict(operation: dict[str, Any], resource: ResourceDesign, kind: str) -> None:
    """Name the roles an operation needs (when the model restricts ``kind``) and publish their 403."""
    roles = resource.allowed_roles(kind)
    if roles is None:
        return
    line = f"Roles: {', '.join(('admin', *roles))}."
    operation["description"] = f"{operation['description']}\n\n{line}" if operation.get("description") else line
    # On shared models the listed roles replace the admins-only rule for this operation.
    operation["responses"]["403"] = _problem("Requires one of the roles")


def account_components(api_keys: bool, magic_links: bool = False, roles: tuple[str, ...] = (),
                       oauth_providers: tuple[str, ...] = (), plans: bool = False,
                       sessions: bool = False) -> dict[str, Any]:
    """Users, token pairs and (when chosen) API keys, magic links, roles, plans and cookie sessions: the shapes of
    the account routes."""
    text = {"type": "string", "pattern": NO_NUL}
    nullable_instant = _nullable({"type": "string", "format": "date-time"})
    schemas: dict[str, Any] = {
        "RegisterRequest": {
            "type": "object",
            "properties": {
                "email": {"type": "string", "format": "email", "maxLength": 320},
                "password": {**text, "minLength": 8, "maxLength": 128},
                "full_name": _nullable({**text, "maxLength": 200}),
            },
            "required": ["email", "password"], "additionalProperties": False,
        },
        "UserRead": {
            "type": "object",
            "properties": {
                "id": {"type": "integer"}, "email": {"type": "string"},
                "full_name": _nullable({"type": "string"}),
                "is_active": {"type": "boolean"}, "is_admin": {"type": "boolean"},
                "created_at": {"type": "string", "format": "date-time"},
            },
            "required": ["id", "email", "full_name", "is_active", "is_admin", "created_at"],
        },
        "RefreshRequest": {
            "type": "object", "properties": {"refresh_token": {"type": "string", "minLength": 1, "maxLength": 200}},
            "required": ["refresh_token"], "additionalProperties": False,
        },
        "TokenPair": {
            "type": "object",
            "properties": {
                "access_token": {"type": "string"}, "refresh_token": {"type": "string"},
                "token_type": {"type": "string"}, "expires_in": {"type": "integer"},
            },
            "required": ["access_token", "refresh_token", "token_type", "expires_in"],
        },
    }
    if oauth_providers:
        schemas["OAuthCodeExchange"] = {
            "type": "object", "properties": {"code": {"type": "string", "minLength": 1, "maxLength": 200}},
            "required": ["code"], "additionalProperties": False,
        }
    if roles:
        user = schemas["UserRead"]
        # A plain string when read: a role later dropped from the answers must not break reading its holders.
        user["properties"]["role"] = _nullable({"type": "string"})
        user["required"].append("role")
        schemas["RoleUpdate"] = {
            "type": "object", "properties": {"role": _nullable({"type": "string", "enum": list(roles)})},
            "required": ["role"], "additionalProperties": False,
        }
    if plans:
        user = schemas["UserRead"]
        user["properties"]["plan"] = _nullable({"type": "string"})
        user["required"].append("plan")
        schemas["UserPlanUpdate"] = {
            "type": "object", "properties": {"plan": _nullable({"type": "string", "pattern": PLAN_NAME})},
            "required": ["plan"], "additionalProperties": False,
        }
    if sessions:
        schemas["SessionStarted"] = {
            "type": "object",
            "properties": {
                "csrf_token": {"type": "string", "description": "Send it back in X-CSRF-Token on unsafe requests "
                                                                "(it is also in the csrf_token cookie)"},
                "expires_at": {"type": "string", "format": "date-time"},
            },
            "required": ["csrf_token", "expires_at"],
        }
        # REFRESH_TOKEN_COOKIE moves the refresh token out of reach of the page's script, into an httpOnly cookie.
        pair = schemas["TokenPair"]
        pair["properties"]["refresh_token"] = _nullable({
            "type": "string", "description": "Null when REFRESH_TOKEN_COOKIE is on: the token is then in the "
                                             "httpOnly refresh_token cookie"})
        pair["properties"]["csrf_token"] = _nullable({
            "type": "string", "description": "With REFRESH_TOKEN_COOKIE on, what /auth/refresh and /auth/logout need in "
                                             "X-CSRF-Token when they read the cookie (also in the refresh_csrf cookie)"})
        pair["required"].append("csrf_token")
    if api_keys:
        scopes = {"type": "array", "items": {"type": "string", "enum": ["read", "write"]}}
        read = {
            "id": {"type": "integer"}, "name": {"type": "string"}, "prefix": {"type": "string"}, "scopes": scopes,
            "created_at": {"type": "string", "format": "date-time"},
            "last_used_at": nullable_instant, "revoked_at": nullable_instant,
        }
        created = {**read, "key": {"type": "string", "description": "The secret; shown once, store it now"}}
        schemas |= {
            "ApiKeyCreate": {
                "type": "object",
                "properties": {"name": {**text, "minLength": 1, "maxLength": 100},
                               "scopes": {**scopes, "minItems": 1, "maxItems": 2, "default": ["read", "write"]}},
                "required": ["name"], "additionalProperties": False,
            },
            "ApiKeyRead": {"type": "object", "properties": read, "required": list(read)},
            "ApiKeyCreated": {"type": "object", "properties": created, "required": list(created)},
        }
    if magic_links:
        schemas |= {
            "MagicLinkRequest": {
                "type": "object", "properties": {"email": {"type": "string", "format": "email", "maxLength": 320}},
                "required": ["email"], "additionalProperties": False,
            },
            "MagicLinkSent": {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]},
            "MagicLinkVerify": {
                "type": "object", "properties": {"token": {"type": "string", "minLength": 1, "maxLength": 200}},
                "required": ["token"], "additionalProperties": False,
            },
        }
    return schemas


def session_path() -> dict[str, Any]:
    """Start a cookie session with the password form, end it with DELETE: for browser apps that keep no token."""
    return {
        "post": {
            "tags": ["auth"], "summary": "Start a cookie session with the OAuth2 password form",
            "description": "Sets the httpOnly `session` cookie and the `csrf_token` cookie, whose value unsafe "
                           "requests send back in X-CSRF-Token. A request another site's page started (Sec-Fetch-Site: "
                           "cross-site, or an Origin that is neither the API's nor in CORS_ORIGINS) is refused.",
            "operationId": "start_session", "requestBody": PASSWORD_FORM,
            "responses": {"200": _json({"$ref": "#/components/schemas/SessionStarted"}, "Session started"),
                          **UNPARSEABLE, "401": _problem("Wrong email or password"),
                          "403": _problem("Sign-in from another site refused"),
                          "422": _problem("Missing or invalid form fields")},
        },
        "delete": {
            "tags": ["auth"], "summary": "End the caller's cookie session",
            "description": "Clears both cookies; the session stops working at once.",
            "operationId": "end_session", "security": [{"APIKeyCookie": []}],
            "responses": {"204": {"description": "Ended"}, **UNAUTHORIZED,
                          "403": _problem("CSRF token missing or wrong")},
        },
    }


def _accept_session_cookies(paths: dict[str, Any]) -> None:
    """Every route that takes a token or an API key takes a cookie session too."""
    for item in paths.values():
        for operation in item.values():
            if isinstance(operation, dict) and operation.get("security") == SECURITY:
                operation["security"] = [*SECURITY, {"APIKeyCookie": []}]


def _carry_refresh_cookies(paths: dict[str, Any], prefix: str) -> None:
    """With cookie sessions, REFRESH_TOKEN_COOKIE may carry the refresh token in an httpOnly cookie: refresh and
    logout then read it when no body comes (with the CSRF header), and every sign-in refuses another site's page."""
    cookie = {"name": "refresh_token", "in": "cookie", "required": False,
              "description": "Read only with REFRESH_TOKEN_COOKIE on and no body; needs X-CSRF-Token",
              "schema": {"type": "string"}}
    for name in ("refresh", "logout"):
        operation = paths[f"{prefix}/auth/{name}"]["post"]
        operation["requestBody"] = {**operation["requestBody"], "required": False}
        operation["parameters"] = [cookie]
        operation["responses"]["403"] = _problem("The refresh_token cookie came without its CSRF token")
    for path in ("login", "magic-link/verify", "oauth/token"):
        if f"{prefix}/auth/{path}" in paths:
            paths[f"{prefix}/auth/{path}"]["post"]["responses"]["403"] = _problem("Sign-in from another site refused")


def account_paths(prefix: str, api_keys: bool, magic_links: bool = False, roles: tuple[str, ...] = (),
                  oauth_providers: tuple[str, ...] = (), plans: bool = False, sessions: bool = False) -> dict[str, Any]:
    """Register, log in, refresh, log out, the caller's user and (when chosen) API keys, magic links, cookie sessions
    and the role and rate-limit plan an admin gives a user, as both stacks serve them."""
    invalid = {"422": _problem("Invalid body")}
    paths: dict[str, Any] = {
        f"{prefix}/auth/register": {"post": {
            "tags": ["auth"], "summary": "Register a user", "operationId": "register", "requestBody": _body("RegisterRequest"),
            "responses": {"201": _json({"$ref": "#/components/schemas/UserRead"}, "Registered"), **UNPARSEABLE,
                          "409": _problem("A user with this e-mail already exists"), **invalid},
        }},
        f"{prefix}/auth/login": {"post": {
            "tags": ["auth"], "summary": "Log in with the OAuth2 password form", "operationId": "login",
            "requestBody": PASSWORD_FORM,
            "responses": {"200": _json({"$ref": "#/components/schemas/TokenPair"}, "Tokens"), **UNPARSEABLE,
                          "401": _problem("Wrong email or password"), "422": _problem("Missing or invalid form fields")},
        }},
        f"{prefix}/auth/refresh": {"post": {
            "tags": ["auth"], "summary": "Trade a refresh token for a new pair",
            "description": "The old refresh token stops working (rotation); presenting a rotated one counts as a "
                           "leak and revokes refresh tokens of its user (cookie sessions are not affected).",
            "operationId": "refresh", "requestBody": _body("RefreshRequest"),
            "responses": {"200": _json({"$ref": "#/components/schemas/TokenPair"}, "New tokens"), **UNPARSEABLE,
                          "401": _problem("Unknown, expired or revoked refresh token"), **invalid},
        }},
        f"{prefix}/auth/logout": {"post": {
            "tags": ["auth"], "summary": "Revoke a refresh token",
            "description": "Unknown tokens are ignored, so logout never tells which tokens exist.",
            "operationId": "logout", "requestBody": _body("RefreshRequest"),
            "responses": {"204": {"description": "Revoked"}, **UNPARSEABLE, **invalid},
        }},
        f"{prefix}/users/me": {"get": {
            "tags": ["users"], "summary": "The caller's user", "operationId": "read_me", "security": SECURITY,
            "responses": {"200": _json({"$ref": "#/components/schemas/UserRead"}, "The caller"), **UNAUTHORIZED,
                          "404": _problem("The user is gone")},
        }},
    }
    if magic_links:
        paths[f"{prefix}/auth/magic-link"] = {"post": {
            "tags": ["auth"], "summary": "E-mail a single-use sign-in link",
            "description": "The same 202 whether or not the e-mail belongs to an account, so the answer never tells "
                           "which addresses have one.",
            "operationId": "request_magic_link", "requestBody": _body("MagicLinkRequest"),
            "responses": {"202": _json({"$ref": "#/components/schemas/MagicLinkSent"}, "Sent if the account exists"),
                          **UNPARSEABLE, **invalid},
        }}
        paths[f"{prefix}/auth/magic-link/verify"] = {"post": {
            "tags": ["auth"], "summary": "Trade a sign-in link's token for a token pair (once)",
            "operationId": "verify_magic_link", "requestBody": _body("MagicLinkVerify"),
            "responses": {"200": _json({"$ref": "#/components/schemas/TokenPair"}, "Tokens"), **UNPARSEABLE,
                          "401": _problem("Unknown, used or expired sign-in link"), **invalid},
        }}
    if oauth_providers:
        paths.update(oauth_paths(prefix, oauth_providers))
    if sessions:
        paths[f"{prefix}/auth/session"] = session_path()
        _carry_refresh_cookies(paths, prefix)
    if roles:
        paths[f"{prefix}/users/{{user_id}}/role"] = {
            "parameters": _row_id("user_id"),
            "put": {
                "tags": ["users"], "summary": "Give a user a role, or none (admins only)",
                "description": "The user's next access token (after a refresh or a new sign-in) carries the role.",
                "operationId": "set_user_role", "security": SECURITY, "requestBody": _body("RoleUpdate"),
                "responses": {"200": _json({"$ref": "#/components/schemas/UserRead"}, "The user"), **UNPARSEABLE,
                              **UNAUTHORIZED, "403": _problem("Only admins may change roles"),
                              "404": _problem("No such user"), "422": _problem("Invalid id or role")},
            },
        }
    if plans:
        paths[f"{prefix}/users/{{user_id}}/plan"] = {
            "parameters": _row_id("user_id"),
            "put": {
                "tags": ["users"], "summary": "Put a user on a rate-limit plan, or none (admins only)",
                "description": "RATE_LIMIT_PLANS gives each plan its budget; a plan it does not name gets RATE_LIMIT. "
                               "The user's next access token (after a refresh or a new sign-in) carries the plan; "
                               "their API keys follow within a minute.",
                "operationId": "set_user_plan", "security": SECURITY, "requestBody": _body("UserPlanUpdate"),
                "responses": {"200": _json({"$ref": "#/components/schemas/UserRead"}, "The user"), **UNPARSEABLE,
                              **UNAUTHORIZED, "403": _problem("Only admins may change plans"),
                              "404": _problem("No such user"), "422": _problem("Invalid id or plan")},
            },
        }
    if api_keys:
        paths[f"{prefix}/api-keys"] = {
            "get": {
                "tags": ["api-keys"], "summary": "The caller's API keys", "operationId": "list_api_keys",
                "security": SECURITY,
                "responses": {"200": _json({"type": "array", "items": {"$ref": "#/components/schemas/ApiKeyRead"}},
                                           "The keys"), **UNAUTHORIZED},
            },
            "post": {
                "tags": ["api-keys"], "summary": "Create an API key (its secret is in this answer only)",
                "operationId": "create_api_key", "security": SECURITY, "requestBody": _body("ApiKeyCreate"),
                "responses": {"201": _json({"$ref": "#/components/schemas/ApiKeyCreated"}, "Created"), **UNPARSEABLE,
                              **UNAUTHORIZED, **invalid},
            },
        }
        paths[f"{prefix}/api-keys/{{key_id}}"] = {
            "parameters": _row_id("key_id"),
            "delete": {
                "tags": ["api-keys"], "summary": "Revoke an API key; it stops working at once",
                "operationId": "revoke_api_key", "security": SECURITY,
                "responses": {"204": {"description": "Revoked"}, **UNAUTHORIZED,
                              "404": _problem("No such API key of yours"), "422": _problem("Invalid id")},
            },
        }
    return paths


def oauth_paths(prefix: str, providers: tuple[str, ...]) -> dict[str, Any]:
    """Sign-in through an OAuth provider: the browser goes to authorize, comes back to callback, and the front end
    trades the one-time code the callback hands it for a token pair."""
    provider = [{"name": "provider", "in": "path", "required": True,
                 "schema": {"type": "string", "enum": list(providers)}}]
    unknown = {"404": _problem("Unknown OAuth provider")}
    redirect = {"description": "Redirect", "headers": {"Location": {"schema": {"type": "string"}}}}
    text = {"type": "string"}  # whatever arrives, the callback answers with a redirect
    return {
        f"{prefix}/auth/oauth/{{provider}}/authorize": {"parameters": provider, "get": {
            "tags": ["auth"], "summary": "Start signing in with an OAuth provider (a browser navigation)",
            "description": "Redirects to the provider with state and a PKCE challenge, kept in a short-lived "
                           "httpOnly cookie for the callback.",
            "operationId": "oauth_authorize",
            "responses": {"302": {**redirect, "description": "To the provider's sign-in page"}, **unknown,
                          "503": _problem("The provider has no client id or secret configured")},
        }},
        f"{prefix}/auth/oauth/{{provider}}/callback": {"parameters": provider, "get": {
            "tags": ["auth"], "summary": "Where the provider sends the browser back",
            "description": "Always redirects to OAUTH_REDIRECT_URL: with ?code= (single-use, two minutes) on "
                           "success, with ?error= (access_denied, provider_error, invalid_state, invalid_request, "
                           "email_required, account_exists, inactive_account) otherwise.",
            "operationId": "oauth_callback",
            "parameters": [{"name": name, "in": "query", "schema": text} for name in ("code", "state", "error")],
            "responses": {"302": {**redirect, "description": "To OAUTH_REDIRECT_URL with code or error"}, **unknown},
        }},
        f"{prefix}/auth/oauth/token": {"post": {
            "tags": ["auth"], "summary": "Trade the callback's one-time code for a token pair",
            "operationId": "oauth_token", "requestBody": _body("OAuthCodeExchange"),
            "responses": {"200": _json({"$ref": "#/components/schemas/TokenPair"}, "Tokens"), **UNPARSEABLE,
                          "401": _problem("Unknown, used or expired code"), "422": _problem("Invalid body")},
        }},
    }


def tenancy_components(membership_roles: tuple[str, ...]) -> dict[str, Any]:
    """Organizations, their members and invitations: the shapes of the multi-tenant routes."""
    instant = {"type": "string", "format": "date-time"}
    role = _nullable({"type": "string"})  # read as a plain string: a role later dropped must not break reads
    chosen_role = _nullable({"type": "string", "enum": list(membership_roles)})
    organization = {"id": {"type": "integer"}, "name": {"type": "string"}, "role": role, "created_at": instant}
    membership = {"user_id": {"type": "integer"}, "email": {"type": "string"}, "role": role, "created_at": instant}
    invitation = {"id": {"type": "integer"}, "organization_id": {"type": "integer"}, "email": {"type": "string"},
                  "role": role, "expires_at": instant, "created_at": instant}

    def named() -> dict[str, Any]:
        """The body that creates or renames an organization."""
        name = {"type": "string", "pattern": NO_NUL, "minLength": 1, "maxLength": 120}
        return {"type": "object", "properties": {"name": name}, "required": ["name"], "additionalProperties": False}

    schemas = {
        "OrganizationCreate": named(),
        "OrganizationUpdate": named(),
        "OrganizationRead": {"type": "object", "properties": organization, "required": list(organization)},
        "MembershipRead": {"type": "object", "properties": membership, "required": list(membership)},
        "MembershipUpdate": {"type": "object", "properties": {"role": chosen_role}, "required": ["role"],
                             "additionalProperties": False},
        "InvitationCreate": {
            "type": "object",
            "properties": {"email": {"type": "string", "format": "email", "maxLength": 320}, "role": {**chosen_role, "default": None}},
            "required": ["email"], "additionalProperties": False,
        },
        "InvitationRead": {"type": "object", "properties": invitation, "required": list(invitation)},
        "InvitationAccept": {
            "type": "object", "properties": {"token": {"type": "string", "minLength": 1, "maxLength": 200}},
            "required": ["token"], "additionalProperties": False,
        },
    }
    for name in ("Organization", "Membership", "Invitation"):
        schemas[f"{name}Page"] = _page(f"{name}Read")
    return schemas


def tenancy_paths(prefix: str) -> dict[str, Any]:
    """Organizations a user creates and belongs to, their members' roles and invitations by e-mail. A caller outside
    an organization gets its 404 (its existence is not revealed); a member who is not its admin, 403."""
    base = f"{prefix}/organizations/{{organization_id}}"
    organization_id = _row_id("organization_id")
    tag = ["organizations"]
    missing = {"404": _problem("No such organization of yours")}
    admins_only = {"403": _problem("Only organization admins may do this, and read-only API keys may not write")}
    last_admin = {"409": _problem("An organization keeps at least one admin")}

    def operation(operation_id: str, summary: str, responses: dict[str, Any], body: str | None = None) -> dict[str, Any]:
        entry: dict[str, Any] = {"tags": tag, "summary": summary, "operationId": operation_id, "security": SECURITY}
        if body:
            entry["requestBody"] = _body(body)
            responses = {**UNPARSEABLE, **responses}
        entry["responses"] = {**responses, **UNAUTHORIZED}
        return entry

    def page(name: str) -> dict[str, Any]:
        return _json({"$ref": f"#/components/schemas/{name}Page"}, "A page")

    organization = _json({"$ref": "#/components/schemas/OrganizationRead"}, "The organization and your role in it")
    member = _json({"$ref": "#/components/schemas/MembershipRead"}, "The membership")
    return {
        f"{prefix}/organizations": {
            "get": {**operation("list_organizations", "The organizations you belong to",
                                {"200": page("Organization"), "422": _problem("Invalid query")}),
                    "parameters": _page_parameters()},
            "post": operation("create_organization", "Create an organization; you become its admin",
                              {"201": organization, "403": _problem("Read-only API keys may not write"),
                               "422": _problem("Invalid body")}, body="OrganizationCreate"),
        },
        base: {
            "parameters": organization_id,
            "get": operation("get_organization", "One organization you belong to",
                             {"200": organization, **missing, "422": _problem("Invalid id")}),
            "patch": operation("update_organization", "Rename an organization (organization admins)",
                               {"200": organization, **admins_only, **missing, "422": _problem("Invalid id or body")},
                               body="OrganizationUpdate"),
            "delete": operation(
                "delete_organization", "Delete an organization with its members, invitations and rows (organization "
                "admins)", {"204": {"description": "Deleted"}, **admins_only, **missing, "422": _problem("Invalid id")}),
        },
        f"{base}/members": {"parameters": organization_id, "get": {
            **operation("list_members", "The organization's members and their roles",
                        {"200": page("Membership"), **missing, "422": _problem("Invalid id or query")}),
            "parameters": _page_parameters()}},
        f"{base}/members/{{user_id}}/role": {"parameters": organization_id + _row_id("user_id"), "put": operation(
            "set_member_role", "Give a member a role in the organization, or none (organization admins)",
            {"200": member, **admins_only, "404": _problem("No such organization of yours, or not a member"),
             **last_admin, "422": _problem("Invalid id or role")}, body="MembershipUpdate")},
        f"{base}/members/{{user_id}}": {"parameters": organization_id + _row_id("user_id"), "delete": operation(
            "remove_member", "Remove a member (organization admins), or leave the organization yourself",
            {"204": {"description": "Removed"}, **admins_only,
             "404": _problem("No such organization of yours, or not a member"), **last_admin,
             "422": _problem("Invalid id")})},
        f"{base}/invitations": {
            "parameters": organization_id,
            "get": {**operation("list_invitations", "Pending invitations (organization admins)",
                                {"200": page("Invitation"), **admins_only, **missing,
                                 "422": _problem("Invalid id or query")}),
                    "parameters": _page_parameters()},
            "post": operation(
                "create_invitation", "Invite someone by e-mail (organization admins); a pending invitation to the "
                "same address is replaced",
                {"201": _json({"$ref": "#/components/schemas/InvitationRead"}, "Invited"), **admins_only, **missing,
                 "409": _problem("Already a member"), "422": _problem("Invalid id or body")}, body="InvitationCreate"),
        },
        f"{base}/invitations/{{invitation_id}}": {
            "parameters": organization_id + _row_id("invitation_id"),
            "delete": operation("revoke_invitation", "Revoke a pending invitation (organization admins)",
                                {"204": {"description": "Revoked"}, **admins_only,
                                 "404": _problem("No such organization of yours, or no such pending invitation"),
                                 "422": _problem("Invalid id")}),
        },
        f"{prefix}/invitations/accept": {"post": operation(
            "accept_invitation", "Join an organization with the token an invitation e-mail carried (once)",
            {"200": organization, "403": _problem("The invitation is for another e-mail address, or the API key is "
                                                  "read-only"),
             "404": _problem("Unknown, used, revoked or expired invitation"), "409": _problem("Already a member"),
             "422": _problem("Invalid body")}, body="InvitationAccept")},
    }


AUDIT_ACTION_MAX_LENGTH = 64


def audit_components() -> dict[str, Any]:
    """One recorded sensitive action (logins, key changes, deletes, restores, promotions) and a page of them."""
    nullable_text = _nullable({"type": "string"})
    event = {
        "id": {"type": "integer"}, "created_at": {"type": "string", "format": "date-time"},
        "actor_id": _nullable({"type": "integer"}), "action": {"type": "string"},
        "target_type": nullable_text, "target_id": nullable_text,
    }
    return {
        "AuditEventRead": {"type": "object", "properties": event, "required": list(event)},
        "AuditEventPage": _page("AuditEventRead"),
    }


def audit_paths(prefix: str) -> dict[str, Any]:
    """The audit log, newest first, for admins."""
    return {f"{prefix}/audit-events": {"get": {
        "tags": ["audit"], "summary": "The audit log of sensitive actions, newest first (admins only)",
        "operationId": "list_audit_events", "security": SECURITY,
        "parameters": [
            *_page_parameters(),
            {"name": "action", "in": "query",
             "schema": {"type": "string", "maxLength": AUDIT_ACTION_MAX_LENGTH, "pattern": NO_NUL}},
            {"name": "actor_id", "in": "query", "schema": ID},
        ],
        "responses": {"200": _json({"$ref": "#/components/schemas/AuditEventPage"}, "A page of events"),
                      **UNAUTHORIZED, "403": _problem("Only admins may read the audit log"),
                      "422": _problem("Invalid query")},
    }}}


CONTENT_TYPE = r"^[\w.+-]+/[\w.+-]+$"
MAX_FILENAME_LENGTH = 255


def storage_components() -> dict[str, Any]:
    """The schemas of ``/files``: an upload to presign, a presigned URL and a stored file."""
    return {
        "PresignUploadRequest": {
            "type": "object",
            "properties": {
                "filename": {"type": "string", "minLength": 1, "maxLength": MAX_FILENAME_LENGTH,
                             "examples": ["report.pdf"], "description": "A plain name: no '/', '\\' or control characters"},
                "content_type": {"type": "string", "maxLength": 255, "pattern": CONTENT_TYPE,
                                 "default": "application/octet-stream"},
            },
            "required": ["filename"],
        },
        "PresignedUrl": {
            "type": "object",
            "properties": {
                "key": {"type": "string"}, "url": {"type": "string"}, "method": {"type": "string", "enum": ["GET", "PUT"]},
                "expires_in": {"type": "integer", "description": "Seconds the URL stays valid"},
                "headers": {"type": "object", "additionalProperties": {"type": "string"},
                            "description": "Headers the request must send as given"},
            },
            "required": ["key", "url", "method", "expires_in"],
        },
        "StoredFile": {
            "type": "object",
            "properties": {"key": {"type": "string"}, "size": {"type": "integer"}, "content_type": {"type": "string"}},
            "required": ["key", "size", "content_type"],
        },
    }


def storage_paths(prefix: str) -> dict[str, Any]:
    """``/files``: per-user files behind presigned URLs, whichever storage provider is configured."""
    unavailable = {"503": _problem("Storage is not configured (the detail names the setting)")}
    key = [{"name": "key", "in": "path", "required": True, "schema": {"type": "string"},
            "description": "A key returned by an upload, e.g. users/1/<hex>-report.pdf"}]
    theirs = {"404": _problem("No such file of yours"), "422": _problem("The key is not well formed")}
    presigned = _json({"$ref": "#/components/schemas/PresignedUrl"}, "A presigned URL")
    return {
        f"{prefix}/files": {"post": {
            "tags": ["files"], "summary": "Upload a small file through the API (at most *_MAX_UPLOAD_BYTES)",
            "operationId": "upload_file", "security": SECURITY,
            "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                "type": "object", "properties": {"file": {"type": "string", "contentMediaType": "application/octet-stream"}},
                "required": ["file"],
            }}}},
            "responses": {"201": _json({"$ref": "#/components/schemas/StoredFile"}, "Stored"), **UNPARSEABLE,
                          **UNAUTHORIZED, "413": _problem("The file is larger than the limit"),
                          "422": _problem("No file, or an unacceptable filename"), **unavailable},
        }},
        f"{prefix}/files/presign-upload": {"post": {
            "tags": ["files"], "summary": "A URL the client PUTs the file to directly (send the returned headers with it)",
            "operationId": "presign_upload", "security": SECURITY, "requestBody": _body("PresignUploadRequest"),
            "responses": {"200": presigned, **UNPARSEABLE, **UNAUTHORIZED, "422": _problem("Invalid body"), **unavailable},
        }},
        f"{prefix}/files/{{key}}/download-url": {"get": {
            "tags": ["files"], "summary": "A short-lived URL to one of your files", "operationId": "download_url",
            "security": SECURITY, "parameters": key,
            "responses": {"200": presigned, **UNAUTHORIZED, **theirs, **unavailable},
        }},
        f"{prefix}/files/{{key}}": {"delete": {
            "tags": ["files"], "summary": "Delete one of your files", "operationId": "delete_file", "security": SECURITY,
            "parameters": key, "responses": {"204": {"description": "Deleted"}, **UNAUTHORIZED, **theirs, **unavailable},
        }},
    }



def payment_components(features: tuple[str, ...], paid_for: str | None) -> dict[str, Any]:
    """The schemas of ``/payments`` for the chosen ``stripe_features``; ``paid_for`` is the payable model's id field
    (``order_id``) when Checkout pays for one."""
    schemas: dict[str, Any] = {}
    if "checkout" in features:
        modes = ["payment", "subscription"] if "subscriptions" in features else ["payment"]
        properties: dict[str, Any] = {
            "price_id": {"type": "string", "minLength": 1, "maxLength": 255, "examples": ["price_123"]},
            "quantity": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 1},
            "mode": {"type": "string", "enum": modes, "default": modes[-1]},
        }
        if paid_for:
            properties[paid_for] = {"anyOf": [ID, {"type": "null"}], "description": "Pay for this row (yours, unpaid)"}
        schemas["CheckoutRequest"] = {"type": "object", "properties": properties, "required": ["price_id"]}
        schemas["CheckoutSession"] = {
            "type": "object", "properties": {"id": {"type": "string"}, "url": _nullable({"type": "string"})},
            "required": ["id", "url"],
        }
    if "customer_portal" in features:
        schemas["PortalSession"] = {"type": "object", "properties": {"url": {"type": "string"}}, "required": ["url"]}
    if "subscriptions" in features:
        optional_text = _nullable({"type": "string"})
        schemas["Plan"] = {"type": "object", "properties": {"name": {"type": "string"}, "price_id": {"type": "string"}},
                           "required": ["name", "price_id"]}
        schemas["SubscriptionStatus"] = {
            "type": "object",
            "properties": {
                "subscription_id": {"type": "string"}, "status": {"type": "string"}, "active": {"type": "boolean"},
                "price_id": optional_text, "plan": optional_text,
                "current_period_end": _nullable({"type": "string", "format": "date-time"}),
            },
            "required": ["subscription_id", "status", "active", "price_id", "plan", "current_period_end"],
        }
    if "webhooks" in features:
        schemas["WebhookResult"] = {
            "type": "object",
            "properties": {"received": {"type": "boolean"}, "duplicate": {"type": "boolean"}, "handled": {"type": "boolean"}},
        }
    return schemas


def payment_paths(prefix: str, features: tuple[str, ...], paid_for: str | None) -> dict[str, Any]:
    """``/payments``: Stripe Checkout, plans and subscription status, the customer portal and the webhook receiver."""
    unavailable = {"503": _problem("Stripe is not configured (the detail names the setting)")}
    unreachable = {"502": _problem("Stripe could not be reached")}
    paths: dict[str, Any] = {}
    if "checkout" in features:
        owned = {"404": _problem("No such row of yours"), "409": _problem("Already paid")} if paid_for else {}
        paths[f"{prefix}/payments/checkout-session"] = {"post": {
            "tags": ["payments"], "summary": "A hosted Stripe Checkout page for one price", "operationId": "checkout_session",
            "security": SECURITY, "requestBody": _body("CheckoutRequest"),
            "responses": {"200": _json({"$ref": "#/components/schemas/CheckoutSession"}, "The session and its URL"),
                          "400": _problem("Not parseable, not an offered plan, or refused by Stripe"), **UNAUTHORIZED,
                          "403": _problem("A read-only API key"), **owned, "422": _problem("Invalid body"),
                          **unreachable, **unavailable},
        }}
    if "subscriptions" in features:
        paths[f"{prefix}/payments/plans"] = {"get": {
            "tags": ["payments"], "summary": "The plans of STRIPE_PLANS", "operationId": "list_plans",
            "responses": {"200": _json({"type": "array", "items": {"$ref": "#/components/schemas/Plan"}}, "The plans")},
        }}
        paths[f"{prefix}/payments/subscription"] = {"get": {
            "tags": ["payments"], "summary": "The caller's subscription", "operationId": "read_subscription",
            "security": SECURITY,
            "responses": {"200": _json({"$ref": "#/components/schemas/SubscriptionStatus"}, "The subscription"),
                          **UNAUTHORIZED, "404": _problem("No subscription for this user")},
        }}
    if "customer_portal" in features:
        paths[f"{prefix}/payments/customer-portal"] = {"post": {
            "tags": ["payments"], "summary": "A Stripe customer portal session", "operationId": "customer_portal",
            "security": SECURITY,
            "responses": {"200": _json({"$ref": "#/components/schemas/PortalSession"}, "The portal's URL"),
                          **UNAUTHORIZED, "404": _problem("No Stripe customer for this user yet"), **unreachable,
                          **unavailable},
        }}
    if "webhooks" in features:
        paths[f"{prefix}/payments/webhook"] = {"post": {
            "tags": ["payments"], "summary": "Stripe's signed event deliveries (each event id processed once)",
            "operationId": "stripe_webhook",
            "parameters": [{"name": "stripe-signature", "in": "header", "required": False, "schema": {"type": "string"}}],
            "responses": {"200": _json({"$ref": "#/components/schemas/WebhookResult"}, "Received"),
                          "400": _problem("A missing or invalid signature, or not an event"),
                          "422": _problem("Invalid header"), **unavailable},
        }}
    return paths


EVENT_TYPE = {"type": "string", "minLength": 1, "maxLength": 100, "pattern": "^[A-Za-z0-9_.*-]+$"}
WEBHOOK_SOURCE = "^[a-z0-9_-]{1,50}$"


def webhook_components() -> dict[str, Any]:
    """The schemas of ``/webhooks``: a subscription (its secret shown once), a delivery, and an incoming event's receipt.
    Named ``Webhook...`` so they cannot clash with a model's ``<Name>Read``."""
    instant = {"type": "string", "format": "date-time"}
    read = {"id": {"type": "integer"}, "url": {"type": "string"}, "event_types": {"type": "array", "items": {"type": "string"}},
            "is_active": {"type": "boolean"}, "created_at": instant}
    created = {**read, "secret": {"type": "string", "description": "Signs every delivery; shown only now."}}
    delivery = {
        "id": {"type": "integer"}, "subscription_id": {"type": "integer"}, "event_type": {"type": "string"},
        "payload": {"type": "object", "additionalProperties": True}, "status": {"type": "string"},
        "attempts": {"type": "integer"}, "next_attempt_at": _nullable(instant),
        "response_status": _nullable({"type": "integer"}), "last_error": _nullable({"type": "string"}),
        "created_at": instant,
    }
    return {
        "WebhookSubscriptionCreate": {
            "type": "object",
            "properties": {
                "url": {"type": "string", "maxLength": 2048, "pattern": URL_PATTERN},
                "event_types": {"type": "array", "items": EVENT_TYPE, "minItems": 1, "maxItems": 100,
                                "description": "Event types to receive; \"*\" matches all"},
            },
            "required": ["url", "event_types"],
        },
        "WebhookSubscriptionRead": {"type": "object", "properties": read, "required": list(read)},
        "WebhookSubscriptionCreated": {"type": "object", "properties": created, "required": list(created)},
        "WebhookDeliveryRead": {"type": "object", "properties": delivery, "required": list(delivery)},
        "WebhookIncomingAccepted": {
            "type": "object", "properties": {"received": {"type": "boolean", "default": True}, "duplicate": {"type": "boolean"}},
            "required": ["duplicate"],
        },
    }


def webhook_paths(prefix: str) -> dict[str, Any]:
    """``/webhooks``: the caller's subscriptions and delivery log, and the signed incoming receiver (as FastAPI's
    router declares them: the same statuses and parameters)."""
    read_only = {"403": _problem("A read-only API key")}
    delivery = _json({"$ref": "#/components/schemas/WebhookDeliveryRead"}, "The delivery")
    return {
        f"{prefix}/webhooks/subscriptions": {
            "get": {
                "tags": ["webhooks"], "summary": "The caller's webhook subscriptions", "operationId": "list_webhook_subscriptions",
                "security": SECURITY,
                "responses": {"200": _json({"type": "array", "items": {"$ref": "#/components/schemas/WebhookSubscriptionRead"}},
                                           "The subscriptions"), **UNAUTHORIZED},
            },
            "post": {
                "tags": ["webhooks"], "summary": "Register a URL for events (its signing secret is in this answer only)",
                "description": "Private, loopback and link-local addresses are refused unless WEBHOOK_ALLOW_PRIVATE_URLS is true.",
                "operationId": "create_webhook_subscription", "security": SECURITY,
                "requestBody": _body("WebhookSubscriptionCreate"),
                "responses": {"201": _json({"$ref": "#/components/schemas/WebhookSubscriptionCreated"}, "Created"),
                              **UNPARSEABLE, **UNAUTHORIZED, **read_only,
                              "422": _problem("Invalid body, or a URL that is not public")},
            },
        },
        f"{prefix}/webhooks/subscriptions/{{subscription_id}}": {
            "parameters": _row_id("subscription_id"),
            "delete": {
                "tags": ["webhooks"], "summary": "Delete a subscription and its delivery log",
                "operationId": "delete_webhook_subscription", "security": SECURITY,
                "responses": {"204": {"description": "Deleted"}, **UNAUTHORIZED, **read_only,
                              "404": _problem("No such subscription of yours"), "422": _problem("Invalid id")},
            },
        },
        f"{prefix}/webhooks/deliveries": {"get": {
            "tags": ["webhooks"], "summary": "The caller's delivery log, newest first", "operationId": "list_webhook_deliveries",
            "security": SECURITY,
            "parameters": [{"name": "limit", "in": "query",
                            "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 100}}],
            "responses": {"200": _json({"type": "array", "items": {"$ref": "#/components/schemas/WebhookDeliveryRead"}},
                                       "The deliveries"), **UNAUTHORIZED, "422": _problem("Invalid query")},
        }},
        f"{prefix}/webhooks/deliveries/{{delivery_id}}/replay": {
            "parameters": _row_id("delivery_id"),
            "post": {
                "tags": ["webhooks"], "summary": "Send a delivery again now, whatever its state",
                "operationId": "replay_webhook_delivery", "security": SECURITY,
                "responses": {"200": delivery, **UNAUTHORIZED, **read_only, "404": _problem("No such delivery of yours"),
                              "422": _problem("Invalid id")},
            },
        },
        f"{prefix}/webhooks/incoming/{{source}}": {"post": {
            "tags": ["webhooks"], "summary": "A signed event from a sender (each event id processed once per source)",
            "description": "X-Webhook-Signature: t=<unix>,v1=<hex HMAC-SHA256 of \"<t>.<raw body>\" with "
                           "WEBHOOK_SIGNING_SECRET>; the body is a JSON object with an \"id\".",
            "operationId": "receive_incoming_webhook",
            "parameters": [
                {"name": "source", "in": "path", "required": True, "schema": {"type": "string", "pattern": WEBHOOK_SOURCE}},
                {"name": "X-Webhook-Signature", "in": "header", "required": False, "schema": {"type": "string"}},
            ],
            "responses": {"200": _json({"$ref": "#/components/schemas/WebhookIncomingAccepted"}, "Received"),
                          "400": _problem("A missing, invalid or stale signature, or not an event with an id"),
                          "413": _problem("The body is larger than 1 MB"), "422": _problem("Invalid source"),
                          "503": _problem("WEBHOOK_SIGNING_SECRET is not set")},
        }},
    }


def build_openapi(title: str, version: str, description: str, prefix: str, resources: tuple[ResourceDesign, ...],
                  health_path: str = "/health", api_keys: bool = False, storage: bool = False,
                  stripe_features: tuple[str, ...] | None = None, paid_for: str | None = None,
                  webhooks: bool = False, magic_links: bool = False, roles: tuple[str, ...] = (),
                  oauth_providers: tuple[str, ...] = (), membership_roles: tuple[str, ...] = (),
                  plans: bool = False, sessions: bool = False) -> dict:
    """An OpenAPI 3.1 document for the CRUD surface of ``resources``, the account routes and the integrations' routes
    (``/files`` with storage, ``/payments`` with Stripe, ``/webhooks`` with webhooks)."""
    schemas: dict[str, Any] = {
        "Problem": {
            "type": "object",
            "description": "RFC 9457 problem details",
            "properties": {
                "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                "detail": {"type": "string"}, "instance": {"type": "string"},
                "errors": {"type": "array", "items": {"type": "object"}},
            },
            "required": ["type", "title", "status"],
        },
    }
    schemas.update(account_components(api_keys, magic_links, roles, oauth_providers, plans, sessions))
    paths: dict[str, Any] = {
        health_path: {"get": {"operationId": "health", "responses": {"200": _json({"type": "object"}, "Healthy")}}},
        **account_paths(prefix, api_keys, magic_links, roles, oauth_providers, plans, sessions),
    }
    if storage:
        schemas.update(storage_components())
        paths.update(storage_paths(prefix))
    if stripe_features is not None:
        schemas.update(payment_components(stripe_features, paid_for))
        paths.update(payment_paths(prefix, stripe_features, paid_for))
    if webhooks:
        schemas.update(webhook_components())
        paths.update(webhook_paths(prefix))
    for resource in resources:
        schemas.update(resource_components(resource))
        schemas[f"{resource.name}Page"] = _page(f"{resource.name}Read")
        paths.update(resource_paths(resource, prefix))
    if membership_roles:  # a multi-tenant project
        schemas.update(tenancy_components(membership_roles))
        paths.update(tenancy_paths(prefix))
    schemas.update(audit_components())
    paths.update(audit_paths(prefix))
    if any(resource.actions for resource in resources):
        schemas["ActionResult"] = {
            "type": "object",
            "properties": {"id": {"type": "integer"}, "action": {"type": "string"}, "result": {}},
            "required": ["id", "action", "result"],
        }
    security_schemes: dict[str, Any] = {
        "OAuth2PasswordBearer": {
            "type": "oauth2", "flows": {"password": {"tokenUrl": f"{prefix}/auth/login", "scopes": {}}},
        },
        "APIKeyHeader": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
    }
    if sessions:
        _accept_session_cookies(paths)
        security_schemes["APIKeyCookie"] = SESSION_COOKIE
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version, "description": description},
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": security_schemes},
    }
