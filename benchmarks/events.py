"""Event dispatch throughput: fabula's EventBus against blinker and pyee.

Each library dispatches ``n_events`` events to ``k`` no-op synchronous
subscribers (k = 1 and 10 by default); the figure is events per second, the
best of ``repeats`` runs timed with :func:`time.perf_counter` (garbage
collection paused while timing). Every library sends one pre-built event, so
only dispatch is timed, not building the payload. Ratios are against
blinker's ``Signal.send``, which the EventBus must at least match.

Run it with ``python -m benchmarks.events [--events N] [--repeats R]``.
"""

from __future__ import annotations

import argparse
import gc
import platform
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from itertools import repeat
from typing import Any

import blinker
import pyee
from rich.console import Console
from rich.table import Table

from fabula.events import Event, EventBus

__all__ = ["LIBRARIES", "main", "noop_handler", "run", "table"]

Loop = Callable[[int], None]
"""Dispatches one event ``n`` times."""

HandlerFactory = Callable[[], Callable[[Any], None]]
"""Makes one subscriber (a new function each call)."""


@dataclass(frozen=True, slots=True)
class BenchEvent(Event):
    """The event dispatched in the benchmark."""

    n: int = 0


def noop_handler() -> Callable[[Any], None]:
    """A new no-op handler (libraries keyed by function collapse duplicates)."""

    def handler(_: Any) -> None:
        return None

    return handler


def fabula_loop(subscribers: int, make_handler: HandlerFactory = noop_handler) -> Loop:
    """``EventBus.publish`` to ``subscribers`` no-op handlers."""
    bus = EventBus()
    for _ in range(subscribers):
        bus.subscribe(BenchEvent, make_handler())
    publish, event = bus.publish, BenchEvent()

    def loop(n: int) -> None:
        for _ in repeat(None, n):
            publish(event)

    return loop


def blinker_loop(subscribers: int, make_handler: HandlerFactory = noop_handler) -> Loop:
    """``blinker.Signal().send`` to ``subscribers`` no-op receivers (held
    strongly, as the EventBus holds its handlers)."""
    signal = blinker.Signal()
    for _ in range(subscribers):
        signal.connect(make_handler(), weak=False)
    send, event = signal.send, BenchEvent()

    def loop(n: int) -> None:
        for _ in repeat(None, n):
            send(event)

    return loop


def pyee_loop(subscribers: int, make_handler: HandlerFactory = noop_handler) -> Loop:
    """``pyee.EventEmitter().emit`` to ``subscribers`` no-op listeners."""
    emitter = pyee.EventEmitter()
    for _ in range(subscribers):
        emitter.add_listener("event", make_handler())
    emit, event = emitter.emit, BenchEvent()

    def loop(n: int) -> None:
        for _ in repeat(None, n):
            emit("event", event)

    return loop


LIBRARIES: dict[str, Callable[[int, HandlerFactory], Loop]] = {
    "fabula EventBus": fabula_loop,
    "blinker": blinker_loop,
    "pyee": pyee_loop,
}
"""Library name -> builder of a dispatch loop: ``build(subscribers, make_handler)``."""


def _best_rate(loop: Loop, n_events: int, repeats: int) -> float:
    """Events per second of ``loop``, the best of ``repeats`` timed runs."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        best = float("inf")
        for _ in range(repeats):
            start = time.perf_counter()
            loop(n_events)
            best = min(best, time.perf_counter() - start)
    finally:
        if was_enabled:
            gc.enable()
    return n_events / max(best, 1e-9)


def run(
    n_events: int = 200_000, subscribers: Sequence[int] = (1, 10), repeats: int = 5
) -> list[dict[str, Any]]:
    """Measure every library at every subscriber count.

    Args:
        n_events: events dispatched per timed run.
        subscribers: the subscriber counts to measure.
        repeats: timed runs per measurement; the best counts.

    Returns:
        One row per (subscriber count, library), in that order, with keys
        ``library``, ``subscribers``, ``events_per_second`` and ``vs_blinker``
        (the rate divided by blinker's at the same subscriber count).

    Raises:
        ValueError: ``n_events`` or ``repeats`` is not positive.
    """
    if n_events < 1 or repeats < 1:
        raise ValueError(f"n_events and repeats must be >= 1, got {n_events} and {repeats}.")
    rows: list[dict[str, Any]] = []
    for count in subscribers:
        rates = {
            name: _best_rate(build(count, noop_handler), n_events, repeats)
            for name, build in LIBRARIES.items()
        }
        rows.extend(
            {
                "library": name,
                "subscribers": count,
                "events_per_second": rate,
                "vs_blinker": rate / rates["blinker"],
            }
            for name, rate in rates.items()
        )
    return rows


def table(rows: Sequence[dict[str, Any]], n_events: int) -> Table:
    """The rows of :func:`run` as a rich table: one line per library."""
    counts = list(dict.fromkeys(row["subscribers"] for row in rows))
    result = Table(title=f"Event dispatch, {n_events:,} events, best run (events/s)")
    result.add_column("library")
    for count in counts:
        label = f"{count} subscriber{'s' if count != 1 else ''}"
        result.add_column(label, justify="right")
        result.add_column("vs blinker", justify="right")
    for library in LIBRARIES:
        cells = [library]
        for count in counts:
            row = next(r for r in rows if r["library"] == library and r["subscribers"] == count)
            cells += [f"{row['events_per_second']:,.0f}", f"{row['vs_blinker']:.2f}x"]
        result.add_row(*cells)
    return result


def main(argv: Sequence[str] | None = None) -> None:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.events", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--events", type=int, default=200_000, help="events per timed run")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs; the best counts")
    args = parser.parse_args(argv)
    rows = run(args.events, repeats=args.repeats)
    console = Console()
    console.print(table(rows, args.events))
    console.print(
        f"Python {platform.python_version()}, blinker {version('blinker')}, pyee {version('pyee')}"
    )


if __name__ == "__main__":
    main()
