"""Every persistence measurement in one run, its tables, and the command line.

:func:`run` makes the four measurements in order (flushes, full save and
load, journal appends, decoding); :func:`tables` and :func:`markdown` print
them (missed targets in red in the former), :func:`environment` names the
machine and the libraries, and :func:`main` is ``python -m
benchmarks.persistence``.
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
from collections.abc import Sequence
from importlib.metadata import version
from typing import Any

from rich.console import Console
from rich.table import Table

from benchmarks.ecs import parse_sizes
from benchmarks.persistence.decode import run_decode
from benchmarks.persistence.flush import run_flush
from benchmarks.persistence.journal import run_journal
from benchmarks.persistence.snapshot import run_snapshot

__all__ = ["FLUSH_HEADER", "environment", "main", "markdown", "run", "tables"]

Results = dict[str, list[dict[str, Any]]]
"""``{"flush": ..., "snapshot": ..., "journal": ..., "decode": ...}``: each
measurement's rows, as its ``run_*`` function returns them."""


def run(
    sizes: Sequence[int] = (1_000, 10_000, 100_000),
    entities: int = 100_000,
    repeats: int = 3,
    naive_sample: int = 5000,
    turns: int = 500,
) -> Results:
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


def _sections(results: Results) -> list[tuple[str, list[str], list[list[str]]]]:
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


def tables(results: Results) -> list[Table]:
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


def markdown(results: Results) -> str:
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
        prog="python -m benchmarks.persistence",
        description="Saving: write-behind flushes against committing every change, "
        "full save and load, journal.",
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
