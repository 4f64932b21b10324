"""A fake model that answers requests from a script, in order: the model
for the tests of the model layer (tests/ai), served by
:class:`~tests.support.openai_server.FakeServer`.

Each answer is ``(status, payload)``: with status 200, a completion
(:func:`~tests.support.openai_wire.completion`) for a plain request, the
chunks (:func:`~tests.support.openai_wire.chunks`) for a streamed one, or
raw ``bytes`` for a stream that breaks or is garbled part-way; with any
other status, an error body (``payload`` if given). When the script runs
out, every request gets HTTP 500.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.openai_server import Reply, Request, served
from tests.support.openai_wire import chunks, completion, error, event_stream

__all__ = ["Script", "chunks", "completion", "server"]


class Script:
    """What the server answers, request by request.

    Attributes:
        answers: ``(status, payload)`` for the next requests, in order.
        requests: every request body received, in order.
        delay: seconds to wait before each answer.
    """

    def __init__(self) -> None:
        self.answers: list[tuple[int, Any]] = []
        self.requests: list[dict[str, Any]] = []
        self.delay = 0.0
        self._lock = threading.Lock()

    def reply(self, request: Request) -> Reply:
        with self._lock:
            self.requests.append(request.body)
            status, payload = self.answers.pop(0) if self.answers else (500, {})
        if request.stream and status == 200 and isinstance(payload, bytes):
            return Reply.events(payload, delay=self.delay, close=True)
        if request.stream and status == 200:
            return Reply.events(event_stream(payload), delay=self.delay)
        return Reply.json(status, payload or error("scripted"), delay=self.delay)


@pytest.fixture
def server() -> Iterator[tuple[str, Script]]:
    """A fake server with a fresh script: ``(base URL, script)``."""
    yield from served(Script())
