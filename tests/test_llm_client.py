"""The LLM client against a scripted OpenAI-compatible server on 127.0.0.1: answers, repairs, retries,
timeouts, the deadline, the json_schema fallback, the cache, concurrency, usage, offline, and the key."""

from __future__ import annotations

import asyncio
import json
import socket
import time
import traceback
from collections.abc import Iterator
from email.utils import formatdate
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, Field

from backend_squad.llm import (
    LLMCache,
    LLMClient,
    LLMDeadlineExceeded,
    LLMError,
    LLMOutputError,
    LLMSettings,
    LLMUnavailable,
    LLMUsage,
    Provider,
    cache_key,
    default_cache_dir,
)
from backend_squad.llm.retry import backoff_delay, parse_retry_after
from tests.llm_fake_server import (
    Behaviour,
    FakeLLMServer,
    answer,
    dropped,
    error,
    invalid_json,
    rate_limited,
    reject_json_schema,
    reject_response_format,
    server_error,
    slow,
)

KEY = "sk-test-VERYSECRET-0123456789abcdef"
PURPOSE = "api_architect: draft models"


class DraftField(BaseModel):
    name: str
    type: str


class Draft(BaseModel):
    title: str
    fields: list[DraftField] = Field(min_length=1)


GOOD = {"title": "Blog", "fields": [{"name": "body", "type": "text"}]}
OTHER = {"title": "Shop", "fields": [{"name": "price", "type": "decimal"}]}


def ask(text: str = "Draft a blog.") -> list[dict[str, str]]:
    return [{"role": "system", "content": "You design data models."}, {"role": "user", "content": text}]


@pytest.fixture
def server() -> Iterator[FakeLLMServer]:
    with FakeLLMServer() as fake:
        yield fake


class Harness:
    """A client on the fake server with fast backoff, a tmp cache and captured progress lines."""

    def __init__(self, server: FakeLLMServer, tmp_path: Path, **overrides: Any) -> None:
        options: dict[str, Any] = {
            "provider": Provider.OPENAI_COMPATIBLE, "model": "test-model", "base_url": server.url, "api_key": KEY,
            "backoff_seconds": 0.05, "max_backoff_seconds": 0.2, "timeout_seconds": 5.0, "deadline_seconds": 20.0,
            "cache_dir": tmp_path / "cache",
        }
        options.update(overrides)
        self.settings = LLMSettings(**options)
        self.lines: list[str] = []
        self.client = self.new_client()

    def new_client(self) -> LLMClient:
        return LLMClient(self.settings, progress=self.lines.append)

    def structured(self, messages: list[dict[str, str]] | None = None, model: type[BaseModel] = Draft) -> Any:
        async def go() -> Any:
            async with self.client as client:
                return await client.structured(messages or ask(), model, purpose=PURPOSE)

        return asyncio.run(go())


def test_structured_success_sends_schema_and_key_in_header(server: FakeLLMServer, tmp_path: Path) -> None:
    server.push(answer(GOOD, prompt_tokens=12, completion_tokens=8))
    h = Harness(server, tmp_path)
    result = h.structured()
    assert result == Draft.model_validate(GOOD)
    [request] = server.requests
    assert request.path == "/v1/chat/completions"
    assert request.headers["Authorization"] == f"Bearer {KEY}"
    assert request.body["model"] == "test-model"
    assert request.messages == ask()
    assert request.response_format == {
        "type": "json_schema",
        "json_schema": {"name": "Draft", "schema": Draft.model_json_schema(), "strict": False},
    }
    assert (h.client.usage.calls, h.client.usage.prompt_tokens, h.client.usage.completion_tokens) == (1, 12, 8)
    assert h.lines == [f"[ai] {PURPOSE}"]


def test_fenced_json_is_accepted_without_repair(server: FakeLLMServer, tmp_path: Path) -> None:
    server.push(answer(content=f"```json\n{json.dumps(GOOD)}\n```"))
    h = Harness(server, tmp_path)
    assert h.structured().title == "Blog"
    assert len(server.requests) == 1 and h.client.usage.repairs == 0


def test_invalid_json_is_repaired(server: FakeLLMServer, tmp_path: Path) -> None:
    bad = 'Here it is: {"title": "Blog", "fields": ['
    server.push(invalid_json(bad), answer(GOOD))
    h = Harness(server, tmp_path)
    assert h.structured().title == "Blog"
    first, second = server.requests
    assert second.messages[: len(first.messages)] == first.messages
    assert second.messages[-2] == {"role": "assistant", "content": bad}
    assert second.messages[-1]["role"] == "user" and "not valid JSON" in second.messages[-1]["content"]
    assert h.client.usage.repairs == 1
    assert f"[ai] {PURPOSE} (repair 1 of 2: invalid JSON)" in h.lines


