"""Flushing K changed components: write-behind against committing every
change and against the bare ``executemany``.

A world of K entities is saved whole; then all K ``Pos`` (numeric) or all K
``Label`` (object) change and are written three ways, each writing the
world's current values:

* *write-behind*, what ``SaveFile.flush`` does: ``ChangeLog.take()``,
  :func:`~fabula.persistence.write_behind.write_changes` (gather, encode,
  one ``executemany`` per table) and the state row, in one transaction;
* *naive*, "commit every change": one ``INSERT OR REPLACE`` per changed
  component in autocommit mode, so one commit (one fsync) each. Above
  ``naive_sample`` changes only the first ones are timed and the rate
  extrapolated ("sampled");
* *bare executemany*, the physical limit: the same rows, built beforehand,
  written by one ``executemany`` into the same table in one transaction.

Numeric components are saved in chunks of 1,024 slots
(:mod:`fabula.persistence.chunks`), so their bare limit is the same chunk
rows; a naive engine would store one row per component, so the naive run and
a second bare limit ("row layout") use such a table (:data:`ROW_TABLE`) in
the same file. Object components have one row per component: the naive and
bare runs write into the save's own table.

The three ways are interleaved, run by run, so they see the same disk, and
the write-ahead log is checkpointed before each timed write, so none pays
for a checkpoint another made due. After the last write-behind flush of a
kind, the file must load back into the world; the bare and naive writes
must have written every row.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import msgspec
import numpy as np

from benchmarks.persistence.worlds import (
    REGISTRY,
    Label,
    Pos,
    check,
    check_file,
    make_world,
    save_world,
)
from benchmarks.timing import frozen_heap, timed
from fabula.ecs import World
from fabula.persistence.chunks import chunk_rows
from fabula.persistence.schema import connect
from fabula.persistence.snapshot import Catalog, write_state
from fabula.persistence.write_behind import write_changes

__all__ = [
    "CHUNK_UPSERT",
    "KINDS",
    "LABEL_UPSERT",
    "ROW_TABLE",
    "ROW_UPSERT",
    "TARGET_K",
    "VS_BARE_TARGET",
    "VS_NAIVE_TARGET",
    "run_flush",
]

TARGET_K = 10_000
"""The K at which the issue's flush targets apply."""

VS_NAIVE_TARGET = 50.0
"""Write-behind must write at least this many times the naive rate."""

VS_BARE_TARGET = 2.0
"""Write-behind may take at most this many times the bare ``executemany``."""

KINDS = ("numeric", "object")
"""The component kinds flushed: the columnar ``Pos`` and the object ``Label``."""

ROW_TABLE = "naive_pos"
"""The one-row-per-component table a naive engine would use for ``Pos``."""

ROW_UPSERT = f"INSERT OR REPLACE INTO {ROW_TABLE} VALUES (?, ?, ?)"
CHUNK_UPSERT = 'INSERT OR REPLACE INTO "c:pos" (chunk, handles, x, y) VALUES (?, ?, ?, ?)'
LABEL_UPSERT = 'INSERT OR REPLACE INTO "c:label" (entity, data) VALUES (?, ?)'


def _seconds(work: Callable[[], Any], conn: sqlite3.Connection) -> float:
    """Seconds one call of ``work`` takes (see :func:`benchmarks.timing.timed`),
    after the write-ahead log of ``conn`` is checkpointed, so no write pays
    for a checkpoint another one made due. ``RESTART`` keeps the log file's
    size, so writes overwrite it as in a long game (after ``TRUNCATE`` each
    fsync also journals the file's growth, about 50 us more per commit here)."""
    conn.execute("PRAGMA wal_checkpoint(RESTART)")
    return timed(work)[1] / 1e9


def _mutate(world: World, kind: str) -> None:
    """Change every component of one kind, as a system would."""
    if kind == "numeric":
        for _, (pos,) in world.query_columns(Pos):
            pos.x += 1.0
    else:
        for _, (label,) in world.query(Label):
            label.tags[0] = "new" if label.tags[0] == "old" else "old"


def _flush(conn: sqlite3.Connection, world: World, catalog: Catalog, log: Any) -> None:
    """What ``SaveFile.flush`` does between full saves."""
    changes = log.take()
    conn.execute("BEGIN IMMEDIATE")
    write_changes(conn, world, catalog, changes)
    write_state(conn, world, 0)
    conn.execute("COMMIT")


def _bare(conn: sqlite3.Connection, sql: str, rows: list[Any]) -> None:
    """The physical limit: prebuilt rows, one ``executemany``, one transaction."""
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(sql, rows)
    conn.execute("COMMIT")


def _naive(conn: sqlite3.Connection, sql: str, rows: list[Any]) -> None:
    """Commit every change: in autocommit mode each statement is its own transaction."""
    for row in rows:
        conn.execute(sql, row)


