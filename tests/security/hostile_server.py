"""A hostile model on loopback: a real HTTP server that speaks just enough of
OpenAI's ``/v1/chat/completions`` for :class:`fabula.ai.ModelClient`, and
answers each request however the test wants to hurt the engine.

The tests in tests/ai check that the model layer works with a model that
behaves; this one exists to misbehave at every layer a real server could:
the model's words (prompt injection, impossible actions, floods), the HTTP
envelope (a 200 whose body is not a completion), the status line (500, 429,
400), the transport (a hang-up, an answer slower than the role's timeout)
and the stream (events that are not JSON, a stream cut part-way). Every
answer goes through the real SDK and the real client: nothing is mocked.

An :class:`Answer` says how one request is answered. Requests take answers
from :attr:`HostileModel.queue` in order; when it is empty,
:attr:`HostileModel.otherwise` decides (by default the last answer again, so
a parser's retry meets the same hostility as its first try).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["Answer", "HostileModel", "Request", "completion", "sse"]


@dataclass(frozen=True, slots=True)
class Answer:
    """How the fake model answers one request.

    Attributes:
        content: the model's text. A plain request gets it inside a normal
            completion; a streaming one gets it as SSE chunks.
        status: the HTTP status; anything but 200 sends an OpenAI-style error
            body instead of the content.
        raw: a body sent as it is, with status 200, instead of a well-formed
            completion (``application/json`` for a plain request,
            ``text/event-stream`` for a streaming one).
        delay: seconds to wait before answering (longer than the role's
            timeout makes the client give up).
        hang_up: close the connection without answering at all.
        pieces: how many SSE chunks a streamed ``content`` is cut into (at
            fixed character offsets, so escape sequences and surrogate pairs
            may be split between chunks, as a real tokenizer may split them).
    """

    content: str = ""
    status: int = 200
    raw: bytes | None = None
    delay: float = 0.0
    hang_up: bool = False
    pieces: int = 8


@dataclass(slots=True)
class Request:
    """One request the server received (the body as the client sent it)."""

    body: dict[str, Any]
    size: int

    @property
    def stream(self) -> bool:
        return bool(self.body.get("stream"))

    def user_text(self) -> str:
        """Everything the request sent as user or assistant turns."""
        return "\n".join(
            str(m.get("content", ""))
            for m in self.body.get("messages", [])
            if m.get("role") in ("user", "assistant")
        )


def completion(text: Any) -> dict[str, Any]:
    """A well-formed non-streaming completion whose message is ``text``."""
    return {
        "id": "hostile", "object": "chat.completion", "created": 0, "model": "hostile",
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": text}}],
        "usage": {"prompt_tokens": 7, "completion_tokens": 5, "total_tokens": 12},
    }  # fmt: skip


def sse(text: str, pieces: int) -> bytes:
    """``text`` as an OpenAI-style event stream: at most ``pieces`` chunks,
    the chunk that says why it stopped, a usage chunk, and ``[DONE]``."""
    size = max(1, -(-len(text) // max(1, pieces)))
    parts = [text[i : i + size] for i in range(0, len(text), size)] or [""]
    events = [
        {"id": "s", "object": "chat.completion.chunk", "created": 0, "model": "hostile",
         "choices": [{"index": 0, "delta": {"content": part}, "finish_reason": None}]}
        for part in parts
    ]  # fmt: skip
    events.append(
        {"id": "s", "object": "chat.completion.chunk", "created": 0, "model": "hostile",
         "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
    )  # fmt: skip
    events.append(
        {"id": "s", "object": "chat.completion.chunk", "created": 0, "model": "hostile",
         "choices": [], "usage": {"prompt_tokens": 7, "completion_tokens": len(parts),
                                  "total_tokens": 7 + len(parts)}}
    )  # fmt: skip
    out = b"".join(f"data: {json.dumps(e)}\n\n".encode() for e in events)
    return out + b"data: [DONE]\n\n"


@dataclass(repr=False)
class HostileModel:
    """The server's script and what it saw; start it with :meth:`start`.

    Attributes:
        queue: answers for the next requests, in order.
        otherwise: the answer when the queue is empty, given the request
            (so plain and streaming requests may be answered apart); by
            default the last answer given, or a 500 if none was ever given.
        requests: every request received, in order.
    """

    queue: list[Answer] = field(default_factory=list)
    otherwise: Callable[[Request], Answer] | None = None
    requests: list[Request] = field(default_factory=list)
    _last: Answer = field(default_factory=lambda: Answer(status=500))
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _httpd: ThreadingHTTPServer | None = None

    def __repr__(self) -> str:  # short, for hypothesis' reports of a failing example
        return f"<HostileModel: {len(self.requests)} requests, {len(self.queue)} answers queued>"

    @property
    def url(self) -> str:
        """The base URL to give a :class:`~fabula.ai.RoleConfig`."""
        assert self._httpd is not None, "start() the server first"
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def script(self, *answers: Answer) -> None:
        """Answer the next requests with ``answers``, then keep giving the last."""
        with self._lock:
            self.queue = list(answers)
            self.otherwise = None
            if answers:
                self._last = answers[-1]

    def next_answer(self, body: dict[str, Any], size: int) -> Answer:
        with self._lock:
            request = Request(body, size)
            self.requests.append(request)
            if self.queue:
                self._last = self.queue.pop(0)
            elif self.otherwise is not None:
                self._last = self.otherwise(request)
            return self._last

    def start(self) -> None:
        model = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out at once

            def log_message(self, *args: Any) -> None:
                pass  # the tests judge what the client saw, not the log

            def do_POST(self) -> None:
                size = int(self.headers.get("Content-Length", "0"))
                data = self.rfile.read(size)
                try:
                    body = json.loads(data)
                except ValueError:
                    body = {}
                answer = model.next_answer(body, size)
                if answer.delay:
                    time.sleep(answer.delay)
                if answer.hang_up:
                    self.close_connection = True
                    return
                stream = bool(body.get("stream"))
                if answer.status != 200:
                    error = {"error": {"message": "hostile", "type": "hostile", "code": None}}
                    self._send(answer.status, "application/json", json.dumps(error).encode())
                elif answer.raw is not None:
                    kind = "text/event-stream" if stream else "application/json"
                    self._send(200, kind, answer.raw)
                elif stream:
                    self._send(200, "text/event-stream", sse(answer.content, answer.pieces))
                else:
                    self._send(
                        200, "application/json", json.dumps(completion(answer.content)).encode()
                    )

            def _send(self, status: int, kind: str, payload: bytes) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(payload)))
                    if status == 429:
                        self.send_header("Retry-After", "0")
                    self.end_headers()
                    self.wfile.write(payload)
                    self.wfile.flush()
                except OSError:
                    self.close_connection = True  # the client gave up first

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # a client that hung up on a slow answer is expected here

        self._httpd = Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
