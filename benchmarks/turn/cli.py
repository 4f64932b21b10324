"""``python -m benchmarks.turn``: both parts of the per-turn benchmark, or one."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from rich.console import Console

from benchmarks.ecs import parse_sizes
from benchmarks.turn.overhead import run_overhead
from benchmarks.turn.report import environment, markdown_overhead, tables_overhead
from benchmarks.turn.share import report_share, share_of_walkthrough

__all__ = ["QUICK", "main"]

QUICK = ([300], 200, 10)
"""``--quick``: sizes, memories and turns of a smoke run."""


def main(argv: Sequence[str] | None = None) -> None:
    """Run both parts (or one, with ``--only``) and print their reports."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.turn",
        description="One turn of the pipeline: the share of typed phrasings read without "
        "the parser model, and the engine's own time per turn, model time excluded.",
    )
    parser.add_argument("--only", choices=("share", "overhead"), help="run one part")
    parser.add_argument(
        "--sizes", type=parse_sizes, help="world sizes, comma-separated (default 1000,100000)"
    )
    parser.add_argument("--memories", type=int, help="memories stored (default 10000)")
    parser.add_argument("--turns", type=int, help="turns timed per size (default 200)")
    parser.add_argument(
        "--no-model", action="store_true", help="do not time the real embedder (saves ~5 s)"
    )
    parser.add_argument(
        "--quick", action="store_true", help="a smoke run: N = 300, 200 memories, 10 turns"
    )
    parser.add_argument("--markdown", action="store_true", help="also print Markdown tables")
    args = parser.parse_args(argv)
    if args.only in (None, "share"):
        print(report_share(share_of_walkthrough(), markdown=args.markdown))
    if args.only in (None, "overhead"):
        sizes, memories, turns = QUICK if args.quick else ([1_000, 100_000], 10_000, 200)
        results = run_overhead(
            args.sizes or sizes,
            args.memories or memories,
            args.turns or turns,
            model=not args.no_model,
        )
        console = Console(width=max(Console().width, 120))
        for table in tables_overhead(results):
            console.print(table)
        console.print(environment(), highlight=False)
        if args.markdown:
            print(markdown_overhead(results))
