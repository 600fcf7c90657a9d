"""Marked code slots: find them, check model-written bodies, and write them in or put the offline body back.

A slot is the body between ``# >>> backend-squad slot Model.action`` and ``# <<< backend-squad slot
Model.action`` in ``app/actions/<module>.py``. Only those lines ever change.
"""

from __future__ import annotations

import ast
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

# Code a model writes into a slot runs in the owner's tests and server: it may use the session and
# the row, not the machine. Anything reaching for processes, files, the network or dynamic code is refused.
FORBIDDEN_NAMES = frozenset({
    "os", "sys", "subprocess", "shutil", "socket", "pathlib", "importlib", "builtins", "ctypes", "pickle",
    "eval", "exec", "compile", "open", "__import__", "globals", "locals", "getattr", "setattr", "delattr",
    "input", "breakpoint", "httpx", "requests", "urllib",
})
SLOT = re.compile(
    r"(?P<indent>[ \t]*)# >>> backend-squad slot (?P<slot>[\w.]+)\n(?P<body>.*?)(?P=indent)# <<< backend-squad slot (?P=slot)",
    re.DOTALL,
)


@dataclass(frozen=True)
class Slot:
    slot_id: str
    path: Path
    body: str


def find_slots(path: Path) -> list[Slot]:
    return [Slot(m["slot"], path, m["body"]) for m in SLOT.finditer(path.read_text())]


def check_body(body: str) -> str | None:
    """Why ``body`` cannot go into a slot, or None when it may (it still has to pass lint and tests)."""
    source = "async def _slot(item, session, principal):\n" + textwrap.indent(textwrap.dedent(body), "    ")
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        return f"does not parse: {error.msg} (line {error.lineno})"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            modules = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            if any(module.split(".")[0] in FORBIDDEN_NAMES for module in modules):
                return f"imports a forbidden module ({', '.join(modules)})"
        if isinstance(node, ast.Name) and node.id in FORBIDDEN_NAMES:
            return f"uses '{node.id}', which slot code may not touch"
        if isinstance(node, ast.Attribute) and node.attr.startswith("__"):
            return f"uses the dunder attribute '{node.attr}'"
    if not body.strip():
        return "is empty"
    return None


def replace_body(path: Path, slot_id: str, body: str) -> str:
    """Write ``body`` into the slot (indented to the markers) and return the body it replaced."""
    text = path.read_text()
    for match in SLOT.finditer(text):
        if match["slot"] == slot_id:
            indent = match["indent"]
            new_body = textwrap.indent(textwrap.dedent(body).strip("\n"), indent) + "\n"
            start, end = match.span("body")
            path.write_text(text[:start] + new_body + text[end:])
            return match["body"]
    raise KeyError(f"no slot {slot_id} in {path}")
