"""ECS throughput and memory: fabula's World against esper and tcod-ecs, in one run.

Every library stores the *same* component classes (slotted dataclasses made by
``@component``; esper and tcod-ecs accept any class). The standard world has N
entities: entity ``i`` holds ``Position(i, 0)`` and ``Velocity(1, 0.5)``, and
odd ``i`` also ``Health(100)``, so fabula keeps two archetypes.

Scenarios (rates per second, higher is better; memory in bytes, lower is better):

* **spawn**: N entities one at a time with 2-3 components.
* **spawn 2 comps**: N entities with a position and a velocity; fabula by
  ``spawn_batch`` from numpy arrays (columnar twins ``CPosition``,
  ``CVelocity``) and, as a second row, from lists of instances; esper and
  tcod-ecs one at a time (they have no batch call).
* **tick, steady**: ``p.x += v.dx; p.y += v.dy`` over object components with
  no structural change between ticks (esper's query cache stays warm).
* **tick, first after one change**: one entity gains or loses a ``Marked``
  tag, then the tick; esper throws its query cache away on any structural
  change and rebuilds it.
* **mixed frame**: 1% of entities (random, the same for every library) gain
  or lose ``Marked``, then the tick; frames per second. A second row does the
  same on the columnar twins with the vectorized tick (fabula only, against
  esper's object mixed frame).
* **tick, vectorized**: ``query_columns`` over the columnar twins (same world
  shape), against esper's *steady* object tick and the numpy limit
  (``x += dx; y += dy`` on bare float64 arrays of N).
* **entities_with**: how many entities have ``Health``, and whether one does.
  fabula: ``len(world.entities_with[Health])`` and ``e in ...``; esper, the
  closest public API: ``len(esper.get_component(Health))`` (a list cached
  until any structural change) and ``esper.has_component``; tcod-ecs: the
  entity set of ``Q.all_of(components=[Health])``. Measured in steady state
  and right after a change (one entity gains or loses ``Marked``; only the
  lookup is timed). The target is about the latter, the realistic case in a
  game where something changes every frame.
* **add/remove churn**: ``Stunned`` added to min(N, 50k) entities, then
  removed from them; operations per second.
* **memory**: bytes per entity by :mod:`tracemalloc` (traced size after
  building N entities minus before, over N), for numeric-only entities
  (fabula: the two columnar twins via ``spawn_batch``; others: instances of
  the same two classes) and for the standard object world. Stored component
  instances are counted; fabula's input arrays, which it copies, are not.
* **component kinds**: the object tick in fabula and esper with slotted
  dataclass, msgspec Struct and Pydantic components (and Pydantic with
  ``validate_assignment``), how fast two instances are built, and boundary
  validation by :func:`fabula.ecs.validate_component`.

Method: :func:`time.perf_counter`, best of ``repeats`` timed runs; garbage is
collected before and collection paused during every timed section, for every
library alike. Each scenario checks its own work (a probe entity's position
after the ticks, counts after toggles, the lookups' answers) and raises
:class:`VerificationError` if a library skipped it; :func:`run` also checks
that all libraries end in the same state. esper's module-global state is
reset with ``esper.clear_database()`` between runs.

Run it with::

    python -m benchmarks.ecs --sizes 10000,100000,1000000 [--repeats 3] [--markdown]
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import platform
import random
import time
import tracemalloc
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any

import esper
import msgspec
import numpy as np
import pydantic
from rich.console import Console
from rich.table import Table
from tcod.ecs import Registry

from fabula.ecs import World, component, validate_component

__all__ = [
    "ENGINES",
    "KINDS",
    "SCENARIOS",
    "Plan",
    "Result",
    "Scenario",
    "Target",
    "VerificationError",
    "main",
    "markdown",
    "run",
    "tables",
]


# --- components: the same classes for every library ----------------------------------


@component
class Position:
    x: float
    y: float


@component
class Velocity:
    dx: float
    dy: float


@component
class Health:
    hp: int


@component
class Marked:
    """Tag toggled by the structural-change scenarios."""


@component
class Stunned:
    """Tag added and removed by the churn scenario."""


@component(columnar=True)
class CPosition:
    x: float
    y: float


@component(columnar=True)
class CVelocity:
    dx: float
    dy: float


@component(columnar=True)
class CHealth:
    hp: int


@component
class MsgPosition(msgspec.Struct):
    x: float
    y: float


@component
class MsgVelocity(msgspec.Struct):
    dx: float
    dy: float


@component
class PydPosition(pydantic.BaseModel):
    x: float
    y: float


@component
class PydVelocity(pydantic.BaseModel):
    dx: float
    dy: float


@component
class PydCheckedPosition(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(validate_assignment=True)
    x: float
    y: float


@component
class PydCheckedVelocity(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(validate_assignment=True)
    dx: float
    dy: float


MARK, STUN = Marked(), Stunned()
DX, DY = 1.0, 0.5
"""Every entity's velocity; positions stay exact in float64, so checks use ``==``."""

