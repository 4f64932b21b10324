"""The memory store: a game's lore and a save's history, in Chroma.

A :class:`MemoryStore` holds two collections, both in cosine space:

* ``<game>-lore``: chunks of the game's ``lore/`` files
  (:mod:`fabula.memory.lore`), ids ``"<file>#<chunk>"``;
* ``<game>-history`` (``<game>-<namespace>-history`` on a shared server):
  one entry per committed turn (:mod:`fabula.memory.history`), ids
  ``"turn-<n>"``.

By default it lives in a folder beside the save (``game.save`` ->
``game.save.memory/``, a Chroma ``PersistentClient``); any Chroma client may
be given instead, e.g. an ``HttpClient`` to a Chroma server
(:func:`~fabula.memory.chroma_server`). The Chroma boundary itself (errors,
stamps, embedding, queries) is :mod:`fabula.memory.chroma`.

Invariants:

* **Everything in it can be rebuilt**: lore from the game's files, history
  from the save's journal. So when a collection was built by another
  embedder or another layout of this store (its stamp differs), it is
  dropped and rebuilt rather than mixed, and deleting the folder is always
  safe.
* **History follows the save**: entries are written only for committed
  turns, and :meth:`MemoryStore.sync` makes the collection match the
  journal after an undo, a crash or a restore.
* **Nothing is embedded twice**: lore files are re-embedded only when their
  sha-256 changes (or their chunks are not all stored, after an interrupted
  indexing); an unchanged folder costs no embedding call.
* **Chroma never embeds by itself**: the store embeds every text with its own
  embedder and hands Chroma the vectors, so Chroma's default embedder
  (which downloads a model) is never used.

Chroma's errors are translated to :class:`~fabula.memory.MemoryStoreError`,
whose message says what to do next.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from chromadb.api import ClientAPI

from fabula.actions import Outcome
from fabula.content import ContentGame
from fabula.content.schema import Condition
from fabula.ecs import WorldView
from fabula.errors import ContentError, MemoryStoreError, PersistenceError
from fabula.events import Event
from fabula.memory.chroma import Chroma, Row, batched, local_client
from fabula.memory.chunking import MAX_WORDS, MIN_WORDS
from fabula.memory.embedding import Embedder, LocalEmbedder, OpenAIEmbedder
from fabula.memory.history import (
    HistoryEntry,
    PlainNarrator,
    Scene,
    entity_key,
    history_entry,
    source_of,
)
from fabula.memory.lore import LoreGates, file_sha, lore_paths, read_lore
from fabula.memory.recall import KINDS, Kind, Memory, Scoring, rank
from fabula.memory.sync import replayed_entries
from fabula.persistence import SaveFile

__all__ = ["LoreReport", "MemoryStore", "SyncReport"]

_log = logging.getLogger(__name__)

_FORMAT = 1
"""The layout of entries and metadata; a store stamped otherwise is rebuilt."""

_CHUNKER = f"{MIN_WORDS}-{MAX_WORDS}.1"
"""The chunker's settings and version: lore cut otherwise is re-indexed."""

_BATCH = 256
"""Texts embedded and written per Chroma call."""

_UNFILTERED = 4
"""History candidates fetched unfiltered, per candidate wanted, before a
filtered search (see ``MemoryStore._witnessed``): enough that a character who
witnessed a quarter of the turns rarely needs the filtered search."""

_NAMESPACE = re.compile(r"^[A-Za-z0-9_-]{0,40}$")


class SyncReport(NamedTuple):
    """What :meth:`MemoryStore.sync` changed: entries removed and added (an
    entry replaced counts in both)."""

    removed: int
    added: int


