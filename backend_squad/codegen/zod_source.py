"""Zod schema modules for one resource: the same constraints as the Pydantic schemas, for TypeScript stacks."""

from __future__ import annotations

import json

from backend_squad.design import ZOD_TYPES, ColumnDesign, ResourceDesign
from backend_squad.naming import camel_case
from backend_squad.spec import FieldType


def _zod_field(column: ColumnDesign, constraints: dict) -> str:
    if column.enum:
        values = ", ".join(json.dumps(value) for _, value in column.enum.members)
        expression = f"z.enum([{values}])"
    elif column.kind == "foreign_key":
        expression = "z.number().int().min(1).max(2147483647)"
    else:
        expression = ZOD_TYPES[FieldType(column.kind)]
        if "max_length" in constraints:
            expression += f".max({constraints['max_length']})"
        if "pattern" in constraints:
            expression += f".regex(new RegExp({json.dumps(constraints['pattern'])}))"
        if "ge" in constraints and column.kind in ("integer", "float"):
            expression += f".min({constraints['ge']})"
        if "le" in constraints and column.kind in ("integer", "float"):
            expression += f".max({constraints['le']})"
    return expression


def zod_module(resource: ResourceDesign) -> str:
    """The ``<module>.schema.ts`` source for ``resource``."""
    name = camel_case(resource.module)
    lines = ['import { z } from "zod";', ""]
    lines.append(f"export const {name}CreateSchema = z.object({{")
    for column in resource.writable_columns:
        expression = _zod_field(column, column.constraints)
        if column.nullable:
            expression += ".nullable().optional()"
        elif "=" in column.create_annotation.rsplit("]", 1)[-1]:
            expression += ".optional()"
        lines.append(f"  {column.name}: {expression},")
    for m2m in resource.many_to_many:
        lines.append(f"  {m2m.ids_field}: z.array(z.number().int().min(1)).max(100).optional(),")
    lines.append("});")
    lines.append(f"export const {name}UpdateSchema = {name}CreateSchema.partial();")
    lines.append(f"export type {resource.name}Create = z.infer<typeof {name}CreateSchema>;")
    lines.append(f"export type {resource.name}Update = z.infer<typeof {name}UpdateSchema>;")
    lines.append("")
    return "\n".join(lines)


# -- Next.js route validation ----------------------------------------------------------------------------------
# The Zod schemas a Next.js project validates requests with: the same rules as the FastAPI project's Pydantic
# schemas (strict JSON types, the same bounds and patterns, unknown fields rejected), so both stacks accept and
# refuse the same requests. Building blocks (NO_NUL, HTTP_URL, recordId, ...) live in src/lib/resources/validation.ts.

_INT32 = (-(2**31), 2**31 - 1)
LINE_WIDTH = 110  # biome.json's formatter.lineWidth


def regex_literal(pattern: str) -> str:
    """A JavaScript regex literal for a pattern written for Python (``/`` escaped outside classes; the rest is shared)."""
    out, in_class, escaped = [], False, False
    for char in pattern:
        if escaped:
            escaped = False
            if in_class and char == "[":
                out[-1] = "["  # "\\[" inside a class is just "[" (Biome flags the useless escape)
                continue
        elif char == "\\":
            escaped = True
        elif char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "/" and not in_class:
            out.append("\\")  # a slash outside a class would end the literal; inside one it needs no escape
        out.append(char)
    return "/" + "".join(out) + "/"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _body_field(column: ColumnDesign) -> str:
    """The Zod expression for one writable column, before optional/nullable."""
    kind, constraints = column.kind, column.constraints
    if column.enum:
        return f"z.enum([{', '.join(json.dumps(value) for _, value in column.enum.members)}])"
    if kind == "foreign_key":
        return "recordId"
    if kind in ("string", "text"):
        expression = "z.string()"
        if "max_length" in constraints:
            expression += f".max({constraints['max_length']})"
        return expression + (f".regex({pattern_constant(column)})" if "pattern" in constraints else ".regex(NO_NUL)")
    if kind == "email":
        # RFC 5322, as permissive as the FastAPI side's email-validator (zod's default refuses "%" and friends).
        return f"z.email({{ pattern: z.regexes.rfc5322Email }}).max({constraints['max_length']})"
    if kind == "url":
        return f"z.string().max({constraints['max_length']}).regex(HTTP_URL)"
    if kind == "integer":
        low = max(int(constraints.get("ge", _INT32[0])), _INT32[0])
        high = min(int(constraints.get("le", _INT32[1])), _INT32[1])
        return f"z.int().min({low}).max({high})"
    if kind == "float":
        low, high = constraints.get("ge", -1e300), constraints.get("le", 1e300)
        return f"z.number().min({_number(low)}).max({_number(high)})"
    if kind == "decimal":
        bounds = [
            f"{name}: {_number(constraints[key])}" for name, key in (("min", "ge"), ("max", "le")) if key in constraints
        ]
        return f"decimalText({{ {', '.join(bounds)} }})" if bounds else "decimalText()"
    return {
        "boolean": "z.boolean()",
        "date": "isoDate",
        "datetime": "awareDatetime",
        "uuid": "uuidText",
        "json": "z.json()",
    }[kind]


