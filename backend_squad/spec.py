"""``ProjectSpec``: the answers of ``copier.yml`` validated once, early, into typed data.

Every agent reads a ``ProjectSpec``; nothing downstream re-checks the answers.
Errors name the model and the field at fault and say what to write instead,
because the person reading them typed a YAML list in a terminal prompt.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from backend_squad import naming
from backend_squad.oauth_providers import OAuthProvider


class SpecError(ValueError):
    """The answers cannot describe a working project; the message says why and how to fix it."""


class FieldType(StrEnum):
    STRING = "string"
    TEXT = "text"
    INTEGER = "integer"
    FLOAT = "float"
    DECIMAL = "decimal"
    BOOLEAN = "boolean"
    DATE = "date"
    DATETIME = "datetime"
    UUID = "uuid"
    EMAIL = "email"
    URL = "url"
    JSON = "json"
    ENUM = "enum"


NUMERIC_TYPES = frozenset({FieldType.INTEGER, FieldType.FLOAT, FieldType.DECIMAL})
STRING_TYPES = frozenset({FieldType.STRING, FieldType.TEXT})
# Types stored as text of a bounded length: 'max_length' applies to them.
LENGTH_TYPES = frozenset({FieldType.STRING, FieldType.TEXT, FieldType.EMAIL, FieldType.URL})
# Types a database can put in a unique index on every supported engine
# (MySQL cannot index TEXT or JSON without a prefix length).
INDEXABLE_TYPES = frozenset(set(FieldType) - {FieldType.TEXT, FieldType.JSON})


# MySQL/InnoDB indexes at most 3072 bytes: 768 utf8mb4 characters.
MAX_INDEXED_LENGTH = 768
# The user-id columns ``track_authors: true`` adds to a model.
AUTHOR_FIELDS = ("created_by", "updated_by")

# An integer field is a 32-bit INTEGER column on every database.
INTEGER_MIN, INTEGER_MAX = -(2**31), 2**31 - 1


class RelationKind(StrEnum):
    MANY_TO_ONE = "many_to_one"
    ONE_TO_MANY = "one_to_many"
    MANY_TO_MANY = "many_to_many"


class Framework(StrEnum):
    FASTAPI = "fastapi"
    NEXTJS = "nextjs"


class Orm(StrEnum):
    """The Next.js project's database toolkit."""

    DRIZZLE = "drizzle"
    PRISMA = "prisma"


class Database(StrEnum):
    SQLITE = "sqlite"
    POSTGRESQL = "postgresql"
    MYSQL = "mysql"


class AuthMethod(StrEnum):
    PASSWORD_JWT = "password_jwt"
    API_KEY = "api_key"
    MAGIC_LINK = "magic_link"
    OAUTH = "oauth"
    SESSION = "session"


class StripeFeature(StrEnum):
    CHECKOUT = "checkout"
    SUBSCRIPTIONS = "subscriptions"
    WEBHOOKS = "webhooks"
    CUSTOMER_PORTAL = "customer_portal"


def framework_problem(framework: Any, question: str, value: Any) -> str:
    """Why an answer cannot be rendered for ``framework`` yet, or "" (Next.js covers a subset of the options today)."""
    if str(framework) != Framework.NEXTJS:
        return ""
    if question == "integrations" and value:
        from backend_squad.integrations import CATALOG, NEXTJS  # stripe_payments imports the design, which imports this

        chosen = value if isinstance(value, list | tuple) else [value]
        missing = [name for name in chosen if name in CATALOG and name not in NEXTJS]
        if missing:
            return (f"integrations ({', '.join(missing)}) are not available for Next.js yet; choose among "
                    f"{', '.join(NEXTJS)}, or framework fastapi")
    return ""


def stripe_features_problem(features: Any) -> str:
    """Why a set of Stripe features cannot work together, or ""."""
    chosen = set(features or ())
    if not chosen:
        return "stripe_features: choose at least one of checkout, subscriptions, webhooks, customer_portal (or drop stripe)"
    if StripeFeature.SUBSCRIPTIONS in chosen and StripeFeature.WEBHOOKS not in chosen:
        return ("stripe_features: subscriptions needs webhooks, because Stripe reports renewals, failed payments and "
                "cancellations only through webhook events; add webhooks")
    return ""


class Preset(StrEnum):
    BLOG = "blog"
    SAAS = "saas"
    ECOMMERCE = "ecommerce"
    API_GATEWAY = "api_gateway"
    WEBHOOK_RELAY = "webhook_relay"
    CUSTOM = "custom"


_STRICT = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


