"""``ApiDesign``: the resources, columns, endpoints and test data the templates render.

The agents compute everything here in Python so the Jinja templates only place
precomputed names and snippets; a template never decides a type or a constraint.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict

from backend_squad import naming
from backend_squad.samples import sample_scalar
from backend_squad.spec import (
    FieldSpec,
    FieldType,
    ModelSpec,
    ProjectSpec,
    RelationKind,
)

_FROZEN = ConfigDict(frozen=True)

# Bounds of a 32-bit INTEGER column: values outside them would fail in the database, not in validation.
INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
# Bounds of the integer primary keys accepted in paths and filters (BIGINT-safe everywhere).
ID_MAX = 2**31 - 1
DECIMAL_DIGITS, DECIMAL_PLACES = 18, 2
# Rows of test data per model: enough distinct unique values for any one generated test.
SAMPLE_COUNT = 12
# Decimals travel as strings ("12.50"): exact, and the schema can say exactly what is accepted.
DECIMAL_PATTERN = rf"^-?\d{{1,{DECIMAL_DIGITS - DECIMAL_PLACES}}}(\.\d{{1,{DECIMAL_PLACES}}})?$"
UNSIGNED_DECIMAL_PATTERN = DECIMAL_PATTERN.replace("^-?", "^", 1)
# An absolute http(s) URL with a host name or IPv4 address and an optional port (0-65535);
# a pattern rather than a URL parser, so every stack and the schema agree on it exactly.
_PORT = r"(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[0-9]{1,4})"
# Control and white-space characters spelt out: ``\s`` means different sets in Python, Rust (pydantic-core) and
# ECMAScript (JSON Schema, Zod), and a schema-valid URL must be accepted by every one of them.
_SPACE_OR_CONTROL = r"\x00-\x20\x7f-\x9f\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
URL_PATTERN = r"^https?://[^" + _SPACE_OR_CONTROL + r"/?#@\[\]:]+(:" + _PORT + r")?([/?#][^" + _SPACE_OR_CONTROL + r"]*)?$"

PY_TYPES = {
    FieldType.STRING: "str",
    FieldType.TEXT: "str",
    FieldType.INTEGER: "int",
    FieldType.FLOAT: "float",
    FieldType.DECIMAL: "Decimal",
    FieldType.BOOLEAN: "bool",
    FieldType.DATE: "date",
    FieldType.DATETIME: "datetime",
    FieldType.UUID: "UUID",
    FieldType.EMAIL: "str",
    FieldType.URL: "str",
    FieldType.JSON: "Any",
}

ZOD_TYPES = {
    FieldType.STRING: "z.string()",
    FieldType.TEXT: "z.string()",
    FieldType.INTEGER: "z.number().int()",
    FieldType.FLOAT: "z.number()",
    FieldType.DECIMAL: "z.string()",  # the pattern is added from the column's constraints
    FieldType.BOOLEAN: "z.boolean()",
    FieldType.DATE: "z.string().date()",
    FieldType.DATETIME: "z.string().datetime({ offset: true })",
    FieldType.UUID: "z.string().uuid()",
    FieldType.EMAIL: "z.string().email()",
    FieldType.URL: "z.string()",  # the pattern is added from the column's constraints
    FieldType.JSON: "z.unknown()",
}


# JSON has exact types: 0 is not false and "5" is not 5 (but 5.0 is 5, as JSON Schema says).
# Integers are "int" plus the JSON_INT check placed after Field(...), so the schema keeps minimum/maximum.
STRICT_JSON_TYPES = {FieldType.BOOLEAN: "StrictBool", FieldType.INTEGER: "int", FieldType.FLOAT: "StrictFloat",
                     FieldType.JSON: "JsonValue"}


class EnumDesign(BaseModel):
    model_config = _FROZEN

    class_name: str
    members: tuple[tuple[str, str], ...]  # (PYTHON_NAME, value)


class ColumnDesign(BaseModel):
    """A scalar column (declared field or foreign key) with every rendering of it precomputed."""

    model_config = _FROZEN

    name: str
    kind: str  # FieldType value, or "foreign_key"
    nullable: bool
    unique: bool
    index: bool
    sa_type: str  # e.g. "String(200)"; the models module imports these names from sqlalchemy
    migration_type: str  # e.g. "sa.String(length=200)"
    mapped_type: str  # e.g. "str | None"
    model_default: str | None  # python expression for mapped_column(default=...)
    foreign_key: str | None = None  # "customers.id"
    on_delete: str | None = None
    create_annotation: str  # the Create schema's "type = default" right-hand side
    update_annotation: str
    read_annotation: str
    filterable: bool
    sortable: bool
    filter_type: str | None  # the query parameter's type, e.g. "int"
    filter_args: str  # keyword arguments of its Query(...), e.g. "ge=1, le=10"
    description: str | None = None
    enum: EnumDesign | None = None
    writable: bool = True
    references: str | None = None  # model class the foreign key points to
    references_owned: bool = False
    constraints: dict[str, Any] = {}  # the declared bounds, for other stacks' validators (Zod)


class ManyToManyDesign(BaseModel):
    model_config = _FROZEN

    name: str  # relation attribute, e.g. "tags"
    ids_field: str  # "tag_ids"
    target: str  # "Tag"
    target_module: str
    target_table: str
    target_owned: bool
    table: str  # association table, e.g. "posts_tags"
    local_table: str  # "posts"
    local_column: str  # "post_id"
    remote_column: str  # "tag_id"


class ActionDesign(BaseModel):
    """A custom endpoint on one row whose body lives in a marked slot of ``app/actions/<module>.py``."""

    model_config = _FROZEN

    name: str  # "publish": the slot function's name
    method: str  # "POST"
    path: str  # "/{item_id}/publish"
    description: str
    slot_id: str  # "Post.publish": the marker the AI hook fills


class ResourceDesign(BaseModel):
    """One model: table, schemas, endpoints and test data."""

    model_config = _FROZEN

    name: str  # "OrderItem"
    module: str  # "order_item"
    table: str  # "order_items"
    path: str  # "/order-items"
    tag: str
    title_plural: str
    description: str
    owned: bool
    soft_delete: bool
    # created_by / updated_by: nullable user ids (ON DELETE SET NULL) the API sets from the caller, never the body.
    track_authors: bool = False
    columns: tuple[ColumnDesign, ...]
    enums: tuple[EnumDesign, ...]
    many_to_many: tuple[ManyToManyDesign, ...]
    sort_values: tuple[str, ...]
    parents: tuple[str, ...]  # modules of models whose foreign keys this table holds (for imports)
    # Test data, as JSON text the generated tests load.
    samples: tuple[str, ...]
    required_parents: tuple[tuple[str, str], ...]  # (foreign key column, parent module) created first
    invalid_field: str | None
    patch_field: str | None
    patch_value: str | None  # JSON
    filter_field: str | None
    sort_field: str | None
    uses_types: tuple[str, ...]  # python names the schema module needs (Decimal, date, ...)
    model_imports: tuple[str, ...]  # import lines of the SQLAlchemy model module
    actions: tuple[ActionDesign, ...] = ()
    # Operation ("read", "create", "update", "delete") -> roles allowed besides admins, in the order of the
    # ``roles`` answer; only the operations the model restricts.
    permissions: dict[str, tuple[str, ...]] = {}
    # Rows belong to one organization (multi-tenant projects): every operation takes the X-Organization-Id header.
    tenant_scoped: bool = False

    def allowed_roles(self, operation: str) -> tuple[str, ...] | None:
        """The roles that may do ``operation`` besides admins, or None when the default rule applies."""
        return self.permissions.get(operation)

    def may_refuse(self, operation: str) -> bool:
        """Whether ``operation`` can answer 403: a role check, the admins-only rule for writes to shared rows, or a
        caller outside the organization named by the header."""
        return self.tenant_scoped or operation in self.permissions or (operation != "read" and not self.owned)

    def denied_detail(self, operation: str) -> str | None:
        """The 403 detail both stacks send to a role that may not do ``operation``."""
        roles = self.allowed_roles(operation)
        return None if roles is None else f"Requires one of the roles: {', '.join(('admin', *roles))}."

    @property
    def writable_columns(self) -> tuple[ColumnDesign, ...]:
        return tuple(column for column in self.columns if column.writable)

    @property
    def filter_columns(self) -> tuple[ColumnDesign, ...]:
        return tuple(column for column in self.columns if column.filterable)

    @property
    def filters_use_no_nul(self) -> bool:
        return any("NO_NUL" in column.filter_args for column in self.filter_columns)

    @property
    def reference_columns(self) -> tuple[ColumnDesign, ...]:
        """Foreign-key columns, whose targets must be visible to the caller."""
        return tuple(column for column in self.columns if column.references)


class ApiDesign(BaseModel):
    """APIArchitect's output: resources, versioning and the OpenAPI 3.1 document."""

    model_config = _FROZEN

    title: str
    version: str
    api_prefix: str
    versioning: dict[str, Any]
    resources: tuple[ResourceDesign, ...]
    association_tables: tuple[ManyToManyDesign, ...]
    openapi: dict[str, Any]
    pydantic_schemas: dict[str, str]
    zod_schemas: dict[str, str]
    roles: tuple[str, ...] = ()  # roles users can hold besides admin (empty: the project has none)
    multi_tenant: bool = False  # users work inside organizations; see ``tenant_resources``
    membership_roles: tuple[str, ...] = ()  # what a membership's role may be besides none (ProjectSpec's rule)

    @property
    def tenant_resources(self) -> tuple[ResourceDesign, ...]:
        """Resources whose rows belong to one organization."""
        return tuple(resource for resource in self.resources if resource.tenant_scoped)

    def resource(self, name: str) -> ResourceDesign:
        return next(resource for resource in self.resources if resource.name == name)

    @property
    def resources_with_actions(self) -> tuple[ResourceDesign, ...]:
        return tuple(resource for resource in self.resources if resource.actions)

    @property
    def soft_delete_resources(self) -> tuple[ResourceDesign, ...]:
        """Resources whose deletes keep the row; admins restore them."""
        return tuple(resource for resource in self.resources if resource.soft_delete)

    @property
    def samples_json(self) -> str:
        """Every model's sample rows, as the generated tests load them."""
        return json.dumps({r.module: [json.loads(sample) for sample in r.samples] for r in self.resources}, indent=2)


