"""A scripted OpenAI-compatible chat-completions server on 127.0.0.1, for testing the LLM client.

A real HTTP server in a background thread: each request to ``POST /v1/chat/completions`` takes the next
behaviour from the script (a good answer, text that is not JSON, an error status with headers, a slow answer,
a dropped connection...) and every request is recorded (headers, JSON body, arrival and finish times).
When the script is empty the server answers 418, which the client does not retry: an unexpected request
shows up as a failure instead of being absorbed.

    with FakeLLMServer([rate_limited("1"), answer({"title": "Blog"})]) as server:
        settings = LLMSettings(provider="openai_compatible", base_url=server.url, model="m", ...)
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Behaviour:
    """How the server answers one request.

    ``content`` (with ``completion=True``) becomes a chat completion for the requested model; otherwise
    ``body`` (JSON-able, or ``str`` sent as is) is sent with ``status``. ``delay`` is waited first;
    ``drop`` closes the connection without an answer.
    """

    status: int = 200
    body: Any = None
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0
    completion: bool = False
    content: str | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    drop: bool = False


def answer(
    data: Any = None, *, content: str | None = None, prompt_tokens: int = 10, completion_tokens: int = 5,
    delay: float = 0.0,
) -> Behaviour:
    """A 200 chat completion whose message content is ``json.dumps(data)`` (or ``content`` verbatim)."""
    text = content if content is not None else json.dumps(data)
    return Behaviour(completion=True, content=text, prompt_tokens=prompt_tokens,
                     completion_tokens=completion_tokens, delay=delay)


def invalid_json(text: str = 'Here it is: {"title": "Blog", "fields": [') -> Behaviour:
    return answer(content=text)


def error(status: int, message: str, *, headers: dict[str, str] | None = None, delay: float = 0.0) -> Behaviour:
    """An OpenAI-style error answer: ``{"error": {"message": ..., "type": ..., "code": ...}}``."""
    body = {"error": {"message": message, "type": "invalid_request_error" if status < 500 else "server_error",
                      "code": status}}
    return Behaviour(status=status, body=body, headers=tuple((headers or {}).items()), delay=delay)


def rate_limited(retry_after: str | None = "1") -> Behaviour:
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return error(429, "Rate limit reached for requests", headers=headers)


def server_error(status: int = 500) -> Behaviour:
    return error(status, "The server had an error while processing your request.")


def reject_json_schema() -> Behaviour:
    """What servers without structured outputs say to ``response_format: json_schema``."""
    return error(400, "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.")


def reject_response_format() -> Behaviour:
    """A server that accepts no ``response_format`` at all."""
    return error(400, "Unrecognized request argument supplied: response_format")


def slow(seconds: float, then: Behaviour) -> Behaviour:
    """``then``, after waiting ``seconds`` (longer than the client's timeout to provoke one)."""
    return replace(then, delay=seconds)


def dropped() -> Behaviour:
    """Close the connection without answering."""
    return Behaviour(drop=True)


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    raw: bytes
    body: Any
    received_at: float  # time.monotonic() once the body is read
    responded_at: float | None = None  # just before the answer is written (causally before the client sees it)
    finished_at: float | None = None
    behaviour: Behaviour | None = field(default=None, repr=False)

    @property
    def messages(self) -> list[dict[str, Any]]:
        return self.body.get("messages", []) if isinstance(self.body, dict) else []

    @property
    def response_format(self) -> dict[str, Any] | None:
        return self.body.get("response_format") if isinstance(self.body, dict) else None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_POST(self) -> None:
        fake = self.server.fake
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        record = RecordedRequest(self.command, self.path, dict(self.headers.items()), raw, body, time.monotonic())
        fake._record(record)
        if self.path.rstrip("/") != "/v1/chat/completions":
            behaviour = error(404, f"no route {self.path}")
        else:
            behaviour = fake._next()
        record.behaviour = behaviour
        try:
            if behaviour.delay and fake._stopping.wait(behaviour.delay):
                return
            if behaviour.drop:
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            self._respond(behaviour, body, record)
        except OSError:
            pass  # the client gave up (timeout) and closed the connection
        finally:
            record.finished_at = time.monotonic()

    def _respond(self, behaviour: Behaviour, request: Any, record: RecordedRequest) -> None:
        if behaviour.completion:
            model = request.get("model", "fake") if isinstance(request, dict) else "fake"
            payload: Any = {
                "id": "chatcmpl-fake",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": model,
                "choices": [{"index": 0, "finish_reason": "stop",
                             "message": {"role": "assistant", "content": behaviour.content}}],
                "usage": {"prompt_tokens": behaviour.prompt_tokens, "completion_tokens": behaviour.completion_tokens,
                          "total_tokens": behaviour.prompt_tokens + behaviour.completion_tokens},
            }
        else:
            payload = behaviour.body
        data = payload.encode() if isinstance(payload, str) else json.dumps(payload).encode()
        record.responded_at = time.monotonic()
        self.send_response(behaviour.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in behaviour.headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeLLMServer


class FakeLLMServer:
    """The scripted server; a context manager that starts it on a free port and stops it."""

    def __init__(self, script: Iterable[Behaviour] = ()) -> None:
        self._script: deque[Behaviour] = deque(script)
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self.requests: list[RecordedRequest] = []
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The base URL to give the client (``http://127.0.0.1:<port>/v1``)."""
        assert self._httpd is not None, "start the server first"
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def push(self, *behaviours: Behaviour) -> None:
        with self._lock:
            self._script.extend(behaviours)

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._script)

    def _next(self) -> Behaviour:
        with self._lock:
            if self._script:
                return self._script.popleft()
        return error(418, "fake server: the script has no behaviour left for this request")

    def _record(self, record: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(record)

    def start(self) -> FakeLLMServer:
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.fake = self
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fake-llm-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeLLMServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
