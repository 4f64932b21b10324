"""Run every benchmark: ``python -m benchmarks [--sizes 10000,100000] [--repeats 3] [--quick]``.

``--quick`` is a smoke run (N = 10,000, one timed run per figure, fewer
events) for checking that everything still runs, not for figures. The ECS
benchmark is :mod:`benchmarks.ecs`; the event bus benchmark,
:mod:`benchmarks.events`, runs when it can be imported; then the scheduler
(:mod:`benchmarks.systems`), saving (:mod:`benchmarks.persistence`) and one
turn of the pipeline (:mod:`benchmarks.turn`).
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Sequence

from benchmarks import ecs

__all__ = ["main"]

QUICK_SIZES, QUICK_REPEATS, QUICK_EVENTS = "10000", 1, 20_000


def main(argv: Sequence[str] | None = None) -> None:
    """Run the ECS benchmark, then the event benchmark if it is importable."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--sizes", help="ECS world sizes, comma-separated (default 10000,100000)")
    parser.add_argument("--repeats", type=int, help="timed runs per figure (default 3)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: small and one repeat")
    parser.add_argument(
        "--only",
        choices=("ecs", "events", "systems", "persistence", "turn"),
        help="run one benchmark",
    )
    args = parser.parse_args(argv)
    sizes = args.sizes or (QUICK_SIZES if args.quick else "10000,100000")
    repeats = args.repeats or (QUICK_REPEATS if args.quick else 3)
    if args.only in (None, "ecs"):
        ecs.main(["--sizes", sizes, "--repeats", str(repeats)])
    if args.only in (None, "events"):
        events = importlib.import_module("benchmarks.events")
        quick = ["--events", str(QUICK_EVENTS)] if args.quick else []
        events.main([*quick, "--repeats", str(repeats)])
    if args.only in (None, "systems"):
        from benchmarks import systems

        systems.main(["--ticks", "2000" if args.quick else "20000"])
    if args.only in (None, "persistence"):
        from benchmarks import persistence

        quick = [
            "--sizes",
            "1000",
            "--entities",
            "10000",
            "--naive-sample",
            "200",
            "--turns",
            "100",
        ]
        persistence.main([*(quick if args.quick else []), "--repeats", str(repeats)])
    if args.only in (None, "turn"):
        from benchmarks import turn

        turn.main(["--quick"] if args.quick else [])


if __name__ == "__main__":
    main()