def _literal(value: Any) -> str:
    return repr(value)


def _enum_design(model: ModelSpec, field: FieldSpec) -> EnumDesign:
    return EnumDesign(
        class_name=f"{model.name}{naming.pascal_case(field.name)}",
        members=tuple((value.upper(), value) for value in field.values or ()),
    )


def _constraint_args(field: FieldSpec) -> list[str]:
    """Pydantic ``Field(...)`` keyword arguments that carry the declared constraints."""
    args: list[str] = []
    kind = field.type
    if kind in (FieldType.STRING, FieldType.TEXT, FieldType.EMAIL, FieldType.URL):
        if field.max_length is not None or kind is not FieldType.TEXT:
            args.append(f"max_length={field.effective_max_length}")
        if kind is FieldType.URL:
            args.append("pattern=HTTP_URL")  # URL_PATTERN, defined once in the project's schemas.common
        if kind in (FieldType.STRING, FieldType.TEXT):
            # A NUL byte cannot be stored by PostgreSQL; reject it in validation, documented in the schema.
            args.append(f"pattern={field.pattern!r}" if field.pattern else "pattern=NO_NUL")
    if kind is FieldType.INTEGER:
        low = int(field.min) if field.min is not None else INT32_MIN
        high = int(field.max) if field.max is not None else INT32_MAX
        args += [f"ge={max(low, INT32_MIN)}", f"le={min(high, INT32_MAX)}"]
    elif kind in (FieldType.FLOAT, FieldType.DECIMAL):
        if field.min is not None:
            args.append(f"ge={field.min:g}")
        if field.max is not None:
            args.append(f"le={field.max:g}")
        if kind is FieldType.DECIMAL:
            args += [f"max_digits={DECIMAL_DIGITS}", f"decimal_places={DECIMAL_PLACES}"]
        else:
            args.append("allow_inf_nan=False")
            if field.min is None:
                args.append("ge=-1e300")
            if field.max is None:
                args.append("le=1e300")
    if field.description:
        args.append(f"description={field.description!r}")
    return args