KINDS: dict[str, tuple[type, type]] = {
    "slotted dataclass": (Position, Velocity),
    "msgspec Struct": (MsgPosition, MsgVelocity),
    "Pydantic BaseModel": (PydPosition, PydVelocity),
    "Pydantic, validate_assignment": (PydCheckedPosition, PydCheckedVelocity),
}
"""Component kinds of the second table: kind -> (position class, velocity class)."""


class VerificationError(AssertionError):
    """A library did not do the work a scenario timed, so its figure is void."""


def _check(ok: bool, where: str, detail: str) -> None:
    if not ok:
        raise VerificationError(f"{where}: {detail}; the figure would be void.")


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


# --- the libraries, each used the documented way ----------------------------------


def make_rows(n: int, position: type = Position, velocity: type = Velocity) -> list[tuple]:
    """Fresh component instances of the standard world, one tuple per entity."""
    return [
        (position(x=float(i), y=0.0), velocity(dx=DX, dy=DY))
        if i % 2 == 0
        else (position(x=float(i), y=0.0), velocity(dx=DX, dy=DY), Health(hp=100))
        for i in range(n)
    ]


class FabulaLibrary:
    """fabula's World."""

    name = "fabula"

    def __init__(self) -> None:
        self.world = World()

    def reset(self) -> None:
        self.world = World()

    def spawn_rows(self, rows: Iterable[tuple]) -> list[Any]:
        spawn = self.world.spawn
        return [spawn(*row) for row in rows]

    def tick(self, position: type = Position, velocity: type = Velocity) -> None:
        for _, (p, v) in self.world.query(position, velocity):
            p.x += v.dx
            p.y += v.dy

    def toggle(self, handles: Iterable[Any]) -> None:
        has, insert, remove = self.world.has, self.world.insert, self.world.remove
        for e in handles:
            if has(e, Marked):
                remove(e, Marked)
            else:
                insert(e, MARK)

    def lookup(self, handle: Any) -> tuple[int, bool]:
        found = self.world.entities_with[Health]
        return len(found), handle in found

    def churn(self, handles: Sequence[Any]) -> None:
        insert, remove = self.world.insert, self.world.remove
        for e in handles:
            insert(e, STUN)
        for e in handles:
            remove(e, Stunned)

    def position(self, handle: Any, position: type = Position) -> tuple[float, float]:
        p = self.world.get(handle, position, readonly=True)
        return p.x, p.y

    def count(self, ctype: type) -> int:
        return len(self.world.entities_with[ctype])


class EsperLibrary:
    """esper's module-global world."""

    name = "esper"

    def __init__(self) -> None:
        esper.clear_database()

    def reset(self) -> None:
        esper.clear_database()

    def spawn_rows(self, rows: Iterable[tuple]) -> list[Any]:
        create = esper.create_entity
        return [create(*row) for row in rows]

    def tick(self, position: type = Position, velocity: type = Velocity) -> None:
        for _, (p, v) in esper.get_components(position, velocity):
            p.x += v.dx
            p.y += v.dy

    def toggle(self, handles: Iterable[Any]) -> None:
        has, add, remove = esper.has_component, esper.add_component, esper.remove_component
        for e in handles:
            if has(e, Marked):
                remove(e, Marked)
            else:
                add(e, MARK)

    def lookup(self, handle: Any) -> tuple[int, bool]:
        return len(esper.get_component(Health)), esper.has_component(handle, Health)

    def churn(self, handles: Sequence[Any]) -> None:
        add, remove = esper.add_component, esper.remove_component
        for e in handles:
            add(e, STUN)
        for e in handles:
            remove(e, Stunned)

    def position(self, handle: Any, position: type = Position) -> tuple[float, float]:
        p = esper.component_for_entity(handle, position)
        return p.x, p.y

    def count(self, ctype: type) -> int:
        return len(esper.get_component(ctype))