def check_attribute_name(name: str) -> str:
    """A field or relation name must be a safe Python attribute, column and query parameter."""
    if not naming.SNAKE_CASE.match(name):
        raise ValueError(
            f"'{name}' is not a snake_case name: use lower-case letters, digits and single underscores, "
            f"starting with a letter (for example '{naming.snake_case(name).strip('_') or 'title'}')"
        )
    if naming.python_keyword(name):
        raise ValueError(f"'{name}' is a Python keyword and cannot be an attribute; rename it (for example '{name}_value')")
    if name in naming.BUILT_IN_FIELDS:
        raise ValueError(f"'{name}' is a built-in column every model already has; remove it or rename it")
    if name in naming.LIST_QUERY_PARAMS:
        raise ValueError(f"'{name}' is a query parameter of every list endpoint; rename it (for example '{name}_value')")
    if name in naming.FRAMEWORK_ATTRIBUTES or name.startswith("model_"):
        raise ValueError(f"'{name}' is reserved by SQLAlchemy/Pydantic; rename it (for example '{name}_info')")
    return name


class FieldSpec(BaseModel):
    """One column of a model, as written in the ``models`` answer."""

    model_config = _STRICT

    name: str
    type: FieldType
    required: bool = True
    unique: bool = False
    index: bool = False
    default: Any = None
    min: float | None = None
    max: float | None = None
    max_length: int | None = Field(default=None, ge=1, le=10_000)
    pattern: str | None = None
    values: tuple[str, ...] | None = None
    description: str | None = None

    @field_validator("name")
    @classmethod
    def _check_name(cls, name: str) -> str:
        return check_attribute_name(name)

    @model_validator(mode="after")
    def _check_options(self) -> FieldSpec:
        kind = self.type
        if kind is FieldType.ENUM:
            if not self.values:
                raise ValueError("an enum field needs 'values', a list such as [draft, published]")
            for value in self.values:
                if not isinstance(value, str) or not naming.SNAKE_CASE.match(value):
                    raise ValueError(f"enum value '{value}' must be a snake_case word such as 'pending'")
            if len(set(self.values)) != len(self.values):
                raise ValueError("enum 'values' contain a duplicate")
        elif self.values is not None:
            raise ValueError(f"'values' only applies to enum fields, not to {kind.value}")
        if (self.min is not None or self.max is not None) and kind not in NUMERIC_TYPES:
            raise ValueError(f"'min'/'max' only apply to integer, float and decimal fields, not to {kind.value}")
        for bound in ("min", "max"):
            _check_bound(kind, bound, getattr(self, bound))
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"'min' ({self.min:g}) is greater than 'max' ({self.max:g})")
        if self.max_length is not None and kind not in LENGTH_TYPES:
            raise ValueError(f"'max_length' only applies to string, text, email and url fields, not to {kind.value}")
        if self.pattern is not None:
            if kind not in STRING_TYPES:
                raise ValueError(f"'pattern' only applies to string and text fields, not to {kind.value}")
            try:
                re.compile(self.pattern)
            except re.error as exc:
                raise ValueError(f"'pattern' is not a valid regular expression: {exc}") from None
        if (self.unique or self.index) and kind not in INDEXABLE_TYPES:
            raise ValueError(
                f"a {kind.value} field cannot be unique or indexed on every database; use type string with a max_length"
            )
        if (self.unique or self.index) and (self.effective_max_length or 0) > MAX_INDEXED_LENGTH:
            # The same rule for every length type; the advice is an option each of them accepts.
            raise ValueError(
                f"a unique or indexed {kind.value} field may hold at most {MAX_INDEXED_LENGTH} characters "
                f"(MySQL's index limit) and this one holds {self.effective_max_length}; "
                f"set max_length: {MAX_INDEXED_LENGTH} or less"
            )
        if self.default is not None:
            object.__setattr__(self, "default", _coerce_default(self))
        # The generated tests need sample values; a field they cannot fill is reported now, not at render time.
        from backend_squad.samples import sample_problem  # samples imports this module

        problem = sample_problem(self)
        if problem:
            raise ValueError(problem)
        return self

    @property
    def effective_max_length(self) -> int | None:
        """The VARCHAR length: declared, or a safe default per string-like type."""
        if self.max_length is not None:
            return self.max_length
        return {FieldType.STRING: 255, FieldType.EMAIL: 320, FieldType.URL: 2048}.get(self.type)


def _check_bound(kind: FieldType, bound: str, value: float | None) -> None:
    """A 'min' or 'max' must be finite, and whole and within the INTEGER column for integer fields."""
    if value is None:
        return
    if not math.isfinite(value):
        raise ValueError(f"'{bound}' must be a finite number, not {value}; remove it or write a number")
    if kind is FieldType.INTEGER:
        if not value.is_integer():
            whole = math.ceil(value) if bound == "min" else math.floor(value)
            raise ValueError(
                f"'{bound}' {value:g} is not a whole number, and an integer field takes whole-number bounds; "
                f"write {bound}: {whole}"
            )
        if not INTEGER_MIN <= value <= INTEGER_MAX:
            raise ValueError(
                f"'{bound}' {int(value)} is outside the 32-bit INTEGER column range ({INTEGER_MIN} to {INTEGER_MAX}); "
                f"write a {bound} within it, or use type decimal for larger numbers"
            )