def _schema_type(model: ModelSpec, field: FieldSpec) -> str:
    if field.type is FieldType.ENUM:
        return f"{model.name}{naming.pascal_case(field.name)}"
    if field.type is FieldType.EMAIL:
        return "EmailStr"
    if field.type is FieldType.DATETIME:
        return "DatetimeText"
    if field.type is FieldType.DATE:
        return "DateText"
    if field.type in STRICT_JSON_TYPES:
        return STRICT_JSON_TYPES[field.type]
    if field.type is FieldType.DECIMAL:
        # A minimum of 0 or more rules out the sign; the schema pattern says so too.
        return "UnsignedDecimalText" if field.min is not None and field.min >= 0 else "DecimalText"
    return PY_TYPES[field.type]


def _annotated(base: str, args: list[str]) -> str:
    """``Annotated[base, Field(args)]``; integers also get JSON_INT, which must follow the Field."""
    metadata = [f"Field({', '.join(args)})"] if args else []
    if base == "int":
        metadata.append("JSON_INT")
    return f"Annotated[{base}, {', '.join(metadata)}]" if metadata else base


def _sa_type(field: FieldSpec) -> tuple[str, str]:
    kind = field.type
    if kind in (FieldType.STRING, FieldType.EMAIL, FieldType.URL):
        length = field.effective_max_length
        return f"String({length})", f"sa.String(length={length})"
    if kind is FieldType.ENUM:
        length = max(len(value) for value in field.values or ("x",))
        return f"String({length})", f"sa.String(length={length})"
    if kind is FieldType.TEXT:
        return "Text()", "sa.Text()"
    if kind is FieldType.DECIMAL:
        return f"Numeric({DECIMAL_DIGITS}, {DECIMAL_PLACES})", f"sa.Numeric(precision={DECIMAL_DIGITS}, scale={DECIMAL_PLACES})"
    if kind is FieldType.DATETIME:
        return "DateTime(timezone=True)", "sa.DateTime(timezone=True)"
    simple = {
        FieldType.INTEGER: "Integer",
        FieldType.FLOAT: "Double",
        FieldType.BOOLEAN: "Boolean",
        FieldType.DATE: "Date",
        FieldType.UUID: "Uuid",
        FieldType.JSON: "JSON",
    }[kind]
    return f"{simple}()", f"sa.{simple}()"


