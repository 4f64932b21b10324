"""load(save(world)) == world, for random worlds, through a real SQLite file.

Both write paths are covered: a full snapshot (write_world) and write-behind
(an initial snapshot, random changes, then write_changes of the net
ChangeSet). Equality is checked field by field, on the handle allocator, the
RNG and the tick, and on the state digest; then both worlds must hand out the
same handles for future spawns.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from fabula.ecs import ComponentRegistry, World, component, component_info
from fabula.persistence import read_world, state_digest, write_world
from fabula.persistence.schema import connect
from fabula.persistence.snapshot import Catalog, write_state
from fabula.persistence.write_behind import write_changes


@component(name="label")
class Label:
    text: str
    tags: list[str]


@component(name="stats")
class Stats:
    values: dict[str, int]
    ratio: float
    pair: tuple[int, int] = (0, 0)


@component(name="vec", columnar=True)
class Vec:
    x: float
    y: float


@component(name="flags", columnar=True)
class Flags:
    on: bool
    n: int


@component(name="marked")
class Marked:
    pass


@component(name="note")
class Note(BaseModel):
    body: str
    stars: int = 0


TYPES = [Label, Stats, Vec, Flags, Marked, Note]
REGISTRY = ComponentRegistry()
for _t in TYPES:
    REGISTRY.register(_t)

text = st.text(max_size=8)
floats = st.floats(allow_nan=True, allow_infinity=True, width=64)
values = {
    Label: st.builds(Label, text, st.lists(text, max_size=3)),
    Stats: st.builds(
        Stats,
        st.dictionaries(text, st.integers(-(2**63), 2**63 - 1), max_size=3),
        st.floats(allow_nan=False),
        st.tuples(st.integers(-5, 5), st.integers(-5, 5)),
    ),
    Vec: st.builds(Vec, floats, floats),
    Flags: st.builds(Flags, st.booleans(), st.integers(-(2**63), 2**63 - 1)),
    Marked: st.just(Marked()),
    Note: st.builds(Note, body=text, stars=st.integers(0, 5)),
}
component_sets = st.lists(st.sampled_from(TYPES), unique=True, max_size=len(TYPES)).flatmap(
    lambda types: st.tuples(*(values[t] for t in types))
)
operation = st.one_of(
    st.tuples(st.just("spawn"), component_sets),
    st.tuples(st.just("despawn"), st.integers(0, 10_000)),
    st.tuples(st.just("insert"), st.integers(0, 10_000), component_sets),
    st.tuples(st.just("remove"), st.integers(0, 10_000), st.sampled_from(TYPES)),
    st.tuples(st.just("mutate"), st.integers(0, 10_000), floats),
    st.tuples(st.just("random"), st.integers(1, 3)),
    st.tuples(st.just("bulk"), st.integers(0, 2500), st.integers(0, 2**16)),
)


def apply(world: World, op: tuple[Any, ...]) -> None:
    live = sorted(world.entities())
    kind = op[0]
    if kind == "spawn":
        world.spawn(*op[1])
        return
    if kind == "bulk":  # enough entities to span several storage chunks
        n, step = op[1], op[2]
        handles = world.spawn_batch(
            {
                Vec: {"x": np.arange(n, dtype=float), "y": np.full(n, -0.0)},
                Flags: {"n": np.ones(n, dtype=np.int64), "on": np.ones(n, dtype=bool)},
            }
        )
        for entity in handles[:: max(1, step % 97)].tolist():
            if step % 3 == 0:
                world.despawn(entity)
            elif step % 3 == 1:
                world.remove(entity, Flags)
            else:
                world.get(entity, Vec).y = float(step)
        return
    if kind == "random":
        for _ in range(op[1]):
            world.rng.random()
        world.tick += 1
        return
    if not live:
        return
    entity = live[op[1] % len(live)]
    if kind == "despawn":
        world.despawn(entity)
    elif kind == "insert" and op[2]:
        world.insert(entity, *op[2])
    elif kind == "remove":
        world.try_remove(entity, op[2])
    elif kind == "mutate":
        if world.has(entity, Vec):
            world.get(entity, Vec).x = op[2]
        if world.has(entity, Label):
            world.get(entity, Label).tags.append("x")
        if world.has(entity, Flags):
            for _, (flags,) in world.query_columns(Flags):
                flags.n += 1


def snapshot_of(world: World) -> dict[int, dict[str, Any]]:
    """Every entity's components as comparable plain values (NaN made equal)."""
    out: dict[int, dict[str, Any]] = {}
    for entity in world.entities():
        comps: dict[str, Any] = {}
        for ctype in world.component_types(entity):
            value = world.get(entity, ctype, readonly=True)
            info = component_info(ctype)
            if info.columnar:
                comps[info.name] = tuple(_nan_safe(getattr(value, f)) for f in info.fields)
            else:
                comps[info.name] = value
        out[entity] = comps
    return out


def _nan_safe(value: Any) -> Any:
    if isinstance(value, float | np.floating) and math.isnan(value):
        return "nan"
    return value.item() if isinstance(value, np.generic) else value