def test_schema_invalid_answer_is_repaired_with_the_error_sent_back(server: FakeLLMServer, tmp_path: Path) -> None:
    server.push(answer({"title": "Blog", "fields": [{"name": "body"}]}), answer(GOOD))
    h = Harness(server, tmp_path)
    assert h.structured() == Draft.model_validate(GOOD)
    feedback = server.requests[1].messages[-1]["content"]
    assert "fields.0.type: Field required" in feedback
    assert "did not match the required JSON schema" in feedback


def test_repairs_exhausted_raise_output_error_and_cache_nothing(server: FakeLLMServer, tmp_path: Path) -> None:
    server.push(answer({"title": "x"}), invalid_json(), answer({"fields": []}))
    h = Harness(server, tmp_path)
    with pytest.raises(LLMOutputError) as caught:
        h.structured()
    assert len(server.requests) == 3  # the answer and max_repairs=2 repairs
    assert len(caught.value.problems) == 3
    assert "did not fit Draft after 3 tries" in str(caught.value)
    assert "title: Field required" in str(caught.value)
    assert not list((tmp_path / "cache").glob("*.json"))


def test_retry_after_is_honoured_on_429(server: FakeLLMServer, tmp_path: Path) -> None:
    server.push(rate_limited("1"), answer(GOOD))
    h = Harness(server, tmp_path)
    assert h.structured().title == "Blog"
    first, second = server.requests
    assert first.responded_at is not None
    assert second.received_at - first.responded_at >= 1.0
    assert h.client.usage.retries == 1 and h.client.usage.calls == 2
    assert any(line.startswith(f"[ai] {PURPOSE} (attempt 2, retry after 429") for line in h.lines)


def test_server_errors_are_retried(server: FakeLLMServer, tmp_path: Path) -> None:
    server.push(server_error(500), server_error(503), answer(GOOD))
    h = Harness(server, tmp_path)
    assert h.structured().title == "Blog"
    assert (h.client.usage.calls, h.client.usage.retries) == (3, 2)


def test_openrouter_style_error_in_a_200_and_dropped_connection_are_retried(
    server: FakeLLMServer, tmp_path: Path
) -> None:
    server.push(Behaviour(body={"error": {"code": 502, "message": "upstream provider failed"}}), dropped(),
                answer(GOOD))
    h = Harness(server, tmp_path)
    assert h.structured().title == "Blog"
    assert h.client.usage.retries == 2


def test_retries_exhausted_raise_unavailable(server: FakeLLMServer, tmp_path: Path) -> None:
    server.push(*[server_error(502)] * 3)
    h = Harness(server, tmp_path, max_attempts=3)
    with pytest.raises(LLMUnavailable, match="after 3 attempts"):
        h.structured()
    assert len(server.requests) == 3


def test_per_call_timeout_then_success(server: FakeLLMServer, tmp_path: Path) -> None:
    server.push(slow(3.0, answer(GOOD)), answer(GOOD))
    h = Harness(server, tmp_path, timeout_seconds=0.3)
    started = time.monotonic()
    assert h.structured().title == "Blog"
    assert time.monotonic() - started < 1.5
    assert h.client.usage.retries == 1 and len(server.requests) == 2
    assert any("retry after timeout" in line for line in h.lines)


def test_deadline_exceeded_is_raised_quickly_and_sticks(server: FakeLLMServer, tmp_path: Path) -> None:
    server.push(slow(5.0, answer(GOOD)))
    h = Harness(server, tmp_path, timeout_seconds=10.0, deadline_seconds=0.8)

    async def go() -> tuple[float, float]:
        async with h.client as client:
            started = time.monotonic()
            with pytest.raises(LLMDeadlineExceeded, match=r"time budget of 0\.8 s") as caught:
                await client.structured(ask(), Draft, purpose=PURPOSE)
            _assert_no_key(*_exception_texts(caught.value))
            first = time.monotonic() - started
            started = time.monotonic()
            with pytest.raises(LLMDeadlineExceeded):
                await client.structured(ask("another"), Draft, purpose=PURPOSE)
            return first, time.monotonic() - started

    first, second = asyncio.run(go())
    assert first < 1.3 and second < 0.1
    assert len(server.requests) == 1


