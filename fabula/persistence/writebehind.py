"""Write-behind: world changes are buffered and written in one transaction.

The World's change tracking (:class:`~fabula.ecs.ChangeLog`) is the buffer:
it records which entities and components changed, not their values, so a
component written a thousand times between flushes is written to disk once,
with its latest value. A flush turns the net changes into one
``executemany`` per table and kind (upsert or delete) inside a single
transaction, together with the snapshot's turn number, so the file always
holds a snapshot taken at a turn boundary.

Between flushes, the action journal carries the game: a crash loses only the
buffer, and recovery replays the journalled turns since the last flush.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from fabula.ecs import ChangeSet, World
from fabula.persistence.snapshot import Catalog, archetype_rows

__all__ = ["FlushPolicy", "write_changes"]


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
    """

    every_turns: int = 20
    every_seconds: float = 10.0

    def __post_init__(self) -> None:
        if self.every_turns < 1 or self.every_seconds <= 0:
            raise ValueError("FlushPolicy needs every_turns >= 1 and every_seconds > 0.")


def write_changes(
    conn: sqlite3.Connection, world: World, catalog: Catalog, changes: ChangeSet
) -> int:
    """Write ``changes`` (net changes of ``world``) into the snapshot tables.

    Call inside a write transaction. Returns the number of rows written or
    deleted.
    """
    count = 0
    if changes.despawned:
        ids = [(e,) for e in changes.despawned]
        conn.executemany("DELETE FROM entities WHERE id = ?", ids)
        for table in catalog.tables():
            conn.executemany(f"DELETE FROM {table} WHERE entity = ?", ids)
        count += len(ids)
    for ctype, entities in changes.removed.items():
        codec = catalog.writer(conn, ctype)
        conn.executemany(codec.delete_sql, [(e,) for e in entities])
        count += len(entities)
    if changes.spawned:
        conn.executemany(
            "INSERT OR REPLACE INTO entities (id) VALUES (?)", [(e,) for e in changes.spawned]
        )
        for arch, rows in archetype_rows(world, changes.spawned).items():
            for ctype in arch.infos:
                codec = catalog.writer(conn, ctype)
                conn.executemany(codec.upsert_sql, codec.rows(arch, rows))
                count += len(rows)
        count += len(changes.spawned)
    for ctype, entities in changes.written.items():
        codec = catalog.writer(conn, ctype)
        for arch, rows in archetype_rows(world, entities).items():
            conn.executemany(codec.upsert_sql, codec.rows(arch, rows))
            count += len(rows)
    return count
