"""Saving: write-behind flushes, full save and load, journal appends, decoding.

All figures come from real SQLite files in a temporary folder, opened with
the settings saves use (WAL, ``synchronous=FULL``, exclusive lock), in one run:

1. **Flush of K changed components** (numeric and object), three ways:
   *write-behind* (what ``SaveFile.flush`` does: take the net changes from the
   change log, gather and encode them, write them in one transaction);
   *naive*, the "commit every change" style: one upsert and one commit per
   changed component (at large K only the first ``--naive-sample`` changes
   are timed and the rate extrapolated, marked "sampled"); and *bare
   executemany*, the physical limit: the same rows, built beforehand, written
   by one ``executemany`` into the same table in one transaction. Numeric
   components are saved in chunks of 1,024 slots (``fabula.persistence.chunks``),
   so their bare limit is the same chunk rows; the row layout's limit (one row
   per component) is shown beside it.
2. **Full save and load** of N entities with 3 components (two numeric, one
   object) and of N numeric-only entities, against ``spawn_batch`` of the
   same data.
3. **Journal append** per turn: median and 95th percentile, fsynced (FULL)
   and not (NORMAL).
4. **Decoding an object component**: msgspec's typed MessagePack decode (what
   saves use, validating), against Pydantic's ``validate_json`` and the
   unvalidated ``C(**json.loads(...))``.

Run it with ``python -m benchmarks.persistence [--sizes 1000,10000,100000]``.
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import msgspec
import numpy as np
from pydantic import TypeAdapter
from rich.console import Console
from rich.table import Table

from fabula.actions import ActionProposal
from fabula.ecs import ComponentRegistry, World, component
from fabula.persistence import journal, read_world, write_world
from fabula.persistence.chunks import chunk_rows
from fabula.persistence.schema import connect
from fabula.persistence.snapshot import Catalog, write_state
from fabula.persistence.write_behind import write_changes

__all__ = ["main", "run_decode", "run_flush", "run_journal", "run_snapshot"]


@component(name="pos", columnar=True)
class Pos:
    x: float
    y: float


@component(name="vel", columnar=True)
class Vel:
    dx: float
    dy: float


@component(name="label")
class Label:
    text: str
    tags: list[str]


REGISTRY = ComponentRegistry()
for _type in (Pos, Vel, Label):
    REGISTRY.register(_type)


@contextmanager
def _no_gc() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _timed(fn: Callable[..., Any], *args: Any) -> float:
    with _no_gc():
        start = time.perf_counter()
        fn(*args)
        return time.perf_counter() - start


def _new_save(folder: Path, name: str, world: World) -> tuple[sqlite3.Connection, Path, Catalog]:
    path = folder / name
    conn = connect(path, create=True)
    catalog = Catalog(path, REGISTRY)
    conn.execute("BEGIN IMMEDIATE")
    write_world(conn, world, catalog, 0)
    conn.execute("COMMIT")
    return conn, path, catalog


def _world(n: int, *, label: bool = True) -> World:
    world = World(1)
    columns: dict[type, Any] = {
        Pos: {"x": np.arange(n, dtype=float), "y": np.zeros(n)},
        Vel: {"dx": np.ones(n), "dy": np.zeros(n)},
    }
    if label:
        columns[Label] = [Label(f"thing {i}", ["old"]) for i in range(n)]
    world.spawn_batch(columns)
    return world


# -- 1. flushes --------------------------------------------------------------


def _mutate(world: World, kind: str) -> None:
    """Change every component of one kind, as a system would."""
    if kind == "numeric":
        for _, (pos,) in world.query_columns(Pos):
            pos.x += 1.0
    else:
        for _, (label,) in world.query(Label):
            label.tags[0] = "new" if label.tags[0] == "old" else "old"


def _flush(conn: sqlite3.Connection, world: World, catalog: Catalog, log: Any) -> None:
    """What SaveFile.flush does."""
    conn.execute("BEGIN IMMEDIATE")
    write_changes(conn, world, catalog, log.take())
    write_state(conn, world, 0)
    conn.execute("COMMIT")


def _bare(conn: sqlite3.Connection, sql: str, data: list[Any]) -> None:
    """The physical limit: prebuilt rows, one executemany, one transaction."""
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(sql, data)
    conn.execute("COMMIT")


def _naive(conn: sqlite3.Connection, sql: str, rows: list[Any]) -> None:
    """Commit every change: autocommit makes each statement its own transaction."""
    for row in rows:
        conn.execute(sql, row)


def run_flush(
    sizes: Sequence[int], repeats: int = 3, naive_sample: int = 2000
) -> list[dict[str, Any]]:
    """Flush K changed components three ways; one row per (K, kind)."""
    if not sizes or repeats < 1 or naive_sample < 1:
        raise ValueError("run_flush needs sizes, repeats >= 1 and naive_sample >= 1")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for k in sizes:
            world = _world(k)
            conn, _, catalog = _new_save(folder, f"flush{k}.save", world)
            conn.execute("CREATE TABLE naive_pos (entity INTEGER PRIMARY KEY, x REAL, y REAL)")
            conn.execute("CREATE TABLE naive_label (entity INTEGER PRIMARY KEY, data BLOB)")
            log = world.track_changes()
            encode = msgspec.msgpack.Encoder().encode
            for kind in ("numeric", "object"):
                best_wb = float("inf")
                for _ in range(repeats):
                    _mutate(world, kind)
                    best_wb = min(best_wb, _timed(_flush, conn, world, catalog, log))
                log.take()

                if kind == "numeric":
                    handles = np.arange(k, dtype=np.int64)
                    xs = np.arange(k, dtype=float)
                    per_row = list(zip(handles.tolist(), xs.tolist(), xs.tolist(), strict=True))
                    table, row_sql = (
                        "naive_pos",
                        "INSERT OR REPLACE INTO naive_pos VALUES (?, ?, ?)",
                    )
                    chunks, _ = chunk_rows(handles, [xs, xs])
                    chunk_sql = 'INSERT OR REPLACE INTO "c:pos" VALUES (?, ?, ?, ?)'
                else:
                    per_row = [(i, encode(Label(f"thing {i}", ["new"]))) for i in range(k)]
                    table, row_sql = (
                        "naive_label",
                        "INSERT OR REPLACE INTO naive_label VALUES (?, ?)",
                    )
                    chunks, chunk_sql = per_row, 'INSERT OR REPLACE INTO "c:label" VALUES (?, ?)'
                best_bare = min(_timed(_bare, conn, chunk_sql, chunks) for _ in range(repeats))
                best_rows = min(_timed(_bare, conn, row_sql, per_row) for _ in range(repeats))
                sample = per_row[:naive_sample]
                naive_time = _timed(_naive, conn, row_sql, sample) * k / len(sample)
                conn.execute(f"DELETE FROM {table}")
                rows.append(
                    {
                        "k": k,
                        "kind": kind,
                        "write_behind_per_s": k / best_wb,
                        "naive_per_s": k / naive_time,
                        "naive_sampled": len(sample) < k,
                        "bare_per_s": k / best_bare,
                        "bare_rows_per_s": k / best_rows,
                        "vs_naive": naive_time / best_wb,
                        "vs_bare": best_wb / best_bare,
                    }
                )
            conn.close()
    return rows


# -- 2. full save and load ----------------------------------------------------


def _save(conn: sqlite3.Connection, world: World, path: Path) -> None:
    conn.execute("BEGIN IMMEDIATE")
    write_world(conn, world, Catalog(path, REGISTRY), 0)
    conn.execute("COMMIT")


def _spawn(n: int, with_label: bool) -> None:
    """spawn_batch of the same data, building the object components too."""
    columns: dict[type, Any] = {
        Pos: {"x": np.arange(n, dtype=float), "y": np.zeros(n)},
        Vel: {"dx": np.ones(n), "dy": np.zeros(n)},
    }
    if with_label:
        columns[Label] = [Label(f"thing {i}", ["old"]) for i in range(n)]
    World(1).spawn_batch(columns)


def run_snapshot(n: int, repeats: int = 3) -> list[dict[str, Any]]:
    """Save and load N entities (3 components, and numeric-only)."""
    if n < 1 or repeats < 1:
        raise ValueError("run_snapshot needs n >= 1 and repeats >= 1")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for label, with_label in (
            ("3 components (2 numeric, 1 object)", True),
            ("2 numeric", False),
        ):
            world = _world(n, label=with_label)
            saves = []
            loads = []
            size = 0.0
            for r in range(repeats):
                path = folder / f"snap{int(with_label)}{r}.save"
                conn = connect(path, create=True)

                saves.append(_timed(_save, conn, world, path))
                conn.close()
                size = path.stat().st_size / 1e6
                conn = connect(path)
                loads.append(_timed(read_world, conn, path, Catalog(path, REGISTRY)))
                conn.close()
            spawn_time = min(_timed(_spawn, n, with_label) for _ in range(repeats))
            rows.append(
                {
                    "what": label,
                    "n": n,
                    "save_s": min(saves),
                    "load_s": min(loads),
                    "spawn_batch_s": spawn_time,
                    "load_vs_spawn": min(loads) / spawn_time,
                    "mb": size,
                }
            )
    return rows


# -- 3. journal ------------------------------------------------------------------


def run_journal(turns: int = 500) -> list[dict[str, Any]]:
    """Per-turn journal append cost, fsynced and not."""
    if turns < 1:
        raise ValueError("run_journal needs turns >= 1")
    rows = []
    proposal = ActionProposal(action="take", actor=1, params={"item": 42})
    with tempfile.TemporaryDirectory() as tmp:
        for durability, pragma in (("power", "FULL"), ("process", "NORMAL")):
            path = Path(tmp) / f"journal-{durability}.save"
            conn = connect(path, create=True, durability=durability)  # type: ignore[arg-type]
            times = []
            for turn in range(1, turns + 1):
                record = journal.TurnRecord(
                    turn=turn,
                    input="take the brass lamp",
                    actions=(proposal,),
                    tick=turn,
                    rng="0123456789abcdef",
                    models={"parser": "symbolic"},
                    started_at=time.time(),
                    finished_at=time.time(),
                )
                start = time.perf_counter()
                journal.append(conn, record)
                times.append(time.perf_counter() - start)
            conn.close()
            times.sort()
            rows.append(
                {
                    "synchronous": pragma,
                    "median_us": statistics.median(times) * 1e6,
                    "p95_us": times[int(len(times) * 0.95) - 1] * 1e6,
                }
            )
    return rows


# -- 4. decoding -------------------------------------------------------------------


def run_decode(n: int = 50_000) -> list[dict[str, Any]]:
    """ns per object component decoded, by method."""
    if n < 1:
        raise ValueError("run_decode needs n >= 1")
    value = Label("brass lamp", ["light", "portable"])
    packed = msgspec.msgpack.encode(value)
    text = msgspec.json.encode(value)
    typed = msgspec.msgpack.Decoder(Label).decode
    typed_json = msgspec.json.Decoder(Label).decode
    adapter = TypeAdapter(Label)
    methods: dict[str, Callable[[], Any]] = {
        "msgspec MessagePack, typed (saves use this; validates)": lambda: typed(packed),
        "msgspec JSON, typed (validates)": lambda: typed_json(text),
        "Pydantic validate_json (validates)": lambda: adapter.validate_json(text),
        "C(**json.loads(...)) (no validation)": lambda: Label(**json.loads(text)),
    }
    rows = []
    for name, fn in methods.items():
        assert fn() == value

        def loop(fn: Callable[[], Any] = fn) -> None:
            for _ in range(n):
                fn()

        rows.append({"method": name, "ns": min(_timed(loop) for _ in range(3)) / n * 1e9})
    base = rows[0]["ns"]
    for row in rows:
        row["vs_ours"] = row["ns"] / base
    return rows


# -- output ----------------------------------------------------------------------------


def _rate(value: float) -> str:
    return f"{value / 1e6:.2f}M/s" if value >= 1e6 else f"{value / 1e3:.1f}k/s"


def tables(
    flush: list[dict[str, Any]],
    snapshot: list[dict[str, Any]],
    journal_rows: list[dict[str, Any]],
    decode: list[dict[str, Any]],
) -> list[Table]:
    """The four result tables."""
    t1 = Table(title="Flush of K changed components (components per second)")
    for col in (
        "K",
        "kind",
        "write-behind",
        "naive (commit each)",
        "bare executemany",
        "bare, row layout",
        "WB / naive",
        "WB time / bare",
    ):
        t1.add_column(col, justify="right")
    for r in flush:
        t1.add_row(
            f"{r['k']:,}",
            r["kind"],
            _rate(r["write_behind_per_s"]),
            _rate(r["naive_per_s"]) + (" (sampled)" if r["naive_sampled"] else ""),
            _rate(r["bare_per_s"]),
            _rate(r["bare_rows_per_s"]),
            f"{r['vs_naive']:,.0f}x",
            f"{r['vs_bare']:.2f}x",
        )
    t2 = Table(title="Full save and load")
    for col in (
        "entities",
        "components",
        "save",
        "load",
        "spawn_batch",
        "load / spawn_batch",
        "file",
    ):
        t2.add_column(col, justify="right")
    for r in snapshot:
        t2.add_row(
            f"{r['n']:,}",
            r["what"],
            f"{r['save_s']:.3f} s",
            f"{r['load_s']:.3f} s",
            f"{r['spawn_batch_s']:.3f} s",
            f"{r['load_vs_spawn']:.1f}x",
            f"{r['mb']:.1f} MB",
        )
    t3 = Table(title="Journal append per turn")
    for col in ("synchronous", "median", "p95"):
        t3.add_column(col, justify="right")
    for r in journal_rows:
        t3.add_row(r["synchronous"], f"{r['median_us']:.0f} µs", f"{r['p95_us']:.0f} µs")
    t4 = Table(title="Decoding one object component")
    for col in ("method", "ns", "vs ours"):
        t4.add_column(col, justify="right")
    for r in decode:
        t4.add_row(r["method"], f"{r['ns']:.0f}", f"{r['vs_ours']:.2f}x")
    return [t1, t2, t3, t4]


def main(argv: Sequence[str] | None = None) -> None:
    """Run every persistence benchmark and print the tables."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.persistence", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--sizes", default="1000,10000,100000", help="K values for flushes")
    parser.add_argument("--entities", type=int, default=100_000, help="N for save and load")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per figure (best)")
    parser.add_argument("--naive-sample", type=int, default=2000, help="naive changes timed")
    parser.add_argument("--turns", type=int, default=500, help="journal appends timed")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    console = Console()
    console.print(
        f"[bold]Persistence[/] — SQLite {sqlite3.sqlite_version}, Python "
        f"{platform.python_version()}, {platform.machine()}; WAL, synchronous=FULL unless noted"
    )
    results = (
        run_flush(sizes, args.repeats, args.naive_sample),
        run_snapshot(args.entities, args.repeats),
        run_journal(args.turns),
        run_decode(max(1000, args.entities // 2)),
    )
    for table in tables(*results):
        console.print(table)


if __name__ == "__main__":
    main()
