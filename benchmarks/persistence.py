"""Saving: write-behind flushes against committing every change, full save and load, journal.

All figures come from real SQLite files in a temporary folder, opened by
:func:`fabula.persistence.schema.connect` with the settings saves use (WAL,
``synchronous=FULL``, exclusive lock), in one run:

1. **Flush of K changed components**, numeric (a columnar ``Pos``) and object
   (a ``Label`` dataclass with a str and a list, encoded with msgspec), three
   ways, each writing the world's current values:

   * *write-behind*, what ``SaveFile.flush`` does: ``ChangeLog.take()``,
     :func:`~fabula.persistence.write_behind.write_changes` (gather, encode,
     one ``executemany`` per table) and the state row, in one transaction;
   * *naive*, "commit every change": one ``INSERT OR REPLACE`` per changed
     component in autocommit mode, so one commit (one fsync) each. Above
     ``--naive-sample`` changes only the first ones are timed and the rate
     extrapolated; the table says "sampled";
   * *bare executemany*, the physical limit: the same rows, built beforehand,
     written by one ``executemany`` into the same table in one transaction.

   Numeric components are saved in chunks of 1,024 slots
   (:mod:`fabula.persistence.chunks`), so their bare limit is the same chunk
   rows; a naive engine would store one row per component, so the naive run
   and a second bare limit ("row layout") use such a table in the same file.
   Object components have one row per component: the naive and bare runs
   write into the save's own table. Ratios: write-behind over naive (rates)
   and write-behind's time over the bare write's time. Targets (the issue's,
   at K = 10,000): >= 50x naive, within 2x of the bare ``executemany``.
2. **Full save and load** of N entities with three components (two numeric,
   one object) and with the two numeric ones only, through
   :func:`~fabula.persistence.write_world` and
   :func:`~fabula.persistence.read_world`, against ``World.spawn_batch`` of
   the same data (building the object components too).
3. **Journal append** per turn: median and 95th percentile of
   :func:`fabula.persistence.journal.append` with a realistic
   :class:`~fabula.persistence.TurnRecord`, fsynced (``FULL``) and not
   (``NORMAL``, ``durability="process"``).
4. **Decoding an object component**: msgspec's typed MessagePack decode (what
   saves use; it validates), msgspec's typed JSON decode, Pydantic's
   ``TypeAdapter(C).validate_json`` and the unvalidated
   ``C(**json.loads(s))``, ns per component.

Method: :func:`time.perf_counter`, best of ``--repeats`` timed runs (the
flush's three ways interleaved, so they see the same disk, each after a
``wal_checkpoint(RESTART)``, so none pays for a checkpoint another made due);
garbage is collected before and collection paused during every timed
section. Every
measurement checks its own work: after a write-behind flush and after a full
save, :func:`~fabula.persistence.read_world` must give back a world with the
same :func:`~fabula.persistence.state_digest` as the one written, and
appended turns must be in the journal; a failed check raises
:class:`~benchmarks.ecs.VerificationError` and no figure is printed.

Run it with::

    python -m benchmarks.persistence [--sizes 1000,10000,100000] [--entities 100000]
        [--repeats 3] [--naive-sample 5000] [--turns 500] [--markdown]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from importlib.metadata import version
from pathlib import Path
from typing import Any

import msgspec
import numpy as np
from pydantic import TypeAdapter
from rich.console import Console
from rich.table import Table

from benchmarks.ecs import VerificationError, parse_sizes
from fabula.actions import ActionProposal
from fabula.ecs import ComponentRegistry, World, component
from fabula.persistence import journal, read_world, state_digest, write_world
from fabula.persistence.chunks import chunk_rows
from fabula.persistence.schema import connect
from fabula.persistence.snapshot import Catalog, write_state
from fabula.persistence.write_behind import write_changes

__all__ = [
    "KINDS",
    "TARGET_K",
    "main",
    "markdown",
    "run",
    "run_decode",
    "run_flush",
    "run_journal",
    "run_snapshot",
    "tables",
]

TARGET_K = 10_000
"""The K at which the issue's flush targets apply."""

VS_NAIVE_TARGET = 50.0
"""Write-behind must write at least this many times the naive rate."""

