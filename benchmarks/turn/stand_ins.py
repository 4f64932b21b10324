"""What stands in for the models while the engine's own time is measured.

* :class:`HashEmbedder` stands in for the embedding model: memory's Chroma
  collections do all their real work with its vectors, but no model runs.
* :class:`StandInNarratorModel` stands in for the narrator model's server:
  a :class:`~fabula.ai.ModelClient` whose streams are answered at once, in
  the process, with :data:`TELLING`, chunk by chunk as an OpenAI-compatible
  server streams. The session needs a narrator model to build the narrator's
  context (:meth:`~fabula.narration.Brain.brief`) and to journal its
  accounting, and :class:`~fabula.narration.ModelNarrator` handles this
  stream exactly as a real one: nothing goes over the network.

Each keeps the nanoseconds it spent (``ns``), so its own share of a stage
can be told apart from the engine's.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator, Sequence
from types import SimpleNamespace
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function

from fabula.ai import ChatStream, Message, ModelClient, RoleConfig

__all__ = ["TELLING", "HashEmbedder", "StandInNarratorModel"]


@register_embedding_function
class HashEmbedder(EmbeddingFunction[Documents]):
    """Stands in for the embedding model: each text gets a unit 384-d float32
    vector drawn from a generator seeded by a hash of the text.

    Chroma does all of its real work with it (384-d vectors in a cosine HNSW
    index, documents, metadata, queries), but no model runs, so what a turn
    costs the engine is measured apart from model time (the real
    :class:`~fabula.memory.LocalEmbedder` is timed on its own). The same text
    always gets the same vector; nearness between vectors means nothing.

    Attributes:
        calls, texts: as for :class:`~fabula.memory.LocalEmbedder`.
        ns: nanoseconds spent in it, so its own share of a stage can be told.
    """

    dimensions = 384

    def __init__(self) -> None:
        self.calls = 0
        self.texts = 0
        self.ns = 0

    def __call__(self, input: Documents) -> Embeddings:
        start = time.perf_counter_ns()
        vectors = []
        for text in input:
            digest = hashlib.blake2b(text.encode(), digest_size=8).digest()
            rng = np.random.default_rng(int.from_bytes(digest, "little"))
            vector = rng.standard_normal(self.dimensions, dtype=np.float32)
            vectors.append(vector / np.linalg.norm(vector))
        self.calls += 1
        self.texts += len(input)
        self.ns += time.perf_counter_ns() - start
        return vectors

    @staticmethod
    def name() -> str:
        return "fabula-bench-hash"

    def get_config(self) -> dict[str, Any]:
        return {}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> HashEmbedder:
        return HashEmbedder()

    def default_space(self) -> Space:
        return "cosine"


TELLING = (
    "Rain drums on the slates as you do it, and for a moment the whole harbour seems to "
    "hold its breath. Out past the breakwater the lighthouse stands dark against the "
    "cloud, its lamp cold. The gulls have gone quiet. Somewhere under the quay the sea "
    "knocks at the piles, patient as a debt collector, and the wind brings the smell of "
    "tar and wet rope. Whatever you came to Gull's End to find, the storm is not done "
    "with it yet."
)
"""What the stand-in narrator model tells every turn: 82 words, a word a chunk."""


class StandInNarratorModel(ModelClient):
    """Stands in for the narrator model's server, in the process.

    Every :meth:`stream` is answered at once with :data:`TELLING`, one word
    per chunk, then a chunk with the finish reason and one with the usage,
    as an OpenAI-compatible server streams with ``include_usage``. It is a
    :class:`~fabula.ai.ModelClient` (its settings name the model
    ``stand-in`` at an address nothing listens on, never asked), so
    :class:`~fabula.ai.ChatStream` and :class:`~fabula.narration.ModelNarrator`
    read it exactly as they read a server's stream.

    Attributes:
        requests: how many streams were asked for.
        messages: the messages of the last request.
        ns: nanoseconds spent making its chunks (its own time, inside the
            session's ``narrate`` stage).
    """

    def __init__(self) -> None:
        super().__init__(
            "narrator", RoleConfig(model="stand-in", base_url="http://stand-in.invalid/v1")
        )
        self.requests = 0
        self.messages: list[Message] = []
        self.ns = 0
        words = TELLING.split(" ")
        self._pieces = [words[0], *(" " + word for word in words[1:])]

    def stream(self, messages: Sequence[Message]) -> ChatStream:
        """The answer, streamed (see the class doc); nothing is sent anywhere."""
        self.requests += 1
        self.messages = list(messages)
        return ChatStream(self.role, lambda: (_Answer(self, self._chunks(self.messages)), 1))

    def _chunks(self, messages: list[Message]) -> Iterator[Any]:
        """The chunks of one answer, shaped as the ``openai`` SDK hands them over."""
        for piece in self._pieces:
            yield _chunk(piece)
        yield _chunk(None, finish="stop")
        prompt = sum(len(m["content"]) for m in messages) // 4  # about 4 characters a token
        usage = SimpleNamespace(prompt_tokens=prompt, completion_tokens=len(self._pieces))
        yield SimpleNamespace(usage=usage, choices=[])


def _chunk(content: str | None, finish: str | None = None) -> SimpleNamespace:
    delta = SimpleNamespace(content=content)
    return SimpleNamespace(usage=None, choices=[SimpleNamespace(delta=delta, finish_reason=finish)])


class _Answer:
    """One streamed answer: iterated for its chunks, timed into its model's
    ``ns``; closed when the reader lets go of it."""

    def __init__(self, model: StandInNarratorModel, chunks: Iterator[Any]) -> None:
        self._model = model
        self._chunks = chunks

    def __iter__(self) -> _Answer:
        return self

    def __next__(self) -> Any:
        start = time.perf_counter_ns()
        try:
            return next(self._chunks)
        finally:
            self._model.ns += time.perf_counter_ns() - start

    def close(self) -> None:
        self._chunks.close()
