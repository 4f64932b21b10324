"""Structural changes made while the world is iterated: deferred to the end of
the outermost iteration, applied in call order, however the loop ends."""

from __future__ import annotations

import re

import numpy as np
import pytest

from fabula.ecs import World
from fabula.errors import EntityError, StructuralChangeError
from tests.ecs.components import Frozen, Health, Name, Position


def exactly(message: str) -> str:
    return "^" + re.escape(message) + "$"


def entities_of(rows: object) -> list[int]:
    return [entity for entity, _ in rows]  # type: ignore[attr-defined]


def test_spawn_during_iteration_is_deferred_but_returns_a_handle(world: World) -> None:
    parent = world.spawn(Name("parent"))
    children: list[int] = []
    for _, (name,) in world.query(Name):
        child = world.spawn(Name(name.text + "'s child"), Health(1))
        children.append(child)
        assert child not in world
        assert len(world) == 1
        message = (
            "entity 1 was spawned while a query was iterating and exists once that "
            "iteration ends; use it after the loop."
        )
        with pytest.raises(EntityError, match=exactly(message)):
            world.get(child, Name)
    (child,) = children
    assert child in world
    assert world.get(child, Name) == Name("parent's child")
    assert entities_of(world.query(Name)) == [parent, child]


def test_spawn_during_iteration_reuses_a_free_slot(world: World) -> None:
    old = world.spawn(Name("old"))
    keeper = world.spawn(Name("keeper"))
    world.despawn(old)
    for _ in world.query(Name):
        new = world.spawn(Name("new"))
    assert new != old
    assert new in world
    assert old not in world
    assert sorted(entities_of(world.query(Name))) == sorted([keeper, new])


def test_despawn_during_iteration_visits_every_entity_once(world: World) -> None:
    spawned = [world.spawn(Name(str(i)), Health(i)) for i in range(6)]
    seen = []
    for entity, (_, health) in world.query(Name, Health):
        seen.append(entity)
        if health.hp % 2 == 0:
            world.despawn(entity)
            assert entity in world  # still there until the loop ends
    assert seen == spawned
    assert sorted(world.entities()) == [spawned[1], spawned[3], spawned[5]]


def test_insert_and_remove_during_iteration_are_deferred(world: World) -> None:
    a = world.spawn(Name("a"), Health(1))
    b = world.spawn(Name("b"), Health(2))
    for entity, (_,) in world.query(Name):
        world.insert(entity, Frozen())
        world.remove(entity, Health)
        assert world.component_types(entity) == frozenset({Name, Health})
    for entity in (a, b):
        assert world.component_types(entity) == frozenset({Name, Frozen})


def test_try_remove_during_iteration_is_deferred(world: World) -> None:
    a = world.spawn(Name("a"), Health(1))
    for entity, _ in world.query(Name):
        world.try_remove(entity, Health, Frozen)
        assert world.has(entity, Health)
    assert world.component_types(a) == frozenset({Name})


def test_deferred_changes_apply_in_call_order(world: World) -> None:
    a = world.spawn(Name("a"))
    for _ in world.query(Name):
        world.insert(a, Health(1))
        world.insert(a, Health(2))
        world.remove(a, Name)
        world.insert(a, Name("again"))
    assert world.get(a, Health) == Health(2)
    assert world.get(a, Name) == Name("again")


def test_a_handle_spawned_in_the_loop_can_be_changed_in_the_loop(world: World) -> None:
    world.spawn(Name("a"))
    for _ in world.query(Name):
        kept = world.spawn(Name("kept"))
        world.insert(kept, Health(9))
        gone = world.spawn(Name("gone"))
        world.despawn(gone)
    assert world.get(kept, Health) == Health(9)
    assert gone not in world
    assert len(world) == 2


def test_breaking_out_early_still_applies_deferred_changes(world: World) -> None:
    a = world.spawn(Name("a"))
    world.spawn(Name("b"))
    for entity, _ in world.query(Name):
        world.despawn(entity)
        new = world.spawn(Health(1))
        break
    assert a not in world
    assert new in world
    world.despawn(new)  # immediate again: no iteration is running
    assert new not in world


