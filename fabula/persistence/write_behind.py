"""Write-behind: world changes are buffered and written in one transaction.

The World's change tracking (:class:`~fabula.ecs.ChangeLog`) is the buffer:
it records which entities and components changed, not their values, so a
component written a thousand times between flushes is written to disk once,
with its latest value. A flush turns the net changes into one
``executemany`` per table and kind (upsert or delete) inside a single
transaction, together with the snapshot's turn number, so the file always
holds a snapshot taken at a turn boundary. For numeric columns the unit
written is the chunk of 1,024 slots holding a changed entity.

Between flushes, the action journal carries the game: a crash loses only the
buffer, and recovery replays the journalled turns since the last flush.
:class:`WriteBehind` keeps a save's buffer and decides when it is due; if a
flush fails, the changes it took are not lost: the next one rewrites the
whole snapshot.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from fabula.ecs import ChangeLog, ChangeSet, World
from fabula.errors import ArgumentError
from fabula.persistence import journal
from fabula.persistence.chunks import chunk_rows, chunks_of, unique
from fabula.persistence.snapshot import (
    ENTITY_UPSERT,
    Catalog,
    live_handles,
    write_state,
    write_world,
)

__all__ = ["FlushPolicy", "WriteBehind", "write_changes"]


@dataclass(frozen=True, slots=True)
class FlushPolicy:
    """When a save writes its buffered changes.

    A flush happens at the end of a turn once ``every_turns`` turns or
    ``every_seconds`` seconds have passed since the last one, whichever comes
    first, and always on save, undo, close and on SIGINT/SIGTERM (see
    :meth:`SaveFile.flush_on_signals`). ``every_turns=1`` flushes after every
    turn; a large value leans on the journal.

    The defaults bound recovery work to 20 turns and keep flushing off the
    hot path of a fast simulation; a text game's flush of a few changed
    components takes well under a millisecond.

    ``clock`` is what the seconds are read from (``time.monotonic``); tests
    give a clock of their own so that nothing they check depends on how fast
    the machine is.
    """

    every_turns: int = 20
    every_seconds: float = 10.0
    clock: Callable[[], float] = field(default=time.monotonic, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.every_turns < 1 or self.every_seconds <= 0:
            raise ArgumentError("FlushPolicy needs every_turns >= 1 and every_seconds > 0.")


class WriteBehind:
    """A save's buffer of unwritten changes, and when to write them.

    Args:
        catalog: the save's component tables.
        policy: when a flush is due.
    """

    def __init__(self, catalog: Catalog, policy: FlushPolicy) -> None:
        self.catalog = catalog
        self.policy = policy
        self._log: ChangeLog | None = None
        self._world: World | None = None
        self._rewrite = False
        self._since = 0
        self._at = policy.clock()

    def follow(self, world: World, log: ChangeLog, *, rewrite: bool) -> None:
        """Buffer ``world``'s changes, recorded by ``log`` (from
        ``world.track_changes()``), instead of the last world's; with
        ``rewrite``, the next flush writes the whole snapshot."""
        self.stop()
        self._log, self._world = log, world
        self._rewrite = self._rewrite or rewrite

    def stop(self) -> None:
        """Stop buffering (the save is closing)."""
        if self._log is not None and self._world is not None:
            self._world.untrack_changes(self._log)
        self._log = self._world = None

    def turn_played(self) -> bool:
        """Count a turn; return whether a flush is due."""
        self._since += 1
        return self._since >= self.policy.every_turns or self.waited()

    def start_clock(self) -> None:
        """Count the policy's seconds from now (a save just opened, with
        nothing buffered yet)."""
        self._at = self.policy.clock()

    def waited(self) -> bool:
        """Whether the policy's time has passed since the last flush."""
        return self.policy.clock() - self._at >= self.policy.every_seconds

    @property
    def pending(self) -> int:
        """Turns played since the last flush."""
        return self._since

    def flush(
        self,
        conn: sqlite3.Connection,
        turn: int,
        digest: str | None = None,
        *,
        truncate: bool = False,
    ) -> None:
        """Write the buffered changes and the snapshot's turn (and ``digest``)
        in one transaction; with ``truncate``, delete journal rows past ``turn``
        in it too.

        Raises:
            sqlite3.Error, UnsavableComponentError: nothing was written; the
                next flush rewrites the whole snapshot.
        """
        assert self._log is not None, "flush() before follow()"
        assert self._world is not None, "flush() before follow()"
        world = self._world
        changes = self._log.take()
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                if truncate:
                    journal.truncate(conn, turn)
                if self._rewrite:
                    write_world(conn, world, self.catalog, turn, digest)
                else:
                    write_changes(conn, world, self.catalog, changes)
                    write_state(conn, world, turn, digest)
                conn.execute("COMMIT")
            except BaseException:
                journal.rollback(conn)
                raise
        except BaseException:
            self._rewrite = True  # the taken changes are not on disk
            self.catalog.forget()
            raise
        self._rewrite = False
        self._since = 0
        self._at = self.policy.clock()


