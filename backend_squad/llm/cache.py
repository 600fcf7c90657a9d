"""``LLMCache``: validated answers kept by a hash of what was asked, in memory and as JSON files on disk.

Repeated renders in one run and re-runs of ``copier copy`` cost nothing. Only results that passed
validation are stored; a file holds the result and a little metadata — never messages, URLs or keys.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

CACHE_FORMAT = 1


def default_cache_dir(env: Mapping[str, str] | None = None) -> Path:
    """``$BACKEND_SQUAD_CACHE_DIR``, else ``$XDG_CACHE_HOME/backend-squad/llm``, else ``~/.cache/backend-squad/llm``."""
    env = os.environ if env is None else env
    if env.get("BACKEND_SQUAD_CACHE_DIR"):
        return Path(env["BACKEND_SQUAD_CACHE_DIR"]).expanduser()
    root = Path(env["XDG_CACHE_HOME"]).expanduser() if env.get("XDG_CACHE_HOME") else Path.home() / ".cache"
    return root / "backend-squad" / "llm"


def cache_key(
    provider: str,
    base_url: str,
    model: str,
    messages: Sequence[Mapping[str, Any]],
    schema: Mapping[str, Any] | None,
) -> str:
    """sha256 (hex) of the canonical JSON of (provider, base_url, model, messages, schema)."""
    payload = json.dumps(
        [provider, base_url, model, [dict(message) for message in messages], schema],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class LLMCache:
    """A memo dict in front of a directory of ``<key>.json`` files (``directory=None``: memory only).

    Disk problems (unwritable directory, corrupt file) never fail a call: they count as a miss.
    """

    def __init__(self, directory: Path | str | None) -> None:
        self.directory = Path(directory) if directory is not None else None
        self._memo: dict[str, Any] = {}

    def __repr__(self) -> str:
        return f"LLMCache(directory={str(self.directory) if self.directory else None!r}, memo={len(self._memo)})"

    def _path(self, key: str) -> Path | None:
        return self.directory / f"{key}.json" if self.directory is not None else None

    def get(self, key: str) -> Any | None:
        """The stored result for ``key`` (JSON data), or ``None``."""
        if key in self._memo:
            return self._memo[key]
        path = self._path(key)
        if path is None:
            return None
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(record, dict) or record.get("format") != CACHE_FORMAT or "result" not in record:
            return None
        self._memo[key] = record["result"]
        return record["result"]

    def put(self, key: str, result: Any, *, model: str = "", purpose: str = "", kind: str = "structured") -> None:
        """Keep ``result`` (JSON data) under ``key``, in memory and, best effort, on disk (atomically)."""
        self._memo[key] = result
        path = self._path(key)
        if path is None:
            return
        record = {
            "format": CACHE_FORMAT,
            "kind": kind,
            "model": model,
            "purpose": purpose,
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "result": result,
        }
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{key[:16]}-", suffix=".tmp")
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as stream:
                    json.dump(record, stream, ensure_ascii=False, indent=1)
                os.replace(temporary, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise
        except OSError:
            pass  # a cache that cannot be written is only a slower run

    def forget(self, key: str) -> None:
        """Drop ``key`` from memory and disk (used when a stored result no longer validates)."""
        self._memo.pop(key, None)
        path = self._path(key)
        if path is not None:
            with contextlib.suppress(OSError):
                path.unlink()
