"""Scheduler tick overhead: ``python -m benchmarks.systems [--systems 50] [--ticks 20000]``.

Measures what the SystemScheduler itself costs per tick: N empty systems,
ticked with and without an event bus (which adds the OnTick publish), against
the floor of calling the same N functions in a plain loop. Prints
microseconds per tick and the overhead over that floor.
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

from fabula.ecs import World
from fabula.events import EventBus
from fabula.systems import Scheduler, TickContext

__all__ = ["main", "run"]


def _empty_systems(count: int) -> list[Callable[[TickContext], None]]:
    systems = []
    for i in range(count):

        def empty(ctx: TickContext) -> None:
            pass

        empty.__name__ = f"system_{i}"
        systems.append(empty)
    return systems


def _best_us(step: Callable[[], Any], ticks: int, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            for _ in range(ticks):
                step()
            best = min(best, time.perf_counter() - start)
        finally:
            gc.enable()
    return best / ticks * 1e6


def run(systems: int = 50, ticks: int = 20_000, repeats: int = 5) -> list[dict[str, Any]]:
    """Microseconds per tick for each way of running ``systems`` empty systems."""
    functions = _empty_systems(systems)
    ctx = TickContext(world=World(), tick=0)

    def plain() -> None:
        for fn in functions:
            fn(ctx)

    rows = [{"runner": "plain loop (floor)", "us_per_tick": _best_us(plain, ticks, repeats)}]
    for label, bus in (("Scheduler", None), ("Scheduler + EventBus", EventBus())):
        scheduler = Scheduler(bus=bus)
        for fn in _empty_systems(systems):
            scheduler.add(fn)
        world = World()
        rate = _best_us(lambda s=scheduler, w=world: s.tick(w), ticks, repeats)
        rows.append({"runner": label, "us_per_tick": rate})
        assert world.tick == ticks * repeats, "the scheduler skipped ticks"
    floor = rows[0]["us_per_tick"]
    for row in rows:
        row["overhead_us"] = row["us_per_tick"] - floor
    return rows


def main(argv: Sequence[str] | None = None) -> None:
    """Print the tick-overhead table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.systems")
    parser.add_argument("--systems", type=int, default=50)
    parser.add_argument("--ticks", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    rows = run(args.systems, args.ticks, args.repeats)
    table = Table(title=f"Scheduler tick with {args.systems} empty systems")
    table.add_column("runner")
    table.add_column("µs per tick", justify="right")
    table.add_column("over the floor, µs", justify="right")
    for row in rows:
        table.add_row(row["runner"], f"{row['us_per_tick']:.2f}", f"{row['overhead_us']:.2f}")
    Console().print(table)


if __name__ == "__main__":
    main()
