"""``LLMClient``: OpenAI-compatible chat completions over httpx, made dependable for a template run.

- ``await client.structured(messages, Model, purpose=...)`` returns a validated ``Model``: the server is asked
  for JSON matching ``Model``'s JSON schema (``response_format`` ``json_schema``; if the server rejects that,
  ``json_object`` plus the schema in the system message, then the prompt alone — remembered for the client's
  life); an invalid answer is sent back with the error for ``max_repairs`` repairs, then ``LLMOutputError``.
- ``await client.text(messages, purpose=...)`` returns plain text.
- Retries with exponential backoff and jitter on 429/5xx/timeouts/connection errors, honouring
  ``Retry-After``; a per-request timeout; an overall deadline (counted from the first request) after which
  ``LLMDeadlineExceeded`` is raised at once; at most ``max_concurrency`` requests in flight.
- Validated results are cached (memory + JSON files); a hit sends nothing.
- The key travels only in the ``Authorization`` header: it is scrubbed from every message and progress line.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import re
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx
from pydantic import BaseModel, ValidationError

from backend_squad.llm.cache import LLMCache, cache_key
from backend_squad.llm.errors import LLMDeadlineExceeded, LLMError, LLMOutputError, LLMUnavailable
from backend_squad.llm.parsing import (
    InvalidJSON,
    describe_validation_error,
    extract_json,
    repair_request,
    with_schema_instruction,
)
from backend_squad.llm.redact import scrub, shorten
from backend_squad.llm.retry import backoff_delay, is_retryable_status, parse_retry_after
from backend_squad.llm.settings import KEY_VARIABLES, LLMSettings, Provider
from backend_squad.llm.usage import LLMUsage

T = TypeVar("T", bound=BaseModel)
Message = Mapping[str, Any]
ProgressFn = Callable[[str], None]

# A request is not started with less time than this left before the deadline: it could not finish.
MIN_REQUEST_SECONDS = 0.5
# Output modes, most to least strict; a server that rejects one moves the client to the next for good.
FORMAT_MODES = ("json_schema", "json_object", "prompt")
_FORMAT_WORDS = ("response_format", "response format", "json_schema", "json schema", "json_object",
                 "structured output", "structured_output", "guided_json")


def print_progress(line: str) -> None:
    """The default progress sink: one line on stderr."""
    print(line, file=sys.stderr, flush=True)


class _FormatRejected(Exception):
    """The server refused the ``response_format`` it was sent (HTTP 400/422 naming it)."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class LLMClient:
    """A chat-completions client for one provider/model; safe to share between concurrent calls.

    Use it as ``async with LLMClient(settings) as client: ...`` (or call ``await client.aclose()``).
    ``progress`` receives short lines such as ``[ai] api_architect: draft models (attempt 2, retry after 429)``;
    pass ``None`` for silence. ``usage`` may be shared between clients to report a whole run.
    ``transport`` is an optional ``httpx.AsyncBaseTransport`` (tests, proxies).
    """

    def __init__(
        self,
        settings: LLMSettings | None = None,
        *,
        progress: ProgressFn | None = print_progress,
        cache: LLMCache | None = None,
        usage: LLMUsage | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.settings = settings if settings is not None else LLMSettings.from_env()
        self.usage = usage if usage is not None else LLMUsage()
        self.cache = cache if cache is not None else LLMCache(self.settings.cache_dir)
        self._progress_sink = progress
        self._transport = transport
        self._format = FORMAT_MODES[0]
        self._deadline_at: float | None = None
        self._unavailable: str | None = None  # a reason that will not change (refused key, unreachable server)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._http: httpx.AsyncClient | None = None
        self._semaphore: asyncio.Semaphore | None = None
        self._active = 0
        self._active_since = 0.0
        self._rng = random.Random()

    def __repr__(self) -> str:
        return f"LLMClient({self.settings!r}, output_mode={self._format!r})"

    # -- public API ------------------------------------------------------------------------------------

    @property
    def enabled(self) -> bool:
        """Whether calls can reach a model (False offline, without a needed key, or after a lasting failure)."""
        return self.settings.enabled and self._unavailable is None

    @property
    def output_mode(self) -> str:
        """``json_schema``, ``json_object`` or ``prompt``: how structured output is currently requested."""
        return self._format

    def remaining_seconds(self) -> float:
        """Seconds left before the overall deadline (the full budget until the first request)."""
        if self._deadline_at is None:
            return self.settings.deadline_seconds
        return self._deadline_at - time.monotonic()

    async def structured(self, messages: Sequence[Message], output_model: type[T], *, purpose: str) -> T:
        """Ask for JSON matching ``output_model`` and return it validated (from the cache when possible).

        Raises ``LLMUnavailable``, ``LLMDeadlineExceeded``, ``LLMOutputError`` (all ``LLMError``).
        """
        self._check_available(purpose)
        settings = self.settings
        conversation = _normalise(messages)
        schema = output_model.model_json_schema()
        key = cache_key(settings.provider.value, settings.base_url, settings.model, conversation, schema)
        cached = self.cache.get(key)
        if cached is not None:
            try:
                result = output_model.model_validate_json(json.dumps(cached))
            except ValidationError:
                self.cache.forget(key)  # stored under an older version of the model's validators
            else:
                self.usage.cache_hits += 1
                self._report(purpose, "cached")
                return result

        name = re.sub(r"[^A-Za-z0-9_-]", "_", output_model.__name__)[:64] or "answer"
        problems: list[str] = []
        with self._timed():
            self._report(purpose)
            for round_ in range(settings.max_repairs + 1):
                content = await self._chat(conversation, purpose, schema=schema, schema_name=name)
                try:
                    text = extract_json(content)
                    result = output_model.model_validate_json(text)
                except InvalidJSON as error:
                    problem, invalid_json = str(error), True
                except ValidationError as error:
                    problem, invalid_json = describe_validation_error(error), False
                else:
                    self.cache.put(key, json.loads(text), model=settings.model, purpose=purpose)
                    return result
                problems.append(self._scrub(problem))
                if round_ == settings.max_repairs:
                    break
                self.usage.repairs += 1
                kind = "invalid JSON" if invalid_json else "schema mismatch"
                self._report(purpose, f"repair {round_ + 1} of {settings.max_repairs}: {kind}")
                conversation = [
                    *conversation,
                    {"role": "assistant", "content": content or ""},
                    {"role": "user", "content": repair_request(problem, invalid_json=invalid_json)},
                ]
        tries = settings.max_repairs + 1
        raise LLMOutputError(
            f"{purpose}: the model's answer did not fit {output_model.__name__} "
            f"after {tries} {'try' if tries == 1 else 'tries'}; the last problem was:\n{problems[-1]}",
            problems,
        )

    async def text(self, messages: Sequence[Message], *, purpose: str) -> str:
        """Ask for plain text (e.g. narrative docs) and return it (from the cache when possible)."""
        self._check_available(purpose)
        settings = self.settings
        conversation = _normalise(messages)
        key = cache_key(settings.provider.value, settings.base_url, settings.model, conversation, None)
        cached = self.cache.get(key)
        if isinstance(cached, str) and cached:
            self.usage.cache_hits += 1
            self._report(purpose, "cached")
            return cached
        with self._timed():
            self._report(purpose)
            content = await self._chat(conversation, purpose, schema=None, schema_name="")
        if not content or not content.strip():
            raise LLMOutputError(f"{purpose}: the model returned an empty answer", ["empty answer"])
        self.cache.put(key, content, model=settings.model, purpose=purpose, kind="text")
        return content

    async def aclose(self) -> None:
        """Close the connection pool (safe to call twice; the client can still be used afterwards)."""
        http, self._http = self._http, None
        if http is not None and self._loop is asyncio.get_running_loop():
            await http.aclose()

    async def __aenter__(self) -> LLMClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # -- one chat completion, with the output-mode fallback ----------------------------------------------

    async def _chat(
        self, conversation: list[dict[str, Any]], purpose: str, *, schema: dict[str, Any] | None, schema_name: str
    ) -> str | None:
        while True:
            mode = self._format if schema is not None else "text"
            body: dict[str, Any] = {"model": self.settings.model, "messages": conversation}
            if self.settings.temperature is not None:
                body["temperature"] = self.settings.temperature
            if self.settings.max_tokens is not None:
                body["max_tokens"] = self.settings.max_tokens
            if schema is not None and mode == "json_schema":
                body["response_format"] = {
                    "type": "json_schema",
                    "json_schema": {"name": schema_name, "schema": schema, "strict": False},
                }
            elif schema is not None:
                body["messages"] = with_schema_instruction(conversation, schema)
                if mode == "json_object":
                    body["response_format"] = {"type": "json_object"}
            try:
                data = await self._send(body, purpose)
            except _FormatRejected as rejected:
                if self._format == mode:  # another concurrent call may already have moved on
                    self._format = FORMAT_MODES[FORMAT_MODES.index(mode) + 1]
                    host = _host(self.settings.base_url)
                    self.usage.note_fallback(
                        f"{host} rejected response_format {mode} (HTTP {rejected.status}) for "
                        f"{self.settings.model}: using {self._format}"
                    )
                    self._report(purpose, f"{mode} not supported, using {self._format}")
                continue
            return _content(data)

    # -- one HTTP exchange, with retries -----------------------------------------------------------------

    async def _send(self, body: dict[str, Any], purpose: str) -> dict[str, Any]:
        settings = self.settings
        url = f"{settings.base_url}/chat/completions"
        host = _host(settings.base_url)
        headers = {"Accept": "application/json"}
        if settings.api_key:
            headers["Authorization"] = f"Bearer {settings.api_key}"
        if settings.provider is Provider.OPENROUTER:
            headers["X-Title"] = "Backend Squad"
        if self._deadline_at is None:
            self._deadline_at = time.monotonic() + settings.deadline_seconds
        http, semaphore = self._pool()

        last_failure = ""
        for attempt in range(1, settings.max_attempts + 1):
            self._check_available(purpose)
            remaining = self._require_time(purpose, f"before a request to {host}")
            if not await self._acquire(semaphore, remaining):
                raise self._deadline_error(purpose, "while waiting for a free connection slot")
            retry_after: float | None = None
            try:
                remaining = self._require_time(purpose, f"before a request to {host}")
                limit = min(settings.timeout_seconds, remaining)
                self.usage.calls += 1
                outcome = await self._post(http, url, body, headers, limit)
            finally:
                semaphore.release()
            # Errors are raised here, outside any ``except``: no httpx exception (whose request object
            # holds the Authorization header) is chained to them.
            if isinstance(outcome, httpx.Response):
                judged = self._judge(outcome, body, purpose, host)
                if isinstance(judged, dict):
                    return judged
                failure, short, retry_after = judged
            elif outcome[0] == "timeout":
                if limit < settings.timeout_seconds:
                    raise self._deadline_error(purpose, f"while waiting for {host}")
                failure, short = f"no answer within {limit:g} s", "timeout"
            elif outcome[0] == "bad url":
                self._unavailable = f"the AI base URL {settings.base_url!r} is not a usable http(s) URL"
                raise LLMUnavailable(self._scrub(f"{purpose}: {self._unavailable}"))
            else:
                failure, short = f"connection error: {self._scrub(outcome[1])}", "connection error"

            last_failure = failure
            if attempt == settings.max_attempts:
                break
            delay = retry_after if retry_after is not None else backoff_delay(
                attempt, base=settings.backoff_seconds, cap=settings.max_backoff_seconds, rng=self._rng
            )
            if delay > self.remaining_seconds() - MIN_REQUEST_SECONDS:
                wait = f"{host} asked to wait {delay:.0f} s" if retry_after is not None else f"after {failure}"
                raise self._deadline_error(purpose, f"({wait})")
            self.usage.retries += 1
            self._report(purpose, f"attempt {attempt + 1}, retry after {short}, wait {delay:.1f} s")
            await asyncio.sleep(delay)

        message = f"{purpose}: {host} did not answer usefully after {settings.max_attempts} attempts ({last_failure})"
        if last_failure.startswith("connection error"):
            self._unavailable = f"cannot reach {host} ({last_failure}); is the server running?"
            message = f"{purpose}: {self._unavailable}"
        raise LLMUnavailable(self._scrub(message))

    @staticmethod
    async def _acquire(semaphore: asyncio.Semaphore, within: float) -> bool:
        try:
            async with asyncio.timeout(within):
                await semaphore.acquire()
        except TimeoutError:
            return False
        return True

    @staticmethod
    async def _post(
        http: httpx.AsyncClient, url: str, body: dict[str, Any], headers: dict[str, str], limit: float
    ) -> httpx.Response | tuple[str, str]:
        """The response, or ``("timeout" | "bad url" | "connection", detail)``; never raises httpx errors."""
        try:
            async with asyncio.timeout(limit):
                return await http.post(url, json=body, headers=headers, timeout=limit)
        except (TimeoutError, httpx.TimeoutException):
            return ("timeout", "")
        except (httpx.UnsupportedProtocol, httpx.InvalidURL):
            return ("bad url", "")
        except httpx.TransportError as error:
            return ("connection", str(error) or type(error).__name__)

    def _judge(
        self, response: httpx.Response, body: dict[str, Any], purpose: str, host: str
    ) -> dict[str, Any] | tuple[str, str, float | None]:
        """The response JSON when usable, a retryable failure ``(description, short, retry_after)``, or raise."""
        status = response.status_code
        data: Any = None
        with contextlib.suppress(ValueError):
            data = response.json()
        if status == 200:
            if isinstance(data, dict) and data.get("error") and not data.get("choices"):
                # OpenRouter reports upstream failures as 200 with an error object.
                error = data["error"] if isinstance(data["error"], dict) else {"message": str(data["error"])}
                code = error.get("code")
                status = code if isinstance(code, int) and 400 <= code <= 599 else 502
            elif isinstance(data, dict) and _has_message(data):
                self.usage.add_tokens(data.get("usage"))
                return data
            else:
                return ("an answer that is not a chat completion", "malformed answer", None)

        detail = self._scrub(shorten(_error_text(data, response)))
        if is_retryable_status(status):
            return (f"HTTP {status}: {detail}", str(status), parse_retry_after(response.headers.get("Retry-After")))
        if status in (400, 422) and "response_format" in body:
            lowered = (response.text or "").lower()
            if any(word in lowered for word in _FORMAT_WORDS):
                raise _FormatRejected(status)
        if status in (401, 403):
            variable = KEY_VARIABLES.get(self.settings.provider, "the API key")
            self._unavailable = f"{host} refused the key (HTTP {status}: {detail}); check {variable}"
            raise LLMUnavailable(f"{purpose}: {self._unavailable}")
        if status == 404:
            self._unavailable = (
                f"{host} has no such model or endpoint (HTTP 404: {detail}); check BACKEND_SQUAD_AI_MODEL "
                f"({self.settings.model!r}) and BACKEND_SQUAD_AI_BASE_URL ({self.settings.base_url!r})"
            )
            raise LLMUnavailable(f"{purpose}: {self._unavailable}")
        raise LLMError(f"{purpose}: {host} rejected the request (HTTP {status}: {detail})")

    # -- helpers -------------------------------------------------------------------------------------------

    def _pool(self) -> tuple[httpx.AsyncClient, asyncio.Semaphore]:
        """The connection pool and semaphore of the running event loop (each ``asyncio.run`` gets new ones)."""
        loop = asyncio.get_running_loop()
        if self._http is None or self._semaphore is None or self._loop is not loop:
            self._loop = loop
            self._http = httpx.AsyncClient(transport=self._transport, timeout=self.settings.timeout_seconds)
            self._semaphore = asyncio.Semaphore(self.settings.max_concurrency)
        return self._http, self._semaphore

    def _check_available(self, purpose: str) -> None:
        if not self.settings.enabled:
            raise LLMUnavailable(f"{purpose}: the AI is off: {self.settings.disabled_reason}")
        if self._unavailable is not None:
            raise LLMUnavailable(f"{purpose}: {self._unavailable}")

    def _require_time(self, purpose: str, where: str) -> float:
        remaining = self.remaining_seconds()
        if remaining < MIN_REQUEST_SECONDS:
            raise self._deadline_error(purpose, where)
        return remaining

    def _deadline_error(self, purpose: str, detail: str) -> LLMDeadlineExceeded:
        return LLMDeadlineExceeded(self._scrub(
            f"{purpose}: the AI time budget of {self.settings.deadline_seconds:g} s is used up {detail}; "
            "set BACKEND_SQUAD_AI_DEADLINE to allow more"
        ))

    def _scrub(self, text: str) -> str:
        return scrub(text, [self.settings.api_key])

    def _report(self, purpose: str, detail: str | None = None) -> None:
        if self._progress_sink is None:
            return
        line = f"[ai] {purpose}" + (f" ({detail})" if detail else "")
        with contextlib.suppress(Exception):  # progress is cosmetic: it never fails a call
            self._progress_sink(self._scrub(line))

    @contextlib.contextmanager
    def _timed(self) -> Iterator[None]:
        """Add wall-clock time to ``usage.seconds`` while at least one call is in progress."""
        if self._active == 0:
            self._active_since = time.monotonic()
        self._active += 1
        try:
            yield
        finally:
            self._active -= 1
            if self._active == 0:
                self.usage.seconds += time.monotonic() - self._active_since


def _host(base_url: str) -> str:
    """``host[:port]`` of a URL, without any user:password part."""
    parts = urlsplit(base_url)
    if not parts.hostname:
        return "the AI server"
    return f"{parts.hostname}:{parts.port}" if parts.port else parts.hostname


def _normalise(messages: Sequence[Message]) -> list[dict[str, Any]]:
    if isinstance(messages, str | bytes) or not isinstance(messages, Sequence) or not messages:
        raise TypeError("messages is a non-empty list of {'role': ..., 'content': ...} dicts")
    result = []
    for message in messages:
        if not isinstance(message, Mapping) or "role" not in message or "content" not in message:
            raise TypeError(f"each message needs 'role' and 'content', got {type(message).__name__}")
        result.append(dict(message))
    return result


def _has_message(data: dict[str, Any]) -> bool:
    choices = data.get("choices")
    return isinstance(choices, list) and bool(choices) and isinstance(choices[0], dict) \
        and isinstance(choices[0].get("message"), dict)


def _content(data: dict[str, Any]) -> str | None:
    """The text of the first choice (joining content parts if a server sends a list)."""
    content = data["choices"][0]["message"].get("content")
    if isinstance(content, list):
        content = "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return content if isinstance(content, str) else None


def _error_text(data: Any, response: httpx.Response) -> str:
    if isinstance(data, dict) and data.get("error"):
        error = data["error"]
        if isinstance(error, dict):
            return str(error.get("message") or json.dumps(error))
        return str(error)
    return response.text or response.reason_phrase or "no details"
