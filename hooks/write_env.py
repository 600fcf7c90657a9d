"""Copy-only task: write ``.env`` from ``.env.example`` with a fresh random SECRET_KEY.

The secret never enters the answers file or git: ``.env`` is git-ignored and
``copier update`` skips it (``_skip_if_exists``).
"""

from __future__ import annotations

import secrets
import sys
from pathlib import Path


def main() -> int:
    example = Path(".env.example")
    target = Path(".env")
    if target.exists():
        return 0
    if not example.exists():
        print("write_env: .env.example is missing; nothing to do", file=sys.stderr)
        return 1
    lines = []
    for line in example.read_text().splitlines():
        if line.startswith("SECRET_KEY="):
            line = f"SECRET_KEY={secrets.token_urlsafe(48)}"
        lines.append(line)
    target.write_text("\n".join(lines) + "\n")
    target.chmod(0o600)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