def _coerce_default(spec: FieldSpec) -> Any:
    """Check that a default fits its field, and normalise YAML's reading of it."""
    value, kind = spec.default, spec.type
    wrong = ValueError(f"default {value!r} is not a valid {kind.value}")
    if kind is FieldType.BOOLEAN:
        if not isinstance(value, bool):
            raise wrong
    elif kind is FieldType.INTEGER:
        if isinstance(value, bool) or not isinstance(value, int):
            raise wrong
        if not INTEGER_MIN <= value <= INTEGER_MAX:
            raise ValueError(
                f"default {value} is outside the 32-bit INTEGER column range ({INTEGER_MIN} to {INTEGER_MAX}); "
                f"write a default within it, or use type decimal for larger numbers"
            )
    elif kind is FieldType.FLOAT:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise wrong
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"default {value} is not a finite float (the API rejects inf and nan); write a number")
    elif kind is FieldType.DECIMAL:
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise wrong from None
        if not number.is_finite():
            raise ValueError(f"default {value!r} is not a finite decimal; write a number such as '9.99'")
        value = str(number)
    elif kind is FieldType.ENUM:
        if value not in (spec.values or ()):
            raise ValueError(f"default {value!r} is not one of the enum values {list(spec.values or ())}")
    elif kind in (FieldType.STRING, FieldType.TEXT):
        if not isinstance(value, str):
            raise wrong
        limit = spec.effective_max_length
        if limit is not None and len(value) > limit:
            raise ValueError(f"default is longer than max_length {limit}")
        if spec.pattern and not re.search(spec.pattern, value):
            raise ValueError(f"default {value!r} does not match pattern {spec.pattern!r}")
    elif kind is FieldType.JSON:
        pass
    else:
        # date, datetime, uuid, email and url defaults would be frozen at render time or be
        # meaningless as a shared default; let the client send them instead.
        raise ValueError(f"{kind.value} fields cannot have a default; make the field optional (required: false) instead")
    if kind in NUMERIC_TYPES:
        number = float(value)
        if (spec.min is not None and number < spec.min) or (spec.max is not None and number > spec.max):
            raise ValueError(f"default {value} is outside min/max")
    return value


class RelationSpec(BaseModel):
    """A link to another model (or to ``User``)."""

    model_config = _STRICT

    name: str
    to: str
    kind: RelationKind
    required: bool = False
    description: str | None = None

    @field_validator("name")
    @classmethod
    def _check_name(cls, name: str) -> str:
        return check_attribute_name(name)

    @property
    def added_attributes(self) -> tuple[str, ...]:
        """Attributes the design adds to the model for this relation, besides the relation's own name."""
        if self.kind is RelationKind.MANY_TO_ONE:
            return (f"{self.name}_id",)
        if self.kind is RelationKind.MANY_TO_MANY:
            return (naming.many_to_many_ids_field(self.name),)
        return ()


def generated_name_problem(name: str) -> str | None:
    """Why a column or attribute the design adds (``<relation>_id``, ``<relation>_ids``) cannot have ``name``."""
    if name in naming.BUILT_IN_FIELDS:
        return f"'{name}' is a built-in column every model already has"
    if name in naming.LIST_QUERY_PARAMS:
        return f"'{name}' is a query parameter of every list endpoint"
    if name in naming.FRAMEWORK_ATTRIBUTES or name.startswith("model_"):
        return f"'{name}' is reserved by SQLAlchemy/Pydantic"
    return None


class ActionMethod(StrEnum):
    POST = "POST"
    PUT = "PUT"
    PATCH = "PATCH"
    DELETE = "DELETE"


class ActionSpec(BaseModel):
    """A custom operation on one row beyond CRUD (``POST /posts/{id}/publish``), implemented in a marked slot."""

    model_config = _STRICT

    name: str
    description: str = Field(min_length=1, max_length=500)
    method: ActionMethod = ActionMethod.POST

    @field_validator("name")
    @classmethod
    def _check_name(cls, name: str) -> str:
        if not naming.SNAKE_CASE.match(name) or naming.python_keyword(name):
            raise ValueError(f"action '{name}' must be a snake_case verb that is not a Python keyword (for example 'publish')")
        return name

    @field_validator("method", mode="before")
    @classmethod
    def _upper_method(cls, method: object) -> object:
        return method.upper() if isinstance(method, str) else method


ROLE_NAME = re.compile(r"[a-z][a-z0-9_]{0,31}")
MAX_ROLES = 16
OPERATIONS = ("read", "create", "update", "delete")


