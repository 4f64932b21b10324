"""A hostile model: a script for the fake OpenAI-compatible server that
answers each request however a test wants to hurt the engine (tests/security).

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

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.support.openai_server import FakeServer, Reply, Request
from tests.support.openai_wire import chunks, completion, error, event_stream, split

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
        pieces: how many SSE chunks a streamed ``content`` is cut into (see
            :func:`~tests.support.openai_wire.split`).
    """

    content: str = ""
    status: int = 200
    raw: bytes | None = None
    delay: float = 0.0
    hang_up: bool = False
    pieces: int = 8

    def reply(self, stream: bool) -> Reply:
        """This answer on the wire, for a plain or a streaming request."""
        if self.hang_up:
            return Reply(delay=self.delay, hang_up=True)
        if self.status != 200:
            body = error("hostile", type="hostile", code=None)
            return Reply.json(self.status, body, delay=self.delay)
        if self.raw is not None:
            kind = "text/event-stream" if stream else "application/json"
            return Reply(200, self.raw, kind, delay=self.delay)
        if stream:
            return Reply.events(sse(self.content, self.pieces), delay=self.delay)
        return Reply.json(200, _completion(self.content), delay=self.delay)


def _completion(text: str) -> dict[str, object]:
    return completion(text, model="hostile", prompt_tokens=7, completion_tokens=5)


def sse(text: str, pieces: int) -> bytes:
    """``text`` as an OpenAI-style event stream: at most ``pieces`` chunks,
    the chunk that says why it stopped, a usage chunk, and ``[DONE]``."""
    return event_stream(chunks(split(text, pieces), model="hostile", prompt_tokens=7))


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
    _server: FakeServer | None = None

    def __repr__(self) -> str:  # short, for hypothesis' reports of a failing example
        return f"<HostileModel: {len(self.requests)} requests, {len(self.queue)} answers queued>"

    @property
    def url(self) -> str:
        """The base URL to give a :class:`~fabula.ai.RoleConfig`."""
        assert self._server is not None, "start() the server first"
        return self._server.url

    def script(self, *answers: Answer) -> None:
        """Answer the next requests with ``answers``, then keep giving the last."""
        with self._lock:
            self.queue = list(answers)
            self.otherwise = None
            if answers:
                self._last = answers[-1]

    def next_answer(self, request: Request) -> Answer:
        """Record ``request`` and take its answer from the script."""
        with self._lock:
            self.requests.append(request)
            if self.queue:
                self._last = self.queue.pop(0)
            elif self.otherwise is not None:
                self._last = self.otherwise(request)
            return self._last

    def reply(self, request: Request) -> Reply:
        return self.next_answer(request).reply(request.stream)

    def start(self) -> None:
        """Serve on a free loopback port (see :attr:`url`)."""
        self._server = FakeServer(self).start()

    def stop(self) -> None:
        """Stop serving (nothing happens if not running)."""
        if self._server is not None:
            self._server.stop()
            self._server = None
