"""The memory store: a game's lore and a save's history, in Chroma.

A :class:`MemoryStore` holds two collections, both in cosine space, each
kept by its own half:

* ``<game>-lore``: chunks of the game's ``lore/`` files, indexed and read
  back by :class:`~fabula.memory.lore_index.LoreIndex`
  (:mod:`fabula.memory.lore_index`), ids ``"<file>#<chunk>"``;
* ``<game>-history`` (``<game>-<namespace>-history`` on a shared server):
  one entry per committed turn, written and kept in step with the save by
  :class:`~fabula.memory.history_log.HistoryLog`
  (:mod:`fabula.memory.history_log`), ids ``"turn-<n>"``.

This module is the store's face: opening and closing it, and recall, which
ranks both halves' candidates together. The Chroma boundary itself (errors,
stamps, embedding, queries) is :mod:`fabula.memory.chroma`.

By default it lives in a folder beside the save (``game.save`` ->
``game.save.memory/``, a Chroma ``PersistentClient``); any Chroma client may
be given instead, e.g. an ``HttpClient`` to a Chroma server
(:func:`~fabula.memory.chroma_server`).

Invariants:

* **Everything in it can be rebuilt**: lore from the game's files, history
  from the save's journal. So when a collection was built by another
  embedder or another layout of this store (its stamp differs), it is
  dropped and rebuilt rather than mixed, and deleting the folder is always
  safe.
* **History follows the save** (:mod:`fabula.memory.history_log`).
* **Nothing is embedded twice** (:mod:`fabula.memory.lore_index`).
* **Chroma never embeds by itself**: the store embeds every text with its own
  embedder and hands Chroma the vectors, so Chroma's default embedder
  (which downloads a model) is never used.

What fails underneath (Chroma, the embedder, the save's journal read back
for memory) is translated to :class:`~fabula.errors.MemoryStoreError`, whose
message says what to do next.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path

from chromadb.api import ClientAPI

from fabula.actions import Outcome
from fabula.content import ContentGame
from fabula.ecs import WorldView
from fabula.errors import ArgumentError, MemoryStoreError
from fabula.events import Event
from fabula.memory.chroma import Chroma, local_client
from fabula.memory.chunking import MAX_WORDS, MIN_WORDS
from fabula.memory.embedding import Embedder, LocalEmbedder, OpenAIEmbedder
from fabula.memory.history import HistoryEntry, PlainNarrator, Scene, entity_key
from fabula.memory.history_log import HistoryLog, SyncReport
from fabula.memory.lore_index import LoreIndex, LoreReport
from fabula.memory.recall import KINDS, Kind, Memory, Scoring, rank
from fabula.persistence import SaveFile

__all__ = ["MemoryStore"]

_FORMAT = 1
"""The layout of entries and metadata; a store stamped otherwise is rebuilt."""

_CHUNKER = f"{MIN_WORDS}-{MAX_WORDS}.1"
"""The chunker's settings and version: lore cut otherwise is re-indexed."""

_NAMESPACE = re.compile(r"^[A-Za-z0-9_-]{0,40}$")


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
        prefix = f"{game_id}-{namespace}" if namespace else game_id
        self._lore = LoreIndex(
            self._chroma, self._chroma.collection(f"{game_id}-lore", f"{_FORMAT}|{_CHUNKER}")
        )
        self._history = HistoryLog(
            self._chroma, self._chroma.collection(f"{prefix}-history", f"{_FORMAT}"), where
        )

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
        """Release the store: the Chroma client, if :meth:`open` made it (or
        :meth:`connect` was handed it), and the embedder's HTTP connections, if
        it keeps any (an :class:`~fabula.memory.OpenAIEmbedder`, which
        reconnects if it is used again, so an embedder shared with another
        store is not broken). Closing twice is harmless.

        Raises:
            MemoryStoreError: the Chroma client did not close cleanly.
        """
        try:
            self._chroma.close()
        finally:
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
        """How many entries of ``kind`` (``"lore"`` chunks or ``"history"`` turns) it holds.

        Raises:
            MemoryStoreError: the store failed.
        """
        if kind not in KINDS:
            raise ArgumentError(f"kind must be one of {KINDS}, got {kind!r}")
        half = self._lore if kind == "lore" else self._history
        with self._chroma.errors(f"counting {kind}"):
            return half.collection.count()

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
        return self._lore.index(source)

    # -------------------------------------------------------------- history

    def record(self, entry: HistoryEntry) -> None:
        """Store ``entry`` (replacing any entry of the same turn).

        Raises:
            MemoryStoreError: the store or the embedder (EmbedderError) failed.
        """
        self._history.write([entry])

    def record_many(self, entries: Iterable[HistoryEntry]) -> int:
        """Store ``entries`` in batches (256 per embedding call and upsert:
        how a rebuild writes); return how many.

        Raises:
            MemoryStoreError: the store or the embedder (EmbedderError) failed.
        """
        return self._history.write(entries)

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
        plain account (:meth:`~fabula.narration.TemplateNarrator.account`).
        Whether the turn ended the game is asked of the save's game.

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
        return self._history.entry_for_turn(save, account, before, actor, outcomes, events)

    def forget_after(self, turn: int) -> int:
        """Drop the entries of turns after ``turn`` (after an undo); return how many.

        Raises:
            MemoryStoreError: the store failed.
        """
        return self._history.forget_after(turn)

    def history(self, after: int = 0, upto: int | None = None) -> list[HistoryEntry]:
        """The stored entries with ``after < turn <= upto``, in turn order.

        Raises:
            MemoryStoreError: the store failed.
        """
        return self._history.entries(after, upto)

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
        return self._history.sync(save, game, narrator)

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
            witness = entity_key(world, actor)
            found += self._history.recall(
                vector, wanted, witness=witness, now=now, scoring=self.scoring
            )
        if "lore" in kinds:
            found += self._lore.recall(vector, wanted, world=world, now=now, scoring=self.scoring)
        return rank(found, k)