def test_retry_after_beyond_the_deadline_fails_at_once(server: FakeLLMServer, tmp_path: Path) -> None:
    server.push(rate_limited("30"))
    h = Harness(server, tmp_path, deadline_seconds=3.0)
    started = time.monotonic()
    with pytest.raises(LLMDeadlineExceeded, match="asked to wait 30 s"):
        h.structured()
    assert time.monotonic() - started < 0.5
    assert len(server.requests) == 1


def test_json_schema_rejected_falls_back_to_json_object_for_good(server: FakeLLMServer, tmp_path: Path) -> None:
    server.push(reject_json_schema(), answer(GOOD), answer(OTHER))
    h = Harness(server, tmp_path)

    async def go() -> tuple[Draft, Draft]:
        async with h.client as client:
            first = await client.structured(ask(), Draft, purpose=PURPOSE)
            second = await client.structured(ask("Draft a shop."), Draft, purpose=PURPOSE)
            return first, second

    first, second = asyncio.run(go())
    assert (first.title, second.title) == ("Blog", "Shop")
    rejected, fallback, later = server.requests
    assert rejected.response_format["type"] == "json_schema"
    assert fallback.response_format == {"type": "json_object"}
    assert later.response_format == {"type": "json_object"}
    system = fallback.messages[0]
    assert system["role"] == "system" and system["content"].startswith("You design data models.")
    assert json.dumps(Draft.model_json_schema(), sort_keys=True) in system["content"]
    assert h.client.output_mode == "json_object"
    assert h.client.usage.retries == 0 and len(h.client.usage.fallbacks) == 1
    assert "json_object" in h.client.usage.fallbacks[0]


def test_no_response_format_at_all_falls_back_to_the_prompt(server: FakeLLMServer, tmp_path: Path) -> None:
    server.push(reject_json_schema(), reject_response_format(), answer(GOOD))
    h = Harness(server, tmp_path)
    assert h.structured().title == "Blog"
    assert server.requests[-1].response_format is None
    assert h.client.output_mode == "prompt"


def test_cache_hit_in_a_new_client_makes_no_request(server: FakeLLMServer, tmp_path: Path) -> None:
    server.push(answer(GOOD))
    h = Harness(server, tmp_path)
    first = h.structured()
    h.client = h.new_client()
    second = h.structured()
    assert first == second
    assert len(server.requests) == 1
    assert (h.client.usage.calls, h.client.usage.cache_hits) == (0, 1)
    assert h.lines[-1] == f"[ai] {PURPOSE} (cached)"
    [stored] = (tmp_path / "cache").glob("*.json")
    key = cache_key("openai_compatible", server.url, "test-model", ask(), Draft.model_json_schema())
    assert stored.name == f"{key}.json"
    assert json.loads(stored.read_text())["result"] == GOOD


def test_cache_key_depends_on_model_messages_and_schema(tmp_path: Path) -> None:
    base = cache_key("openrouter", "u", "m", ask(), {"a": 1})
    assert base == cache_key("openrouter", "u", "m", ask(), {"a": 1})
    assert len({base, cache_key("openrouter", "u", "m2", ask(), {"a": 1}),
                cache_key("openrouter", "u", "m", ask("x"), {"a": 1}),
                cache_key("openrouter", "u", "m", ask(), {"a": 2}),
                cache_key("openrouter", "u", "m", ask(), None)}) == 5
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / f"{base}.json").write_text("not json")
    assert LLMCache(tmp_path / "c").get(base) is None  # a corrupt file is a miss, not a failure


def test_text_is_plain_and_memoised(server: FakeLLMServer, tmp_path: Path) -> None:
    server.push(answer(content="Set STRIPE_SECRET_KEY, then run make dev."))
    h = Harness(server, tmp_path)

    async def go() -> list[str]:
        async with h.client as client:
            messages = [{"role": "user", "content": "Write the setup notes."}]
            return [await client.text(messages, purpose="docs: setup") for _ in range(2)]

    assert asyncio.run(go()) == ["Set STRIPE_SECRET_KEY, then run make dev."] * 2
    [request] = server.requests
    assert request.response_format is None
    assert h.client.usage.cache_hits == 1


def test_independent_calls_overlap(server: FakeLLMServer, tmp_path: Path) -> None:
    server.push(slow(0.5, answer(GOOD)), slow(0.5, answer(OTHER)))
    h = Harness(server, tmp_path)

    async def go() -> list[Draft]:
        async with h.client as client:
            return await asyncio.gather(
                client.structured(ask("one"), Draft, purpose="a"), client.structured(ask("two"), Draft, purpose="b")
            )

    started = time.monotonic()
    results = asyncio.run(go())
    assert time.monotonic() - started < 0.9
    assert {result.title for result in results} == {"Blog", "Shop"}
    first, second = sorted(server.requests, key=lambda request: request.received_at)
    assert first.responded_at is not None and second.received_at < first.responded_at
    assert h.client.usage.seconds < 0.9  # overlapping calls count once


