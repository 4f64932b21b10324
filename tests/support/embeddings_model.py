"""A fake embedding model on ``/v1/embeddings``, served by
:class:`~tests.support.openai_server.FakeServer` (tests/memory).

Its vectors are bags of words hashed into :data:`WIDTH` dimensions, so texts
sharing words are near each other, and every answer is a pure function of
the text. Any other path is answered with HTTP 404.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.support.openai_server import Reply, Request, served
from tests.support.openai_wire import embeddings, error

__all__ = ["WIDTH", "Behaviour", "bag_of_words", "embeddings_server"]

WIDTH = 32
"""The vectors' dimensions."""


def bag_of_words(text: str) -> list[float]:
    """``text``'s words, each counted in the dimension its hash picks."""
    vector = [0.0] * WIDTH
    for word in text.lower().split():
        word = word.strip(".,!?;:'\"")
        if word:
            slot = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "big")
            vector[slot % WIDTH] += 1.0
    return vector


@dataclass
class Behaviour:
    """What the server does; tests change it between requests.

    Attributes:
        status: the HTTP status to answer (200: embeddings).
        reverse: answer the items in reverse order (their ``index`` still right).
        drop: leave this many items out of the answer.
        requests: every request received, as ``{"body": ..., "headers": ...}``
            (header names lower-cased).
    """

    status: int = 200
    reverse: bool = False
    drop: int = 0
    requests: list[dict[str, Any]] = field(default_factory=list)

    def reply(self, request: Request) -> Reply:
        self.requests.append({"body": request.body, "headers": request.headers})
        if request.path != "/v1/embeddings":
            return Reply.json(404, error(f"no route {request.path}"))
        if self.status != 200:
            return Reply.json(self.status, error("scripted failure"))
        given = request.body["input"]
        texts = given if isinstance(given, list) else [given]
        vectors = [(i, bag_of_words(t)) for i, t in enumerate(texts)][self.drop :]
        if self.reverse:
            vectors.reverse()
        return Reply.json(200, embeddings(vectors, request.body["model"], len(texts)))


@pytest.fixture
def embeddings_server() -> Iterator[tuple[str, Behaviour]]:
    """A fake embeddings server with a fresh behaviour: ``(base URL, behaviour)``."""
    yield from served(Behaviour())