@dataclass(frozen=True, slots=True)
class LoreReport:
    """What :meth:`MemoryStore.index_lore` did.

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


class MemoryStore:
    """A game's lore and a save's history, recalled by meaning and by state.

    Open one with :meth:`open` (beside a save) or :meth:`connect` (any
    Chroma client); close it with :meth:`close`, or use it as a context
    manager.

    Typical use, per the session::

        store = MemoryStore.open(save.path, game.id)
        store.index_lore(game)                      # cheap when nothing changed
        store.sync(save, game, narrator)            # after opening, restore
        before = Scene.of(world, player)            # each turn, before play
        ...                                         # play and tell the turn
        store.record_turn(save, account, before, player, outcomes, events)
        store.forget_after(save.turn)               # after undo
        store.recall("where is the key?", world=world, actor=npc, now=save.turn)

    Attributes:
        game_id: the game whose memory it is.
        embedder: turns texts into vectors.
        scoring: how recall ranks.
        where: the folder or server, for messages.
    """

    def __init__(
        self,
        client: ClientAPI,
        game_id: str,
        embedder: Embedder,
        *,
        where: str,
        namespace: str = "",
        scoring: Scoring | None = None,
        owns_client: bool = False,
    ) -> None:
        """Use :meth:`open` or :meth:`connect`."""
        if not _NAMESPACE.match(namespace):
            raise MemoryStoreError(
                where,
                f"namespace {namespace!r} must be up to 40 letters, digits, '-' or '_'.",
            )
        self.game_id = game_id
        self.embedder = embedder
        self.scoring = scoring or Scoring()
        self.where = where
        self._chroma = Chroma(client, embedder, where=where, owns_client=owns_client)
        self._gates: dict[str, Condition] = {}
        self._lore_rows: _LoreMatrix | None = None
        prefix = f"{game_id}-{namespace}" if namespace else game_id
        self._lore = self._chroma.collection(f"{game_id}-lore", f"{_FORMAT}|{_CHUNKER}")
        self._history = self._chroma.collection(f"{prefix}-history", f"{_FORMAT}")

    # ----------------------------------------------------------- lifecycle

    @staticmethod
    def folder_for(save_path: str | os.PathLike[str]) -> Path:
        """Where :meth:`open` keeps the memory of the save at ``save_path``."""
        path = Path(save_path)
        return path.with_name(path.name + ".memory")

    @classmethod
    def open(
        cls,
        save_path: str | os.PathLike[str],
        game_id: str,
        embedder: Embedder | None = None,
        *,
        scoring: Scoring | None = None,
    ) -> MemoryStore:
        """Open (or create) the memory kept beside the save at ``save_path``.

        Args:
            embedder: any Chroma embedding function (default: a new
                :class:`LocalEmbedder`, loaded on first use).

        Raises:
            MemoryStoreError: the folder cannot be created or read.
        """
        folder = cls.folder_for(save_path).resolve()
        client = local_client(folder)
        try:
            return cls(
                client,
                game_id,
                embedder or LocalEmbedder(),
                where=str(folder),
                scoring=scoring,
                owns_client=True,
            )
        except BaseException:
            client.close()
            raise

    @classmethod
    def connect(
        cls,
        client: ClientAPI,
        game_id: str,
        embedder: Embedder | None = None,
        *,
        namespace: str = "",
        scoring: Scoring | None = None,
        where: str = "the Chroma server",
        owns_client: bool = False,
    ) -> MemoryStore:
        """Use the collections of ``game_id`` on ``client`` (e.g.
        :func:`~fabula.memory.chroma_server`).

        Lore is shared by every save of the game on that server; history is
        not, so give each save (or player) its own ``namespace``. The client
        stays the caller's (:meth:`close` does not close it), unless
        ``owns_client`` hands it over; then it is closed with the store, or
        at once if the store cannot be opened.

        Raises:
            MemoryStoreError: the server refused or failed.
        """
        try:
            return cls(client, game_id, embedder or LocalEmbedder(), where=where,
                       namespace=namespace, scoring=scoring, owns_client=owns_client)  # fmt: skip
        except BaseException:
            if owns_client:
                client.close()
            raise

    def close(self) -> None:
        """Release the store: the Chroma client, if :meth:`open` made it, and
        the embedder's HTTP connections, if it keeps any (an
        :class:`~fabula.memory.OpenAIEmbedder`, which reconnects if it is used
        again, so an embedder shared with another store is not broken)."""
        self._chroma.close()
        if isinstance(self.embedder, OpenAIEmbedder):
            self.embedder.close()

    @property
    def closed(self) -> bool:
        return self._chroma.closed

    def __enter__(self) -> MemoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self.closed else self._chroma.identity
        return f"<MemoryStore {self.game_id} at {self.where} ({state})>"

    def count(self, kind: Kind) -> int:
        """How many entries of ``kind`` (``"lore"`` chunks or ``"history"`` turns) it holds."""
        with self._chroma.errors(f"counting {kind}"):
            return self._of(kind).count()

    # ----------------------------------------------------------------- lore

    def index_lore(self, source: ContentGame | str | os.PathLike[str]) -> LoreReport:
        """Bring the lore collection in line with a lore folder: embed new and
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
            stored = self._lore.get(include=["metadatas"])
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
                self._lore.delete(ids=dropped)
        rows = [(f, i) for f in files for i in range(len(f.chunks))]
        for batch in batched(rows, _BATCH):
            documents = [f.document(i) for f, i in batch]
            vectors = self._chroma.embed(documents)
            with self._chroma.errors("writing lore"):
                self._lore.add(
                    ids=[f"{f.name}#{i}" for f, i in batch],
                    documents=documents,
                    metadatas=[f.metadata(i) for f, i in batch],
                    embeddings=vectors,
                )
        if changed or removed:
            _log.info("lore: %d file(s) indexed, %d removed", len(changed), len(removed))
        self._lore_rows = None  # read again on the next recall
        return LoreReport(len(paths), tuple(changed), tuple(removed), len(rows))

    # -------------------------------------------------------------- history

    def record(self, entry: HistoryEntry) -> None:
        """Store ``entry`` (replacing any entry of the same turn).

        Raises:
            MemoryStoreError: the store or the embedder (EmbedderError) failed.
        """
        self._write_history([entry])

    def record_turn(
        self,
        save: SaveFile,
        account: str,
        before: Scene,
        actor: int,
        outcomes: Sequence[Outcome],
        events: Sequence[Event],
    ) -> HistoryEntry:
        """Remember the turn ``save`` has just committed, and return its entry.

        Call it after :meth:`~fabula.persistence.SaveFile.play` returned, with
        the scene taken before it, the turn's outcomes and events, and its
        :meth:`~fabula.narration.TemplateNarrator.account`. Whether the turn ended the game
        is asked of the save's game.

        Raises:
            MemoryStoreError: the store or the embedder (EmbedderError) failed
                (the turn itself is safe; :meth:`sync` adds it later).
        """
        entry = self.entry_for_turn(save, account, before, actor, outcomes, events)
        self.record(entry)
        return entry

    def entry_for_turn(
        self,
        save: SaveFile,
        account: str,
        before: Scene,
        actor: int,
        outcomes: Sequence[Outcome],
        events: Sequence[Event],
    ) -> HistoryEntry:
        """The entry :meth:`record_turn` would write, without writing it: the
        part that needs the world as the turn left it, so the write itself
        (embedding and upsert) can happen later, off the turn's path.

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
        ending = game.ending(save.world) if isinstance(game, ContentGame) else None
        return history_entry(
            records[0], account, before, save.world, actor, outcomes, events, ending
        )

    def forget_after(self, turn: int) -> int:
        """Drop the entries of turns after ``turn`` (after an undo); return how many.

        Raises:
            MemoryStoreError: the store failed.
        """
        with self._chroma.errors("forgetting undone turns"):
            found = self._history.get(where={"turn": {"$gt": turn}}, include=[])
            if found["ids"]:
                self._history.delete(ids=found["ids"])
        return len(found["ids"])

    def history(self, after: int = 0, upto: int | None = None) -> list[HistoryEntry]:
        """The stored entries with ``after < turn <= upto``, in turn order."""
        where: dict[str, Any] = {"turn": {"$gt": after}}
        if upto is not None:
            where = {"$and": [where, {"turn": {"$lte": upto}}]}
        with self._chroma.errors("reading history"):
            found = self._history.get(where=where, include=["documents", "metadatas"])
        entries = [
            HistoryEntry.from_stored(text, meta)
            for text, meta in zip(found["documents"] or [], found["metadatas"] or [], strict=True)
        ]
        return sorted(entries, key=lambda e: e.turn)

    def sync(self, save: SaveFile, game: ContentGame, narrator: PlainNarrator) -> SyncReport:
        """Make history match the save's journal: drop entries of turns past
        the save's turn or of rows no longer journalled, and rebuild missing
        entries by replaying the journal (see :mod:`fabula.memory.sync`).

        Args:
            narrator: a template narrator for ``game`` (it is prepared afresh
                for each replayed turn; the session's own may be passed).

        Raises:
            MemoryStoreError: the save belongs to another game, the store or
                the embedder (EmbedderError) failed, or the journal cannot be
                read or replayed (the :class:`~fabula.errors.ReplayError` is
                the cause): memory cannot be brought in line, the save is
                untouched.
        """
        if save.game.id != self.game_id or game.id != self.game_id:
            raise MemoryStoreError(
                self.where, f"holds the memory of {self.game_id!r}, not of {save.game.id!r}."
            )
        with self._journal(save, "reading the journal"):
            expected = {record.turn: source_of(record) for record in save.records()}
        with self._chroma.errors("reading history"):
            stored = self._history.get(include=["metadatas"])
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
                self._history.delete(ids=stale)
        missing = sorted(set(expected) - current)
        with self._journal(save, "replaying the journal to rebuild history"):
            added = self._write_history(replayed_entries(save, game, narrator, missing))
        if stale or added:
            _log.info("history: %d stale entries removed, %d rebuilt", len(stale), added)
        return SyncReport(len(stale), added)

    # --------------------------------------------------------------- recall

    def recall(
        self,
        query: str,
        *,
        world: WorldView,
        actor: int,
        now: int,
        k: int = 4,
        kinds: Collection[Kind] = KINDS,
    ) -> list[Memory]:
        """The ``k`` memories that best serve ``query`` for ``actor`` at turn ``now``.

        Filters, before ranking (:mod:`fabula.memory.recall`):

        * history: only turns up to ``now`` that ``actor`` witnessed;
        * lore: only passages whose ``requires`` holds in ``world`` now.

        Raises:
            MemoryStoreError: the store or the embedder (EmbedderError) failed.
        """
        if k <= 0 or not query.strip() or not kinds:
            return []
        (vector,) = self._chroma.embed([query], query=True)
        wanted = k * self.scoring.candidates
        found: list[Memory] = []
        if "history" in kinds:
            for ident, text, meta, distance in self._witnessed(
                vector, wanted, entity_key(world, actor), now
            ):
                turn = int(meta["turn"])
                score = self.scoring.score(distance, int(meta["importance"]), turn, now)
                found.append(Memory(ident, text, "history", score, turn))
        if "lore" in kinds:
            gates = LoreGates(world, self._gates)
            for ident, text, meta, distance in self._nearest_lore(vector, wanted):
                if meta.get("requires") and not gates.hold(str(meta["requires"])):
                    continue
                score = self.scoring.score(distance, int(meta["importance"]), None, now)
                found.append(Memory(ident, text, "lore", score, None))
        return rank(found, k)

    # ------------------------------------------------------------ internals

    def _nearest_lore(self, vector: np.ndarray, n: int) -> list[Row]:
        """The ``n`` lore chunks nearest ``vector``.

        A game's lore is small (the demo's is 11 chunks) and changes only
        when :meth:`index_lore` changes it, so it is read once and ranked
        exactly in memory: a Chroma query costs about 3 ms a turn, mostly
        fixed overhead. Lore past :data:`LORE_IN_MEMORY` chunks is queried.
        """
        if self._lore_rows is None:
            with self._chroma.errors("reading lore"):
                total = self._lore.count()
                if total > LORE_IN_MEMORY:
                    return self._chroma.query(self._lore, vector, n)
                got = self._lore.get(include=["documents", "metadatas", "embeddings"])
            self._lore_rows = _LoreMatrix(got)
        return self._lore_rows.nearest(vector, n)

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

    def _of(self, kind: Kind) -> Any:
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
        return self._lore if kind == "lore" else self._history

    def _write_history(self, entries: Iterable[HistoryEntry]) -> int:
        written = 0
        for batch in batched(entries, _BATCH):
            vectors = self._chroma.embed([e.text for e in batch])
            with self._chroma.errors("writing history"):
                self._history.upsert(
                    ids=[e.id for e in batch],
                    documents=[e.text for e in batch],
                    metadatas=[e.metadata() for e in batch],
                    embeddings=vectors,
                )
            written += len(batch)
        return written

    def _witnessed(self, vector: np.ndarray, wanted: int, witness: str, now: int) -> list[Row]:
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
        rows = self._chroma.query(self._history, vector, fetched)
        passing = [
            row for row in rows
            if int(row[2]["turn"]) <= now and witness in (row[2].get("witnesses") or ())
        ]  # fmt: skip
        if len(passing) >= wanted or len(rows) < fetched:  # enough, or all there is
            return passing[:wanted]
        where = {"$and": [{"turn": {"$lte": now}}, {"witnesses": {"$contains": witness}}]}
        return self._chroma.query(self._history, vector, wanted, where)


LORE_IN_MEMORY = 5000
"""Lore chunks ranked in memory rather than by a Chroma query (see
:meth:`MemoryStore._nearest_lore`)."""


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
