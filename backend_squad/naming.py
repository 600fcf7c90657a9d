"""Name conversions and the reserved words a model or field name must avoid.

Generated code is Python (SQLAlchemy, Pydantic), TypeScript (Zod) and SQL, so a
name from the ``models`` answer has to be safe in all three at once.
"""

from __future__ import annotations

import keyword
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
BUILT_IN_MODELS = frozenset({"User", "RefreshToken", "ApiKey"})

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
    return keyword.iskeyword(name) or keyword.issoftkeyword(name)