def test_semaphore_limits_concurrent_requests(server: FakeLLMServer, tmp_path: Path) -> None:
    server.push(slow(0.3, answer(GOOD)), slow(0.3, answer(OTHER)))
    h = Harness(server, tmp_path, max_concurrency=1)

    async def go() -> None:
        async with h.client as client:
            await asyncio.gather(*(client.structured(ask(t), Draft, purpose=t) for t in ("one", "two")))

    asyncio.run(go())
    first, second = sorted(server.requests, key=lambda request: request.received_at)
    assert first.responded_at is not None and second.received_at >= first.responded_at


def _assert_no_key(*texts: str) -> None:
    for text in texts:
        assert KEY not in text
        assert "VERYSECRET" not in text


def _exception_texts(error: BaseException) -> list[str]:
    # Nothing is chained: an httpx exception would carry the request, and with it the Authorization header.
    assert error.__cause__ is None and error.__context__ is None
    return [str(error), repr(error), "".join(traceback.format_exception(error)),
            *(str(problem) for problem in getattr(error, "problems", []))]


def test_the_key_appears_nowhere_but_the_authorization_header(server: FakeLLMServer, tmp_path: Path) -> None:
    h = Harness(server, tmp_path, max_repairs=0)
    # The server echoes the key in an error; a model echoes it in an invalid answer.
    server.push(error(400, f"Invalid request made with key {KEY}"))
    with pytest.raises(LLMError) as rejected:
        h.structured(ask("one"))
    server.push(answer({"title": 5, "fields": KEY}))
    with pytest.raises(LLMOutputError) as invalid:
        h.structured(ask("two"))
    server.push(rate_limited("0"), answer(GOOD))
    h.structured(ask("three"))
    server.push(error(401, f"Incorrect API key provided: {KEY}"))
    with pytest.raises(LLMUnavailable) as refused:
        h.structured(ask("four"))

    assert all(request.headers["Authorization"] == f"Bearer {KEY}" for request in server.requests)
    assert "rejected the request (HTTP 400" in str(rejected.value)
    assert "refused the key (HTTP 401" in str(refused.value)
    for caught in (rejected, invalid, refused):
        _assert_no_key(*_exception_texts(caught.value))
    _assert_no_key(*h.lines, repr(h.settings), repr(h.client), h.client.usage.summary())
    files = list((tmp_path / "cache").rglob("*"))
    assert files
    _assert_no_key(*(path.read_text() for path in files if path.is_file()))


def test_offline_settings_never_call_the_server(server: FakeLLMServer, tmp_path: Path) -> None:
    env = {"OPENAI_API_KEY": KEY, "BACKEND_SQUAD_CACHE_DIR": str(tmp_path)}
    by_provider = LLMSettings.from_env(provider="offline", base_url=server.url, env=env)
    by_switch = LLMSettings.from_env(provider="openai_compatible", base_url=server.url,
                                     env=env | {"BACKEND_SQUAD_OFFLINE": "1"})
    for settings in (by_provider, by_switch):
        assert not settings.enabled and settings.provider is Provider.OFFLINE
        client = LLMClient(settings, progress=None)

        async def go(client: LLMClient = client) -> None:
            with pytest.raises(LLMUnavailable, match="the AI is off"):
                await client.structured(ask(), Draft, purpose=PURPOSE)
            with pytest.raises(LLMUnavailable):
                await client.text(ask(), purpose=PURPOSE)

        asyncio.run(go())
    assert "BACKEND_SQUAD_OFFLINE" in by_switch.disabled_reason
    assert server.requests == []


def test_usage_counts_calls_and_tokens(server: FakeLLMServer, tmp_path: Path) -> None:
    server.push(answer(GOOD, prompt_tokens=11, completion_tokens=7), answer(OTHER, prompt_tokens=13,
                                                                            completion_tokens=4))
    h = Harness(server, tmp_path)
    h.structured(ask("one"))
    h.structured(ask("two"))
    h.structured(ask("one"))  # memo hit
    usage = h.client.usage
    assert (usage.calls, usage.cache_hits, usage.prompt_tokens, usage.completion_tokens) == (2, 1, 24, 11)
    assert usage.total_tokens == 35 and usage.seconds > 0
    summary = usage.summary()
    assert summary.startswith("AI: 2 requests, 1 cache hit, 24 prompt + 11 completion tokens, ")
    assert "\n" not in summary
    assert LLMUsage(retries=2, fallbacks=["x"]).summary().endswith("2 retries; fallbacks: x")


