"""``LLMSettings``: which model to ask, where, with which key and limits — read from the environment.

Environment variables (the key is only ever read from here, never from answers or files):

- ``BACKEND_SQUAD_OFFLINE=1``      force offline, whatever else is set
- ``BACKEND_SQUAD_AI_PROVIDER``    ``openrouter`` | ``openai_compatible`` | ``offline``
- ``OPENROUTER_API_KEY``           key for OpenRouter (chosen by default when set)
- ``OPENAI_API_KEY``               key for an OpenAI-compatible server (optional for local servers)
- ``BACKEND_SQUAD_AI_BASE_URL``    base URL of an OpenAI-compatible server (also ``OPENAI_BASE_URL``)
- ``BACKEND_SQUAD_AI_MODEL``       model name (defaults below)
- ``BACKEND_SQUAD_AI_TIMEOUT``     seconds per request (30)
- ``BACKEND_SQUAD_AI_DEADLINE``    seconds for all of a client's requests together (120)
- ``BACKEND_SQUAD_CACHE_DIR``      directory of cached answers (default under the user cache directory)
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit

from backend_squad.llm.cache import default_cache_dir


class Provider(StrEnum):
    OPENROUTER = "openrouter"
    OPENAI_COMPATIBLE = "openai_compatible"
    OFFLINE = "offline"


OPENROUTER_BASE_URL = "https://openrouter.ai/api/v1"
OPENAI_BASE_URL = "https://api.openai.com/v1"
DEFAULT_MODELS = {
    Provider.OPENROUTER: "openai/gpt-4o-mini",
    Provider.OPENAI_COMPATIBLE: "gpt-4o-mini",
    Provider.OFFLINE: "",
}
KEY_VARIABLES = {Provider.OPENROUTER: "OPENROUTER_API_KEY", Provider.OPENAI_COMPATIBLE: "OPENAI_API_KEY"}
_TRUE = {"1", "true", "yes", "on"}
# Hosted services that always need a key (a local server such as Ollama needs none).
_HOSTS_NEEDING_KEYS = {"api.openai.com", "openrouter.ai"}


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in _TRUE


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name}={raw!r} is not a number of seconds above 0 (e.g. {name}={default:g})")
    return value


def parse_provider(value: str) -> Provider:
    try:
        return Provider(value.strip().lower().replace("-", "_"))
    except ValueError:
        choices = ", ".join(provider.value for provider in Provider)
        raise ValueError(f"unknown AI provider {value!r}: use one of {choices}") from None


@dataclass(frozen=True)
class LLMSettings:
    """Everything an ``LLMClient`` needs. ``repr`` never shows the key; ``enabled`` says whether AI is on.

    ``offline_reason`` explains why a provider-less setting is offline (e.g. the switch, or no key).
    """

    provider: Provider = Provider.OFFLINE
    model: str = ""
    base_url: str = ""
    api_key: str | None = field(default=None, repr=False)
    timeout_seconds: float = 30.0
    deadline_seconds: float = 120.0
    max_attempts: int = 4
    max_repairs: int = 2
    max_concurrency: int = 4
    backoff_seconds: float = 0.5
    max_backoff_seconds: float = 8.0
    temperature: float | None = 0.2
    max_tokens: int | None = None
    cache_dir: Path | None = None
    offline_reason: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "provider", parse_provider(str(self.provider)))
        object.__setattr__(self, "base_url", (self.base_url or "").rstrip("/"))
        object.__setattr__(self, "api_key", (self.api_key or "").strip() or None)
        for name in ("timeout_seconds", "deadline_seconds", "backoff_seconds", "max_backoff_seconds"):
            value = getattr(self, name)
            if not (isinstance(value, int | float) and math.isfinite(value) and value > 0):
                raise ValueError(f"LLMSettings.{name} must be a number of seconds above 0, not {value!r}")
        for name, least in (("max_attempts", 1), ("max_repairs", 0), ("max_concurrency", 1)):
            value = getattr(self, name)
            if not isinstance(value, int) or value < least:
                raise ValueError(f"LLMSettings.{name} must be a whole number of at least {least}, not {value!r}")
        if self.provider is not Provider.OFFLINE and not self.base_url:
            raise ValueError(f"provider {self.provider.value!r} needs a base URL (BACKEND_SQUAD_AI_BASE_URL)")

    def __repr__(self) -> str:
        key = "set" if self.api_key else "none"
        return (
            f"LLMSettings(provider={self.provider.value!r}, model={self.model!r}, base_url={self.base_url!r}, "
            f"api_key=<{key}>, timeout_seconds={self.timeout_seconds:g}, deadline_seconds={self.deadline_seconds:g}, "
            f"enabled={self.enabled})"
        )

    @property
    def needs_key(self) -> bool:
        """Whether the server is a hosted service that refuses requests without a key."""
        if self.provider is Provider.OPENROUTER:
            return True
        return (urlsplit(self.base_url).hostname or "").lower() in _HOSTS_NEEDING_KEYS

    @property
    def enabled(self) -> bool:
        """True when requests can be made: not offline, and a key is set where one is needed."""
        return self.provider is not Provider.OFFLINE and (self.api_key is not None or not self.needs_key)

    @property
    def disabled_reason(self) -> str:
        """Why ``enabled`` is False, in words for the person running the template ('' when enabled)."""
        if self.provider is Provider.OFFLINE:
            return self.offline_reason or "the AI provider is set to 'offline'"
        if not self.enabled:
            variable = KEY_VARIABLES[self.provider]
            return f"{variable} is not set (needed for {self.base_url})"
        return ""

    @classmethod
    def from_env(
        cls,
        provider: str | Provider | None = None,
        model: str | None = None,
        base_url: str | None = None,
        *,
        env: Mapping[str, str] | None = None,
    ) -> LLMSettings:
        """Settings from the environment (``env`` defaults to ``os.environ``); arguments win over variables.

        Without a provider: OpenRouter when ``OPENROUTER_API_KEY`` is set, an OpenAI-compatible server when
        a base URL or ``OPENAI_API_KEY`` is set, else offline. ``BACKEND_SQUAD_OFFLINE=1`` always wins.
        """
        env = os.environ if env is None else env
        cache_dir = default_cache_dir(env)

        def offline(reason: str) -> LLMSettings:
            return cls(provider=Provider.OFFLINE, cache_dir=cache_dir, offline_reason=reason)

        if _truthy(env.get("BACKEND_SQUAD_OFFLINE")):
            return offline("BACKEND_SQUAD_OFFLINE is set")
        chosen_url = base_url or env.get("BACKEND_SQUAD_AI_BASE_URL") or None
        if provider is not None:
            chosen = parse_provider(str(provider))
        elif env.get("BACKEND_SQUAD_AI_PROVIDER"):
            chosen = parse_provider(env["BACKEND_SQUAD_AI_PROVIDER"])
        elif chosen_url or env.get("OPENAI_BASE_URL"):
            chosen = Provider.OPENAI_COMPATIBLE
        elif env.get("OPENROUTER_API_KEY"):
            chosen = Provider.OPENROUTER
        elif env.get("OPENAI_API_KEY"):
            chosen = Provider.OPENAI_COMPATIBLE
        else:
            return offline("no AI key is set (OPENROUTER_API_KEY, or OPENAI_API_KEY / BACKEND_SQUAD_AI_BASE_URL)")
        if chosen is Provider.OFFLINE:
            return offline("the AI provider is set to 'offline'")

        if chosen is Provider.OPENROUTER:
            url = chosen_url or OPENROUTER_BASE_URL
        else:
            url = chosen_url or env.get("OPENAI_BASE_URL") or OPENAI_BASE_URL
        return cls(
            provider=chosen,
            model=model or env.get("BACKEND_SQUAD_AI_MODEL") or DEFAULT_MODELS[chosen],
            base_url=url,
            api_key=env.get(KEY_VARIABLES[chosen]) or None,
            timeout_seconds=_seconds(env, "BACKEND_SQUAD_AI_TIMEOUT", 30.0),
            deadline_seconds=_seconds(env, "BACKEND_SQUAD_AI_DEADLINE", 120.0),
            cache_dir=cache_dir,
        )