VS_BARE_TARGET = 2.0
"""Write-behind may take at most this many times the bare ``executemany``."""

KINDS = ("numeric", "object")
"""The component kinds flushed: the columnar ``Pos`` and the object ``Label``."""


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

ROW_TABLE = "naive_pos"
"""The one-row-per-component table a naive engine would use for ``Pos``."""

ROW_UPSERT = f"INSERT OR REPLACE INTO {ROW_TABLE} VALUES (?, ?, ?)"
CHUNK_UPSERT = 'INSERT OR REPLACE INTO "c:pos" (chunk, handles, x, y) VALUES (?, ?, ?, ?)'
LABEL_UPSERT = 'INSERT OR REPLACE INTO "c:label" (entity, data) VALUES (?, ?)'


# -- timing and checks ---------------------------------------------------------


def _timed(work: Callable[[], Any], conn: sqlite3.Connection | None = None) -> float:
    """Seconds one call of ``work`` takes; garbage is collected before and
    collection paused during. With ``conn``, its write-ahead log is
    checkpointed first, so no write pays for a checkpoint another one made
    due; ``RESTART`` keeps the log file's size, so writes overwrite it as in a
    long game (after ``TRUNCATE`` each fsync also journals the file's growth,
    about 50 us more per commit here)."""
    if conn is not None:
        conn.execute("PRAGMA wal_checkpoint(RESTART)")
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        work()
        return time.perf_counter() - start
    finally:
        if enabled:
            gc.enable()