class TcodLibrary:
    """A tcod-ecs Registry, components keyed by their type."""

    name = "tcod-ecs"

    def __init__(self) -> None:
        self.registry = Registry()

    def reset(self) -> None:
        self.registry = Registry()

    def spawn_rows(self, rows: Iterable[tuple]) -> list[Any]:
        new = self.registry.new_entity
        return [new({type(c): c for c in row}) for row in rows]

    def tick(self, position: type = Position, velocity: type = Velocity) -> None:
        for p, v in self.registry.Q[position, velocity]:
            p.x += v.dx
            p.y += v.dy

    def toggle(self, handles: Iterable[Any]) -> None:
        for e in handles:
            components = e.components
            if Marked in components:
                del components[Marked]
            else:
                components[Marked] = MARK

    def lookup(self, handle: Any) -> tuple[int, bool]:
        found = self.registry.Q.all_of(components=[Health]).get_entities()
        return len(found), handle in found

    def churn(self, handles: Sequence[Any]) -> None:
        for e in handles:
            e.components[Stunned] = STUN
        for e in handles:
            del e.components[Stunned]

    def position(self, handle: Any, position: type = Position) -> tuple[float, float]:
        p = handle.components[position]
        return p.x, p.y

    def count(self, ctype: type) -> int:
        return len(self.registry.Q.all_of(components=[ctype]).get_entities())


ENGINES: dict[str, Callable[[], Any]] = {
    "fabula": FabulaLibrary,
    "esper": EsperLibrary,
    "tcod-ecs": TcodLibrary,
}
"""Library name -> adapter class. An adapter spawns rows of instances, ticks,
toggles ``Marked``, looks up ``Health``, churns ``Stunned``, reads a position
and counts entities with a type, each the way that library's docs show."""


# --- the standard world, per library --------------------------------------------------