def _field_column(model: ModelSpec, field: FieldSpec) -> ColumnDesign:
    kind = field.type
    enum = _enum_design(model, field) if kind is FieldType.ENUM else None
    has_default = field.default is not None
    nullable = not field.required
    sa_type, migration_type = _sa_type(field)
    python_type = "str" if kind is FieldType.ENUM else PY_TYPES[kind]
    mapped = f"{python_type} | None" if nullable else python_type
    model_default = None
    if has_default:
        model_default = f"Decimal({field.default!r})" if kind is FieldType.DECIMAL else _literal(field.default)
        if kind is FieldType.JSON:
            model_default = f"lambda: {_literal(field.default)}"

    schema_type = _schema_type(model, field)
    constrained = _annotated(schema_type, _constraint_args(field))
    constraints: dict[str, Any] = {
        key: value
        for key, value in {
            "max_length": field.effective_max_length if kind is not FieldType.TEXT else field.max_length,
            "pattern": URL_PATTERN if kind is FieldType.URL else field.pattern if kind is not FieldType.DECIMAL else (
                UNSIGNED_DECIMAL_PATTERN if field.min is not None and field.min >= 0 else DECIMAL_PATTERN),
            "ge": field.min,
            "le": field.max,
        }.items()
        if value is not None
    }
    if has_default:
        default_expr = (
            f"{enum.class_name}.{str(field.default).upper()}" if enum else
            f"Decimal({field.default!r})" if kind is FieldType.DECIMAL else _literal(field.default)
        )
        create = f"{constrained} = {default_expr}"
    elif nullable:
        create = f"{constrained} | None = None"
    else:
        create = constrained
    # PATCH: every field may be left out; only nullable columns accept an explicit null.
    update = f"{constrained} | None = None" if nullable else f"{constrained} = None"
    read_type = "UtcDatetime" if kind is FieldType.DATETIME else schema_type if enum else PY_TYPES[kind]
    if kind in (FieldType.EMAIL, FieldType.URL):
        read_type = "str"
    read = f"{read_type} | None" if nullable else read_type
    # Exact-match filters on these would be ambiguous or accept numbers as timestamps; not offered.
    filterable = kind not in (FieldType.TEXT, FieldType.JSON, FieldType.FLOAT, FieldType.DECIMAL, FieldType.DATE,
                              FieldType.DATETIME)
    sortable = kind not in (FieldType.TEXT, FieldType.JSON, FieldType.BOOLEAN)
    # Query strings are text, so filters parse leniently ("5" is 5, "true" is true).
    filter_type = (enum.class_name if enum else "str" if kind in (FieldType.EMAIL, FieldType.URL) else PY_TYPES[kind]
                   ) if filterable else None
    return ColumnDesign(
        name=field.name,
        kind=kind.value,
        nullable=nullable,
        unique=field.unique,
        index=field.index,
        sa_type=sa_type,
        migration_type=migration_type,
        mapped_type=mapped,
        model_default=model_default,
        create_annotation=create,
        update_annotation=update,
        read_annotation=read,
        filterable=filterable,
        sortable=sortable,
        filter_type=filter_type,
        filter_args=", ".join(_filter_args(field)),
        description=field.description,
        enum=enum,
        constraints=constraints,
    )


