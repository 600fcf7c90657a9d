"""Sample values that satisfy a field's constraints: the data the generated tests send."""

from __future__ import annotations

import datetime as dt
import math
import re
import string
import uuid
from decimal import Decimal
from re import _parser as sre_parse  # the stdlib's own regex parser (public as sre_parse before 3.11)
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
    if kind in (FieldType.EMAIL, FieldType.URL):
        return _sample_within_length(field, variant)
    if kind is FieldType.JSON:
        return {"key": f"value{variant}"}
    # string / text
    limit = field.effective_max_length or 1000
    if field.pattern:
        return _sample_for_pattern(field, variant)
    text = f"{field.name} {variant}"
    return text[:limit]


def sample_problem(field: FieldSpec) -> str | None:
    """Why the generated tests could not get sample values for ``field`` (``None`` when they can).

    ``load_spec`` calls this, so a spec that validates can always be designed.
    """
    from backend_squad.design import SAMPLE_COUNT  # design imports this module

    try:
        for variant in range(SAMPLE_COUNT):
            sample_scalar(field, variant)
    except _NoSample as exc:
        return exc.reason
    except (ArithmeticError, ValueError):
        # For example a decimal bound too large to round to cents: say so instead of a traceback.
        bounds = ", ".join(f"{name} {value:g}" for name, value in (("min", field.min), ("max", field.max)) if value is not None)
        return (f"the generated tests cannot compute a sample {field.type.value} within {bounds or 'its constraints'}; "
                f"write smaller bounds")
    return None


class _NoSample(SpecError):
    """No sample value fits the field; ``reason`` says why and what to write instead."""

    def __init__(self, field: FieldSpec, reason: str) -> None:
        super().__init__(f"field '{field.name}': {reason}")
        self.reason = reason


def _sample_within_length(field: FieldSpec, variant: int) -> str:
    """An e-mail address or URL, as descriptive as its max_length allows."""
    if field.type is FieldType.EMAIL:
        what = "e-mail addresses"
        forms = [lambda v: f"{field.name.replace('_', '.')}{v}@example.com", lambda v: f"u{v}@example.com"]
    else:
        what = "URLs"
        forms = [lambda v: f"https://example.com/{field.name}/{v}", lambda v: f"https://example.com/{v}"]
    limit = field.effective_max_length or 2048
    for form in forms:
        if len(form(variant)) <= limit:
            return form(variant)
    needed = len(forms[-1](10))  # the shortest form, for the two-digit sample rows
    raise _NoSample(field, f"max_length {limit} is too short for the sample {what} the generated tests send; "
                           f"use max_length: {needed} or more")


def _sample_for_pattern(field: FieldSpec, variant: int) -> str:
    """Find a short string matching the field's pattern; the spec author may say which with ``default``."""
    pattern = field.pattern or ""
    limit = field.effective_max_length or 1000
    varying = [
        f"{field.name}-{variant}", f"{field.name}{variant}", f"value-{variant}", f"v{variant}", str(variant),
        f"abc-{variant}", f"ABC{variant}", f"/{field.name}/{variant}", f"+1 555 {variant:07d}", f"{variant:08d}",
    ]
    fixed = ["a", "A", "a1", "example.com"]
    default = [field.default] if isinstance(field.default, str) else []
    if field.unique:
        # Every sample row of a unique field should differ: values built from the variant come first.
        candidates = [*varying, f"a{variant}@example.com", None, *default, *fixed]
    else:
        candidates = [*default, *varying, *fixed, f"a{variant}@example.com", None]
    for candidate in candidates:
        if candidate is None:  # the string built from the pattern itself
            candidate = sample_from_regex(pattern, variant, limit)
            if candidate is not None:
                return candidate
        elif re.search(pattern, candidate) and len(candidate) <= limit:
            return candidate
    within = f" in at most {limit} characters (max_length)" if field.max_length is not None else ""
    raise _NoSample(
        field,
        f"no sample value matching pattern {pattern!r}{within} could be found for the generated tests; "
        f"give the field a 'default' that matches the pattern (the tests then send it)",
    )


# --------------------------------------------------------------------------- strings generated from a regex

# Characters tried for classes and '.', in the order a person would expect to read them.
_POOL = string.ascii_lowercase + string.ascii_uppercase + string.digits + "-_. /:+@#()"