def test_connection_refused_is_unavailable_and_remembered(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = LLMSettings(provider="openai_compatible", base_url=f"http://127.0.0.1:{port}/v1", model="m",
                           api_key=KEY, max_attempts=2, backoff_seconds=0.05, cache_dir=tmp_path)
    client = LLMClient(settings, progress=None)

    async def go() -> float:
        with pytest.raises(LLMUnavailable, match=r"cannot reach 127\.0\.0\.1") as caught:
            await client.structured(ask(), Draft, purpose=PURPOSE)
        _assert_no_key(*_exception_texts(caught.value))
        started = time.monotonic()
        with pytest.raises(LLMUnavailable, match="cannot reach"):
            await client.structured(ask("again"), Draft, purpose=PURPOSE)
        return time.monotonic() - started

    assert asyncio.run(go()) < 0.05
    assert client.usage.calls == 2 and not client.enabled


def test_settings_from_env() -> None:
    openrouter = LLMSettings.from_env(env={"OPENROUTER_API_KEY": KEY, "HOME": "/home/u"})
    assert (openrouter.provider, openrouter.base_url, openrouter.model) == (
        Provider.OPENROUTER, "https://openrouter.ai/api/v1", "openai/gpt-4o-mini")
    assert openrouter.api_key == KEY and openrouter.enabled
    assert KEY not in repr(openrouter) and "api_key=<set>" in repr(openrouter)

    chosen = LLMSettings.from_env(env={"OPENROUTER_API_KEY": KEY, "BACKEND_SQUAD_AI_MODEL": "anthropic/claude"})
    assert chosen.model == "anthropic/claude"
    assert LLMSettings.from_env(model="x/y", env={"OPENROUTER_API_KEY": KEY}).model == "x/y"

    local = LLMSettings.from_env(base_url="http://localhost:11434/v1/", env={})
    assert (local.provider, local.model, local.base_url, local.api_key) == (
        Provider.OPENAI_COMPATIBLE, "gpt-4o-mini", "http://localhost:11434/v1", None)
    assert local.enabled  # a local server needs no key

    openai = LLMSettings.from_env(provider="openai_compatible", env={})
    assert openai.base_url == "https://api.openai.com/v1" and not openai.enabled
    assert "OPENAI_API_KEY is not set" in openai.disabled_reason
    assert not LLMSettings.from_env(provider="openrouter", env={}).enabled

    nothing = LLMSettings.from_env(env={})
    assert nothing.provider is Provider.OFFLINE and "no AI key" in nothing.disabled_reason

    timed = LLMSettings.from_env(env={"OPENROUTER_API_KEY": KEY, "BACKEND_SQUAD_AI_TIMEOUT": "5",
                                      "BACKEND_SQUAD_AI_DEADLINE": "60"})
    assert (timed.timeout_seconds, timed.deadline_seconds) == (5.0, 60.0)
    with pytest.raises(ValueError, match="BACKEND_SQUAD_AI_TIMEOUT"):
        LLMSettings.from_env(env={"OPENROUTER_API_KEY": KEY, "BACKEND_SQUAD_AI_TIMEOUT": "soon"})
    with pytest.raises(ValueError, match="unknown AI provider 'anthropic'"):
        LLMSettings.from_env(provider="anthropic", env={})

    assert default_cache_dir({"BACKEND_SQUAD_CACHE_DIR": "/c"}) == Path("/c")
    assert default_cache_dir({"XDG_CACHE_HOME": "/x"}) == Path("/x/backend-squad/llm")
    assert default_cache_dir({}) == Path.home() / ".cache" / "backend-squad" / "llm"


def test_retry_after_parsing_and_backoff() -> None:
    assert parse_retry_after("2") == 2.0
    assert parse_retry_after("1.5") == 1.5
    assert parse_retry_after(None) is None and parse_retry_after("soon") is None
    now = time.time()
    assert parse_retry_after(formatdate(now + 10, usegmt=True), now=now) == pytest.approx(10, abs=1)
    assert parse_retry_after(formatdate(now - 10, usegmt=True), now=now) == 0.0
    delays = [backoff_delay(attempt, base=0.5, cap=4.0) for attempt in (1, 2, 3, 4, 5)]
    assert 0.25 <= delays[0] <= 0.5 and 1.0 <= delays[2] <= 2.0 and 2.0 <= delays[4] <= 4.0
