"""``LLMUsage``: what the AI cost in one run — requests, cache hits, tokens, time, retries, fallbacks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


def _count(number: int, noun: str, plural: str | None = None) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {plural or noun + 's'}"


@dataclass
class LLMUsage:
    """Counters a client updates as it works; several clients may share one instance.

    ``calls`` counts HTTP requests actually sent (a cache hit is not a call); ``seconds`` is the
    wall-clock time during which at least one call was in progress (concurrent calls count once).
    """

    calls: int = 0
    cache_hits: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    retries: int = 0
    repairs: int = 0
    fallbacks: list[str] = field(default_factory=list)

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def add_tokens(self, usage: Mapping[str, Any] | None) -> None:
        """Add the ``usage`` object of a chat-completions response (missing or odd values count as 0)."""
        if not isinstance(usage, Mapping):
            return
        for name in ("prompt_tokens", "completion_tokens"):
            value = usage.get(name)
            if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                setattr(self, name, getattr(self, name) + value)

    def note_fallback(self, description: str) -> None:
        """Record a fallback once (e.g. 'json_schema not supported: json_object used')."""
        if description not in self.fallbacks:
            self.fallbacks.append(description)

    def summary(self) -> str:
        """One line for the end of a run."""
        parts = [
            _count(self.calls, "request"),
            _count(self.cache_hits, "cache hit"),
            f"{self.prompt_tokens} prompt + {self.completion_tokens} completion tokens",
            f"{self.seconds:.1f} s",
        ]
        if self.retries:
            parts.append(_count(self.retries, "retry", "retries"))
        if self.repairs:
            parts.append(_count(self.repairs, "repair"))
        line = "AI: " + ", ".join(parts)
        if self.fallbacks:
            line += "; fallbacks: " + "; ".join(self.fallbacks)
        return line
