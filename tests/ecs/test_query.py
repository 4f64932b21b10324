"""Queries: what they match, in which order, how they fail, and their cache.
Structural changes made while they iterate are tested in test_commands.py."""

from __future__ import annotations

import re

import pytest

from fabula.ecs import World
from fabula.errors import EcsError
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