def _prebuilt(world: World, kind: str) -> tuple[str, list[Any], str, list[Any]]:
    """The world's current values of one kind, as rows (read without marking
    anything changed): ``(sql, rows in the save's layout, sql, rows in the
    one-row-per-component layout)``."""
    if kind == "numeric":
        parts = [
            (np.array(entities), pos.x.copy(), pos.y.copy())
            for entities, (pos,) in world.query_columns(Pos, readonly=True)
        ]
        handles, xs, ys = (np.concatenate(p) for p in zip(*parts, strict=True))
        order = np.argsort(handles & 0xFFFFFFFF, kind="stable")
        handles, xs, ys = handles[order], xs[order], ys[order]
        chunks, _ = chunk_rows(handles, [xs, ys])
        per_row = list(zip(handles.tolist(), xs.tolist(), ys.tolist(), strict=True))
        return CHUNK_UPSERT, chunks, ROW_UPSERT, per_row
    encode = msgspec.msgpack.Encoder().encode
    rows = [(e, encode(label)) for e, (label,) in world.query(Label, readonly=True)]
    return LABEL_UPSERT, rows, LABEL_UPSERT, rows


def _flush_kind(
    conn: sqlite3.Connection,
    path: Path,
    world: World,
    catalog: Catalog,
    log: Any,
    kind: str,
    repeats: int,
    naive_sample: int,
) -> dict[str, Any]:
    """One row of :func:`run_flush`: K components of ``kind`` changed, written three ways."""
    k = len(world)
    wb = bare = bare_rows = float("inf")
    for r in range(repeats):
        _mutate(world, kind)
        wb = min(wb, _seconds(partial(_flush, conn, world, catalog, log), conn))
        if r == repeats - 1:
            check_file(conn, path, world, f"write-behind flush, K = {k}, {kind}")
        sql, rows, row_sql, per_row = _prebuilt(world, kind)
        bare = min(bare, _seconds(partial(_bare, conn, sql, rows), conn))
        if row_sql != sql:
            bare_rows = min(bare_rows, _seconds(partial(_bare, conn, row_sql, per_row), conn))
    if kind == "object":
        bare_rows = bare  # one row per component is the save's own layout
    sample = per_row[:naive_sample]
    naive = min(_seconds(partial(_naive, conn, row_sql, sample), conn) for _ in range(repeats))
    naive_k = naive * k / len(sample)  # extrapolated when sampled
    table = ROW_TABLE if kind == "numeric" else '"c:label"'
    (written,) = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
    check(written == k, f"bare and naive writes, K = {k}, {kind}", f"{table} has {written} rows")
    vs_naive, vs_bare = naive_k / wb, wb / bare
    return {
        "k": k,
        "kind": kind,
        "write_behind_per_s": k / wb,
        "naive_per_s": k / naive_k,
        "naive_sampled": len(sample) < k,
        "bare_per_s": k / bare,
        "bare_rows_per_s": k / bare_rows,
        "vs_naive": vs_naive,
        "vs_bare": vs_bare,
        "met": (vs_naive >= VS_NAIVE_TARGET, vs_bare <= VS_BARE_TARGET) if k == TARGET_K else None,
    }


def run_flush(
    sizes: Sequence[int], repeats: int = 3, naive_sample: int = 5000
) -> list[dict[str, Any]]:
    """Flush K changed components three ways, for every K in ``sizes``.

    Args:
        sizes: the values of K (the world has K entities; all K change).
        repeats: timed runs per figure; the best counts.
        naive_sample: at most this many naive commits are timed per run.

    Returns:
        One row per (K, kind), K-major, with keys ``k``, ``kind``,
        ``write_behind_per_s``, ``naive_per_s``, ``naive_sampled``,
        ``bare_per_s``, ``bare_rows_per_s`` (the row layout's limit; for
        object components the same table as ``bare_per_s``), ``vs_naive``
        (write-behind rate over naive rate), ``vs_bare`` (write-behind time
        over bare time) and ``met`` (``None`` unless K is :data:`TARGET_K`,
        else ``(vs_naive met, vs_bare met)``).

    Raises:
        ValueError: empty ``sizes``, or a count below 1.
        VerificationError: a write-behind flush did not write the world.
    """
    if not sizes or min(sizes) < 1 or repeats < 1 or naive_sample < 1:
        raise ValueError(
            "run_flush needs sizes >= 1, repeats >= 1 and naive_sample >= 1, got "
            f"{list(sizes)}, {repeats} and {naive_sample}."
        )
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for k in sizes:
            world = make_world(k)
            path = Path(tmp) / f"flush-{k}.save"
            conn = connect(path, create=True)
            catalog = Catalog(path, REGISTRY)
            save_world(conn, world, catalog)
            conn.execute(f"CREATE TABLE {ROW_TABLE} (entity INTEGER PRIMARY KEY, x REAL, y REAL)")
            log = world.track_changes()
            with frozen_heap():
                for kind in KINDS:
                    results.append(
                        _flush_kind(conn, path, world, catalog, log, kind, repeats, naive_sample)
                    )
            conn.close()
    return results
