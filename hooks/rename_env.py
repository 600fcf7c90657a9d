"""Update-time migration: rename settings in the owner's ``.env`` (``copier update`` never rewrites that file).

Usage: ``rename_env.py OLD=NEW [OLD=NEW ...]``, run in the project by a ``_migrations`` entry of copier.yml.
A value the owner set under the old name keeps working under the new one; a line already using the new name wins.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path


def rename(text: str, renames: dict[str, str]) -> tuple[str, list[str]]:
    """``text`` with each ``OLD=...`` line renamed to ``NEW=...``, and what was done (for the log)."""
    present = {match.group(1) for match in re.finditer(r"(?m)^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=", text)}
    done: list[str] = []
    lines = []
    for line in text.splitlines(keepends=True):
        match = re.match(r"(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_]*)(\s*=.*)", line, re.DOTALL)
        if match and match.group(2) in renames:
            old, new = match.group(2), renames[match.group(2)]
            if new in present:
                line = f"# {line.rstrip()}  (renamed to {new}, which is already set)\n"
                done.append(f"{old}: commented out, {new} is already set")
            else:
                line = f"{match.group(1)}{new}{match.group(3)}"
                done.append(f"{old} -> {new}")
        lines.append(line)
    return "".join(lines), done


def main(arguments: list[str]) -> int:
    renames = dict(argument.split("=", 1) for argument in arguments)
    env = Path(".env")
    if not env.is_file():
        return 0
    text, done = rename(env.read_text(), renames)
    if done:
        env.write_text(text)
        print(f"backend-squad: .env: {'; '.join(done)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
