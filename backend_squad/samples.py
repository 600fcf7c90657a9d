"""Sample values that satisfy a field's constraints: the data the generated tests send."""

from __future__ import annotations

import datetime as dt
import math
import re
import uuid
from decimal import Decimal
from typing import Any

from backend_squad.spec import NUMERIC_TYPES, FieldSpec, FieldType, SpecError


def sample_scalar(field: FieldSpec, variant: int = 0) -> Any:
    """A JSON value that satisfies the field's constraints (used to write the generated tests)."""
    kind = field.type
    if kind is FieldType.ENUM:
        values = field.values or ("a",)
        return values[variant % len(values)]
    if kind is FieldType.BOOLEAN:
        return variant % 2 == 0
    if kind in NUMERIC_TYPES:
        low = field.min if field.min is not None else (field.max - 10 if field.max is not None else 0)
        high = field.max if field.max is not None else low + 1000
        value = low + ((variant * 7 + 3) % max(int(high - low) + 1, 1))
        if kind is FieldType.INTEGER:
            value = int(min(max(math.ceil(low), int(value)), math.floor(high)))
            return value
        value = min(max(float(value) + 0.5, low), high)
        return str(Decimal(str(value)).quantize(Decimal("0.01"))) if kind is FieldType.DECIMAL else value
    if kind is FieldType.DATE:
        return (dt.date(2024, 1, 1) + dt.timedelta(days=variant)).isoformat()
    if kind is FieldType.DATETIME:
        return (dt.datetime(2024, 1, 1, 12, 0, tzinfo=dt.UTC) + dt.timedelta(hours=variant)).isoformat().replace("+00:00", "Z")
    if kind is FieldType.UUID:
        return str(uuid.UUID(int=variant + 1))
    if kind is FieldType.EMAIL:
        return f"{field.name.replace('_', '.')}{variant}@example.com"
    if kind is FieldType.URL:
        return f"https://example.com/{field.name}/{variant}"
    if kind is FieldType.JSON:
        return {"key": f"value{variant}"}
    # string / text
    limit = field.effective_max_length or 1000
    if field.pattern:
        return _sample_for_pattern(field, variant)
    text = f"{field.name} {variant}"
    return text[:limit]


def _sample_for_pattern(field: FieldSpec, variant: int) -> str:
    """Find a short string matching the field's pattern; the spec author may say which with ``default``."""
    candidates = [
        f"{field.name}-{variant}", f"{field.name}{variant}", f"value-{variant}", f"v{variant}", str(variant),
        f"abc-{variant}", f"ABC{variant}", f"/{field.name}/{variant}", f"+1 555 {variant:07d}", f"{variant:08d}",
        "a", "A", "a1", "example.com", f"a{variant}@example.com",
    ]
    if isinstance(field.default, str):
        candidates.insert(0, field.default)
    for candidate in candidates:
        if re.search(field.pattern or "", candidate) and len(candidate) <= (field.effective_max_length or 1000):
            return candidate
    raise SpecError(
        f"field '{field.name}': cannot find a sample value matching pattern {field.pattern!r} for the generated tests; "
        f"give the field a 'default' that matches it"
    )