def check_role_names(roles: Any) -> tuple[str, ...]:
    """The ``roles`` answer: a short list of snake_case names; ``admin`` is the built-in ``is_admin`` flag."""
    if roles is None or roles == "":
        return ()
    if isinstance(roles, str):
        roles = [roles]
    if not isinstance(roles, list | tuple) or not all(isinstance(role, str) for role in roles):
        raise ValueError("roles must be a YAML list of role names (for example [editor, viewer])")
    for role in roles:
        if role == "admin":
            raise ValueError("'admin' is built in (users with is_admin may do everything); list only the other roles")
        if not ROLE_NAME.fullmatch(role):
            raise ValueError(f"role '{role}' must be snake_case, start with a letter and have at most 32 characters")
    duplicates = sorted({role for role in roles if roles.count(role) > 1})
    if duplicates:
        raise ValueError(f"role '{duplicates[0]}' is listed twice")
    if len(roles) > MAX_ROLES:
        raise ValueError(f"at most {MAX_ROLES} roles; group permissions into fewer roles")
    return tuple(roles)


class Permissions(BaseModel):
    """Which roles may do each operation on a model. Admins always may; an operation left out keeps the default rule
    (anyone signed in on owned models, admins only for writes on shared ones)."""

    model_config = _STRICT

    read: tuple[str, ...] | None = None
    create: tuple[str, ...] | None = None
    update: tuple[str, ...] | None = None
    delete: tuple[str, ...] | None = None

    @field_validator(*OPERATIONS)
    @classmethod
    def _unique(cls, roles: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if roles is not None:
            duplicates = sorted({role for role in roles if roles.count(role) > 1})
            if duplicates:
                raise ValueError(f"role '{duplicates[0]}' is listed twice")
        return roles

    @property
    def restricted(self) -> dict[str, tuple[str, ...]]:
        """Operation -> roles allowed, for the operations this model restricts."""
        return {operation: roles for operation in OPERATIONS if (roles := getattr(self, operation)) is not None}


class ModelSpec(BaseModel):
    """One resource: a table, its schemas and its CRUD endpoints."""

    model_config = _STRICT

    name: str
    description: str | None = None
    owned: bool = False
    soft_delete: bool = False
    # Records who created and who last changed each row (``created_by`` / ``updated_by``, user ids set by the API).
    track_authors: bool = False
    permissions: Permissions | None = None
    # With ``multi_tenant``, None (the default) means tenant-scoped; False keeps the model shared by every organization.
    tenant_scoped: bool | None = None
    # Not ``min_length=1``: pydantic would add "Tuple should have at least 1 item" to every item error.
    fields: tuple[FieldSpec, ...]
    relations: tuple[RelationSpec, ...] = ()
    actions: tuple[ActionSpec, ...] = ()

    @field_validator("actions")
    @classmethod
    def _unique_actions(cls, actions: tuple[ActionSpec, ...]) -> tuple[ActionSpec, ...]:
        names = [action.name for action in actions]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"action '{duplicates[0]}' is declared twice")
        return actions

    @model_validator(mode="after")
    def _restore_is_taken(self) -> ModelSpec:
        if self.soft_delete and any(action.name == "restore" for action in self.actions):
            raise ValueError("action 'restore' clashes with the restore endpoint every soft_delete model gets; "
                             "rename the action (for example 'reinstate')")
        return self

    @field_validator("name")
    @classmethod
    def _check_name(cls, name: str) -> str:
        if not naming.PASCAL_CASE.match(name):
            suggestion = naming.pascal_case(re.sub(r"[^a-zA-Z0-9]+", "_", name).strip("_").lower()) or "Item"
            raise ValueError(f"'{name}' is not a PascalCase model name (for example '{suggestion}')")
        if name in naming.BUILT_IN_MODELS:
            raise ValueError(
                f"'{name}' is a model the generated project already has; pick another name (for example 'Member' or 'Profile')"
            )
        if name in naming.RESERVED_MODEL_NAMES or naming.python_keyword(name):
            raise ValueError(f"'{name}' clashes with a name the generated code imports; pick another (for example '{name}Entry')")
        module = naming.snake_case(name)
        if len(module) > naming.MAX_MODULE_LENGTH:
            raise ValueError(
                f"'{name}' is too long: its snake_case form '{module}' has {len(module)} characters and database "
                f"names built from it must stay short; keep it to {naming.MAX_MODULE_LENGTH} or fewer"
            )
        if module in naming.RESERVED_MODULES:
            raise ValueError(
                f"'{name}' would get the module name '{module}', which the template reserves for "
                f"{naming.RESERVED_MODULES[module]}; pick another name (for example '{name}Entry')"
            )
        return name

    @field_validator("fields")
    @classmethod
    def _check_fields(cls, fields: tuple[FieldSpec, ...]) -> tuple[FieldSpec, ...]:
        if not fields:
            raise ValueError("a model needs at least one field in 'fields' (for example [{name: title, type: string}])")
        return fields

    @model_validator(mode="after")
    def _check_unique_names(self) -> ModelSpec:
        seen: dict[str, str] = dict.fromkeys(AUTHOR_FIELDS, "'track_authors: true'") if self.track_authors else {}
        for field in self.fields:
            if field.name in seen:
                if field.name in AUTHOR_FIELDS:
                    raise ValueError(f"field '{field.name}' is added by 'track_authors: true'; remove it or rename it")
                raise ValueError(f"field '{field.name}' is declared twice")
            seen[field.name] = "field"
        for relation in self.relations:
            for added in relation.added_attributes:
                problem = generated_name_problem(added)
                if problem:
                    advice = " (use 'owned: true' to link rows to the user who created them)" if added == "owner_id" else ""
                    raise ValueError(
                        f"relation '{relation.name}' adds the attribute '{added}', but {problem}; "
                        f"rename the relation (for example '{relation.name}_ref'){advice}"
                    )
            # The relation's own names whatever its kind (so changing the kind later never clashes),
            # plus exactly the attributes the design adds for it.
            taken_names = dict.fromkeys(
                (relation.name, f"{relation.name}_id", f"{relation.name}_ids", *relation.added_attributes)
            )
            for taken in taken_names:
                if taken in seen:
                    raise ValueError(
                        f"relation '{relation.name}' needs the name '{taken}', which {seen[taken]} already uses; rename one of them"
                    )
            for taken in taken_names:
                seen[taken] = f"relation '{relation.name}'"
        self._check_enum_class_names()
        return self

    def _check_enum_class_names(self) -> None:
        """Enum classes share the schema module with the model's schema classes and its imports."""
        schema_classes = naming.schema_class_names(self.name)
        enum_classes: dict[str, str] = {}
        for field in self.fields:
            if field.type is not FieldType.ENUM:
                continue
            class_name = naming.enum_class_name(self.name, field.name)
            clash = (
                f"the schema class '{class_name}' of model '{self.name}'" if class_name in schema_classes else
                "a name the generated schema and routes modules import" if class_name in naming.CODE_MODULE_NAMES else
                f"the enum class of field '{enum_classes[class_name]}'" if class_name in enum_classes else None
            )
            if clash:
                raise ValueError(
                    f"field '{field.name}': an enum field gets the class '{class_name}' (model name + field name), "
                    f"which is already {clash}; enum classes are not renamed automatically, so rename the field "
                    f"(for example '{field.name}_kind')"
                )
            enum_classes[class_name] = field.name

    @property
    def snake(self) -> str:
        return naming.snake_case(self.name)

    @property
    def table(self) -> str:
        return naming.pluralize(self.snake)


