"""Change tracking: what a ChangeLog reports, path by path."""

from __future__ import annotations

import pytest

from fabula.ecs import ChangeLog, ChangeSet, World
from tests.ecs.components import Frozen, Health, Name, Position, Velocity


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