def _filter_args(field: FieldSpec) -> list[str]:
    """Query-parameter constraints: the value bounds a column can hold, so a filter never errors in SQL."""
    if field.type is FieldType.INTEGER:
        return [f"ge={INT32_MIN}", f"le={INT32_MAX}"]
    if field.type in (FieldType.STRING, FieldType.EMAIL, FieldType.URL):
        return [f"max_length={field.effective_max_length}", "pattern=NO_NUL"]
    return []


def _foreign_key_column(
    name: str, target: str, nullable: bool, description: str | None, target_owned: bool
) -> ColumnDesign:
    table = "users" if target == "User" else naming.pluralize(naming.snake_case(target))
    id_type = _annotated("int", ["ge=1", f"le={ID_MAX}"])
    return ColumnDesign(
        name=name,
        kind="foreign_key",
        nullable=nullable,
        unique=False,
        index=True,
        sa_type="Integer()",
        migration_type="sa.Integer()",
        mapped_type="int | None" if nullable else "int",
        model_default=None,
        foreign_key=f"{table}.id",
        on_delete="SET NULL" if nullable else "CASCADE",
        create_annotation=f"{id_type} | None = None" if nullable else id_type,
        update_annotation=f"{id_type} | None = None" if nullable else f"{id_type} = None",
        read_annotation="int | None" if nullable else "int",
        filterable=True,
        sortable=False,
        filter_type="int",
        filter_args=f"ge=1, le={ID_MAX}",
        description=description,
        references=target,
        references_owned=target_owned,
    )