def measure_library(lib: Any, plan: Plan) -> tuple[dict[str, float], tuple]:
    """Every standard-world scenario for one library, in one world.

    Returns:
        The figure per scenario key, and a fingerprint of the final state
        (counts, ticks, probe positions) that must be equal across libraries.

    Raises:
        VerificationError: the library did not do the work it was timed on.
    """
    n, name = plan.n, lib.name
    rows, handles = make_rows(n), []

    def spawn() -> float:
        nonlocal handles
        lib.reset()
        start = time.perf_counter()
        handles = lib.spawn_rows(rows)
        return time.perf_counter() - start

    rates = {"spawn": n / _best(spawn, plan.repeats)}
    rows.clear()  # the world holds the instances now
    _check(lib.count(Position) == n and lib.count(Health) == n // 2, f"{name} spawn", "counts")
    probes, ticks = sorted({0, 1, n // 2, n - 1}), 0

    def check_positions(scenario: str, extra: Iterable[int] = ()) -> None:
        for i in [*probes, *extra]:
            got = lib.position(handles[i])
            _check(
                got == (i + ticks * DX, ticks * DY),
                f"{name} {scenario}",
                f"entity #{i} is at {got} after {ticks} ticks",
            )

    def ticking(count: int, frame: Callable[[], Any]) -> float:
        """Time ``count`` calls of ``frame`` (each ending in one tick)."""
        nonlocal ticks
        elapsed = _timed(lambda: [frame() for _ in range(count)])
        ticks += count
        return elapsed

    lib.tick()  # warm: caches built, as in any running game
    ticks += 1
    rates["tick"] = n * plan.ticks / _best(lambda: ticking(plan.ticks, lib.tick), plan.repeats)
    check_positions("tick")

    changed = [handles[1]]

    def change_then_tick() -> None:
        lib.toggle(changed)
        lib.tick()

    seconds = _best(lambda: ticking(plan.changed_ticks, change_then_tick), plan.repeats)
    rates["tick_after_change"] = n * plan.changed_ticks / seconds
    check_positions("tick_after_change")

    probe, expected = handles[1], (n // 2, True)  # entity #1 has Health

    def lookups() -> float:
        lookup = lib.lookup
        start = time.perf_counter()
        for _ in range(plan.lookups):
            answer = lookup(probe)
        elapsed = time.perf_counter() - start
        _check(answer == expected, f"{name} lookup", f"answered {answer}")
        return elapsed

    def lookups_after_change() -> float:
        lookup, toggle, other, clock = lib.lookup, lib.toggle, [handles[0]], time.perf_counter
        elapsed = 0.0
        for _ in range(plan.changed_lookups):
            toggle(other)  # untimed: only the lookup that follows is timed
            start = clock()
            answer = lookup(probe)
            elapsed += clock() - start
        _check(answer == expected, f"{name} lookup_after_change", f"answered {answer}")
        return elapsed

    rates["lookup"] = plan.lookups / _best(lookups, plan.repeats)
    rates["lookup_after_change"] = plan.changed_lookups / _best(lookups_after_change, plan.repeats)

    samples = iter(plan.samples())

    def mixed() -> float:
        frames = [[handles[i] for i in next(samples)] for _ in range(plan.frames)]
        toggle, tick, frame = lib.toggle, lib.tick, iter(frames)
        return ticking(plan.frames, lambda: (toggle(next(frame)), tick()))

    rates["mixed"] = plan.frames / _best(mixed, plan.repeats)
    marked = plan.toggled()
    marked ^= {0} if plan.changed_lookups * plan.repeats % 2 else set()
    marked ^= {1} if plan.changed_ticks * plan.repeats % 2 else set()
    _check(
        lib.count(Marked) == len(marked),
        f"{name} mixed",
        f"{lib.count(Marked)} entities are Marked, expected {len(marked)}",
    )
    check_positions("mixed", extra=sorted(marked)[:3])

    churned = handles[: plan.churned]
    seconds = _best(lambda: _timed(lambda: lib.churn(churned)), plan.repeats)
    rates["churn"] = 2 * len(churned) / seconds
    _check(lib.count(Stunned) == 0 and lib.count(Position) == n, f"{name} churn", "counts")
    check_positions("churn")
    positions = [lib.position(handles[i]) for i in probes]
    return rates, (lib.count(Position), lib.count(Marked), ticks, positions)


# --- fabula's batch and columnar paths, and the numpy limit -----------------------------


def _columns(n: int) -> dict[type, dict[str, np.ndarray]]:
    return {
        CPosition: {"x": np.arange(n, dtype=np.float64), "y": np.zeros(n)},
        CVelocity: {"dx": np.full(n, DX), "dy": np.full(n, DY)},
    }


def measure_spawn2(plan: Plan) -> dict[str, dict[str, float]]:
    """N entities with two components: fabula by ``spawn_batch``, the others
    one at a time. Returns ``{scenario: {library: rate}}``."""
    n, columns, world = plan.n, _columns(plan.n), World()
    positions = [Position(x=float(i), y=0.0) for i in range(n)]
    velocities = [Velocity(dx=DX, dy=DY) for _ in range(n)]

    def batch(data: dict[type, Any]) -> float:
        nonlocal world
        world = World()
        return _timed(lambda: world.spawn_batch(data))

    rates = {"spawn2": {"fabula": n / _best(lambda: batch(columns), plan.repeats)}}
    _check(world.get(n - 1, CPosition).x == n - 1, "fabula spawn2", "rows lost")
    objects = {Position: positions, Velocity: velocities}
    rates["spawn2_objects"] = {"fabula": n / _best(lambda: batch(objects), plan.repeats)}
    _check(world.get(n - 1, Position).x == n - 1, "fabula spawn2_objects", "rows lost")
    del world
    rows = list(zip(positions, velocities))
    for name in ("esper", "tcod-ecs"):
        lib = ENGINES[name]()

        def one_by_one(lib: Any = lib) -> float:
            lib.reset()
            return _timed(lambda: lib.spawn_rows(rows))

        rates["spawn2"][name] = n / _best(one_by_one, plan.repeats)
        _check(lib.count(Position) == n, f"{name} spawn2", "count")
        lib.reset()
    return rates


def _vector_tick(world: World) -> None:
    for _, (p, v) in world.query_columns(CPosition, CVelocity):
        p.x += v.dx
        p.y += v.dy


def measure_columnar(plan: Plan) -> dict[str, dict[str, float]]:
    """The vectorized tick and the columnar mixed frame (fabula, the standard
    world's shape in columnar twins), and the numpy limit.

    Returns:
        ``{scenario: {library: rate}}``.
    """
    n, ticks = plan.n, plan.vector_ticks
    lib = FabulaLibrary()
    even, odd = np.arange(0, n, 2, dtype=np.float64), np.arange(1, n, 2, dtype=np.float64)
    for xs, extra in ((even, {}), (odd, {CHealth: {"hp": np.full(len(odd), 100)}})):
        lib.world.spawn_batch(
            {
                CPosition: {"x": xs, "y": np.zeros(len(xs))},
                CVelocity: {"dx": np.full(len(xs), DX), "dy": np.full(len(xs), DY)},
                **extra,
            }
        )
    start_x, done = np.concatenate([even, odd]), 0  # entity e starts at x = start_x[e]

    def check(scenario: str, entities: Iterable[int]) -> None:
        for e in entities:
            got = lib.world.get(e, CPosition)
            _check(
                (got.x, got.y) == (start_x[e] + done * DX, done * DY),
                f"fabula {scenario}",
                f"entity {e} is at {(got.x, got.y)} after {done} ticks",
            )

    def ticking(count: int, frame: Callable[[], Any]) -> float:
        nonlocal done
        elapsed = _timed(lambda: [frame() for _ in range(count)])
        done += count
        return elapsed

    seconds = _best(lambda: ticking(ticks, lambda: _vector_tick(lib.world)), plan.repeats)
    rates = {"vector": {"fabula": n * ticks / seconds}}
    check("vector", (0, n // 2, n - 1))
    samples = iter(plan.samples())

    def mixed() -> float:
        frame = iter([next(samples) for _ in range(plan.frames)])
        return ticking(plan.frames, lambda: (lib.toggle(next(frame)), _vector_tick(lib.world)))

    rates["mixed_columnar"] = {"fabula": plan.frames / _best(mixed, plan.repeats)}
    marked = plan.toggled()
    _check(lib.count(Marked) == len(marked), "fabula mixed_columnar", "wrong Marked count")
    check("mixed_columnar", [0, n - 1, *sorted(marked)[:3]])
    x, y, dx, dy = np.arange(n, dtype=np.float64), np.zeros(n), np.full(n, DX), np.full(n, DY)

    def bare() -> None:
        np.add(x, dx, out=x)
        np.add(y, dy, out=y)

    done = 0
    rates["numpy"] = {"numpy": n * ticks / _best(lambda: ticking(ticks, bare), plan.repeats)}
    _check(x[-1] == n - 1 + done * DX and y[0] == done * DY, "numpy", "did not add")
    return rates


# --- memory ------------------------------------------------------------------------------


def _traced_bytes(build: Callable[[], Any]) -> int:
    """Bytes allocated by ``build`` and still held by what it returns."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        kept = build()
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    del kept
    return after - before


def measure_memory(n: int) -> dict[str, dict[str, float]]:
    """Bytes per entity, numeric-only and object entities, per library."""
    columns = _columns(n)
    out: dict[str, dict[str, float]] = {"memory_numeric": {}, "memory_objects": {}}
    for name, make in ENGINES.items():
        lib = make()

        def numeric(lib: Any = lib) -> Any:
            lib.reset()
            if isinstance(lib, FabulaLibrary):
                lib.world.spawn_batch(columns)
            else:
                lib.spawn_rows(
                    (CPosition(x=float(i), y=0.0), CVelocity(dx=DX, dy=DY)) for i in range(n)
                )
            return lib

        def objects(lib: Any = lib) -> Any:
            lib.reset()
            lib.spawn_rows(make_rows(n))
            return lib

        out["memory_numeric"][name] = _traced_bytes(numeric) / n
        _check(lib.count(CPosition) == n, f"{name} memory_numeric", "count")
        out["memory_objects"][name] = _traced_bytes(objects) / n
        _check(lib.count(Position) == n, f"{name} memory_objects", "count")
        lib.reset()
    return out


# --- component kinds ------------------------------------------------------------------


def measure_kinds(plan: Plan) -> list[Result]:
    """Per component kind: the tick (fabula and esper), building instances,
    and boundary validation by ``validate_component``."""
    n, results = plan.n, []
    data = [{"x": float(i), "y": 0.0} for i in range(min(n, 20_000))]
    for kind, (position, velocity) in KINDS.items():

        def build(position: type = position, velocity: type = velocity) -> float:
            return _timed(
                lambda: [(position(x=float(i), y=0.0), velocity(dx=DX, dy=DY)) for i in range(n)]
            )

        def validate(position: type = position) -> float:
            return _timed(lambda: [validate_component(position, d) for d in data])

        validated = validate_component(position, data[-1])
        _check(isinstance(validated, position), f"validate_component {kind}", "wrong type")
        results += [
            Result("kind:build", f"python/{kind}", n, n / _best(build, plan.repeats), "entities/s"),
            Result(
                "kind:validate",
                f"fabula/{kind}",
                n,
                len(data) / _best(validate, plan.repeats),
                "components/s",
            ),
        ]
        for engine in ("fabula", "esper"):
            lib = ENGINES[engine]()
            handles = lib.spawn_rows(make_rows(n, position, velocity))
            lib.tick(position, velocity)

            def tick(lib: Any = lib, position: type = position, velocity: type = velocity) -> float:
                return _timed(
                    lambda: [lib.tick(position, velocity) for _ in range(plan.kind_ticks)]
                )

            rate = n * plan.kind_ticks / _best(tick, plan.repeats)
            ticks = 1 + plan.kind_ticks * plan.repeats
            got = lib.position(handles[-1], position)
            _check(
                got == (n - 1 + ticks * DX, ticks * DY),
                f"{engine} tick with {kind}",
                f"last entity at {got} after {ticks} ticks",
            )
            results.append(Result("kind:tick", f"{engine}/{kind}", n, rate, "entities/s"))
            lib.reset()
    return results


# --- the whole run --------------------------------------------------------------------


def run(sizes: Sequence[int] = (10_000, 100_000), repeats: int = 3) -> list[Result]:
    """Measure every scenario at every size.

    Args:
        sizes: world sizes (entities).
        repeats: timed runs per figure; the best counts.

    Returns:
        :class:`Result` rows: per size, each :data:`SCENARIOS` figure of each
        library that has one, then the component-kinds figures.

    Raises:
        ValueError: a size below 10, or ``repeats`` below 1.
        VerificationError: a library did not do the work it was timed on, or
            the libraries ended in different states.
    """
    if repeats < 1 or any(n < 10 for n in sizes):
        raise ValueError(f"sizes must be >= 10 and repeats >= 1, got {list(sizes)} and {repeats}.")
    units = {s.key: s.unit for s in SCENARIOS}
    results: list[Result] = []
    for n in sizes:
        plan = Plan.for_size(n, repeats)
        measured: dict[str, dict[str, float]] = {}
        fingerprints = {}
        for name, make in ENGINES.items():
            rates, fingerprints[name] = measure_library(make(), plan)
            for scenario, value in rates.items():
                measured.setdefault(scenario, {})[name] = value
            esper.clear_database()
        for name, fingerprint in fingerprints.items():
            _check(
                fingerprint == fingerprints["esper"],
                f"{name} final state",
                f"{fingerprint} differs from esper's {fingerprints['esper']}",
            )
        measured |= measure_spawn2(plan) | measure_columnar(plan) | measure_memory(n)
        for scenario, by_library in measured.items():
            results += [Result(scenario, k, n, v, units[scenario]) for k, v in by_library.items()]
        results += measure_kinds(plan)
    return results


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


if __name__ == "__main__":
    main()
