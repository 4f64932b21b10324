"""Adding and removing components: insert (add or replace), remove and
try_remove, which move an entity between archetypes, and how they fail."""

from __future__ import annotations

import re

import pytest

from fabula.ecs import World
from fabula.errors import EcsError, EntityError, MissingComponentError
from tests.ecs.components import Health, Name, Position, Velocity, field_values


def exactly(message: str) -> str:
    """A ``match=`` pattern for the whole message, verbatim."""
    return "^" + re.escape(message) + "$"


# --- insert ---------------------------------------------------------------------------


def test_insert_adds_a_new_component(world: World) -> None:
    hero = world.spawn(Name("hero"))
    world.insert(hero, Health(7), Position(0.5, 1.5))
    assert world.component_types(hero) == frozenset({Name, Health, Position})
    assert world.get(hero, Name) == Name("hero")
    assert world.get(hero, Health) == Health(7)
    assert field_values(Position, world.get(hero, Position)) == (0.5, 1.5)


def test_insert_replaces_a_component_of_the_same_type(world: World) -> None:
    hero = world.spawn(Name("hero"), Position(1.0, 1.0))
    world.insert(hero, Name("renamed"), Position(9.0, 8.0))
    assert world.get(hero, Name) == Name("renamed")
    assert field_values(Position, world.get(hero, Position)) == (9.0, 8.0)
    assert world.component_types(hero) == frozenset({Name, Position})


def test_insert_mixes_adding_and_replacing(world: World) -> None:
    hero = world.spawn(Name("hero"))
    world.insert(hero, Name("new"), Health(2))
    assert world.get(hero, Name) == Name("new")
    assert world.get(hero, Health) == Health(2)


def test_insert_nothing_changes_nothing(world: World) -> None:
    hero = world.spawn(Name("hero"))
    world.insert(hero)
    assert world.component_types(hero) == frozenset({Name})


def test_insert_with_duplicate_types_raises_and_changes_nothing(world: World) -> None:
    hero = world.spawn(Health(1))
    message = "insert() got two Name components for entity 0; pass one per type."
    with pytest.raises(EcsError, match=exactly(message)):
        world.insert(hero, Name("a"), Name("b"))
    assert world.component_types(hero) == frozenset({Health})


def test_insert_into_a_missing_entity_raises(world: World) -> None:
    with pytest.raises(EntityError, match=exactly("entity 3 was never spawned in this world.")):
        world.insert(3, Name("x"))


# --- remove / try_remove --------------------------------------------------------------


def test_remove_drops_components_and_keeps_the_rest(world: World) -> None:
    hero = world.spawn(Name("hero"), Health(3), Position(1.0, 2.0))
    world.remove(hero, Health)
    assert world.component_types(hero) == frozenset({Name, Position})
    world.remove(hero, Name, Position)
    assert world.component_types(hero) == frozenset()
    assert hero in world


def test_remove_of_an_absent_type_raises_and_removes_nothing(world: World) -> None:
    hero = world.spawn(Name("hero"), Health(3))
    message = (
        "entity 0 has no Position component (it has Health, Name). "
        "Use try_get() where absence is expected, or insert a Position first."
    )
    with pytest.raises(MissingComponentError, match=exactly(message)) as info:
        world.remove(hero, Health, Position)
    assert info.value.entity == hero
    assert info.value.component is Position
    assert world.component_types(hero) == frozenset({Name, Health})


def test_try_remove_ignores_absent_types(world: World) -> None:
    hero = world.spawn(Name("hero"), Health(3))
    world.try_remove(hero, Position)
    assert world.component_types(hero) == frozenset({Name, Health})
    world.try_remove(hero, Health, Position, Velocity)
    assert world.component_types(hero) == frozenset({Name})


def test_remove_and_try_remove_of_nothing_change_nothing(world: World) -> None:
    hero = world.spawn(Name("hero"))
    world.remove(hero)
    world.try_remove(hero)
    assert world.component_types(hero) == frozenset({Name})


def test_try_remove_still_requires_a_live_entity(world: World) -> None:
    with pytest.raises(EntityError, match="never spawned"):
        world.try_remove(7, Name)
