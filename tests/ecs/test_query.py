"""Queries: what they match, in which order, how they fail, their cache, and
structural changes made while they iterate (deferred to the end of the loop)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from fabula.ecs import World
from fabula.errors import EcsError, EntityError, StructuralChangeError
from tests.ecs.components import Frozen, Health, Name, Position, Velocity, field_values


def exactly(message: str) -> str:
    return "^" + re.escape(message) + "$"


def entities_of(rows: object) -> list[int]:
    return [entity for entity, _ in rows]  # type: ignore[attr-defined]


# --- matching ----------------------------------------------------------------------


def test_query_yields_entities_having_every_type(world: World) -> None:
    a = world.spawn(Name("a"), Health(1))
    world.spawn(Name("b"))
    c = world.spawn(Name("c"), Health(3), Frozen())
    world.spawn(Health(4))
    rows = list(world.query(Name, Health))
    assert rows == [(a, (Name("a"), Health(1))), (c, (Name("c"), Health(3)))]


def test_query_components_come_in_the_requested_order(world: World) -> None:
    a = world.spawn(Name("a"), Health(1))
    assert list(world.query(Health, Name)) == [(a, (Health(1), Name("a")))]


def test_single_type_queries_yield_one_tuples(world: World) -> None:
    a = world.spawn(Name("a"))
    rows = list(world.query(Name))
    assert rows == [(a, (Name("a"),))]
    for _, components in world.query(Name):
        assert isinstance(components, tuple)
        assert len(components) == 1
    ((_, (name,)),) = world.query(Name)
    assert name == Name("a")


def test_query_yields_the_stored_objects(world: World) -> None:
    a = world.spawn(Health(5))
    for _, (health,) in world.query(Health):
        health.hp = 1
    assert world.get(a, Health).hp == 1


def test_query_without_excludes_types(world: World) -> None:
    a = world.spawn(Name("a"))
    world.spawn(Name("b"), Frozen())
    c = world.spawn(Name("c"), Health(1))
    world.spawn(Name("d"), Health(1), Frozen())
    assert entities_of(world.query(Name, without=[Frozen])) == [a, c]
    assert entities_of(world.query(Name, without=(Frozen, Health))) == [a]
    assert entities_of(world.query(Name, without=iter([Health, Frozen]))) == [a]


def test_query_over_columnar_types_yields_row_views(world: World) -> None:
    a = world.spawn(Name("a"), Position(1.0, 2.0))
    ((entity, (name, position)),) = world.query(Name, Position)
    assert entity == a
    assert name == Name("a")
    assert isinstance(position, Position)
    assert field_values(Position, position) == (1.0, 2.0)
    position.x = 5.0
    assert world.get(a, Position).x == 5.0


def test_query_with_no_match_is_empty(world: World) -> None:
    world.spawn(Name("a"))
    assert list(world.query(Health)) == []
    assert list(World().query(Name)) == []


# --- ordering ----------------------------------------------------------------------


def test_order_is_archetype_creation_order_then_rows(world: World) -> None:
    a = world.spawn(Name("a"))  # archetype [Name]
    b = world.spawn(Name("b"), Health(1))  # archetype [Health, Name]
    c = world.spawn(Name("c"))
    d = world.spawn(Name("d"), Frozen())  # archetype [Frozen, Name]
    e = world.spawn(Name("e"), Health(1))
    assert entities_of(world.query(Name)) == [a, c, b, e, d]


def test_order_after_despawn_follows_swap_remove(world: World) -> None:
    a, b, c, d = (world.spawn(Name(x)) for x in "abcd")
    world.despawn(a)  # d moves into row 0
    assert entities_of(world.query(Name)) == [d, b, c]


def test_order_after_an_entity_moves_archetypes(world: World) -> None:
    a = world.spawn(Name("a"))
    b = world.spawn(Name("b"), Health(1))
    world.remove(b, Health)  # b joins the first archetype, at its end
    world.insert(a, Health(2))  # a joins the second
    assert entities_of(world.query(Name)) == [b, a]


def test_order_is_the_same_on_every_run(world: World) -> None:
    for i in range(20):
        world.spawn(Name(str(i)), *([Health(i)] if i % 3 else []))
    assert entities_of(world.query(Name)) == entities_of(world.query(Name))


# --- malformed queries ---------------------------------------------------------------


def test_query_without_types_raises(world: World) -> None:
    message = "a query needs at least one component type, e.g. query(Position)."
    with pytest.raises(EcsError, match=exactly(message)):
        world.query()


def test_query_with_a_duplicate_type_raises(world: World) -> None:
    message = "query() lists a component type twice: Name, Health, Name."
    with pytest.raises(EcsError, match=exactly(message)):
        world.query(Name, Health, Name)


def test_query_that_requires_and_excludes_a_type_raises(world: World) -> None:
    message = (
        "query() both requires and excludes Health; it could never match. Remove it from without=."
    )
    with pytest.raises(EcsError, match=exactly(message)):
        world.query(Name, Health, without=[Health, Frozen])


def test_malformed_queries_fail_at_the_call_not_at_iteration(world: World) -> None:
    with pytest.raises(EcsError):
        world.query(Name, Name)  # never iterated


# --- the cache -----------------------------------------------------------------------


def test_query_sees_archetypes_created_after_its_first_call(world: World) -> None:
    a = world.spawn(Name("a"))
    assert entities_of(world.query(Name)) == [a]
    assert entities_of(world.query(Name, without=[Frozen])) == [a]
    b = world.spawn(Name("b"), Health(1))  # new archetype
    c = world.spawn(Name("c"), Frozen())  # new archetype, excluded below
    world.spawn(Health(2))  # new archetype, not matching
    assert entities_of(world.query(Name)) == [a, b, c]
    assert entities_of(world.query(Name, without=[Frozen])) == [a, b]
    d = world.spawn(Name("d"), Position(0.0, 0.0))
    world.insert(a, Velocity())  # an edge to yet another archetype
    assert entities_of(world.query(Name)) == [b, c, d, a]
    assert entities_of(world.query(Name, without=[Frozen])) == [b, d, a]


def test_query_sees_rows_of_archetypes_that_were_empty_when_cached(world: World) -> None:
    a = world.spawn(Name("a"), Health(1))
    world.despawn(a)
    assert list(world.query(Name)) == []
    b = world.spawn(Name("b"), Health(2))
    assert entities_of(world.query(Name)) == [b]


# --- deferred structural changes -------------------------------------------------------


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
