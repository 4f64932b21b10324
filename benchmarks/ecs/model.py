"""What a run produces: results, targets, the scenario table, the work plan and the timer."""

from __future__ import annotations

import gc
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# --- results and the table's rows --------------------------------------------------


@dataclass(frozen=True, slots=True)
class Result:
    """One measured figure.

    Attributes:
        scenario: a :class:`Scenario` key, or ``kind:tick``, ``kind:build``,
            ``kind:validate`` for the component-kinds table.
        library: ``fabula``, ``esper``, ``tcod-ecs`` or ``numpy``; for the
            kinds table ``<who>/<kind>``, who being ``fabula`` or ``esper``
            (tick), ``python`` (build) or ``fabula`` (validate).
        n: world size (entities).
        value: a rate per second, or bytes per entity.
        unit: what ``value`` counts.
    """

    scenario: str
    library: str
    n: int
    value: float
    unit: str


@dataclass(frozen=True, slots=True)
class Target:
    """A goal for fabula's figure divided by a reference figure (from the issue)."""

    reference: str
    """``esper`` or ``numpy`` (the numpy limit)."""
    ratio: float
    at_least: bool = True
    """The ratio must be >= ``ratio``; if False, <= (memory)."""

    def __str__(self) -> str:
        return f"{'>=' if self.at_least else '<='} {self.ratio:g}x {self.reference}"

    def met(self, ratio: float) -> bool:
        """Whether ``ratio`` (fabula / reference) reaches the goal."""
        return ratio >= self.ratio if self.at_least else ratio <= self.ratio


@dataclass(frozen=True, slots=True)
class Scenario:
    """A row of the main table.

    Attributes:
        key: what :class:`Result` rows carry.
        label: the row's text.
        unit: unit of the figures.
        targets: goals, checked at every size.
        esper_key: the scenario whose esper figure fabula is divided by
            (default: ``key``).
        vs_numpy: also divide fabula's figure by the numpy limit.
    """

    key: str
    label: str
    unit: str
    targets: tuple[Target, ...] = ()
    esper_key: str = ""
    vs_numpy: bool = False

    @property
    def baseline(self) -> str:
        """Key of the esper (and tcod-ecs) figure shown and divided by."""
        return self.esper_key or self.key


_ESPER_08, _ESPER_10 = (Target("esper", 0.8),), (Target("esper", 10.0),)
SCENARIOS: tuple[Scenario, ...] = (
    Scenario("spawn", "spawn one at a time, 2-3 comps", "entities/s", _ESPER_08),
    Scenario(
        "spawn2", "spawn 2 comps: spawn_batch, numpy [1]", "entities/s", (Target("esper", 20),)
    ),
    Scenario(
        "spawn2_objects", "spawn 2 comps: spawn_batch, instances [1]", "entities/s", (), "spawn2"
    ),
    Scenario("tick", "tick, steady (objects)", "entities/s", _ESPER_08, vs_numpy=True),
    Scenario("tick_after_change", "tick, first after one change", "entities/s", vs_numpy=True),
    Scenario("mixed", "mixed frame: 1% gain/lose a comp + tick", "frames/s", _ESPER_10),
    Scenario(
        "mixed_columnar", "mixed frame, columnar + query_columns [2]", "frames/s", (), "mixed"
    ),
    Scenario(
        "vector",
        "tick, vectorized query_columns [3]",
        "entities/s",
        (Target("esper", 50), Target("numpy", 0.5)),
        esper_key="tick",
        vs_numpy=True,
    ),
    Scenario("numpy", "numpy limit: x += dx; y += dy", "entities/s"),
    Scenario("lookup", "entities_with: len + `in`, steady", "lookups/s"),
    Scenario(
        "lookup_after_change", "entities_with: len + `in`, after a change", "lookups/s", _ESPER_10
    ),
    Scenario("churn", "add/remove churn", "ops/s", (Target("esper", 0.5),)),
    Scenario(
        "memory_numeric",
        "memory, numeric-only entities",
        "B/entity",
        (Target("esper", 0.25, at_least=False),),
    ),
    Scenario("memory_objects", "memory, object entities (2-3 comps)", "B/entity"),
)
"""The main table's rows, in order. In rows with a note (see :data:`NOTES`) the
other libraries' figures and the ratio come from another scenario."""

NOTES = (
    "[1] esper and tcod-ecs spawn the same two components one at a time (no batch call).",
    "[2] esper and tcod-ecs: their mixed frame over objects (the row above).",
    "[3] esper and tcod-ecs: their steady object tick.",
)
"""Footnotes of the main table."""


# --- how much work each timed run does -----------------------------------------------


@dataclass(frozen=True, slots=True)
class Plan:
    """Work per timed run at size ``n``; the same for every library.

    Counts shrink as ``n`` grows so that one timed run stays between a few
    milliseconds and a few seconds for the slowest library.
    """

    n: int
    repeats: int
    ticks: int
    changed_ticks: int
    frames: int
    lookups: int
    changed_lookups: int
    churned: int
    vector_ticks: int
    kind_ticks: int

    @classmethod
    def for_size(cls, n: int, repeats: int) -> Plan:
        """The plan for worlds of ``n`` entities, ``repeats`` timed runs each."""

        def scaled(work: int, low: int, high: int) -> int:
            return max(low, min(high, work // n))

        return cls(
            n=n,
            repeats=repeats,
            ticks=scaled(2_000_000, 3, 200),
            changed_ticks=scaled(200_000, 1, 50),
            frames=scaled(200_000, 2, 50),
            lookups=20_000,
            changed_lookups=scaled(2_000_000, 20, 1000),
            churned=min(n, 50_000),
            vector_ticks=scaled(50_000_000, 20, 5000),
            kind_ticks=scaled(200_000, 1, 20),
        )

    def samples(self) -> list[list[int]]:
        """Entity numbers toggled by each mixed frame of all timed runs (1% of n)."""
        rng = random.Random(1234)
        k = max(1, self.n // 100)
        return [rng.sample(range(self.n), k) for _ in range(self.frames * self.repeats)]

    def toggled(self) -> set[int]:
        """Entity numbers left holding ``Marked`` by all the mixed frames."""
        marked: set[int] = set()
        for sample in self.samples():
            marked.symmetric_difference_update(sample)
        return marked


# --- timing --------------------------------------------------------------------------


def _best(measure: Callable[[], float], repeats: int) -> float:
    """The least of ``repeats`` calls of ``measure`` (which returns the seconds
    it timed); garbage is collected before each and collection paused during."""
    best = math.inf
    for _ in range(repeats):
        gc.collect()
        gc.disable()
        try:
            best = min(best, measure())
        finally:
            gc.enable()
    return best


def _timed(work: Callable[[], Any]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start
