"""The lore half of a memory store: a game's lore, indexed and read back.

:class:`LoreIndex` keeps the ``<game>-lore`` collection of a
:class:`~fabula.memory.MemoryStore`: chunks of the game's ``lore/`` files
(:mod:`fabula.memory.lore`), ids ``"<file>#<chunk>"``. It lives apart from
the history half (:mod:`fabula.memory.history_log`) because the two share
nothing but the Chroma client: lore comes from the game's files, is shared
by every save of a game, and changes only when a file does; history comes
from one save's journal and grows every turn.

Invariants:

* **Nothing is embedded twice**: a file is re-embedded only when its sha-256
  changes (or its chunks are not all stored, after an interrupted
  indexing); an unchanged folder costs one metadata read and no embedding.
* **Recall reads lore from memory**: a game's lore is small (the demo's is
  11 chunks) and changes only when :meth:`LoreIndex.index` changes it, so
  it is read once and ranked exactly (:class:`_LoreMatrix`); the copy is
  dropped whenever the index changes. Lore past :data:`LORE_IN_MEMORY`
  chunks is queried from Chroma instead.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from chromadb.api.models.Collection import Collection as ChromaCollection

from fabula.content import ContentGame
from fabula.ecs import WorldView
from fabula.errors import ContentError
from fabula.memory.chroma import BATCH, Chroma, Row, batched
from fabula.memory.lore import LoreGates, file_sha, lore_paths, read_lore
from fabula.memory.recall import Memory, Scoring

if TYPE_CHECKING:
    from fabula.content import Condition

__all__ = ["LORE_IN_MEMORY", "LoreIndex", "LoreReport"]

_log = logging.getLogger(__name__)

LORE_IN_MEMORY = 5000
"""Lore chunks ranked in memory rather than by a Chroma query (see
:meth:`LoreIndex.nearest`)."""


@dataclass(frozen=True, slots=True)
class LoreReport:
    """What :meth:`MemoryStore.index_lore <fabula.memory.MemoryStore.index_lore>` did.

    Attributes:
        files: lore files in the folder.
        indexed: files (re-)embedded now, new or changed.
        removed: files gone from the folder, whose chunks were dropped.
        chunks: chunks embedded now.
    """

    files: int
    indexed: tuple[str, ...]
    removed: tuple[str, ...]
    chunks: int


class LoreIndex:
    """A store's lore collection.

    Args:
        chroma: the store's Chroma boundary (embedding, errors, queries).
        collection: the ``<game>-lore`` collection.
    """

    def __init__(self, chroma: Chroma, collection: ChromaCollection) -> None:
        self._chroma = chroma
        self.collection = collection
        self._gates: dict[str, Condition] = {}
        self._rows: _LoreMatrix | None = None

    def index(self, source: ContentGame | str | os.PathLike[str]) -> LoreReport:
        """Bring the collection in line with a lore folder: embed new and
        changed files, drop removed ones, leave the rest untouched.

        Args:
            source: the game (its ``lore/`` folder; the ids a ``requires`` names
                are checked against its world files), or a folder.

        Raises:
            ContentError: lore files with problems (all of them, each with its
                file and line); nothing is changed then.
            MemoryStoreError: the store or the embedder (EmbedderError) failed.
        """
        if isinstance(source, ContentGame):
            folder = source.files.root / "lore"
            f = source.files
            known: set[str] | None = {*f.rooms, *f.doors, *f.items, *f.npcs, "player"}
        else:
            folder, known = Path(source), None
        paths = {p.relative_to(folder).as_posix(): p for p in lore_paths(folder)}
        with self._chroma.errors("reading the lore index"):
            stored = self.collection.get(include=["metadatas"])
        # file -> (sha, chunks stored, chunks it has): whole only if all are there
        index: dict[str, tuple[str, int, int]] = {}
        for meta in stored["metadatas"] or []:
            sha, count, total = index.get(str(meta["file"]), ("", 0, 0))
            index[str(meta["file"])] = (str(meta["sha"]), count + 1, int(meta.get("of", 0)))
        files, problems = [], []
        for name, path in paths.items():
            sha, count, total = index.get(name, ("", 0, -1))
            try:
                if sha == file_sha(path) and count == total:
                    continue
                files.append(read_lore(path, folder, known))
            except ContentError as exc:
                problems.extend(exc.problems)
        if problems:
            raise ContentError(problems)
        changed = [f.name for f in files]
        removed = sorted(set(index) - set(paths))
        dropped = [
            i for i, m in zip(stored["ids"], stored["metadatas"] or [], strict=True)
            if m["file"] in set(removed) | set(changed)
        ]  # fmt: skip
        if dropped:
            with self._chroma.errors("dropping changed lore"):
                self.collection.delete(ids=dropped)
        rows = [(f, i) for f in files for i in range(len(f.chunks))]
        for batch in batched(rows, BATCH):
            documents = [f.document(i) for f, i in batch]
            vectors = self._chroma.embed(documents)
            with self._chroma.errors("writing lore"):
                self.collection.add(
                    ids=[f"{f.name}#{i}" for f, i in batch],
                    documents=documents,
                    metadatas=[f.metadata(i) for f, i in batch],
                    embeddings=vectors,
                )
        if changed or removed:
            _log.info("lore: %d file(s) indexed, %d removed", len(changed), len(removed))
        self._rows = None  # read again on the next recall
        return LoreReport(len(paths), tuple(changed), tuple(removed), len(rows))

    def recall(
        self, vector: np.ndarray, wanted: int, *, world: WorldView, now: int, scoring: Scoring
    ) -> list[Memory]:
        """The ``wanted`` lore chunks nearest ``vector``, without those whose
        ``requires`` does not hold in ``world`` now, scored (gated lore is
        filtered after the search, so fewer may come back)."""
        gates = LoreGates(world, self._gates)
        found = []
        for ident, text, meta, distance in self.nearest(vector, wanted):
            if meta.get("requires") and not gates.hold(str(meta["requires"])):
                continue
            score = scoring.score(distance, int(meta["importance"]), None, now)
            found.append(Memory(ident, text, "lore", score, None))
        return found

    def nearest(self, vector: np.ndarray, n: int) -> list[Row]:
        """The ``n`` lore chunks nearest ``vector`` (see the module docstring:
        read once and ranked in memory, up to :data:`LORE_IN_MEMORY` chunks).

        Raises:
            MemoryStoreError: the store failed.
        """
        if self._rows is None:
            with self._chroma.errors("reading lore"):
                total = self.collection.count()
                if total > LORE_IN_MEMORY:
                    return self._chroma.query(self.collection, vector, n)
                got = self.collection.get(include=["documents", "metadatas", "embeddings"])
            self._rows = _LoreMatrix(got)
        return self._rows.nearest(vector, n)


class _LoreMatrix:
    """Lore chunks with their unit vectors, for exact cosine ranking."""

    def __init__(self, got: Any) -> None:
        self.ids: list[str] = list(got["ids"])
        self.documents: list[str] = list(got["documents"] or [])
        self.metadatas: list[dict[str, Any]] = [dict(m) for m in got["metadatas"] or []]
        raw = got["embeddings"]
        matrix = np.asarray(raw if raw is not None else [], dtype=np.float32)
        matrix = matrix.reshape(len(self.ids), -1) if self.ids else matrix.reshape(0, 0)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True) if self.ids else None
        self.matrix = matrix / np.where(norms == 0, 1, norms) if norms is not None else matrix

    def nearest(self, vector: np.ndarray, n: int) -> list[Row]:
        if not self.ids:
            return []
        query = np.asarray(vector, dtype=np.float32)
        norm = float(np.linalg.norm(query)) or 1.0
        distance = 1.0 - self.matrix @ (query / norm)  # Chroma's cosine distance
        order = np.argsort(distance, kind="stable")[:n]
        return [
            (self.ids[i], self.documents[i], self.metadatas[i], float(distance[i])) for i in order
        ]
