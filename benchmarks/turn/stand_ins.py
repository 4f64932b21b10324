"""What stands in for the models while the engine's own time is measured.

:class:`HashEmbedder` stands in for the embedding model: memory's Chroma
collections do all their real work with its vectors, but no model runs.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function

__all__ = ["HashEmbedder"]


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
