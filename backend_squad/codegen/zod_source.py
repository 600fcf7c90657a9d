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
