"""The one fake OpenAI-compatible server the tests talk to: a real HTTP
server on loopback, answering from a script.

What it speaks is decided by a :class:`Responder` (a script): the server turns
each request into a :class:`Request`, asks the responder for a :class:`Reply`
and sends it as it says, status line, headers and body, or hangs up. The wire
shapes of the answers (completions, streamed chunks, embeddings, errors) are
in :mod:`tests.support.openai_wire`; the scripts the tests use are in
:mod:`tests.support.scripted_model` (answers in order),
:mod:`tests.support.hostile_model` (answers meant to hurt) and
:mod:`tests.support.embeddings_model` (``/v1/embeddings``).

Lifetime: :meth:`FakeServer.start` binds a free port on 127.0.0.1 and serves
from a daemon thread; :meth:`FakeServer.stop` returns within about
:data:`POLL_INTERVAL` (the standard library's serving loop looks for a stop
request only that often, and its default of half a second cost every test
that started a server half a second at teardown). Handler threads are
daemons and are not waited for: a handler still sleeping on a delayed answer
does not hold up the stop, and its answer goes to a client that has given up.

Protocol: HTTP/1.1 with a ``Content-Length`` on every answer, streams
included (each :class:`Reply` body is built whole before it is sent), so a
client may keep its connection alive between requests as it would with a
real server.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol, TypeVar

__all__ = ["POLL_INTERVAL", "FakeServer", "Reply", "Request", "Responder", "served"]

POLL_INTERVAL = 0.01
"""Seconds between the serving loop's looks for a stop request."""


@dataclass(frozen=True, slots=True)
class Request:
    """One request as the server received it.

    Attributes:
        path: the request path (``/v1/chat/completions``, ``/v1/embeddings``).
        body: the JSON body, or ``{}`` when it was not JSON.
        headers: the headers, names lower-cased.
        size: the body's length in bytes.
    """

    path: str
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    size: int = 0

    @property
    def stream(self) -> bool:
        """Whether the client asked for a streamed answer."""
        return bool(self.body.get("stream"))

    def user_text(self) -> str:
        """Everything the request sent as user or assistant turns."""
        return "\n".join(
            str(m.get("content", ""))
            for m in self.body.get("messages", [])
            if m.get("role") in ("user", "assistant")
        )


@dataclass(frozen=True, slots=True)
class Reply:
    """How the server answers one request.

    Attributes:
        status: the HTTP status.
        body: the bytes sent after the headers.
        content_type: the ``Content-Type`` header.
        delay: seconds to wait before answering.
        hang_up: close the connection without answering at all.
        close: close the connection after this answer.
    """

    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    delay: float = 0.0
    hang_up: bool = False
    close: bool = False

    @classmethod
    def json(cls, status: int, payload: Any, *, delay: float = 0.0) -> Reply:
        """``payload`` as a JSON answer."""
        return cls(status, json.dumps(payload).encode(), delay=delay)

    @classmethod
    def events(cls, data: bytes, *, delay: float = 0.0, close: bool = False) -> Reply:
        """An event stream (``text/event-stream``) whose whole body is ``data``."""
        return cls(200, data, "text/event-stream", delay=delay, close=close)


class Responder(Protocol):
    """A script: decides the reply to each request (called from the
    server's handler threads, one per connection, so it may be called
    concurrently)."""

    def reply(self, request: Request) -> Reply: ...


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out at once
    server: _Server

    def log_message(self, *args: Any) -> None:
        pass  # the tests judge what the client saw, not the log

    def do_POST(self) -> None:
        size = int(self.headers.get("Content-Length", "0"))
        data = self.rfile.read(size)
        try:
            body = json.loads(data)
        except ValueError:
            body = {}
        if not isinstance(body, dict):
            body = {}
        headers = {key.lower(): value for key, value in self.headers.items()}
        reply = self.server.responder.reply(Request(self.path, body, headers, size))
        if reply.delay:
            time.sleep(reply.delay)
        if reply.hang_up:
            self.close_connection = True
            return
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            if reply.status == 429:
                self.send_header("Retry-After", "0")
            if reply.close:
                self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(reply.body)
            self.wfile.flush()
        except OSError:
            self.close_connection = True  # the client gave up first
        if reply.close:
            self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, responder: Responder) -> None:
        self.responder = responder
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that hung up on a slow answer is expected here


class FakeServer:
    """The server: start it, give its :attr:`url` to a client, stop it.

    Args:
        responder: the script that answers every request.
    """

    def __init__(self, responder: Responder) -> None:
        self.responder = responder
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The OpenAI-compatible base URL (``http://127.0.0.1:PORT/v1``).

        Raises:
            RuntimeError: the server is not running.
        """
        if self._httpd is None:
            raise RuntimeError("the fake server is not running: start() it first")
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def start(self) -> FakeServer:
        """Bind a free loopback port and serve from a daemon thread."""
        if self._httpd is not None:
            raise RuntimeError("the fake server is already running")
        self._httpd = _Server(self.responder)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, args=(POLL_INTERVAL,), daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the port (nothing happens if not running)."""
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        self._httpd = None
        self._thread = None


R = TypeVar("R", bound=Responder)


def served(responder: R) -> Iterator[tuple[str, R]]:
    """The body of a fixture: serve ``responder``, yield ``(base URL,
    responder)``, and stop when the test is done (``yield from served(...)``)."""
    server = FakeServer(responder).start()
    try:
        yield server.url, responder
    finally:
        server.stop()
