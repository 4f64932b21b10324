"""Change tracking, as a property: no way of mutating a component escapes it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from fabula.ecs import ChangeSet, World, component_info
from tests.ecs.components import Frozen, Health, Name, Position, Velocity, field_values

TYPES = (Name, Health, Position, Velocity)
COLUMNAR = (Position, Velocity)
FIELD = {Name: "text", Health: "hp", Position: "x", Velocity: "dx"}
VALUES = {
    Name: st.sampled_from(["a", "b", "c"]),
    Health: st.integers(0, 2),
    Position: st.sampled_from([0.0, 1.0, 2.5]),
    Velocity: st.sampled_from([0.0, 1.0, 2.5]),
}


def make(ctype: type, value: Any) -> Any:
    return ctype(value) if ctype is not Position else Position(value, 0.0)


components_st = st.sampled_from(TYPES).flatmap(
    lambda ctype: VALUES[ctype].map(lambda value: make(ctype, value))
)
some_components = st.lists(components_st, max_size=3, unique_by=type)
entity_pick = st.integers(0, 63)
selector = st.integers(0, 2)  # rows i with i % 3 == selector are touched


def typed_value(ctypes: tuple[type, ...]) -> st.SearchStrategy[tuple[type, Any]]:
    return st.sampled_from(ctypes).flatmap(lambda t: VALUES[t].map(lambda v: (t, v)))


operations = st.one_of(
    st.tuples(st.just("spawn"), some_components),
    st.tuples(st.just("spawn_batch"), st.sampled_from(COLUMNAR), st.integers(0, 3)),
    st.tuples(st.just("despawn"), entity_pick),
    st.tuples(st.just("insert"), entity_pick, some_components),
    st.tuples(st.just("try_remove"), entity_pick, st.lists(st.sampled_from(TYPES), max_size=2)),
    st.tuples(st.sampled_from(["get", "try_get", "components"]), entity_pick, typed_value(TYPES)),
    st.tuples(st.just("row_view"), entity_pick, typed_value(COLUMNAR)),
    st.tuples(
        st.just("query"),
        selector,
        typed_value(TYPES),
        st.sampled_from(["stay", "move_in_loop", "move_after", "despawn_in_loop"]),
    ),
    st.tuples(
        st.just("query_columns"),
        selector,
        typed_value(COLUMNAR),
        st.sampled_from(["stay", "move_in_loop", "move_after"]),
    ),
    st.tuples(st.just("take")),
)


def snapshot(world: World) -> dict[int, dict[type, tuple[Any, ...]]]:
    """Every entity's component values, read without marking anything."""
    return {
        entity: {
            ctype: field_values(ctype, world.get(entity, ctype, readonly=True))
            for ctype in world.component_types(entity)
        }
        for entity in world.entities()
    }


def check_complete(
    changes: ChangeSet,
    before: dict[int, dict[type, tuple[Any, ...]]],
    after: dict[int, dict[type, tuple[Any, ...]]],
    tracked: tuple[type, ...] | None = None,
) -> None:
    """Everything (of the ``tracked`` types) that differs between ``before`` and
    ``after`` is reported, and nothing reported contradicts ``after``."""
    if tracked is None:
        assert changes.spawned == after.keys() - before.keys()
        assert changes.despawned == before.keys() - after.keys()
    for entity, now in after.items():
        then = before.get(entity)
        if then is None:
            continue
        for ctype, value in now.items():
            if tracked is not None and ctype not in tracked:
                continue
            if then.get(ctype) != value:
                assert entity in changes.written.get(ctype, ()) or entity in changes.spawned, (
                    f"entity {entity}: {ctype.__name__} went {then.get(ctype)} -> {value} "
                    "unreported"
                )
        for ctype in then.keys() - now.keys():
            if tracked is not None and ctype not in tracked:
                continue
            assert entity in changes.removed.get(ctype, ()), (
                f"entity {entity}: removal of {ctype.__name__} unreported"
            )
    for ctype, entities in changes.written.items():
        for entity in entities:
            assert ctype in after[entity]
            assert entity not in changes.spawned
    for ctype, entities in changes.removed.items():
        for entity in entities:
            assert ctype not in after[entity]


def toggle_frozen(world: World, entity: int) -> None:
    """A structural change that moves ``entity`` to another archetype."""
    if world.has(entity, Frozen):
        world.remove(entity, Frozen)
    else:
        world.insert(entity, Frozen())


def run(world: World, op: tuple[Any, ...]) -> None:
    kind = op[0]
    live = list(world.entities())
    pick: Callable[[int], int] = lambda i: live[i % len(live)]  # noqa: E731
    if kind == "spawn":
        world.spawn(*op[1])
    elif kind == "spawn_batch":
        _, ctype, count = op
        fields = component_info(ctype).fields
        world.spawn_batch({ctype: {f: np.arange(count, dtype=float) for f in fields}})
    elif kind == "take" or not live:
        return
    elif kind == "despawn":
        world.despawn(pick(op[1]))
    elif kind == "insert":
        world.insert(pick(op[1]), *op[2])
    elif kind == "try_remove":
        world.try_remove(pick(op[1]), *op[2])
    elif kind in ("get", "try_get", "components", "row_view"):
        _, i, (ctype, value) = op
        entity = pick(i)
        if not world.has(entity, ctype):
            return
        if kind == "components":
            found = [c for c in world.components(entity) if isinstance(c, ctype)]
            target = found[0]
        else:
            target = getattr(world, "try_get" if kind == "try_get" else "get")(entity, ctype)
        setattr(target, FIELD[ctype], value)
    elif kind == "query":
        _, sel, (ctype, value), then = op
        touched = []
        for row, (entity, (comp,)) in enumerate(world.query(ctype)):
            if row % 3 == sel:
                setattr(comp, FIELD[ctype], value)
                touched.append(entity)
                if then == "move_in_loop":
                    toggle_frozen(world, entity)
                elif then == "despawn_in_loop" and row % 2:
                    world.despawn(entity)
        if then == "move_after":
            for entity in touched:
                toggle_frozen(world, entity)
    elif kind == "query_columns":
        _, sel, (ctype, value), then = op
        touched = []
        for entities, (cols,) in world.query_columns(ctype):
            getattr(cols, FIELD[ctype])[sel::3] = value
            touched.extend(entities[sel::3].tolist())
            if then == "move_in_loop":
                for entity in entities[sel::3].tolist():
                    toggle_frozen(world, entity)
        if then == "move_after":
            for entity in touched:
                toggle_frozen(world, entity)
    else:  # pragma: no cover - the strategy lists every kind
        raise AssertionError(kind)


@settings(max_examples=300, deadline=None)
@given(setup=st.lists(some_components, max_size=6), ops=st.lists(operations, max_size=30))
def test_no_mutation_path_escapes_tracking(
    setup: list[list[Any]], ops: list[tuple[Any, ...]]
) -> None:
    world = World()
    for components in setup:
        world.spawn(*components)
    full = world.track_changes()
    typed = world.track_changes(types=[Name, Position])
    base_full = base_typed = snapshot(world)
    for op in [*ops, ("take",)]:
        run(world, op)
        if op[0] == "take":
            now = snapshot(world)
            check_complete(full.take(), base_full, now)
            base_full = now
            if len(ops) % 2:  # let the typed log sometimes accumulate across takes
                check_complete(typed.take(), base_typed, now, tracked=(Name, Position))
                base_typed = now
    check_complete(typed.take(), base_typed, snapshot(world), tracked=(Name, Position))
