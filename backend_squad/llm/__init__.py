"""The LLM client behind the AI hook: OpenAI-compatible chat completions, validated, cached, bounded in time.

Typical use::

    from backend_squad.llm import LLMClient, LLMError, LLMSettings

    async with LLMClient(LLMSettings.from_env()) as client:
        try:
            draft = await client.structured(messages, DraftModels, purpose="api_architect: draft models")
        except LLMError as error:
            ...  # keep the offline result and say why: str(error)
    print(client.usage.summary())
"""

from backend_squad.llm.cache import LLMCache, cache_key, default_cache_dir
from backend_squad.llm.errors import LLMDeadlineExceeded, LLMError, LLMOutputError, LLMUnavailable
from backend_squad.llm.settings import DEFAULT_MODELS, OPENROUTER_BASE_URL, LLMSettings, Provider
from backend_squad.llm.usage import LLMUsage

__all__ = [
    "DEFAULT_MODELS", "OPENROUTER_BASE_URL", "LLMCache", "LLMClient", "LLMDeadlineExceeded", "LLMError",
    "LLMOutputError", "LLMSettings", "LLMUnavailable", "LLMUsage", "Provider", "cache_key", "default_cache_dir",
    "print_progress",
]


def __getattr__(name: str) -> object:
    """The client needs httpx; importing it lazily lets an offline render run with only Copier's dependencies."""
    if name in ("LLMClient", "print_progress"):
        from backend_squad.llm import client

        return getattr(client, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