def _columns(spec: ProjectSpec, model: ModelSpec) -> list[ColumnDesign]:
    columns = [_field_column(model, field) for field in model.fields]
    for relation in model.relations:
        if relation.kind is RelationKind.MANY_TO_ONE:
            owned = relation.to != "User" and spec.model(relation.to).owned
            columns.append(
                _foreign_key_column(f"{relation.name}_id", relation.to, not relation.required, relation.description, owned)
            )
    # A parent's one_to_many puts the foreign key on this (child) model unless it already links back.
    for parent in spec.models:
        for relation in parent.relations:
            if relation.kind is RelationKind.ONE_TO_MANY and relation.to == model.name:
                links_back = any(
                    r.kind is RelationKind.MANY_TO_ONE and r.to == parent.name for r in model.relations
                )
                name = f"{parent.snake}_id"
                if not links_back and all(column.name != name for column in columns):
                    columns.append(_foreign_key_column(name, parent.name, True, relation.description, parent.owned))
    return columns


def _many_to_many(spec: ProjectSpec, model: ModelSpec) -> list[ManyToManyDesign]:
    designs = []
    for relation in model.relations:
        if relation.kind is RelationKind.MANY_TO_MANY:
            target = spec.model(relation.to)
            designs.append(
                ManyToManyDesign(
                    name=relation.name,
                    ids_field=naming.many_to_many_ids_field(relation.name),
                    target=target.name,
                    target_module=target.snake,
                    target_table=target.table,
                    target_owned=target.owned,
                    table=f"{model.table}_{relation.name}",
                    local_table=model.table,
                    local_column=f"{model.snake}_id",
                    remote_column=f"{target.snake}_id",
                )
            )
    return designs


def _sample(model: ModelSpec, columns: list[ColumnDesign], m2m: list[ManyToManyDesign], variant: int) -> dict:
    sample = {}
    for field in model.fields:
        sample[field.name] = sample_scalar(field, variant)
    return sample


def _resource(spec: ProjectSpec, model: ModelSpec) -> ResourceDesign:
    columns = _columns(spec, model)
    m2m = _many_to_many(spec, model)
    enums = tuple(column.enum for column in columns if column.enum)
    sortable = ["id", "created_at", "updated_at", *(c.name for c in columns if c.sortable)]
    sort_values = tuple(value for name in sortable for value in (name, f"-{name}"))
    samples = tuple(json.dumps(_sample(model, columns, m2m, variant)) for variant in range(SAMPLE_COUNT))
    required_parents = tuple(
        (column.name, naming.snake_case(column.references or ""))
        for column in columns
        if column.references and column.references != "User" and not column.nullable
    )
    fields = list(model.fields)
    invalid = next((f.name for f in fields if f.type is not FieldType.JSON), None)
    patchable = [f for f in fields if not f.unique and f.type is not FieldType.JSON]
    patch_field = patch_value = None
    for field in patchable:
        new = sample_scalar(field, 1)
        if new != sample_scalar(field, 0):
            patch_field, patch_value = field.name, json.dumps(new)
            break
    filter_field = next(
        (
            c.name
            for c in columns
            if c.filterable and c.kind != "foreign_key"
            and sample_scalar(model.fields[[f.name for f in fields].index(c.name)], 0)
            != sample_scalar(model.fields[[f.name for f in fields].index(c.name)], 1)
        ),
        None,
    )
    sort_field = next(
        (
            c.name for c in columns
            if c.sortable and c.kind in (FieldType.INTEGER.value, FieldType.STRING.value, FieldType.DATE.value)
        ),
        None,
    )
    uses = set()
    for field in fields:
        if field.type is FieldType.DECIMAL:
            uses.add("Decimal")
        if field.type is FieldType.DATE:
            uses.add("date")
        if field.type is FieldType.UUID:
            uses.add("UUID")
        if field.type is FieldType.JSON:
            uses.add("Any")
    model_imports = _model_imports(model, columns, m2m)
    parents = sorted(
        {naming.snake_case(c.references) for c in columns if c.references and c.references != "User"} - {model.snake}
    )
    return ResourceDesign(
        name=model.name,
        module=model.snake,
        table=model.table,
        path="/" + model.table.replace("_", "-"),
        tag=model.table.replace("_", "-"),
        title_plural=naming.pluralize(model.snake).replace("_", " "),
        description=model.description or f"{model.name} records.",
        owned=model.owned,
        soft_delete=model.soft_delete,
        track_authors=model.track_authors,
        tenant_scoped=spec.is_tenant_scoped(model),
        permissions={
            operation: tuple(role for role in spec.roles if role in allowed)
            for operation, allowed in (model.permissions.restricted if model.permissions else {}).items()
        },
        columns=tuple(columns),
        enums=enums,
        many_to_many=tuple(m2m),
        sort_values=sort_values,
        parents=tuple(parents),
        samples=samples,
        required_parents=required_parents,
        invalid_field=invalid,
        patch_field=patch_field,
        patch_value=patch_value,
        filter_field=filter_field,
        sort_field=sort_field,
        uses_types=tuple(sorted(uses)),
        model_imports=model_imports,
        actions=tuple(
            ActionDesign(
                name=action.name,
                method=action.method.value,
                path="/{item_id}/" + action.name.replace("_", "-"),
                description=action.description,
                slot_id=f"{model.name}.{action.name}",
            )
            for action in model.actions
        ),
    )


