"""Pydantic v2 schema modules (Create / Update / Read) for one resource."""

from __future__ import annotations

import re

from backend_squad.design import ResourceDesign


def pydantic_module(resource: ResourceDesign) -> str:
    """The full ``app/schemas/<module>.py`` source for ``resource``."""
    imports = ["from __future__ import annotations", ""]
    stdlib = []
    if "Any" in resource.uses_types:
        stdlib.append("from typing import Annotated, Any")
    else:
        stdlib.append("from typing import Annotated")
    if "Decimal" in resource.uses_types:
        stdlib.append("from decimal import Decimal")
    if "UUID" in resource.uses_types:
        stdlib.append("from uuid import UUID")
    if "date" in resource.uses_types:
        stdlib.append("from datetime import date")
    if resource.enums:
        stdlib.append("from enum import StrEnum")
    imports += sorted(stdlib, key=lambda line: line.split()[1])
    if not resource.columns:
        imports.append("")
    written = " ".join(c.create_annotation for c in resource.columns)
    pydantic_names = ["Field", *(name for name in ("JsonValue", "StrictBool", "StrictFloat") if re.search(rf"\b{name}\b", written))]
    imports += ["", f"from pydantic import {', '.join(sorted(pydantic_names))}", ""]
    text = " ".join(c.create_annotation for c in resource.columns) + (" JSON_INT" if resource.many_to_many else "")
    local = ["ReadSchema", "UtcDatetime", "WriteSchema"]
    local += [name for name in ("NO_NUL", "HTTP_URL") if name in text]
    for name in ("DateText", "DatetimeText", "EmailStr", "JSON_INT", "UnsignedDecimalText", "DecimalText"):
        if re.search(rf"\b{name}\b", text):
            local.append(name)
    # isort's order-by-type: CONSTANTS before Classes.
    imports.append(f"from app.schemas.common import {', '.join(sorted(local, key=lambda n: (not n.isupper(), n)))}")
    lines = [f'"""Request and response schemas for {resource.title_plural}."""', "", *imports, "", ""]
    for enum in resource.enums:
        lines.append(f"class {enum.class_name}(StrEnum):")
        lines += [f'    {member} = "{value}"' for member, value in enum.members]
        lines += ["", ""]
    writable = resource.writable_columns
    lines.append(f"class {resource.name}Create(WriteSchema):")
    lines.append(f'    """Body of ``POST {resource.path}``."""')
    lines.append("")
    lines += [f"    {column.name}: {column.create_annotation}" for column in writable]
    lines += [f"    {m.ids_field}: list[Annotated[int, Field(ge=1, le=2147483647), JSON_INT]] = Field(default_factory=list, max_length=100)" for m in resource.many_to_many]
    lines += ["", ""]
    lines.append(f"class {resource.name}Update(WriteSchema):")
    lines.append(f'    """Body of ``PATCH {resource.path}/{{id}}``: send only the fields to change."""')
    lines.append("")
    lines += [f"    {column.name}: {column.update_annotation}" for column in writable]
    lines += [f"    {m.ids_field}: list[Annotated[int, Field(ge=1, le=2147483647), JSON_INT]] | None = Field(default=None, max_length=100)" for m in resource.many_to_many]
    lines += ["", ""]
    lines.append(f"class {resource.name}Read(ReadSchema):")
    lines.append(f'    """A {resource.module.replace("_", " ")} as the API returns it."""')
    lines.append("")
    lines.append("    id: int")
    lines += [f"    {column.name}: {column.read_annotation}" for column in resource.columns]
    lines += [f"    {m.ids_field}: list[int] = []" for m in resource.many_to_many]
    if resource.owned:
        lines.append("    owner_id: int")
    if resource.track_authors:
        lines += ["    created_by: int | None", "    updated_by: int | None"]
    lines += ["    created_at: UtcDatetime", "    updated_at: UtcDatetime", ""]
    return "\n".join(lines)
