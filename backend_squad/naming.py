"""Name conversions and the reserved words a model or field name must avoid.

Generated code is Python (SQLAlchemy, Pydantic), TypeScript (Zod) and SQL, so a
name from the ``models`` answer has to be safe in all three at once.
"""

from __future__ import annotations

import re

PASCAL_CASE = re.compile(r"^[A-Z][a-zA-Z0-9]*$")
SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")

# Columns every generated table owns; an answer may not declare them.
BUILT_IN_FIELDS = frozenset({"id", "created_at", "updated_at", "owner_id", "deleted_at"})

# Query parameters of every list endpoint; a field with one of these names
# could not be filtered on.
LIST_QUERY_PARAMS = frozenset({"limit", "offset", "sort", "cursor", "q"})

# Attributes SQLAlchemy's declarative base and Pydantic's BaseModel reserve.
FRAMEWORK_ATTRIBUTES = frozenset(
    {"metadata", "registry", "query", "fields", "schema", "copy", "json", "dict", "validate", "construct"}
)

# Models the generated project always has.
BUILT_IN_MODELS = frozenset(
    {"User", "RefreshToken", "ApiKey", "AuditEvent", "MagicLinkToken", "OauthAccount", "OAuthAccount", "OauthLoginCode",
     "OAuthLoginCode"}
)

# A model's snake_case name goes into audit actions such as "<module>.restore" (64 characters) and into table and
# constraint names; db_names.py checks those against the databases' limit (63), with every other name they hold.
MAX_MODULE_LENGTH = 48

# Words that break TypeScript/JavaScript identifiers (Zod schema names, type names).
TS_RESERVED = frozenset(
    {
        "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do",
        "else", "enum", "export", "extends", "false", "finally", "for", "function", "if", "import", "in",
        "instanceof", "new", "null", "return", "super", "switch", "this", "throw", "true", "try",
        "typeof", "var", "void", "while", "with", "implements", "interface", "let", "package",
        "private", "protected", "public", "static", "yield", "await", "any", "boolean", "number",
        "string", "symbol", "object", "never", "unknown", "undefined",
    }
)

# Model names that shadow Python, SQLAlchemy, Pydantic or FastAPI names the
# generated modules import.
RESERVED_MODEL_NAMES = frozenset(
    {
        "Base", "Session", "Mapped", "BaseModel", "Field", "Page", "Problem", "Settings", "Request",
        "Response", "Depends", "Query", "Path", "Enum", "Decimal", "Any", "Optional", "Annotated",
        "Literal", "Object", "String", "Number", "Boolean", "Date", "Error", "Array", "Map", "Set",
        "Promise", "Record", "Table", "Column", "Health", "Token", "Auth",
    }
)


# Python's hard keywords (identical from 3.10 to 3.13), fixed here so that a name is accepted or
# rejected the same way whichever interpreter runs Copier.
PYTHON_KEYWORDS = frozenset(
    {
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
        "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in",
        "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
    }
)
# Soft keywords of any supported Python ('type' became one in 3.12): rejected everywhere, so an answers
# file that works with one interpreter works with all of them.
PYTHON_SOFT_KEYWORDS = frozenset({"_", "case", "match", "type"})