def write_changes(
    conn: sqlite3.Connection, world: World, catalog: Catalog, changes: ChangeSet
) -> int:
    """Write ``changes`` (net changes of ``world``) into the snapshot tables.

    Object components: one upsert or delete per changed component, batched
    with ``executemany`` per table. Columnar components and the entity list:
    the chunks holding a changed entity are rewritten from the world (see
    :mod:`fabula.persistence.chunks`). Call inside a write transaction.
    Returns the number of component and entity changes written.
    """
    count = 0
    spawned = world.locate_many(changes.spawned) if changes.spawned else {}
    gone = [(e,) for e in changes.despawned]
    # Columnar types and the entity list: which chunks must be rewritten.
    touched: dict[type, list[np.ndarray]] = {}
    for ctype, entities in changes.removed.items():
        touched.setdefault(ctype, []).append(_array(entities))
    for ctype in changes.written_types():
        touched.setdefault(ctype, []).extend(changes.written_arrays(ctype))
    for arch, rows in spawned.items():
        handles = arch.entity_array()[rows]
        for ctype in arch.types:
            touched.setdefault(ctype, []).append(handles)
    if gone:
        despawned = _array(changes.despawned)
        for codec in catalog.codecs():
            if codec.columnar:
                touched.setdefault(codec.ctype, []).append(despawned)
            else:
                conn.executemany(codec.delete_sql, gone)
        count += len(gone)
    if changes.spawned or gone:
        moved = np.fromiter([*changes.spawned, *changes.despawned], dtype=np.int64)
        only = chunks_of(moved)
        upserts, deletes = chunk_rows(live_handles(world, only), [], only=only)
        conn.executemany(ENTITY_UPSERT, upserts)
        conn.executemany("DELETE FROM entities WHERE chunk = ?", deletes)
        count += len(changes.spawned)
    for ctype, parts in touched.items():
        codec = catalog.writer(conn, ctype)
        if codec.columnar:
            only = chunks_of(np.concatenate(parts))
            handles, arrays = codec.gather(world, only)
            upserts, deletes = chunk_rows(handles, arrays, only=only)
            conn.executemany(codec.upsert_sql, upserts)
            conn.executemany(codec.delete_sql, deletes)
            count += sum(map(len, parts))
    for ctype, entities in changes.removed.items():
        codec = catalog.writer(conn, ctype)
        if not codec.columnar:
            conn.executemany(codec.delete_sql, [(e,) for e in entities])
            count += len(entities)
    for arch, rows in spawned.items():
        for ctype in arch.objects:
            codec = catalog.writer(conn, ctype)
            conn.executemany(codec.upsert_sql, codec.rows(arch, rows))
    for ctype in changes.written_types():
        codec = catalog.writer(conn, ctype)
        if not codec.columnar:
            entities = unique(np.concatenate(changes.written_arrays(ctype)))
            for arch, rows in world.locate_many(entities.tolist()).items():
                conn.executemany(codec.upsert_sql, codec.rows(arch, rows))
                count += len(rows)
    return count


def _array(handles: frozenset[int]) -> np.ndarray:
    return np.fromiter(handles, dtype=np.int64, count=len(handles))