def _check_model_graph(models: tuple[ModelSpec, ...]) -> None:
    names = {model.name for model in models} | {"User"}
    tables: dict[str, str] = {"users": "User", "refresh_tokens": "RefreshToken", "api_keys": "ApiKey"}
    for model in models:
        if model.table in tables and tables[model.table] != model.name:
            raise SpecError(
                f"Model '{model.name}': its table name '{model.table}' collides with model '{tables[model.table]}'; rename one of them"
            )
        tables[model.table] = model.name
    for model in models:
        for relation in model.relations:
            if relation.to not in names:
                known = ", ".join(sorted(names))
                raise SpecError(
                    f"Model '{model.name}', relation '{relation.name}': 'to: {relation.to}' is not a model "
                    f"(known models: {known})"
                )
            if relation.kind is not RelationKind.MANY_TO_ONE and relation.to == "User":
                raise SpecError(
                    f"Model '{model.name}', relation '{relation.name}': only many_to_one relations may point to User "
                    f"(use 'owned: true' to scope rows to their creator)"
                )
            if relation.kind is RelationKind.MANY_TO_MANY and relation.to == model.name:
                raise SpecError(
                    f"Model '{model.name}', relation '{relation.name}': a many_to_many relation to the same model is not supported"
                )
            if relation.required and relation.kind is not RelationKind.MANY_TO_ONE:
                raise SpecError(
                    f"Model '{model.name}', relation '{relation.name}': 'required' only applies to many_to_one relations"
                )
    by_name = {model.name: model for model in models}
    classes = {name: f"model '{name}'" for name in naming.BUILT_IN_MODELS}
    for model in models:
        classes[model.name] = f"model '{model.name}'"
        classes.update({name: f"a schema class of model '{model.name}'" for name in naming.schema_class_names(model.name)})
    for model in models:
        for field in model.fields:
            class_name = naming.enum_class_name(model.name, field.name)
            if field.type is FieldType.ENUM and class_name in classes:
                raise SpecError(
                    f"Model '{model.name}', field '{field.name}': an enum field gets the class '{class_name}' "
                    f"(model name + field name), which is already {classes[class_name]}; enum classes are not "
                    f"renamed automatically, so rename the field (for example '{field.name}_kind')"
                )
    for model in models:
        for relation in model.relations:
            if relation.kind is RelationKind.ONE_TO_MANY:
                child = by_name[relation.to]
                back = f"{naming.snake_case(model.name)}_id"
                links_back = any(r.kind is RelationKind.MANY_TO_ONE and r.to == model.name for r in child.relations)
                problem = generated_name_problem(back)
                if problem and not links_back:
                    raise SpecError(
                        f"Model '{model.name}', relation '{relation.name}': model '{child.name}' needs a column "
                        f"'{back}' for it, but {problem}; give '{child.name}' a many_to_one relation to "
                        f"'{model.name}' (for example '{naming.snake_case(model.name)}_ref') to hold the link, "
                        f"or rename model '{model.name}'"
                    )
                if any(f.name == back for f in child.fields) or any(
                    f"{r.name}_id" == back and r.to != model.name for r in child.relations
                ):
                    raise SpecError(
                        f"Model '{model.name}', relation '{relation.name}': model '{child.name}' needs a column "
                        f"'{back}' for it, and that name is taken; rename the field in '{child.name}'"
                    )
    # Required many_to_one links must not form a cycle, or no row could ever be created first.
    required = {
        model.name: [r.to for r in model.relations if r.required and r.to not in ("User",)] for model in models
    }
    visiting: set[str] = set()
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> None:
        if name in done:
            return
        if name in visiting:
            cycle = " -> ".join([*path[path.index(name):], name])
            raise SpecError(f"Required relations form a cycle ({cycle}); make one of them 'required: false'")
        visiting.add(name)
        for target in required.get(name, []):
            visit(target, [*path, name])
        visiting.discard(name)
        done.add(name)

    for model in models:
        visit(model.name, [])