class _Unsupported(Exception):
    """The pattern uses a construct this small generator does not handle (backreferences, for example)."""


class _TooLong(Exception):
    """The text would exceed the length limit."""


def sample_from_regex(pattern: str, variant: int = 0, limit: int = 1000) -> str | None:
    """A string matching ``pattern`` built from its structure, or ``None``.

    Handles literals, character classes (ranges, ``\\d``, ``\\w``, ``\\s``, negation), ``.``, repeats, groups
    and alternatives; anchors and lookarounds emit nothing (the result is checked with ``re.search``).
    Each class position is a digit of ``variant`` (rightmost first), so the variants differ where they can.
    """
    try:
        parsed = sre_parse.parse(pattern)
    except re.error:
        return None
    for repeat in ("one", "min"):
        try:
            slots = _slots(list(parsed), repeat, limit)
        except _Unsupported:
            return None
        except _TooLong:
            continue
        # The preferred characters first; then the last ones (which may satisfy a lookahead such as (?=.*\d)).
        for order in (1, -1):
            chars = []
            rest = variant
            for choices in reversed(slots):
                rest, index = divmod(rest, len(choices))
                chars.append(choices[::order][index])
            text = "".join(reversed(chars))
            if re.search(pattern, text):
                return text
    return None


def _slots(items: list[tuple[Any, Any]], repeat: str, limit: int) -> list[str]:
    """One string of allowed characters per position of the generated text."""
    slots: list[str] = []
    for op, value in items:
        name = str(op)
        if name == "LITERAL":
            slots.append(chr(value))
        elif name == "NOT_LITERAL":
            slots.append(_choices(lambda ch, value=value: ch != chr(value)))
        elif name == "ANY":
            slots.append(_choices(lambda ch: ch != "\n"))
        elif name == "IN":
            slots.append(_class_choices(value))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = value
            count = min(max(low, 1), high) if repeat == "one" else low
            inner = _slots(list(sub), repeat, limit)
            if len(slots) + len(inner) * count > limit:
                raise _TooLong
            slots += inner * count
        elif name == "SUBPATTERN":
            slots += _slots(list(value[-1]), repeat, limit)
        elif name == "ATOMIC_GROUP":
            slots += _slots(list(value), repeat, limit)
        elif name == "BRANCH":
            for branch in value[1]:
                try:
                    slots += _slots(list(branch), repeat, limit)
                    break
                except (_Unsupported, _TooLong):
                    continue
            else:
                raise _Unsupported(name)
        elif name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue  # anchors and lookarounds take no characters; re.search checks the result
        else:
            raise _Unsupported(name)
        if len(slots) > limit:
            raise _TooLong
    return slots


def _choices(allowed: Any, extra: str = "") -> str:
    choices = "".join(dict.fromkeys(ch for ch in _POOL + extra if allowed(ch)))
    if not choices:
        raise _Unsupported("empty class")
    return choices


def _class_choices(items: list[tuple[Any, Any]]) -> str:
    negate = any(str(op) == "NEGATE" for op, _ in items)
    extra = ""
    tests = []
    for op, value in items:
        name = str(op)
        if name == "LITERAL":
            char = chr(value)
            extra += char
            tests.append(lambda ch, char=char: ch == char)
        elif name == "RANGE":
            low, high = value
            extra += "".join(chr(code) for code in range(low, min(high, low + 25) + 1))
            tests.append(lambda ch, low=low, high=high: low <= ord(ch) <= high)
        elif name == "CATEGORY":
            tests.append(_category(str(value)))
        elif name != "NEGATE":
            raise _Unsupported(name)
    if negate:
        extra = ""
    return _choices(lambda ch: any(test(ch) for test in tests) != negate, extra)


def _category(name: str) -> Any:
    base = name.removeprefix("CATEGORY_").removeprefix("NOT_")
    tests = {
        "DIGIT": lambda ch: ch.isdigit(),
        "WORD": lambda ch: ch.isalnum() or ch == "_",
        "SPACE": lambda ch: ch.isspace(),
    }
    if base not in tests:
        raise _Unsupported(name)
    test = tests[base]
    if "NOT_" in name:
        return lambda ch: not test(ch)
    return test
