"""World basics: spawning, inserting, removing, despawning, reading, and the
generational handles that keep a stale handle from naming a newer entity."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fabula.ecs import World, entity_generation, entity_index
from fabula.errors import (
    DespawnedEntityError,
    EcsError,
    EntityError,
    FabulaError,
    MissingComponentError,
)
from tests.ecs.components import Frozen, Health, Name, Position, Velocity, field_values


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


# --- insert ----------------------------------------------------------------------


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


# --- remove / try_remove -----------------------------------------------------------


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


# --- despawn -----------------------------------------------------------------------


def test_despawn_removes_the_entity_and_keeps_the_others_intact(world: World) -> None:
    a = world.spawn(Name("a"), Health(1))
    b = world.spawn(Name("b"), Health(2))
    c = world.spawn(Name("c"), Health(3))
    world.despawn(a)  # c moves into a's row
    assert a not in world
    assert world.get(b, Name) == Name("b")
    assert world.get(c, Name) == Name("c")
    assert world.get(c, Health) == Health(3)


def test_despawn_twice_raises(world: World) -> None:
    a = world.spawn(Name("a"))
    world.despawn(a)
    with pytest.raises(DespawnedEntityError, match="entity 0 was despawned"):
        world.despawn(a)


# --- generational handles ------------------------------------------------------------


def test_despawn_then_spawn_reuses_the_slot_with_a_new_generation(world: World) -> None:
    old = world.spawn(Name("old"))
    world.despawn(old)
    new = world.spawn(Name("new"))
    assert new != old
    assert entity_index(new) == entity_index(old)
    assert entity_generation(new) == entity_generation(old) + 1
    assert new in world
    assert old not in world


def test_a_stale_handle_never_aliases_the_entity_reusing_its_slot(world: World) -> None:
    old = world.spawn(Name("old"), Health(1))
    world.despawn(old)
    new = world.spawn(Name("new"), Health(2))
    for attempt in (
        lambda: world.get(old, Name),
        lambda: world.try_get(old, Name),
        lambda: world.has(old, Name),
        lambda: world.components(old),
        lambda: world.component_types(old),
        lambda: world.insert(old, Position(0.0, 0.0)),
        lambda: world.remove(old, Name),
        lambda: world.try_remove(old, Name),
        lambda: world.despawn(old),
    ):
        with pytest.raises(DespawnedEntityError):
            attempt()
    assert world.get(new, Name) == Name("new")
    assert world.component_types(new) == frozenset({Name, Health})
    assert old not in world.entities_with[Name]
    assert list(world.entities_with[Name]) == [new]


def test_stale_handle_message(world: World) -> None:
    old = world.spawn(Name("old"))
    world.despawn(old)
    message = (
        "entity 0 was despawned; this handle is stale. Drop references to an entity "
        "when it is despawned (listen for OnDeath or check `entity in world`)."
    )
    with pytest.raises(DespawnedEntityError, match=exactly(message)) as info:
        world.get(old, Name)
    assert info.value.entity == old


def test_stale_handle_message_names_the_generation(world: World) -> None:
    first = world.spawn(Name("a"))
    world.despawn(first)
    second = world.spawn(Name("b"))
    world.despawn(second)
    with pytest.raises(DespawnedEntityError, match=r"^entity 0 \(generation 1\) was despawned"):
        world.get(second, Name)


@given(st.lists(st.booleans(), min_size=1, max_size=60))
def test_stale_handles_never_come_back(script: list[bool]) -> None:
    """Any mix of spawns (True) and despawns (False): every despawned handle
    stays dead, and live handles are all distinct."""
    world = World()
    live: list[int] = []
    dead: list[int] = []
    for spawn in script:
        if spawn or not live:
            live.append(world.spawn(Name(str(len(live)))))
        else:
            victim = live.pop(0)
            world.despawn(victim)
            dead.append(victim)
    assert len(set(live)) == len(live) == len(world)
    assert set(live).isdisjoint(dead)
    for handle in dead:
        assert handle not in world
        with pytest.raises(DespawnedEntityError):
            world.get(handle, Name)


# --- error paths -------------------------------------------------------------------


def test_never_spawned_handle(world: World) -> None:
    world.spawn(Name("a"))
    with pytest.raises(EntityError, match=exactly("entity 5 was never spawned in this world.")):
        world.get(5, Name)
    with pytest.raises(EntityError, match=exactly("entity 5 was never spawned in this world.")):
        world.despawn(5)


def test_handle_from_a_future_generation_was_never_spawned(world: World) -> None:
    a = world.spawn(Name("a"))
    future = a | (3 << 32)
    with pytest.raises(EntityError, match=r"^entity 0 \(generation 3\) was never spawned"):
        world.has(future, Name)


def test_errors_are_part_of_the_tree_and_key_errors(world: World) -> None:
    with pytest.raises(EntityError) as info:
        world.get(0, Name)
    assert isinstance(info.value, EcsError)
    assert isinstance(info.value, FabulaError)
    assert isinstance(info.value, KeyError)
    assert not isinstance(info.value, DespawnedEntityError)


@pytest.mark.parametrize("handle", ["0", 1.5, None, -1])
def test_non_int_handles_are_rejected_by_locating_methods(world: World, handle: object) -> None:
    world.spawn(Name("a"))
    message = f"{handle!r} is not an entity handle (handles are the ints spawn() returns)."
    for attempt in (
        lambda: world.has(handle, Name),  # type: ignore[arg-type]
        lambda: world.try_get(handle, Name),  # type: ignore[arg-type]
        lambda: world.component_types(handle),  # type: ignore[arg-type]
        lambda: world.despawn(handle),  # type: ignore[arg-type]
        lambda: world.insert(handle, Health(1)),  # type: ignore[arg-type]
        lambda: world.remove(handle, Name),  # type: ignore[arg-type]
    ):
        with pytest.raises(EntityError, match=exactly(message)):
            attempt()


@pytest.mark.parametrize("handle", ["0", 1.5, None])
def test_get_rejects_a_non_int_handle_with_entity_error(world: World, handle: object) -> None:
    world.spawn(Name("a"))
    with pytest.raises(EntityError, match="is not an entity handle"):
        world.get(handle, Name)  # type: ignore[arg-type]


def test_get_rejects_a_negative_handle(world: World) -> None:
    with pytest.raises(
        EntityError,
        match=exactly("-1 is not an entity handle (handles are the ints spawn() returns)."),
    ):
        world.get(-1, Name)


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


def test_spawn_with_duplicate_types_raises(world: World) -> None:
    message = (
        "spawn() got two or more components of type Name; an entity holds at most one "
        "component per type."
    )
    with pytest.raises(EcsError, match=exactly(message)):
        world.spawn(Name("a"), Health(1), Name("b"))
    assert len(world) == 0


def test_spawn_with_duplicate_columnar_types_raises(world: World) -> None:
    with pytest.raises(EcsError, match="of type Position;"):
        world.spawn(Position(0.0, 0.0), Position(1.0, 1.0))
    assert len(world) == 0


def test_insert_with_duplicate_types_raises_and_changes_nothing(world: World) -> None:
    hero = world.spawn(Health(1))
    message = "insert() got two Name components for entity 0; pass one per type."
    with pytest.raises(EcsError, match=exactly(message)):
        world.insert(hero, Name("a"), Name("b"))
    assert world.component_types(hero) == frozenset({Health})


def test_insert_into_a_missing_entity_raises(world: World) -> None:
    with pytest.raises(EntityError, match=exactly("entity 3 was never spawned in this world.")):
        world.insert(3, Name("x"))


def test_run_without_a_schedule_says_what_to_do(world: World) -> None:
    with pytest.raises(EcsError, match=r"world\.run\(\) needs a schedule"):
        world.run()


def test_locate_many_groups_entities_by_archetype_with_their_rows() -> None:
    world = World()
    a = [world.spawn(Name(f"a{i}")) for i in range(3)]
    b = [world.spawn(Name(f"b{i}"), Health(i)) for i in range(2)]
    found = world.locate_many([b[1], a[2], a[0], b[0]])
    by_types = {frozenset(arch.types): sorted(rows.tolist()) for arch, rows in found.items()}
    assert by_types == {frozenset({Name}): [0, 2], frozenset({Name, Health}): [0, 1]}
    for arch, rows in found.items():
        for row in rows.tolist():
            assert world.location(arch.entities[row]) == (arch, row)
    assert world.locate_many([]) == {}
    world.despawn(a[1])
    with pytest.raises(DespawnedEntityError):
        world.locate_many([a[0], a[1]])
    with pytest.raises(EntityError, match="never spawned"):
        world.locate_many([a[0], 999])
