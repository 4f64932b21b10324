"""Change tracking: what a ChangeLog reports, path by path, and a property test
that no way of mutating a component escapes it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fabula.ecs import ChangeLog, ChangeSet, World, component_info
from tests.ecs.components import Frozen, Health, Name, Position, Velocity, field_values


def written(changes: ChangeSet) -> dict[type, set[int]]:
    return {ctype: set(entities) for ctype, entities in changes.written.items()}


def removed(changes: ChangeSet) -> dict[type, set[int]]:
    return {ctype: set(entities) for ctype, entities in changes.removed.items()}


@pytest.fixture
def log(world: World) -> ChangeLog:
    return world.track_changes()


# --- the ChangeSet ----------------------------------------------------------------------


def test_nothing_happened(world: World, log: ChangeLog) -> None:
    changes = log.take()
    assert changes == ChangeSet()
    assert not changes
    assert changes.count() == 0


def test_count_and_truth(world: World, log: ChangeLog) -> None:
    a = world.spawn(Name("a"), Health(1))
    b = world.spawn(Name("b"))
    log.take()
    world.insert(a, Frozen())
    world.get(a, Name)
    world.remove(a, Health)
    world.despawn(b)
    world.spawn(Name("c"))
    changes = log.take()
    assert changes
    assert changes.count() == 5  # 1 spawned + 1 despawned + 2 written + 1 removed


# --- spawn and despawn -------------------------------------------------------------------


def test_spawn_and_despawn_are_recorded(world: World, log: ChangeLog) -> None:
    old = world.spawn(Name("old"))
    assert log.take().spawned == {old}
    world.despawn(old)
    new = world.spawn(Name("new"))  # reuses the slot, new generation
    changes = log.take()
    assert changes.spawned == {new}
    assert changes.despawned == {old}


def test_spawn_then_despawn_before_take_nets_out(world: World, log: ChangeLog) -> None:
    a = world.spawn(Name("a"))
    world.get(a, Name).text = "b"
    world.insert(a, Health(1))
    world.despawn(a)
    assert log.take() == ChangeSet()


def test_a_spawned_entity_appears_only_as_spawned(world: World, log: ChangeLog) -> None:
    a = world.spawn(Name("a"))
    world.insert(a, Health(1))
    world.get(a, Name).text = "b"
    world.remove(a, Health)
    changes = log.take()
    assert changes.spawned == {a}
    assert changes.written == {}
    assert changes.removed == {}


def test_writes_to_a_despawned_entity_are_dropped(world: World, log: ChangeLog) -> None:
    a = world.spawn(Name("a"), Health(1))
    log.take()
    world.get(a, Name)
    world.remove(a, Health)
    world.despawn(a)
    changes = log.take()
    assert changes.despawned == {a}
    assert changes.written == {}
    assert changes.removed == {}


def test_spawn_batch_is_recorded(world: World, log: ChangeLog) -> None:
    ids = world.spawn_batch({Position: {"x": [1.0, 2.0], "y": [0.0, 0.0]}})
    assert log.take().spawned == set(ids.tolist())


def test_a_deferred_spawn_is_recorded_when_applied(world: World, log: ChangeLog) -> None:
    world.spawn(Name("a"))
    log.take()
    for _ in world.query(Name, readonly=True):
        child = world.spawn(Health(1))
        assert not log.take()
    assert log.take().spawned == {child}


# --- insert, replace, remove ---------------------------------------------------------------


def test_insert_replace_and_remove_are_recorded(world: World, log: ChangeLog) -> None:
    a = world.spawn(Name("a"), Health(1))
    b = world.spawn(Name("b"), Health(2))
    log.take()
    world.insert(a, Frozen())  # new type: moves
    world.insert(b, Name("bee"))  # replace in place
    world.remove(b, Health)
    changes = log.take()
    assert written(changes) == {Frozen: {a}, Name: {b}}
    assert removed(changes) == {Health: {b}}
    assert not changes.spawned
    assert not changes.despawned


def test_remove_then_insert_is_a_write(world: World, log: ChangeLog) -> None:
    a = world.spawn(Name("a"), Health(1))
    log.take()
    world.remove(a, Health)
    world.insert(a, Health(2))
    changes = log.take()
    assert written(changes) == {Health: {a}}
    assert changes.removed == {}


def test_insert_then_remove_is_a_removal(world: World, log: ChangeLog) -> None:
    a = world.spawn(Name("a"), Health(1))
    log.take()
    world.insert(a, Health(5))
    world.remove(a, Health)
    changes = log.take()
    assert changes.written == {}
    assert removed(changes) == {Health: {a}}


def test_inserting_a_new_type_then_removing_it_reports_the_removal(
    world: World, log: ChangeLog
) -> None:
    a = world.spawn(Name("a"))
    log.take()
    world.insert(a, Frozen())
    world.try_remove(a, Frozen)
    assert removed(log.take()) == {Frozen: {a}}


def test_columnar_insert_and_replace_are_recorded(world: World, log: ChangeLog) -> None:
    a = world.spawn(Position(0.0, 0.0))
    log.take()
    world.insert(a, Position(1.0, 1.0))
    world.insert(a, Velocity(1.0))
    assert written(log.take()) == {Position: {a}, Velocity: {a}}


# --- write access marks ------------------------------------------------------------------------


def test_get_marks_and_get_readonly_does_not(world: World, log: ChangeLog) -> None:
    a = world.spawn(Name("a"), Health(1))
    log.take()
    world.get(a, Name, readonly=True)
    world.try_get(a, Health, readonly=True)
    world.components(a, readonly=True)
    assert not log.take()
    world.get(a, Name)
    assert written(log.take()) == {Name: {a}}
    world.try_get(a, Health)
    assert written(log.take()) == {Health: {a}}
    world.components(a)
    assert written(log.take()) == {Name: {a}, Health: {a}}


def test_try_get_of_an_absent_type_marks_nothing(world: World, log: ChangeLog) -> None:
    a = world.spawn(Name("a"))
    log.take()
    assert world.try_get(a, Health) is None
    assert not log.take()


def test_query_marks_whole_columns_of_yielded_types(world: World, log: ChangeLog) -> None:
    a = world.spawn(Name("a"), Health(1))
    b = world.spawn(Name("b"), Health(2))
    c = world.spawn(Name("c"))
    world.spawn(Health(3))
    log.take()
    for _, (name,) in world.query(Name, without=[Health]):
        name.text = "changed"
    assert written(log.take()) == {Name: {c}}
    for _ in world.query(Name, Health):
        pass  # write access was handed out: every visited row is marked
    assert written(log.take()) == {Name: {a, b}, Health: {a, b}}


def test_query_readonly_marks_nothing(world: World, log: ChangeLog) -> None:
    world.spawn(Name("a"), Position(0.0, 0.0))
    log.take()
    for _ in world.query(Name, Position, readonly=True):
        pass
    assert not log.take()


def test_query_marks_rows_that_join_the_column_before_take(world: World, log: ChangeLog) -> None:
    a = world.spawn(Name("a"))
    log.take()
    for _ in world.query(Name):
        pass
    b = world.spawn(Name("b"))  # joins the marked column, but is spawned
    c = world.spawn(Name("c"), Health(1))
    log.take()
    world.remove(c, Health)  # joins the column of a: not marked any more
    assert written(log.take()) == {}
    assert {a, b, c} <= set(world.entities())


def test_row_view_writes_mark_and_reads_do_not(world: World, log: ChangeLog) -> None:
    a = world.spawn(Position(1.0, 2.0))
    b = world.spawn(Position(3.0, 4.0))
    log.take()
    view = world.get(a, Position, readonly=True)
    assert view.x == 1.0
    assert not log.take()
    view.y = 5.0
    assert written(log.take()) == {Position: {a}}
    for entity, (p,) in world.query(Position, readonly=True):
        if entity == b:
            p.x = 0.0  # a row view write marks even in a readonly query
    assert written(log.take()) == {Position: {b}}


def test_query_columns_marks_and_readonly_does_not(world: World, log: ChangeLog) -> None:
    a = world.spawn(Position(1.0, 2.0))
    b = world.spawn(Position(3.0, 4.0), Velocity())
    log.take()
    for _ in world.query_columns(Position, readonly=True):
        pass
    assert not log.take()
    for _, (p,) in world.query_columns(Position, without=[Velocity]):
        p.x *= 2
    assert written(log.take()) == {Position: {a}}
    for _ in world.query_columns(Position, Velocity):
        pass
    assert written(log.take()) == {Position: {b}, Velocity: {b}}


# --- marks that must survive a move ------------------------------------------------------------


def test_query_mutation_then_move_before_take_is_written(world: World, log: ChangeLog) -> None:
    a = world.spawn(Name("a"), Health(1))
    world.spawn(Name("b"), Health(2))
    log.take()
    for entity, (health,) in world.query(Health):
        if entity == a:
            health.hp = 99
    world.insert(a, Frozen())  # a leaves the marked archetype
    changes = log.take()
    assert a in changes.written[Health]
    assert changes.written[Frozen] == {a}


def test_query_mutation_then_removal_move_is_written(world: World, log: ChangeLog) -> None:
    a = world.spawn(Name("a"), Health(1))
    log.take()
    for _, (health,) in world.query(Health):
        health.hp = 99
    world.remove(a, Name)
    changes = log.take()
    assert written(changes) == {Health: {a}}
    assert removed(changes) == {Name: {a}}


def test_move_deferred_in_the_mutating_loop_keeps_the_mark(world: World, log: ChangeLog) -> None:
    a = world.spawn(Name("a"), Health(1))
    log.take()
    for entity, (health,) in world.query(Health):
        health.hp = 99
        world.insert(entity, Frozen())
    assert world.has(a, Frozen)
    assert a in log.take().written[Health]


def test_query_columns_mutation_then_move_is_written(world: World, log: ChangeLog) -> None:
    a = world.spawn(Position(1.0, 2.0))
    log.take()
    for _, (p,) in world.query_columns(Position):
        p.x += 1.0
    world.insert(a, Name("moved"))
    assert a in log.take().written[Position]


def test_take_mid_loop_then_break_does_not_lose_a_mutation(world: World, log: ChangeLog) -> None:
    world.spawn(Health(1))
    world.spawn(Health(2))
    log.take()
    for entity, (health,) in world.query(Health):
        log.take()  # e.g. a write-behind flush running inside a system
        health.hp = 99
        mutated = entity
        break
    assert mutated in log.take().written.get(Health, ())


def test_take_mid_columns_loop_then_break_does_not_lose_a_mutation(
    world: World, log: ChangeLog
) -> None:
    world.spawn_batch({Position: {"x": [1.0, 2.0], "y": [0.0, 0.0]}})
    log.take()
    for entities, (position,) in world.query_columns(Position):
        log.take()  # e.g. a write-behind flush running inside a system
        position.x += 1.0
        mutated = set(entities.tolist())
        break
    assert mutated <= log.take().written.get(Position, frozenset())


# --- logs: scope and lifetime -------------------------------------------------------------------


def test_a_typed_log_records_only_its_types(world: World) -> None:
    log = world.track_changes(types=[Health])
    a = world.spawn(Name("a"))
    b = world.spawn(Name("b"), Health(1))
    changes = log.take()
    assert changes.spawned == {b}
    world.get(a, Name)
    world.insert(a, Health(2))  # a gains the type: a write, not a spawn
    world.get(b, Health)
    world.get(b, Name)
    changes = log.take()
    assert written(changes) == {Health: {a, b}}
    world.despawn(a)
    assert log.take().despawned == {a}


def test_logs_are_independent(world: World) -> None:
    first, second = world.track_changes(), world.track_changes()
    a = world.spawn(Name("a"))
    assert first.take().spawned == {a}
    assert second.take().spawned == {a}
    world.get(a, Name)
    first.take()
    assert written(second.take()) == {Name: {a}}


def test_untrack_changes_stops_feeding_a_log(world: World, log: ChangeLog) -> None:
    world.untrack_changes(log)
    world.spawn(Name("a"))
    assert not log.take()


def test_clear_forgets_everything(world: World, log: ChangeLog) -> None:
    a = world.spawn(Name("a"))
    for _ in world.query(Name):
        pass
    assert log
    log.clear()
    assert not log
    world.get(a, Name)
    assert written(log.take()) == {Name: {a}}


# --- property: no mutation path escapes tracking ---------------------------------------------

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
