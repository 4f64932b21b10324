"""The history half of a memory store: one entry per committed turn, kept in
step with the save's journal.

:class:`HistoryLog` keeps the ``<game>-history`` collection of a
:class:`~fabula.memory.MemoryStore` (``<game>-<namespace>-history`` on a
shared server): one :class:`~fabula.memory.HistoryEntry` per committed turn
(:mod:`fabula.memory.history`), ids ``"turn-<n>"``. It lives apart from the
lore half (:mod:`fabula.memory.lore_index`) because the two share nothing
but the Chroma client: history comes from one save's journal and grows every
turn; lore comes from the game's files.

Invariants:

* **History follows the save**: entries are written only for committed
  turns, and :meth:`HistoryLog.sync` makes the collection match the journal
  after an undo, a crash or a restore (the rules are in
  :mod:`fabula.memory.sync`).
* **Memory's failures are memory's**: when the save's journal cannot be
  read or replayed for it, that is a :class:`~fabula.errors.MemoryStoreError`
  (with the save's error as its cause), not the turn's failure.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple

import numpy as np
from chromadb.api.models.Collection import Collection as ChromaCollection

from fabula.actions import Outcome
from fabula.content import ContentGame
from fabula.errors import MemoryStoreError, PersistenceError
from fabula.events import Event
from fabula.memory.chroma import BATCH, Chroma, Row, batched
from fabula.memory.history import HistoryEntry, PlainNarrator, Scene, history_entry, source_of
from fabula.memory.recall import Memory, Scoring
from fabula.memory.sync import replayed_entries
from fabula.persistence import SaveFile

__all__ = ["HistoryLog", "SyncReport"]

_log = logging.getLogger(__name__)

_UNFILTERED = 4
"""History candidates fetched unfiltered, per candidate wanted, before a
filtered search (see :meth:`HistoryLog.witnessed`): enough that a character
who witnessed a quarter of the turns rarely needs the filtered search."""


class SyncReport(NamedTuple):
    """What :meth:`MemoryStore.sync <fabula.memory.MemoryStore.sync>` changed:
    entries removed and added (an entry replaced counts in both)."""

    removed: int
    added: int


class HistoryLog:
    """A store's history collection.

    Args:
        chroma: the store's Chroma boundary (embedding, errors, queries).
        collection: the history collection.
        where: the store's folder or server, for messages.
    """

    def __init__(self, chroma: Chroma, collection: ChromaCollection, where: str) -> None:
        self._chroma = chroma
        self.collection = collection
        self.where = where

    def write(self, entries: Iterable[HistoryEntry]) -> int:
        """Store ``entries`` (replacing entries of the same turns), ``BATCH``
        per embedding call and upsert; return how many.

        Raises:
            MemoryStoreError: the store or the embedder (EmbedderError) failed.
        """
        written = 0
        for batch in batched(entries, BATCH):
            vectors = self._chroma.embed([e.text for e in batch])
            with self._chroma.errors("writing history"):
                self.collection.upsert(
                    ids=[e.id for e in batch],
                    documents=[e.text for e in batch],
                    metadatas=[e.metadata() for e in batch],
                    embeddings=vectors,
                )
            written += len(batch)
        return written

    def entry_for_turn(
        self,
        save: SaveFile,
        account: str,
        before: Scene,
        actor: int,
        outcomes: Sequence[Outcome],
        events: Sequence[Event],
    ) -> HistoryEntry:
        """The entry of the turn ``save`` has just committed (see
        :meth:`MemoryStore.entry_for_turn <fabula.memory.MemoryStore.entry_for_turn>`).

        Raises:
            MemoryStoreError: the save has no such turn, or its journal cannot
                be read.
        """
        with self._journal(save, "reading the turn to remember"):
            records = save.records(save.turn - 1, save.turn)
        if not records:
            raise MemoryStoreError(
                self.where, f"the save has no journalled turn {save.turn} to remember."
            )
        game = save.game
        world = save.world.view()  # memory reads the world, never writes it
        ending = game.ending(world) if isinstance(game, ContentGame) else None
        return history_entry(records[0], account, before, world, actor, outcomes, events, ending)

    def forget_after(self, turn: int) -> int:
        """Drop the entries of turns after ``turn``; return how many.

        Raises:
            MemoryStoreError: the store failed.
        """
        with self._chroma.errors("forgetting undone turns"):
            found = self.collection.get(where={"turn": {"$gt": turn}}, include=[])
            if found["ids"]:
                self.collection.delete(ids=found["ids"])
        return len(found["ids"])

    def entries(self, after: int = 0, upto: int | None = None) -> list[HistoryEntry]:
        """The stored entries with ``after < turn <= upto``, in turn order.

        Raises:
            MemoryStoreError: the store failed.
        """
        where: dict[str, Any] = {"turn": {"$gt": after}}
        if upto is not None:
            where = {"$and": [where, {"turn": {"$lte": upto}}]}
        with self._chroma.errors("reading history"):
            found = self.collection.get(where=where, include=["documents", "metadatas"])
        entries = [
            HistoryEntry.from_stored(text, meta)
            for text, meta in zip(found["documents"] or [], found["metadatas"] or [], strict=True)
        ]
        return sorted(entries, key=lambda e: e.turn)

    def sync(self, save: SaveFile, game: ContentGame, narrator: PlainNarrator) -> SyncReport:
        """Make the collection match the save's journal (see
        :meth:`MemoryStore.sync <fabula.memory.MemoryStore.sync>`).

        Raises:
            MemoryStoreError: the store or the embedder (EmbedderError) failed,
                or the journal cannot be read or replayed.
        """
        with self._journal(save, "reading the journal"):
            expected = {record.turn: source_of(record) for record in save.records()}
        with self._chroma.errors("reading history"):
            stored = self.collection.get(include=["metadatas"])
        current: set[int] = set()
        stale: list[str] = []
        for ident, meta in zip(stored["ids"], stored["metadatas"] or [], strict=True):
            turn = int(meta["turn"])
            if expected.get(turn) == meta.get("source") and ident == f"turn-{turn}":
                current.add(turn)
            else:
                stale.append(ident)
        if stale:
            with self._chroma.errors("dropping stale history"):
                self.collection.delete(ids=stale)
        missing = sorted(set(expected) - current)
        with self._journal(save, "replaying the journal to rebuild history"):
            added = self.write(replayed_entries(save, game, narrator, missing))
        if stale or added:
            _log.info("history: %d stale entries removed, %d rebuilt", len(stale), added)
        return SyncReport(len(stale), added)

    def recall(
        self, vector: np.ndarray, wanted: int, *, witness: str, now: int, scoring: Scoring
    ) -> list[Memory]:
        """The ``wanted`` entries nearest ``vector`` that ``witness`` saw, up to
        turn ``now``, scored.

        Raises:
            MemoryStoreError: the store failed.
        """
        found = []
        for ident, text, meta, distance in self.witnessed(vector, wanted, witness, now):
            turn = int(meta["turn"])
            score = scoring.score(distance, int(meta["importance"]), turn, now)
            found.append(Memory(ident, text, "history", score, turn))
        return found

    def witnessed(self, vector: np.ndarray, wanted: int, witness: str, now: int) -> list[Row]:
        """The ``wanted`` history entries nearest ``vector`` that ``witness``
        saw, up to turn ``now``.

        A metadata filter makes Chroma scan every entry (27 ms at 10,000
        entries, against 2-4 ms for a plain nearest-neighbour query), and the
        player witnessed nearly everything: so ``_UNFILTERED`` times as many
        neighbours are fetched unfiltered first, and the filtered query runs
        only if too few of them pass. When enough pass they are the nearest
        passing entries, the same answer the filtered query gives.
        """
        fetched = _UNFILTERED * wanted
        rows = self._chroma.query(self.collection, vector, fetched)
        passing = [
            row for row in rows
            if int(row[2]["turn"]) <= now and witness in (row[2].get("witnesses") or ())
        ]  # fmt: skip
        if len(passing) >= wanted or len(rows) < fetched:  # enough, or all there is
            return passing[:wanted]
        where = {"$and": [{"turn": {"$lte": now}}, {"witnesses": {"$contains": witness}}]}
        return self._chroma.query(self.collection, vector, wanted, where)

    @contextlib.contextmanager
    def _journal(self, save: SaveFile, doing: str) -> Iterator[None]:
        """Translate the save's errors while memory reads it (memory is derived
        from the journal: if it cannot be read or replayed, memory cannot be
        kept, and that is memory's failure, not the turn's)."""
        try:
            yield
        except PersistenceError as exc:
            raise MemoryStoreError(
                self.where, f"{doing} failed ({exc}); memory is rebuilt when the save can be "
                "read again.",
            ) from exc  # fmt: skip
