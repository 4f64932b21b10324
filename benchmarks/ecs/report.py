"""Tables (rich and Markdown) from a run's results, and the command line."""

from __future__ import annotations

import argparse
import math
import os
import platform
from collections.abc import Iterable, Sequence
from importlib.metadata import version

from rich.console import Console
from rich.table import Table

from benchmarks.ecs.components import KINDS
from benchmarks.ecs.model import NOTES, SCENARIOS, Result
from benchmarks.ecs.scenarios import run

# --- reporting ---------------------------------------------------------------------------

HEADER = [
    "scenario",
    "fabula",
    "esper",
    "tcod-ecs",
    "numpy",
    "fabula/esper",
    "fabula/numpy",
    "target",
    "met",
]
KIND_HEADER = [
    "components",
    "fabula tick",
    "vs slotted",
    "esper tick",
    "build 2 instances",
    "validate_component",
]


def _figure(value: float | None, unit: str) -> str:
    if value is None or math.isnan(value):
        return ""
    if unit == "B/entity":
        return f"{value:,.0f} B"
    for scale, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if value >= scale:
            return f"{value / scale:.3g}{suffix}"
    return f"{value:.3g}"


def _values(results: Iterable[Result]) -> dict[tuple[str, str, int], float]:
    return {(r.scenario, r.library, r.n): r.value for r in results}


def main_rows(results: Sequence[Result], n: int) -> list[list[str]]:
    """The main table at size ``n``, as text cells under :data:`HEADER`."""
    values = _values(results)
    numpy_limit = values.get(("numpy", "numpy", n))
    out = []
    for s in SCENARIOS:
        fabula, esper_ = values.get((s.key, "fabula", n)), values.get((s.baseline, "esper", n))
        ratios = {
            "esper": fabula / esper_ if fabula and esper_ else None,
            "numpy": fabula / numpy_limit if fabula and numpy_limit and s.vs_numpy else None,
        }
        verdicts = [
            "yes" if t.met(ratios[t.reference]) else "NO"
            for t in s.targets
            if ratios[t.reference] is not None
        ]
        out.append(
            [
                s.label,
                _figure(fabula, s.unit),
                _figure(esper_, s.unit),
                _figure(values.get((s.baseline, "tcod-ecs", n)), s.unit),
                _figure(values.get((s.key, "numpy", n)), s.unit),
                *(f"{r:.2f}x" if r is not None else "" for r in ratios.values()),
                ", ".join(map(str, s.targets)),
                ", ".join(verdicts),
            ]
        )
    return out


def kind_rows(results: Sequence[Result], n: int) -> list[list[str]]:
    """The component-kinds table at size ``n``, as text cells under :data:`KIND_HEADER`."""
    values = _values(results)
    slotted = values.get(("kind:tick", "fabula/slotted dataclass", n), math.nan)
    out = []
    for kind in KINDS:
        fabula = values.get(("kind:tick", f"fabula/{kind}", n), math.nan)
        out.append(
            [
                kind,
                _figure(fabula, "entities/s"),
                f"{fabula / slotted:.2f}x",
                _figure(values.get(("kind:tick", f"esper/{kind}", n)), "entities/s"),
                _figure(values.get(("kind:build", f"python/{kind}", n)), "entities/s"),
                _figure(values.get(("kind:validate", f"fabula/{kind}", n)), "components/s"),
            ]
        )
    return out


def tables(results: Sequence[Result]) -> list[Table]:
    """Rich tables: per size, the main table, then the component-kinds table."""
    out = []
    for n in dict.fromkeys(r.n for r in results):
        main_table = Table(
            title=f"ECS, N = {n:,}: rates per second, best run",
            caption=" ".join(NOTES),
            caption_justify="left",
        )
        for i, column in enumerate(HEADER):
            main_table.add_column(column, justify="left" if i in (0, 7) else "right")
        for cells in main_rows(results, n):
            main_table.add_row(*cells, style="bold red" if "NO" in cells[-1] else None)
        kinds = Table(title=f"Component kinds, N = {n:,}: object tick, entities per second")
        for i, column in enumerate(KIND_HEADER):
            kinds.add_column(column, justify="left" if i == 0 else "right")
        for cells in kind_rows(results, n):
            kinds.add_row(*cells)
        out += [main_table, kinds]
    return out


def markdown(results: Sequence[Result]) -> str:
    """The same tables in Markdown, for ``docs/benchmarks.md``."""

    def md(header: list[str], body: list[list[str]]) -> list[str]:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        return lines + ["| " + " | ".join(cells) + " |" for cells in body]

    out: list[str] = []
    for n in dict.fromkeys(r.n for r in results):
        notes = [f"- {note}" for note in NOTES]
        out += [f"### N = {n:,}", "", *md(HEADER, main_rows(results, n)), "", *notes, ""]
        out += [f"Component kinds, N = {n:,}:", "", *md(KIND_HEADER, kind_rows(results, n)), ""]
    return "\n".join(out)


def environment() -> str:
    """One line naming the interpreter, the libraries' versions and the machine."""
    libs = ", ".join(
        f"{d} {version(d)}" for d in ("esper", "tcod-ecs", "numpy", "pydantic", "msgspec")
    )
    return (
        f"Python {platform.python_version()}, {libs}; {platform.machine()}, "
        f"{os.cpu_count()} cores; gc paused while timing, for every library"
    )


def parse_sizes(text: str) -> list[int]:
    """``"10000,100k,1M"`` -> ``[10000, 100000, 1000000]``.

    Raises:
        argparse.ArgumentTypeError: a part is not a whole number.
    """
    sizes = []
    for part in text.split(","):
        digits = part.strip().replace("_", "").lower()
        scale = {"k": 1_000, "m": 1_000_000}.get(digits[-1:], 1)
        try:
            sizes.append(int(digits[:-1] if scale > 1 else digits) * scale)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"sizes are whole numbers separated by commas, e.g. 10000,100k,1M; got {text!r}"
            ) from None
    return sizes


def main(argv: Sequence[str] | None = None) -> None:
    """Run the benchmark and print its tables."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.ecs", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        default=[10_000, 100_000],
        help="world sizes, comma-separated (default 10000,100000)",
    )
    parser.add_argument("--repeats", type=int, default=3, help="timed runs; the best counts")
    parser.add_argument("--markdown", action="store_true", help="also print Markdown tables")
    args = parser.parse_args(argv)
    results = run(args.sizes, args.repeats)
    console = Console(width=max(Console().width, 150))  # the main table needs ~150 columns
    for table in tables(results):
        console.print(table)
    console.print(environment(), highlight=False)
    if args.markdown:
        print(markdown(results))