# Modules the template always writes next to the per-model modules (app/models/<module>.py,
# app/schemas/<module>.py, app/api/routes/<module>.py, tests/test_<module>.py), or that the generated
# code imports by that name: a model whose module has one of these names would overwrite or shadow it.
RESERVED_MODULES: dict[str, str] = {
    "user": "app/models/user.py",
    "associations": "app/models/associations.py",
    "common": "app/schemas/common.py",
    "auth": "app/schemas/auth.py, app/api/routes/auth.py and tests/test_auth.py",
    "health": "app/api/routes/health.py",
    "api_keys": "app/api/routes/api_keys.py and tests/test_api_keys.py",
    "api_key": "the ApiKey model (app/models/user.py)",
    "audit": "the audit log (app/models/audit.py, app/core/audit.py, app/api/routes/audit.py, tests/test_audit.py)",
    "audit_event": "the AuditEvent model (app/models/audit.py)",
    "magic_link": "the MagicLinkToken model (app/models/magic_link.py)",
    "browser_session": "the BrowserSession model (app/models/browser_session.py)",
    "browser_sessions": "the browser_sessions table of cookie sessions",
    "sessions": "tests/test_sessions.py, the cookie-session tests",
    "magic_links": "app/api/routes/magic_links.py and tests/test_magic_links.py",
    "oauth": "OAuth sign-in (app/api/routes/oauth.py, app/core/oauth.py, app/models/oauth.py, tests/test_oauth.py)",
    "oauth_standin": "tests/oauth_standin.py, the OAuth tests' stand-in provider",
    "oauth_account": "the OauthAccount model (app/models/oauth.py)",
    "oauth_accounts": "the oauth_accounts table",
    "oauth_login_code": "the OauthLoginCode model (app/models/oauth.py)",
    "oauth_login_codes": "the oauth_login_codes table",
    "crud": "app/api/crud.py",
    "deps": "app/api/deps.py",
    "router": "app/api/router.py",
    "platform": "tests/test_platform.py",
    "factories": "tests/factories.py",
    "conftest": "tests/conftest.py",
    "samples": "tests/samples.json",
    "cli": "app/cli.py",
    "worker": "app/worker.py",
    "main": "app/main.py",
    "base": "app/db/base.py",
    "session": "app/db/session.py",
    "security": "app/core/security.py",
    "config": "app/core/config.py",
    "errors": "app/core/errors.py",
    "middleware": "app/core/middleware.py",
    "ratelimit": "app/core/ratelimit.py",
}

# Names the generated schema and routes modules import or define next to a model's enum classes.
CODE_MODULE_NAMES = frozenset(
    {
        "AdminWriter", "APIRouter", "AwareDatetime", "CurrentPrincipal", "DateText", "DatetimeText",
        "DecimalText", "EmailStr", "HttpUrlStr", "ItemId", "ReadSchema", "SessionDep", "SortOption",
        "StrEnum", "StrictBool", "StrictFloat", "StrictInt", "UnsignedDecimalText", "UtcDatetime",
        "WriteSchema", "Writer",
    }
)


def snake_case(name: str) -> str:
    """``OrderItem`` -> ``order_item``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def camel_case(name: str) -> str:
    """``total_cents`` -> ``totalCents``."""
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def pascal_case(name: str) -> str:
    """``total_cents`` -> ``TotalCents``."""
    return "".join(part.capitalize() for part in name.split("_"))


def pluralize(word: str) -> str:
    """English plural good enough for table and route names (``category`` -> ``categories``)."""
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def python_keyword(name: str) -> bool:
    """A hard or soft keyword of any supported Python (the answer does not depend on the interpreter)."""
    return name in PYTHON_KEYWORDS or name in PYTHON_SOFT_KEYWORDS


def many_to_many_ids_field(relation_name: str) -> str:
    """The id-list attribute a many_to_many relation adds to its model: ``tags`` -> ``tag_ids``.

    The design generates it and the spec reserves it, both through this function.
    """
    return f"{snake_case(relation_name).removesuffix('s') or relation_name}_ids"


def enum_class_name(model_name: str, field_name: str) -> str:
    """The ``StrEnum`` class an enum field gets in the schema module: ``Post`` + ``status`` -> ``PostStatus``."""
    return f"{model_name}{pascal_case(field_name)}"


def schema_class_names(model_name: str) -> tuple[str, ...]:
    """Classes generated for every model (schema module, routes module and OpenAPI components)."""
    return tuple(f"{model_name}{suffix}" for suffix in ("Create", "Update", "Read", "Page"))
