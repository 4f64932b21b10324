"""The storage interface a save uses: finding where entities live, in bulk."""

from __future__ import annotations

import pytest

from fabula.ecs import World
from fabula.errors import DespawnedEntityError, EntityError
from tests.ecs.components import Health, Name


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