# What a multi-tenant project already has under each of these module names (its tables and routes follow them).
TENANCY_MODULES = {
    "organization": "the Organization model and the /organizations routes",
    "organizations": "the /organizations routes (app/api/routes/organizations.py)",
    "membership": "the Membership model", "memberships": "the memberships table",
    "invitation": "the Invitation model and /invitations/accept", "invitations": "the invitations table",
    "tenancy": "tests/test_tenancy.py",
}


class ProjectSpec(BaseModel):
    """Everything the agents need to design and render one project."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    project_name: str = "My API"
    project_slug: str = "my_api"
    description: str = ""
    author_name: str = ""
    author_email: str = ""
    preset: Preset = Preset.CUSTOM
    framework: Framework = Framework.FASTAPI
    orm: Orm = Orm.PRISMA  # Next.js only; the default, as in copier.yml
    database: Database = Database.SQLITE
    auth_methods: tuple[AuthMethod, ...] = (AuthMethod.PASSWORD_JWT,)
    oauth_providers: tuple[OAuthProvider, ...] = (OAuthProvider.GOOGLE, OAuthProvider.GITHUB)
    roles: tuple[str, ...] = ()
    multi_tenant: bool = False
    # Not ``min_length=1``: pydantic would add "Tuple should have at least 1 item" to every item error.
    models: tuple[ModelSpec, ...]
    api_versioning: bool = True
    rate_limiting: bool = False
    background_jobs: bool = False
    integrations: tuple[str, ...] = ()
    stripe_features: tuple[StripeFeature, ...] = tuple(StripeFeature)

    @field_validator("project_slug")
    @classmethod
    def _check_slug(cls, slug: str) -> str:
        return check_project_slug(slug)

    @field_validator("models")
    @classmethod
    def _check_models(cls, models: tuple[ModelSpec, ...]) -> tuple[ModelSpec, ...]:
        if not models:
            raise ValueError("models must be a YAML list of models, each with a name and fields")
        return models

    @field_validator("oauth_providers", mode="before")
    @classmethod
    def _dedupe_oauth_providers(cls, value: Any) -> Any:
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        return tuple(dict.fromkeys(value)) if isinstance(value, list | tuple) else value

    @property
    def chosen_oauth_providers(self) -> tuple[str, ...]:
        """The providers the project renders (``oauth_providers`` has a default even without OAuth)."""
        return tuple(str(p) for p in self.oauth_providers) if AuthMethod.OAUTH in self.auth_methods else ()

    @model_validator(mode="after")
    def _check_oauth_providers(self) -> ProjectSpec:
        if AuthMethod.OAUTH in self.auth_methods and not self.oauth_providers:
            raise ValueError(f"oauth_providers must name at least one of {', '.join(OAuthProvider)} when auth_methods includes oauth")
        return self

    @field_validator("roles", mode="before")
    @classmethod
    def _check_roles(cls, roles: Any) -> tuple[str, ...]:
        return check_role_names(roles)

    @model_validator(mode="after")
    def _check_permission_roles(self) -> ProjectSpec:
        for model in self.models:
            if model.permissions and model.permissions.restricted and not self.roles:
                raise ValueError(
                    f"Model '{model.name}': permissions need roles; answer 'roles' with at least one "
                    f"(for example [editor]), and list none of them where only admins may act"
                )
            for operation, roles in (model.permissions.restricted if model.permissions else {}).items():
                unknown = [role for role in roles if role not in self.roles]
                if unknown:
                    declared = ", ".join(self.roles) if self.roles else "none: answer 'roles' first"
                    raise ValueError(
                        f"Model '{model.name}': permissions.{operation} names the role '{unknown[0]}', "
                        f"which is not in roles ({declared})"
                    )
        return self

    @model_validator(mode="after")
    def _check_account_schema_names(self) -> ProjectSpec:
        """A model's schemas (``<Name>Create``, ``Update``, ``Read``, ``Page``) share one namespace with the bodies
        of the account routes, so a model named after one of those would silently replace it."""
        taken = {"RoleUpdate": "PUT /users/{user_id}/role"} if self.roles else {}
        if self.rate_limiting:
            taken["UserPlanUpdate"] = "PUT /users/{user_id}/plan"
        for model in self.models:
            for suffix in ("Create", "Update", "Read", "Page"):
                route = taken.get(model.name + suffix)
                if route:
                    raise ValueError(f"Model '{model.name}': its schema '{model.name}{suffix}' would replace the body "
                                     f"of {route}; rename the model (for example '{model.name}Entry')")
        return self

    @property
    def membership_roles(self) -> tuple[str, ...]:
        """What a membership's role may be besides none: the organization's admins, then the declared roles."""
        return ("admin", *self.roles) if self.multi_tenant else ()

    @property
    def rate_limits_looked_up_callers(self) -> bool:
        """Rate limiting with credentials only a database lookup ties to a user (API keys, cookie sessions): the
        limiter keeps those lookups in a small cache for a minute."""
        return self.rate_limiting and bool({AuthMethod.API_KEY, AuthMethod.SESSION} & set(self.auth_methods))

    def is_tenant_scoped(self, model: ModelSpec) -> bool:
        """Whether the model's rows belong to one organization (every model unless it says ``tenant_scoped: false``)."""
        return self.multi_tenant and model.tenant_scoped is not False

    @model_validator(mode="after")
    def _check_tenancy(self) -> ProjectSpec:
        for model in self.models:
            if self.multi_tenant and model.snake in TENANCY_MODULES:
                raise ValueError(f"Model '{model.name}': with multi_tenant the project has {TENANCY_MODULES[model.snake]}; "
                                 f"rename the model (for example '{model.name}Record')")
            if model.tenant_scoped and not self.multi_tenant:
                raise ValueError(f"Model '{model.name}': tenant_scoped needs multi_tenant; answer multi_tenant: true "
                                 f"or drop tenant_scoped")
            if self.is_tenant_scoped(model):
                continue
            for relation in model.relations:
                target = next((other for other in self.models if other.name == relation.to), None)
                if target is not None and self.is_tenant_scoped(target):
                    raise ValueError(
                        f"Model '{model.name}', relation '{relation.name}': a model shared by every organization "
                        f"(tenant_scoped: false) cannot point to the tenant-scoped model '{target.name}', whose rows "
                        f"belong to one organization; scope '{model.name}' to organizations too or drop the relation"
                    )
        return self

    @field_validator("author_email")
    @classmethod
    def _check_author_email(cls, email: str) -> str:
        return check_author_email(email) if email else email

    @field_validator("integrations", mode="before")
    @classmethod
    def _known_integrations(cls, value: Any) -> Any:
        from backend_squad.integrations import AVAILABLE

        if isinstance(value, str):
            value = [value]
        if isinstance(value, list | tuple):
            unknown = [name for name in value if name not in AVAILABLE]
            if unknown:
                available = ", ".join(AVAILABLE) or "none yet"
                raise ValueError(f"integrations {unknown} are not available; choose from: {available}")
            return tuple(dict.fromkeys(value))
        return value

    @field_validator("stripe_features", mode="before")
    @classmethod
    def _dedupe_stripe_features(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = [value]
        return tuple(dict.fromkeys(value)) if isinstance(value, list | tuple) else value

    @model_validator(mode="after")
    def _check_framework_support(self) -> ProjectSpec:
        for question in ("database", "integrations"):
            problem = framework_problem(self.framework, question, getattr(self, question))
            if problem:
                raise ValueError(problem)
        return self

    @property
    def chosen_stripe_features(self) -> tuple[str, ...] | None:
        """The Stripe features the project renders, or None without Stripe (``stripe_features`` has a default)."""
        return tuple(str(feature) for feature in self.stripe_features) if "stripe" in self.integrations else None

    @model_validator(mode="after")
    def _check_stripe_features(self) -> ProjectSpec:
        if "stripe" in self.integrations:
            problem = stripe_features_problem(self.stripe_features)
            if problem:
                raise ValueError(problem)
        return self

    @field_validator("auth_methods", mode="before")
    @classmethod
    def _dedupe_auth(cls, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return tuple(dict.fromkeys(value))
        return value

    @model_validator(mode="after")
    def _check_graph(self) -> ProjectSpec:
        seen: set[str] = set()
        for model in self.models:
            if model.name in seen:
                raise ValueError(f"Model '{model.name}' is declared twice")
            seen.add(model.name)
        _check_model_graph(self.models)
        if AuthMethod.PASSWORD_JWT not in self.auth_methods:
            raise ValueError(
                "auth_methods must include password_jwt: users log in with a password to create their API keys"
            )
        return self

    def model(self, name: str) -> ModelSpec:
        return next(model for model in self.models if model.name == name)


def check_project_slug(slug: str) -> str:
    if not re.fullmatch(r"[a-z][a-z0-9_]*", slug or "") or naming.python_keyword(slug):
        raise ValueError(
            f"project_slug '{slug}' must be a Python package name: lower-case letters, digits and underscores, "
            f"starting with a letter, not a keyword (for example 'my_api')"
        )
    if slug in {"app", "tests", "alembic", "test", "migrations", "fastapi", "pydantic", "sqlalchemy"}:
        raise ValueError(f"project_slug '{slug}' would shadow a package the project imports; pick another (for example '{slug}_api')")
    return slug


# something@something.tld: enough to catch a slip of the keyboard, not a full RFC 5322 parser.
EMAIL_ADDRESS = re.compile(r"[^@\s]+@(?:[^@\s.]+\.)+[^@\s.]+")


def check_author_email(email: str) -> str:
    if not EMAIL_ADDRESS.fullmatch(email or ""):
        raise ValueError(f"author_email '{email}' is not an e-mail address (for example dev@example.com)")
    return email


def _describe_location(loc: tuple[int | str, ...], raw_models: Any) -> str:
    """Turn pydantic's ``('models', 1, 'fields', 0, 'type')`` into ``Model 'Order', field 'status' (type)``."""
    parts: list[str] = []
    model: Any = None
    rest = list(loc)
    if rest and rest[0] == "models":
        rest.pop(0)
    if rest and isinstance(rest[0], int):
        index = rest.pop(0)
        model = raw_models[index] if isinstance(raw_models, list) and index < len(raw_models) else None
        label = model.get("name") if isinstance(model, dict) and model.get("name") else f"#{index + 1}"
        parts.append(f"Model '{label}'")
    if rest and rest[0] in ("fields", "relations", "actions") and len(rest) > 1 and isinstance(rest[1], int):
        group, index = rest.pop(0), rest.pop(0)
        items = model.get(group) if isinstance(model, dict) else None
        item = items[index] if isinstance(items, list) and index < len(items) else None
        label = item.get("name") if isinstance(item, dict) and item.get("name") else f"#{index + 1}"
        parts.append(f"{group.removesuffix('s')} '{label}'")
    rest = [part for part in rest if not (isinstance(part, str) and part.startswith("function-"))]
    if rest:
        parts.append("(" + ".".join(str(part) for part in rest) + ")")
    return ", ".join(parts)


def format_validation_error(error: ValidationError, raw_models: Any = None) -> str:
    """One line per problem, each naming where it is."""
    lines = []
    for problem in error.errors():
        where = _describe_location(tuple(problem["loc"]), raw_models)
        message = problem["msg"].removeprefix("Value error, ")
        if problem["type"] == "extra_forbidden":
            message = f"unknown option '{problem['loc'][-1]}'"
            where = _describe_location(tuple(problem["loc"][:-1]), raw_models)
        lines.append(f"{where}: {message}" if where else message)
    return "; ".join(dict.fromkeys(lines))


def parse_models(raw: Any, roles: Any = None, multi_tenant: bool = False) -> tuple[ModelSpec, ...]:
    """Validate a ``models`` answer alone, given the ``roles`` its permissions may name and whether tenancy is on."""
    return load_spec({"models": raw, "roles": roles, "multi_tenant": multi_tenant}).models


def load_spec(answers: dict[str, Any]) -> ProjectSpec:
    """Validate Copier answers (or any dict of them) into a ``ProjectSpec``, or raise ``SpecError``."""
    raw_models = answers.get("models")
    if isinstance(raw_models, dict):
        raw_models = [raw_models]
    if not isinstance(raw_models, list) or not raw_models:
        raise SpecError("models must be a YAML list of models, each with a name and fields (see the README's models format)")
    for index, model in enumerate(raw_models):
        if not isinstance(model, dict):
            raise SpecError(f"Model #{index + 1}: each model must be a mapping with 'name' and 'fields', not {model!r}")
    data = {key: value for key, value in answers.items() if key in ProjectSpec.model_fields}
    data["models"] = raw_models
    try:
        return ProjectSpec.model_validate(data)
    except ValidationError as exc:
        raise SpecError(format_validation_error(exc, raw_models)) from None
    except SpecError:
        raise
