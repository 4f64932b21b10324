"""The measurements: the standard world per library, fabula's batch and columnar paths,
memory, component kinds, and the whole run."""

from __future__ import annotations

import gc
import time
import tracemalloc
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import esper
import numpy as np

from benchmarks.ecs.components import (
    DX,
    DY,
    KINDS,
    CHealth,
    CPosition,
    CVelocity,
    Health,
    Marked,
    Position,
    Stunned,
    Velocity,
    _check,
)
from benchmarks.ecs.libraries import ENGINES, FabulaLibrary, make_rows
from benchmarks.ecs.model import SCENARIOS, Plan, Result, _best, _timed
from fabula.ecs import World, validate_component

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
