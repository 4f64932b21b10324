"""The per-turn benchmark's report: rich tables, the same in Markdown, and
the line naming the machine.

Each stage's median, 95th percentile and first turn, in milliseconds, and
the median's ratio to :data:`~benchmarks.turn.results.TARGET_MS`; the totals
say whether the target was met (missed ones in red). A setup table follows
the sizes' tables.
"""

from __future__ import annotations

import os
import platform
from collections.abc import Sequence
from importlib.metadata import version

from rich.table import Table

from benchmarks.turn.results import STAGES, TARGET_MS, Overhead

__all__ = ["environment", "markdown_overhead", "tables_overhead"]


def _ms(value: float) -> str:
    return f"{value:.3f}" if value < 1 else f"{value:.2f}"


def _sections(results: Sequence[Overhead]) -> list[tuple[str, list[str], list[list[str]]]]:
    """``(title, header, rows of cells)`` per table."""
    out = []
    for r in results:
        rows = []
        for key, label in STAGES:
            if key not in r.times:
                continue
            median = r.median_ms(key)
            met = ""
            if key in ("total", "total_nofsync"):
                met = "yes" if median < TARGET_MS else "NO"
            first = r.times[key][0] / 1e6
            ratio = f"{median / TARGET_MS:.2f}x"
            rows.append([label, _ms(median), _ms(r.p95_ms(key)), _ms(first), ratio, met])
        title = (
            f"Per turn, N = {r.entities:,} entities, {r.memories:,} memories, {r.turns} turns (ms)"
        )
        header = ["stage", "median", "p95", "first turn", f"median / {TARGET_MS:g} ms", "met"]
        out.append((title, header, rows))
    setup = [
        [
            f"{r.entities:,}",
            f"{r.memories:,}",
            f"{r.setup['world']:.2f} s",
            f"{r.setup['save']:.2f} s",
            f"{r.setup['journal']:.1f} s",
            f"{r.setup['memory']:.1f} s",
            f"{r.setup['open']:.2f} s",
            f"{r.setup['embedder']:.1f} s" if "embedder" in r.setup else "",
        ]
        for r in results
    ]
    header = [
        "N",
        "memories",
        "world build",
        "new save",
        "journal (Session.turn)",
        "memory fill (lore, sync)",
        "start both sessions",
        "LocalEmbedder load",
    ]
    out.append(("Setup", header, setup))
    return out


def tables_overhead(results: Sequence[Overhead]) -> list[Table]:
    """The results of :func:`~benchmarks.turn.overhead.run_overhead` as rich
    tables; missed targets in red."""
    out = []
    for title, header, rows in _sections(results):
        table = Table(title=title)
        for i, column in enumerate(header):
            table.add_column(column, justify="left" if i == 0 else "right")
        for cells in rows:
            table.add_row(*cells, style="bold red" if cells[-1] == "NO" else None)
        out.append(table)
    return out


def markdown_overhead(results: Sequence[Overhead]) -> str:
    """The same tables in Markdown, for ``docs/benchmarks.md``."""
    out: list[str] = []
    for title, header, rows in _sections(results):
        out += [f"{title}:", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        out += ["| " + " | ".join(cells) + " |" for cells in rows] + [""]
    return "\n".join(out)


def environment() -> str:
    """One line naming the interpreter, the libraries and the machine."""
    libs = ", ".join(f"{d} {version(d)}" for d in ("chromadb", "numpy", "pydantic", "torch"))
    return (
        f"Python {platform.python_version()}, {libs}; {platform.machine()}, "
        f"{os.cpu_count()} cores; fsync is disk time; gc paused while timing"
    )
