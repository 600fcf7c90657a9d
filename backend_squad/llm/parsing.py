"""Reading a model's answer as JSON and explaining what is wrong with it, to the model and to a person."""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import ValidationError

_FENCE = re.compile(r"^\s*```[A-Za-z0-9_-]*\s*\n?(.*?)\n?\s*```\s*$", re.DOTALL)


class InvalidJSON(ValueError):
    """The answer holds no parseable JSON value; the message says where parsing failed."""


def extract_json(content: str | None) -> str:
    """The JSON text in a model's answer, with ```json fences and surrounding prose removed.

    Returns text that ``json.loads`` accepts, or raises ``InvalidJSON``.
    """
    if content is None or not content.strip():
        raise InvalidJSON("the answer was empty")
    text = content.strip()
    fenced = _FENCE.match(text)
    if fenced:
        text = fenced.group(1).strip()
    try:
        json.loads(text)
        return text
    except json.JSONDecodeError as first_error:
        # Prose around the object ("Here is the JSON: {...}"): decode from the first brace or bracket.
        decoder = json.JSONDecoder()
        for match in re.finditer(r"[\[{]", text):
            try:
                _, end = decoder.raw_decode(text, match.start())
            except json.JSONDecodeError:
                continue
            return text[match.start() : end]
        raise InvalidJSON(f"{first_error.msg} at line {first_error.lineno}, column {first_error.colno}") from None


def describe_validation_error(error: ValidationError, *, limit: int = 20) -> str:
    """The validation errors as ``- path: message`` lines (without pydantic's documentation links)."""
    lines = []
    problems = error.errors(include_url=False)
    for problem in problems[:limit]:
        location = ".".join(str(part) for part in problem.get("loc", ())) or "(the whole object)"
        line = f"- {location}: {problem.get('msg', 'invalid')}"
        if problem.get("type") not in {"missing"} and "input" in problem:
            shown = json.dumps(problem["input"], default=str, ensure_ascii=False)
            if len(shown) > 80:
                shown = shown[:77] + "..."
            line += f" (got {shown})"
        lines.append(line)
    if len(problems) > limit:
        lines.append(f"- ... and {len(problems) - limit} more")
    return "\n".join(lines)


def repair_request(problem: str, *, invalid_json: bool) -> str:
    """The user message that sends a problem back to the model."""
    if invalid_json:
        return (
            f"Your previous answer was not valid JSON ({problem}). "
            "Reply again with exactly one JSON object, with no prose and no code fences."
        )
    return (
        "Your previous answer did not match the required JSON schema:\n"
        f"{problem}\n"
        "Reply again with the corrected JSON object only, with no prose and no code fences."
    )


def schema_instruction(schema: dict[str, Any]) -> str:
    """The system-prompt text that asks for JSON matching ``schema`` when the server cannot enforce it."""
    return (
        "Answer with exactly one JSON object, with no prose and no code fences, "
        "that validates against this JSON schema:\n"
        + json.dumps(schema, ensure_ascii=False, sort_keys=True)
    )


def with_schema_instruction(messages: list[dict[str, Any]], schema: dict[str, Any]) -> list[dict[str, Any]]:
    """``messages`` with the schema instruction appended to the first system message (or a new one in front)."""
    instruction = schema_instruction(schema)
    result = [dict(message) for message in messages]
    if result and result[0].get("role") == "system" and isinstance(result[0].get("content"), str):
        result[0]["content"] = f"{result[0]['content']}\n\n{instruction}"
    else:
        result.insert(0, {"role": "system", "content": instruction})
    return result
