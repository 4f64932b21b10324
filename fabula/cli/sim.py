"""``fabula sim``: a headless simulation of many bodies, with a live progress bar.

It exercises the parts of the engine that make large worlds cheap: bulk
spawning from arrays, vectorised systems over numpy columns, structural
changes between ticks, and the field index. The figures it prints are
indicative; ``python -m benchmarks`` is the measurement.
"""

from __future__ import annotations

import time

import numpy as np
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
from rich.table import Table

from fabula.ecs import World, component

__all__ = ["Body", "Drift", "Resting", "run_simulation"]


@component(columnar=True)
class Body:
    """Where a body is."""

    x: float
    y: float


@component(columnar=True)
class Drift:
    """How a body moves each tick."""

    dx: float
    dy: float


@component
class Resting:
    """A body that stopped; a resting body does not drift."""

    since: int


def run_simulation(entities: int, ticks: int, seed: int, console: Console | None = None) -> int:
    """Simulate ``entities`` bodies for ``ticks`` ticks and print a summary."""
    console = console or Console()
    world = World(seed=seed)
    rng = np.random.default_rng(seed)
    started = time.perf_counter()
    bodies = world.spawn_batch(
        {
            Body: {"x": rng.uniform(-100, 100, entities), "y": rng.uniform(-100, 100, entities)},
            Drift: {"dx": rng.normal(0, 1, entities), "dy": rng.normal(0, 1, entities)},
        }
    )
    spawned = time.perf_counter() - started

    moved = 0
    tick_time = 0.0
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("simulating", total=ticks)
        for tick in range(ticks):
            t0 = time.perf_counter()
            for _, (body, drift) in world.query_columns(Body, Drift, without=(Resting,)):
                body.x += drift.dx
                body.y += drift.dy
                moved += len(body)
            tick_time += time.perf_counter() - t0
            # Every 20 ticks a few bodies come to rest and a few wake up: the
            # structural changes a real game makes between ticks.
            if tick % 20 == 19:
                for row in world.rng.sample(range(len(bodies)), min(100, len(bodies))):
                    entity = int(bodies[row])
                    if world.has(entity, Resting):
                        world.remove(entity, Resting)
                    else:
                        world.insert(entity, Resting(since=tick))
            progress.advance(task)

    resting = len(world.entities_with[Resting])
    table = Table(title="fabula sim", show_header=False, title_justify="left")
    table.add_row("bodies", f"{entities:,}")
    table.add_row("spawned in", f"{spawned * 1e3:.1f} ms")
    table.add_row("ticks", f"{ticks:,}")
    table.add_row("bodies moved", f"{moved:,}")
    rate = moved / tick_time if tick_time else float("inf")
    table.add_row("system throughput", f"{rate / 1e6:,.0f} M bodies/s")
    table.add_row("resting at the end", f"{resting:,}")
    console.print(table)
    return 0
