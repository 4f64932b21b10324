"""Entity handles and the slot allocator: the layout (slot index low, generation
high) that the World and the save format share, spawn's and despawn's slots,
the generations that keep a stale handle from naming a newer entity, and what
the World says about a handle that names no live entity."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fabula.ecs import (
    ENTITY_INDEX_BITS,
    ENTITY_INDEX_MASK,
    World,
    entity_generation,
    entity_index,
    entity_label,
)
from fabula.errors import DespawnedEntityError, EcsError, EntityError, FabulaError
from tests.ecs.components import Health, Name, Position


def exactly(message: str) -> str:
    """A ``match=`` pattern for the whole message, verbatim."""
    return "^" + re.escape(message) + "$"


# --- the layout -------------------------------------------------------------------


def test_a_handle_packs_the_slot_low_and_the_generation_high() -> None:
    handle = 7 | (3 << ENTITY_INDEX_BITS)
    assert entity_index(handle) == 7
    assert entity_generation(handle) == 3
    assert entity_index(7) == 7
    assert entity_generation(7) == 0


def test_the_mask_covers_exactly_the_index_bits() -> None:
    assert ENTITY_INDEX_MASK == (1 << ENTITY_INDEX_BITS) - 1
    largest = ENTITY_INDEX_MASK | (1 << ENTITY_INDEX_BITS)
    assert entity_index(largest) == ENTITY_INDEX_MASK
    assert entity_generation(largest) == 1


def test_the_layout_works_on_int64_arrays() -> None:
    handles = np.array([0, 5 | (2 << ENTITY_INDEX_BITS)], dtype=np.int64)
    assert (handles & ENTITY_INDEX_MASK).tolist() == [0, 5]
    assert (handles >> ENTITY_INDEX_BITS).tolist() == [0, 2]


def test_a_label_names_the_generation_only_once_the_slot_was_reused() -> None:
    assert entity_label(4) == "entity 4"
    assert entity_label(4 | (1 << ENTITY_INDEX_BITS)) == "entity 4 (generation 1)"


# --- spawn and despawn ----------------------------------------------------------------


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


# --- generational handles -------------------------------------------------------------


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


# --- handles that name no live entity -------------------------------------------------


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