def test_an_exception_in_the_loop_still_applies_deferred_changes(world: World) -> None:
    a = world.spawn(Name("a"))

    def system() -> None:
        for entity, _ in world.query(Name):
            world.insert(entity, Frozen())
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        system()
    assert world.has(a, Frozen)


def test_nested_queries_apply_at_the_end_of_the_outermost(world: World) -> None:
    a = world.spawn(Name("a"), Health(1))
    b = world.spawn(Name("b"))
    for outer, _ in world.query(Name):
        for inner, _ in world.query(Health):
            if outer == b:
                world.despawn(inner)
        assert a in world  # the inner loop ended, but the outer one runs on
    assert a not in world
    assert b in world


def test_query_columns_and_entities_with_iterations_defer_too(world: World) -> None:
    a = world.spawn(Position(0.0, 0.0))
    b = world.spawn(Name("b"))
    for entities, _ in world.query_columns(Position):
        world.insert(int(entities[0]), Frozen())
        assert not world.has(a, Frozen)
    assert world.has(a, Frozen)
    for entity in world.entities_with[Name]:
        world.despawn(entity)
        assert entity in world
    assert b not in world
    for entity in world.entities():
        world.insert(entity, Health(1))
        assert not world.has(entity, Health)
    assert world.has(a, Health)


def test_an_invalid_handle_fails_at_once_even_while_iterating(world: World) -> None:
    a = world.spawn(Name("a"))
    stale = world.spawn(Name("stale"))
    world.despawn(stale)
    for _ in world.query(Name):
        with pytest.raises(EntityError, match="was despawned"):
            world.despawn(stale)
        with pytest.raises(EntityError, match="never spawned"):
            world.insert(99, Health(1))
    assert a in world


def test_spawn_batch_during_iteration_raises(world: World) -> None:
    world.spawn(Name("a"), Position(0.0, 0.0))
    message = "spawn_batch() cannot run while a query is iterating; call it after the loop."
    batch = {Position: {"x": np.zeros(2), "y": np.zeros(2)}}
    for _ in world.query(Name):
        with pytest.raises(StructuralChangeError, match=exactly(message)):
            world.spawn_batch(batch)
    for _ in world.query_columns(Position):
        with pytest.raises(StructuralChangeError, match=exactly(message)):
            world.spawn_batch(batch)
    for _ in world.entities_with[Name]:
        with pytest.raises(StructuralChangeError, match=exactly(message)):
            world.spawn_batch(batch)
    assert len(world.spawn_batch(batch)) == 2  # fine once no loop runs
    assert len(world) == 3


def test_apply_deferred_flushes_an_abandoned_iterator(world: World) -> None:
    a = world.spawn(Name("a"))
    rows = world.query(Name)
    next(rows)
    world.despawn(a)
    assert a in world
    world.apply_deferred()
    assert a not in world
    b = world.spawn(Name("b"))
    del rows  # dropping the iterator ends the iteration
    world.despawn(b)
    assert b not in world


def test_closing_a_query_iterator_applies_deferred_changes(world: World) -> None:
    a = world.spawn(Name("a"))
    rows = world.query(Name)
    next(rows)
    world.despawn(a)
    rows.close()  # type: ignore[attr-defined]
    assert a not in world


def test_closing_a_query_columns_iterator_applies_deferred_changes(world: World) -> None:
    a = world.spawn(Position(0.0, 0.0))
    batches = world.query_columns(Position)
    next(batches)
    world.despawn(a)
    assert a in world
    batches.close()  # type: ignore[attr-defined]
    assert a not in world


def test_a_failing_deferred_change_does_not_drop_the_others(world: World) -> None:
    a = world.spawn(Name("a"))
    b = world.spawn(Name("b"))

    def loop() -> None:
        for _ in world.query(Name):
            world.despawn(a)  # queued once per row: the second one fails
            world.insert(b, Name("renamed"))

    with pytest.raises(EntityError, match="despawned") as info:
        loop()
    assert "1 of 4 failed; the others were applied" in str(info.value.__notes__)
    assert a not in world
    assert world.get(b, Name).text == "renamed"
