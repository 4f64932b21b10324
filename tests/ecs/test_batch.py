"""Batch spawning: spawn_batch from arrays or instances, defaults, and the
checks that reject a batch before anything changes."""

from __future__ import annotations

import re

import numpy as np
import pytest

from fabula.ecs import World
from fabula.errors import EcsError
from tests.ecs.components import Flags, Health, Name, Position, Velocity, field_values


def exactly(message: str) -> str:
    return "^" + re.escape(message) + "$"


def test_spawn_batch_from_arrays(world: World) -> None:
    ids = world.spawn_batch(
        {
            Position: {"x": np.arange(4.0), "y": np.arange(4.0) * 10},
            Velocity: {"dx": [1.0, 1.0, 2.0, 2.0], "dy": np.ones(4)},
        }
    )
    assert ids.dtype == np.int64
    assert len(ids) == len(world) == 4
    for i, entity in enumerate(ids.tolist()):
        assert field_values(Position, world.get(entity, Position)) == (float(i), i * 10.0)
    assert field_values(Velocity, world.get(int(ids[2]), Velocity)) == (2.0, 1.0)


def test_spawn_batch_fills_defaults(world: World) -> None:
    ids = world.spawn_batch({Velocity: {"dx": [3.0, 4.0]}, Flags: {"level": [1, 2]}})
    assert field_values(Velocity, world.get(int(ids[1]), Velocity)) == (4.0, 0.0)
    assert field_values(Flags, world.get(int(ids[0]), Flags)) == (1, True)


def test_spawn_batch_with_object_components(world: World) -> None:
    ids = world.spawn_batch(
        {
            Name: [Name("a"), Name("b")],
            Health: {"hp": [1, 2], "max_hp": [5, 6]},
            Position: {"x": [0.0, 1.0], "y": [2.0, 3.0]},
        }
    )
    a, b = ids.tolist()
    assert world.get(a, Name) == Name("a")
    assert world.get(b, Health) == Health(2, 6)
    assert world.component_types(b) == frozenset({Name, Health, Position})


def test_spawn_batch_handles_work_with_every_method(world: World) -> None:
    world.spawn(Name("before"))
    ids = world.spawn_batch({Position: {"x": [1.0, 2.0], "y": [0.0, 0.0]}})
    for entity in ids:  # numpy ints
        assert entity in world
        assert world.has(entity, Position)
    world.despawn(ids[0])
    assert ids[0] not in world
    assert world.get(int(ids[1]), Position).x == 2.0


def test_spawn_batch_then_spawn_continue_the_same_columns(world: World) -> None:
    ids = world.spawn_batch({Position: {"x": np.arange(10.0), "y": np.zeros(10)}})
    late = world.spawn(Position(99.0, 1.0))
    xs = {e: p.x for e, (p,) in world.query(Position)}
    assert xs == {**{int(e): float(i) for i, e in enumerate(ids)}, late: 99.0}


def test_spawn_batch_of_nothing(world: World) -> None:
    assert len(world.spawn_batch({})) == 0
    assert len(world) == 0


def test_spawn_batch_rejects_columns_of_different_lengths(world: World) -> None:
    message = (
        "spawn_batch(): columns differ in length (Position.x=3, Position.y=2, Name=3); "
        "make them equal."
    )
    with pytest.raises(EcsError, match=exactly(message)):
        world.spawn_batch(
            {
                Position: {"x": [0.0, 1.0, 2.0], "y": [0.0, 1.0]},
                Name: [Name("a"), Name("b"), Name("c")],
            }
        )
    assert len(world) == 0


def test_spawn_batch_rejects_an_unknown_field(world: World) -> None:
    message = "spawn_batch(): Position has no field(s) z."
    with pytest.raises(EcsError, match=exactly(message)):
        world.spawn_batch({Position: {"x": [0.0], "y": [0.0], "z": [0.0]}})


def test_spawn_batch_rejects_a_missing_field_without_default(world: World) -> None:
    message = "spawn_batch(): no values for Position.y, and the field has no default."
    with pytest.raises(EcsError, match=exactly(message)):
        world.spawn_batch({Position: {"x": [0.0, 1.0]}})
    assert len(world) == 0
    assert list(world.query(Position)) == []


def test_a_rejected_spawn_batch_leaves_the_archetype_intact(world: World) -> None:
    with pytest.raises(EcsError, match=r"no values for Position\.y"):
        world.spawn_batch({Name: [Name("rejected")], Position: {"x": [0.0]}})
    later = world.spawn(Name("later"), Position(1.0, 2.0))
    assert world.get(later, Name) == Name("later")