@contextmanager
def _frozen_heap() -> Iterator[None]:
    """Collect garbage once, then keep every object alive now out of later
    collections (:func:`gc.freeze`), so the collection before each timed
    section scans only what was made since, not the world and the modules."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _check(ok: bool, where: str, detail: str) -> None:
    if not ok:
        raise VerificationError(f"{where}: {detail}; the figure would be void.")


def _check_file(conn: sqlite3.Connection, path: Path, world: World, where: str) -> None:
    """The save at ``path`` must load back into a world equal to ``world``."""
    loaded, _ = read_world(conn, path, Catalog(path, REGISTRY))
    _check(
        state_digest(loaded, REGISTRY.name_of) == state_digest(world, REGISTRY.name_of),
        where,
        "the file does not load back into the world that was written",
    )


# -- worlds and saves ------------------------------------------------------------


def _columns(n: int, *, label: bool = True) -> dict[type, Any]:
    """``spawn_batch`` input: entity ``i`` has ``Pos(i, 0)``, ``Vel(1, 0)`` and
    ``Label(f"thing {i}", ["old"])``."""
    columns: dict[type, Any] = {
        Pos: {"x": np.arange(n, dtype=float), "y": np.zeros(n)},
        Vel: {"dx": np.ones(n), "dy": np.zeros(n)},
    }
    if label:
        columns[Label] = [Label(f"thing {i}", ["old"]) for i in range(n)]
    return columns


def _world(n: int, *, label: bool = True) -> World:
    world = World(1)
    world.spawn_batch(_columns(n, label=label))
    return world


def _spawn(n: int, label: bool) -> None:
    """``spawn_batch`` of the data of :func:`_world`, building it too."""
    World(1).spawn_batch(_columns(n, label=label))


def _save(conn: sqlite3.Connection, world: World, catalog: Catalog) -> None:
    """A full save: ``write_world`` in one transaction."""
    conn.execute("BEGIN IMMEDIATE")
    write_world(conn, world, catalog, 0)
    conn.execute("COMMIT")


# -- 1. flushes --------------------------------------------------------------------


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
        wb = min(wb, _timed(partial(_flush, conn, world, catalog, log), conn))
        if r == repeats - 1:
            _check_file(conn, path, world, f"write-behind flush, K = {k}, {kind}")
        sql, rows, row_sql, per_row = _prebuilt(world, kind)
        bare = min(bare, _timed(partial(_bare, conn, sql, rows), conn))
        if row_sql != sql:
            bare_rows = min(bare_rows, _timed(partial(_bare, conn, row_sql, per_row), conn))
    if kind == "object":
        bare_rows = bare  # one row per component is the save's own layout
    sample = per_row[:naive_sample]
    naive = min(_timed(partial(_naive, conn, row_sql, sample), conn) for _ in range(repeats))
    naive_k = naive * k / len(sample)  # extrapolated when sampled
    table = ROW_TABLE if kind == "numeric" else '"c:label"'
    (written,) = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
    _check(written == k, f"bare and naive writes, K = {k}, {kind}", f"{table} has {written} rows")
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
            world = _world(k)
            path = Path(tmp) / f"flush-{k}.save"
            conn = connect(path, create=True)
            catalog = Catalog(path, REGISTRY)
            _save(conn, world, catalog)
            conn.execute(f"CREATE TABLE {ROW_TABLE} (entity INTEGER PRIMARY KEY, x REAL, y REAL)")
            log = world.track_changes()
            with _frozen_heap():
                for kind in KINDS:
                    results.append(
                        _flush_kind(conn, path, world, catalog, log, kind, repeats, naive_sample)
                    )
            conn.close()
    return results


# -- 2. full save and load ----------------------------------------------------------


def run_snapshot(n: int, repeats: int = 3) -> list[dict[str, Any]]:
    """Save and load N entities (three components, then the two numeric ones).

    Save: ``write_world`` and the commit, into a new file. Load: opening the
    file (``connect``) and ``read_world``.

    Returns:
        One row per world with keys ``what``, ``n``, ``save_s``, ``load_s``,
        ``spawn_batch_s``, ``load_vs_spawn`` and ``mb`` (the file's size).

    Raises:
        ValueError: ``n`` or ``repeats`` is below 1.
        VerificationError: a loaded world differs from the saved one.
    """
    if n < 1 or repeats < 1:
        raise ValueError(f"run_snapshot needs n >= 1 and repeats >= 1, got {n} and {repeats}.")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for what, with_label in (("2 numeric + 1 object", True), ("2 numeric", False)):
            world = _world(n, label=with_label)
            want = state_digest(world, REGISTRY.name_of)
            save = load = spawn = float("inf")
            size = 0
            with _frozen_heap():
                for r in range(repeats):
                    path = Path(tmp) / f"snapshot-{int(with_label)}-{r}.save"
                    conn = connect(path, create=True)
                    save = min(save, _timed(partial(_save, conn, world, Catalog(path, REGISTRY))))
                    conn.close()
                    size = path.stat().st_size
                    loaded: list[World] = []

                    def open_and_read(path: Path = path, loaded: list[World] = loaded) -> None:
                        conn = connect(path)
                        loaded.append(read_world(conn, path, Catalog(path, REGISTRY))[0])
                        conn.close()

                    load = min(load, _timed(open_and_read))
                    _check(
                        state_digest(loaded[0], REGISTRY.name_of) == want,
                        f"full save and load, N = {n}, {what}",
                        "the loaded world differs from the saved one",
                    )
                    spawn = min(spawn, _timed(partial(_spawn, n, with_label)))
            results.append(
                {
                    "what": what,
                    "n": n,
                    "save_s": save,
                    "load_s": load,
                    "spawn_batch_s": spawn,
                    "load_vs_spawn": load / spawn,
                    "mb": size / 1e6,
                }
            )
    return results


# -- 3. journal ------------------------------------------------------------------------


def _turn_record(turn: int) -> journal.TurnRecord:
    """What a text game's turn journals: the input, two parsed actions, the
    tick, the RNG fingerprint and the models used."""
    now = time.time()
    return journal.TurnRecord(
        turn=turn,
        input="take the brass lamp and go north",
        actions=(
            ActionProposal(action="take", actor=1, params={"item": 42}),
            ActionProposal(action="go", actor=1, params={"direction": "north"}),
        ),
        tick=turn,
        rng="9f86d081884c7d65",
        models={"parser": "symbolic", "narrator": "templates@1"},
        started_at=now,
        finished_at=now + 0.004,
    )


def run_journal(turns: int = 500) -> list[dict[str, Any]]:
    """Microseconds per ``journal.append``, fsynced and not.

    Returns:
        One row per setting (``FULL``, then ``NORMAL``) with keys
        ``synchronous``, ``durability``, ``median_us`` and ``p95_us``.

    Raises:
        ValueError: ``turns`` is below 1.
        VerificationError: the journal does not hold every appended turn.
    """
    if turns < 1:
        raise ValueError(f"run_journal needs turns >= 1, got {turns}.")
    results = []
    records = [_turn_record(t) for t in range(1, turns + 1)]
    with tempfile.TemporaryDirectory() as tmp:
        for durability, pragma in (("power", "FULL"), ("process", "NORMAL")):
            path = Path(tmp) / f"journal-{durability}.save"
            conn = connect(path, create=True, durability=durability)  # type: ignore[arg-type]
            times = []
            enabled = gc.isenabled()
            gc.collect()
            gc.disable()
            try:
                for record in records:
                    start = time.perf_counter()
                    journal.append(conn, record)
                    times.append(time.perf_counter() - start)
            finally:
                if enabled:
                    gc.enable()
            _check(
                journal.last_turn(conn) == turns,
                f"journal append, {pragma}",
                f"the journal ends at turn {journal.last_turn(conn)}, not {turns}",
            )
            conn.close()
            p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
            results.append(
                {
                    "synchronous": pragma,
                    "durability": durability,
                    "median_us": statistics.median(times) * 1e6,
                    "p95_us": p95 * 1e6,
                }
            )
    return results


# -- 4. decoding ------------------------------------------------------------------------


def run_decode(n: int = 50_000, repeats: int = 3) -> list[dict[str, Any]]:
    """Nanoseconds per object component decoded, by method.

    Returns:
        One row per method, ours first, with keys ``method``, ``ns`` and
        ``vs_ours`` (time over msgspec MessagePack's).

    Raises:
        ValueError: ``n`` or ``repeats`` is below 1.
        VerificationError: a method does not give back the encoded value.
    """
    if n < 1 or repeats < 1:
        raise ValueError(f"run_decode needs n >= 1 and repeats >= 1, got {n} and {repeats}.")
    value = Label("brass lamp", ["light", "portable"])
    packed, text = msgspec.msgpack.encode(value), msgspec.json.encode(value)
    typed = msgspec.msgpack.Decoder(Label).decode
    typed_json = msgspec.json.Decoder(Label).decode
    adapter = TypeAdapter(Label)
    methods: dict[str, Callable[[], Any]] = {
        "msgspec MessagePack, typed (what saves use; validates)": lambda: typed(packed),
        "msgspec JSON, typed (validates)": lambda: typed_json(text),
        "Pydantic TypeAdapter.validate_json (validates)": lambda: adapter.validate_json(text),
        "C(**json.loads(s)) (no validation)": lambda: Label(**json.loads(text)),
    }
    results = []
    with _frozen_heap():
        for name, decode in methods.items():
            _check(decode() == value, f"decode, {name}", "the value decoded differs")

            def loop(decode: Callable[[], Any] = decode) -> None:
                for _ in range(n):
                    decode()

            best = min(_timed(loop) for _ in range(repeats))
            results.append({"method": name, "ns": best / n * 1e9})
    for row in results:
        row["vs_ours"] = row["ns"] / results[0]["ns"]
    return results


# -- all of it, and the report -------------------------------------------------------


def run(
    sizes: Sequence[int] = (1_000, 10_000, 100_000),
    entities: int = 100_000,
    repeats: int = 3,
    naive_sample: int = 5000,
    turns: int = 500,
) -> dict[str, list[dict[str, Any]]]:
    """Every measurement: ``{"flush": ..., "snapshot": ..., "journal": ..., "decode": ...}``."""
    return {
        "flush": run_flush(sizes, repeats, naive_sample),
        "snapshot": run_snapshot(entities, repeats),
        "journal": run_journal(turns),
        "decode": run_decode(max(1_000, entities // 2), repeats),
    }


def _rate(value: float) -> str:
    """Components per second: ``880k``, ``5.52M``."""
    if value >= 1e6:
        return f"{value / 1e6:.2f}M"
    return f"{value / 1e3:.1f}k" if value >= 1e3 else f"{value:.0f}"


def _met(ok: bool) -> str:
    return "yes" if ok else "NO"


FLUSH_HEADER = [
    "K",
    "kind",
    "write-behind",
    "naive (commit each)",
    "bare executemany",
    "bare, row layout",
    "WB / naive",
    "WB time / bare",
    "met (>= 50x, <= 2x)",
]


def _sections(
    results: dict[str, list[dict[str, Any]]],
) -> list[tuple[str, list[str], list[list[str]]]]:
    """``(title, header, rows of cells)`` per table."""
    flush = [
        [
            f"{r['k']:,}",
            r["kind"],
            _rate(r["write_behind_per_s"]),
            _rate(r["naive_per_s"]) + (" (sampled)" if r["naive_sampled"] else ""),
            _rate(r["bare_per_s"]),
            _rate(r["bare_rows_per_s"]),
            f"{r['vs_naive']:,.0f}x",
            f"{r['vs_bare']:.2f}x",
            ", ".join(map(_met, r["met"])) if r["met"] else "",
        ]
        for r in results["flush"]
    ]
    snapshot = [
        [
            f"{r['n']:,}",
            r["what"],
            f"{r['save_s']:.3f} s",
            f"{r['load_s']:.3f} s",
            f"{r['spawn_batch_s']:.4f} s",
            f"{r['load_vs_spawn']:.1f}x",
            f"{r['mb']:.1f} MB",
        ]
        for r in results["snapshot"]
    ]
    journal_rows = [
        [f"{r['synchronous']} ({r['durability']})", f"{r['median_us']:.0f}", f"{r['p95_us']:.0f}"]
        for r in results["journal"]
    ]
    decode = [[r["method"], f"{r['ns']:,.0f}", f"{r['vs_ours']:.2f}x"] for r in results["decode"]]
    return [
        ("Flush of K changed components, components per second, best run", FLUSH_HEADER, flush),
        (
            "Full save and load",
            ["N", "components", "save", "load", "spawn_batch", "load / spawn_batch", "file"],
            snapshot,
        ),
        (
            "Journal append per turn",
            ["synchronous (durability)", "median µs", "p95 µs"],
            journal_rows,
        ),
        ("Decoding one object component", ["method", "ns", "vs ours"], decode),
    ]


def tables(results: dict[str, list[dict[str, Any]]]) -> list[Table]:
    """The results of :func:`run` as rich tables; missed targets in red."""
    out = []
    for title, header, rows in _sections(results):
        table = Table(title=title)
        for i, column in enumerate(header):
            table.add_column(column, justify="left" if i == 0 and "K" not in column else "right")
        for cells in rows:
            table.add_row(*cells, style="bold red" if "NO" in cells[-1] else None)
        out.append(table)
    return out


def markdown(results: dict[str, list[dict[str, Any]]]) -> str:
    """The same tables in Markdown, for ``docs/benchmarks.md``."""
    out: list[str] = []
    for title, header, rows in _sections(results):
        out += [f"{title}:", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        out += ["| " + " | ".join(cells) + " |" for cells in rows] + [""]
    return "\n".join(out)


def environment() -> str:
    """One line naming SQLite, the interpreter, the libraries and the machine."""
    libs = ", ".join(f"{d} {version(d)}" for d in ("msgspec", "pydantic", "numpy"))
    return (
        f"SQLite {sqlite3.sqlite_version}, Python {platform.python_version()}, {libs}; "
        f"{platform.machine()}, {os.cpu_count()} cores; WAL, synchronous=FULL unless noted; "
        "gc paused while timing"
    )


def main(argv: Sequence[str] | None = None) -> None:
    """Run every persistence benchmark and print its tables."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.persistence", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        default=[1_000, 10_000, 100_000],
        help="K values for flushes, comma-separated (default 1000,10000,100000)",
    )
    parser.add_argument("--entities", type=int, default=100_000, help="N for save and load")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs; the best counts")
    parser.add_argument(
        "--naive-sample", type=int, default=5000, help="naive commits timed per run (default 5000)"
    )
    parser.add_argument("--turns", type=int, default=500, help="journal appends timed")
    parser.add_argument("--markdown", action="store_true", help="also print Markdown tables")
    args = parser.parse_args(argv)
    results = run(args.sizes, args.entities, args.repeats, args.naive_sample, args.turns)
    console = Console(width=max(Console().width, 150))  # the flush table needs ~150 columns
    for table in tables(results):
        console.print(table)
    console.print(environment(), highlight=False)
    if args.markdown:
        print(markdown(results))


if __name__ == "__main__":
    main()
