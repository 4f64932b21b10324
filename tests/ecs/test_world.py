"""World basics: spawning and reading components, counting and listing entities,
and the errors a read raises. Handles and despawning are tested in
test_entity.py, insert and remove in test_structure.py."""

from __future__ import annotations

import re

import pytest

from fabula.ecs import World
from fabula.errors import DespawnedEntityError, EcsError, MissingComponentError
from tests.ecs.components import Frozen, Health, Name, Position, field_values


def exactly(message: str) -> str:
    """A ``match=`` pattern for the whole message, verbatim."""
    return "^" + re.escape(message) + "$"


# --- spawn and read --------------------------------------------------------------


def test_spawn_returns_a_live_handle_with_its_components(world: World) -> None:
    lamp = world.spawn(Name("brass lamp"), Health(3))
    assert lamp in world
    assert len(world) == 1
    assert world.get(lamp, Name) == Name("brass lamp")
    assert world.get(lamp, Health) == Health(3, 10)
    assert world.has(lamp, Name)
    assert world.has(lamp, Name, Health)
    assert not world.has(lamp, Name, Position)
    assert world.component_types(lamp) == frozenset({Name, Health})


def test_spawn_without_components_makes_an_empty_entity(world: World) -> None:
    ghost = world.spawn()
    assert ghost in world
    assert world.component_types(ghost) == frozenset()
    assert world.components(ghost) == ()
    assert list(world.entities()) == [ghost]


def test_get_returns_the_stored_object_for_in_place_mutation(world: World) -> None:
    hero = world.spawn(Health(5))
    world.get(hero, Health).hp -= 2
    assert world.get(hero, Health).hp == 3
    assert world.get(hero, Health) is world.get(hero, Health)


def test_try_get_returns_none_only_for_a_missing_component(world: World) -> None:
    hero = world.spawn(Name("hero"))
    assert world.try_get(hero, Name) == Name("hero")
    assert world.try_get(hero, Health) is None
    assert world.try_get(hero, Position) is None
    world.despawn(hero)
    with pytest.raises(DespawnedEntityError):
        world.try_get(hero, Name)


def test_components_lists_every_component(world: World) -> None:
    hero = world.spawn(Name("hero"), Health(4), Position(1.0, 2.0))
    found = {type(c).__name__: c for c in world.components(hero)}
    assert found["Name"] == Name("hero")
    assert found["Health"] == Health(4)
    position = next(c for c in world.components(hero) if isinstance(c, Position))
    assert field_values(Position, position) == (1.0, 2.0)
    assert len(world.components(hero, readonly=True)) == 3


def test_len_contains_and_entities_follow_spawns_and_despawns(world: World) -> None:
    a, b, c = world.spawn(Name("a")), world.spawn(Health(1)), world.spawn(Name("c"))
    assert len(world) == 3
    assert sorted(world.entities()) == sorted([a, b, c])
    world.despawn(b)
    assert len(world) == 2
    assert b not in world
    assert sorted(world.entities()) == sorted([a, c])


def test_entities_are_listed_by_archetype_creation_order_then_row(world: World) -> None:
    a = world.spawn(Name("a"))
    b = world.spawn(Health(1))
    c = world.spawn(Name("c"))
    d = world.spawn()
    assert list(world.entities()) == [d, a, c, b]  # the empty archetype exists first


def test_contains_rejects_anything_that_is_not_a_live_handle(world: World) -> None:
    world.spawn(Name("a"))
    assert "0" not in world
    assert None not in world
    assert 1.5 not in world
    assert -1 not in world
    assert 12345 not in world


# --- reading errors -------------------------------------------------------------------


def test_missing_component_message(world: World) -> None:
    hero = world.spawn(Name("hero"), Position(0.0, 0.0))
    message = (
        "entity 0 has no Health component (it has Name, Position). "
        "Use try_get() where absence is expected, or insert a Health first."
    )
    with pytest.raises(MissingComponentError, match=exactly(message)) as info:
        world.get(hero, Health)
    assert isinstance(info.value, KeyError)
    assert info.value.component is Health


def test_missing_component_on_an_empty_entity(world: World) -> None:
    ghost = world.spawn()
    with pytest.raises(MissingComponentError, match=r"\(it has no components\)"):
        world.get(ghost, Frozen)


def test_run_without_a_schedule_says_what_to_do(world: World) -> None:
    with pytest.raises(EcsError, match=r"world\.run\(\) needs a schedule"):
        world.run()