def pattern_constant(column: ColumnDesign) -> str:
    """The module constant holding a field's declared pattern: ``slug`` -> ``SLUG_PATTERN``."""
    return f"{column.name.upper()}_PATTERN"


def _split_chain(expression: str) -> list[str]:
    """``z.string().max(5)`` -> ``["z", "string()", "max(5)"]``: split at the dots outside brackets and strings."""
    parts, depth, start, quote = [], 0, 0, ""
    for index, char in enumerate(expression):
        if quote:
            quote = "" if char == quote and expression[index - 1] != "\\" else quote
        elif char in "\"'`":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "." and depth == 0 and not expression[index - 1].isdigit():
            parts.append(expression[start:index])
            start = index + 1
    parts.append(expression[start:])
    return parts


def _field_lines(key: str, expression: str) -> list[str]:
    """One ``key: expression,`` line, or the chain one call per line when Biome would break it (too long)."""
    line = f"  {key}: {expression},"
    if len(line) <= LINE_WIDTH:
        return [line]
    head, *calls = _split_chain(expression)
    return [f"  {key}: {head}", *(f"    .{call}" for call in calls[:-1]), f"    .{calls[-1]},"]


def _filter_field(column: ColumnDesign) -> str:
    """The Zod expression for an equality filter: query strings parse leniently, as FastAPI's do."""
    kind, constraints = column.kind, column.constraints
    if column.enum:
        return f"z.enum([{', '.join(json.dumps(value) for _, value in column.enum.members)}])"
    if kind == "foreign_key":
        return "queryInt(1, MAX_ID)"
    if kind == "integer":
        return f"queryInt({_INT32[0]}, {_INT32[1]})"
    if kind == "boolean":
        return "queryBoolean"
    if kind == "uuid":
        return "uuidText"
    return f"z.string().max({constraints['max_length']}).regex(NO_NUL)"


def _object(name: str, function: str, fields: list[tuple[str, str]]) -> list[str]:
    if not fields:
        return [f"export const {name} = {function}({{}});"]
    return [
        f"export const {name} = {function}({{",
        *(line for key, value in fields for line in _field_lines(key, value)),
        "});",
    ]


def zod_validation(resource: ResourceDesign) -> str:
    """``<name>Create``, ``<name>Update`` and ``<name>ListQuery`` for ``src/lib/resources/<module>.ts``."""
    name = camel_case(resource.module)
    create: list[tuple[str, str]] = []
    update: list[tuple[str, str]] = []
    for column in resource.writable_columns:
        expression = _body_field(column)
        if column.nullable:
            create.append((column.name, f"{expression}.nullable().optional()"))
            update.append((column.name, f"{expression}.nullable().optional()"))
        else:
            has_default = column.model_default is not None
            create.append((column.name, f"{expression}.optional()" if has_default else expression))
            update.append((column.name, f"{expression}.optional()"))
    for m2m in resource.many_to_many:
        create.append((m2m.ids_field, "idList.optional()"))
        update.append((m2m.ids_field, "idList.nullable().optional()"))
    query = [
        ("limit", "queryInt(1, 100).default(20)"),
        ("offset", "queryInt(0, 1_000_000).default(0)"),
        ("sort", f'z.enum({name}Sorts).default("id")'),
        *((column.name, f"{_filter_field(column)}.optional()") for column in resource.filter_columns),
    ]
    lines = [
        f"const {pattern_constant(column)} = {regex_literal(column.constraints['pattern'])};"
        for column in resource.writable_columns
        if column.kind in ("string", "text") and "pattern" in column.constraints
    ]
    if lines:
        lines.append("")
    sorts = [json.dumps(value) for value in resource.sort_values]
    one_line = f"export const {name}Sorts = [{', '.join(sorts)}] as const;"
    if len(one_line) <= LINE_WIDTH:
        lines.append(one_line)
    else:
        lines += [f"export const {name}Sorts = [", *(f"  {value}," for value in sorts), "] as const;"]
    lines += ["", "/** Body of `POST`: unknown fields are an error, defaults come from the table. */"]
    lines += _object(f"{name}Create", "z.strictObject", create)
    lines += ["", "/** Body of `PATCH`: send only the fields to change; null clears an optional field. */"]
    lines += _object(f"{name}Update", "z.strictObject", update)
    lines += ["", "/** Query of the list: page, sort (a leading - sorts descending) and equality filters. */"]
    lines += _object(f"{name}ListQuery", "z.object", query)
    return "\n".join(lines) + "\n"