def assert_same(a: World, b: World) -> None:
    assert snapshot_of(a) == snapshot_of(b)
    assert a.slots() == b.slots()
    assert a.tick == b.tick
    assert a.rng.getstate() == b.rng.getstate()
    assert len(a) == len(b)
    assert state_digest(a) == state_digest(b)
    # Future handles agree too: the allocator was restored exactly.
    assert [a.spawn(Marked()) for _ in range(3)] == [b.spawn(Marked()) for _ in range(3)]


def save_full(path: Path, world: World) -> None:
    conn = connect(path, create=True)
    conn.execute("BEGIN IMMEDIATE")
    write_world(conn, world, Catalog(path, REGISTRY), 0)
    conn.execute("COMMIT")
    conn.close()


def load(path: Path) -> World:
    conn = connect(path)
    world, _ = read_world(conn, path, Catalog(path, REGISTRY))
    conn.close()
    return world


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32), st.lists(operation, max_size=40))
def test_full_snapshot_round_trip(seed: int, ops: list[tuple[Any, ...]]) -> None:
    world = World(seed)
    for op in ops:
        apply(world, op)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "world.save"
        save_full(path, world)
        assert_same(world, load(path))


@settings(max_examples=60, deadline=None)
@given(
    st.integers(0, 2**32),
    st.lists(operation, max_size=25),
    st.lists(st.lists(operation, max_size=15), min_size=1, max_size=4),
)
def test_write_behind_round_trip(
    seed: int, before: list[tuple[Any, ...]], rounds: list[list[tuple[Any, ...]]]
) -> None:
    world = World(seed)
    for op in before:
        apply(world, op)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "world.save"
        save_full(path, world)
        log = world.track_changes()
        conn = connect(path)
        catalog = Catalog(path, REGISTRY)
        catalog.load(conn)
        for ops in rounds:
            for op in ops:
                apply(world, op)
            conn.execute("BEGIN IMMEDIATE")
            write_changes(conn, world, catalog, log.take())
            write_state(conn, world, 0)
            conn.execute("COMMIT")
        conn.close()
        world.untrack_changes(log)
        assert_same(world, load(path))


def test_an_empty_world_round_trips(tmp_path: Path) -> None:
    world = World(3)
    save_full(tmp_path / "empty.save", world)
    assert_same(world, load(tmp_path / "empty.save"))


def test_bulk_columnar_world_round_trips(tmp_path: Path) -> None:
    world = World(1)
    n = 5000
    world.spawn_batch({Vec: {"x": np.arange(n, dtype=float), "y": np.full(n, np.nan)}})
    world.spawn_batch({Vec: {"x": np.ones(10), "y": np.ones(10)}, Label: [Label("a", [])] * 10})
    for entity in range(0, n, 7):
        world.despawn(entity)
    save_full(tmp_path / "bulk.save", world)
    loaded = load(tmp_path / "bulk.save")
    assert sum(len(ents) for ents, _ in loaded.query_columns(Vec)) == len(world) == 4295
    assert_same(world, loaded)


def test_write_behind_rewrites_only_the_chunks_that_changed(tmp_path: Path) -> None:
    path = tmp_path / "chunks.save"
    world = World(2)
    n = 5000  # five chunks of 1,024 slots
    world.spawn_batch({Vec: {"x": np.zeros(n), "y": np.zeros(n)}})
    save_full(path, world)
    conn = connect(path)
    catalog = Catalog(path, REGISTRY)
    catalog.load(conn)
    log = world.track_changes()
    world.get(1500, Vec).x = 7.0  # chunk 1
    world.despawn(4999)  # chunk 4
    world.insert(10, Label("l", []))  # chunk 0, an object table appears
    before = dict(conn.execute('SELECT chunk, handles FROM "c:vec"').fetchall())
    conn.execute("BEGIN IMMEDIATE")
    write_changes(conn, world, catalog, log.take())
    write_state(conn, world, 0)
    conn.execute("COMMIT")
    after = dict(conn.execute('SELECT chunk, handles FROM "c:vec"').fetchall())
    conn.close()
    assert sorted(after) == [0, 1, 2, 3, 4]
    assert after[2] == before[2]
    assert len(after[4]) == len(before[4]) - 8  # one handle fewer
    assert_same(world, load(path))


def test_indexes_answer_the_same_after_a_load(tmp_path: Path) -> None:
    world = World(4)
    handles = [world.spawn(Flags(on=i % 2 == 0, n=i % 3), Label(str(i), [])) for i in range(50)]
    before = {n: set(world.index(Flags, "n")[n]) for n in range(3)}
    save_full(tmp_path / "index.save", world)
    loaded = load(tmp_path / "index.save")
    assert {n: set(loaded.index(Flags, "n")[n]) for n in range(3)} == before
    assert set(loaded.entities_with[Label]) == set(handles)
    loaded.get(handles[0], Flags).n = 2
    assert handles[0] in loaded.index(Flags, "n")[2]


@given(st.lists(st.integers(0, 2**40), max_size=200))
def test_chunk_helpers_agree_with_numpy(values: list[int]) -> None:
    from fabula.persistence.chunks import chunk_of, chunks_of, unique

    array = np.array(values, dtype=np.int64)
    assert unique(array).tolist() == np.unique(array).tolist()
    assert chunks_of(array).tolist() == np.unique(chunk_of(array)).tolist()