def _model_imports(model: ModelSpec, columns: list[ColumnDesign], m2m: list[ManyToManyDesign]) -> tuple[str, ...]:
    """Import lines for ``app/models/<module>.py``, sorted the way ruff's isort wants them."""
    stdlib: list[str] = []
    kinds = {field.type for field in model.fields}
    if FieldType.JSON in kinds:
        stdlib.append("from typing import Any")
    dates = sorted(
        ({"date"} if FieldType.DATE in kinds else set())
        | ({"datetime"} if FieldType.DATETIME in kinds or model.soft_delete else set())
    )
    if dates:
        stdlib.append(f"from datetime import {', '.join(dates)}")
    if FieldType.DECIMAL in kinds:
        stdlib.append("from decimal import Decimal")
    if FieldType.UUID in kinds:
        stdlib.append("from uuid import UUID")
    stdlib.sort(key=lambda line: line.split()[1])
    sa_names = {"Integer"} | {column.sa_type.split("(")[0] for column in columns}
    if any(column.foreign_key for column in columns) or model.owned or model.track_authors:
        sa_names.add("ForeignKey")
    if model.soft_delete:
        sa_names.add("DateTime")
    orm = "from sqlalchemy.orm import Mapped, mapped_column" + (", relationship" if m2m else "")
    # isort's order-by-type puts CONSTANT-like names (JSON) before Classes.
    third_party = [f"from sqlalchemy import {', '.join(sorted(sa_names, key=lambda n: (not n.isupper(), n)))}", orm]
    local = ["from app.db.base import Base, TimestampMixin"]
    if m2m:
        local.append(f"from app.models.associations import {', '.join(sorted(m.table for m in m2m))}")
        local += sorted({f"from app.models.{m.target_module} import {m.target}" for m in m2m})
    groups = [group for group in (stdlib, third_party, local) if group]
    lines: list[str] = []
    for group in groups:
        if lines:
            lines.append("")
        lines += group
    return tuple(lines)


def order_by_dependencies(resources: list[ResourceDesign]) -> list[ResourceDesign]:
    """Parents before children, so migrations create referenced tables first (declaration order otherwise)."""
    by_name = {resource.name: resource for resource in resources}
    ordered: list[ResourceDesign] = []
    placed: set[str] = set()

    def place(resource: ResourceDesign, stack: tuple[str, ...]) -> None:
        if resource.name in placed or resource.name in stack:
            return
        for column in resource.columns:
            parent = by_name.get(column.references or "")
            if parent and parent.name != resource.name:
                place(parent, (*stack, resource.name))
        placed.add(resource.name)
        ordered.append(resource)

    for resource in resources:
        place(resource, ())
    return ordered


def build_resources(spec: ProjectSpec) -> tuple[ResourceDesign, ...]:
    return tuple(order_by_dependencies([_resource(spec, model) for model in spec.models]))
