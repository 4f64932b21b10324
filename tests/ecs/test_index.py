"""Indexes: ``world.entities_with[C]`` (membership straight from the archetypes)
and ``world.index(C, field)`` (entities by field value, kept current)."""

from __future__ import annotations

import re
from collections.abc import Set
from dataclasses import dataclass

import pytest

from fabula.ecs import EntitySet, FieldIndex, World, component
from fabula.errors import EcsError
from tests.ecs.components import Flags, Frozen, Health, Name, Position


def exactly(message: str) -> str:
    return "^" + re.escape(message) + "$"


# --- entities_with -----------------------------------------------------------------------


def test_entities_with_is_a_read_only_set(world: World) -> None:
    a = world.spawn(Name("a"))
    b = world.spawn(Name("b"), Health(1))
    world.spawn(Health(2))
    named = world.entities_with[Name]
    assert isinstance(named, EntitySet)
    assert isinstance(named, Set)
    assert a in named
    assert b in named
    assert len(named) == 2
    assert list(named) == [a, b]
    assert named == {a, b}
    assert not hasattr(named, "add")


def test_entities_with_is_the_same_view_each_time(world: World) -> None:
    assert world.entities_with[Name] is world.entities_with[Name]


def test_entities_with_reflects_later_changes(world: World) -> None:
    named = world.entities_with[Name]
    assert len(named) == 0
    a = world.spawn(Name("a"))
    b = world.spawn(Health(1))
    assert set(named) == {a}
    world.insert(b, Name("b"))
    world.insert(a, Frozen())  # a moves to an archetype created after the view
    assert set(named) == {a, b}
    assert len(named) == 2
    world.remove(a, Name)
    world.despawn(b)
    assert set(named) == set()
    assert a not in named
    assert b not in named


def test_entities_with_columnar_components(world: World) -> None:
    ids = world.spawn_batch({Position: {"x": [1.0, 2.0], "y": [0.0, 0.0]}})
    mixed = world.spawn(Position(0.0, 0.0), Name("m"))
    assert set(world.entities_with[Position]) == {*ids.tolist(), mixed}
    assert int(ids[0]) in world.entities_with[Position]
    assert ids[1] in world.entities_with[Position]


def test_entities_with_membership_of_non_handles(world: World) -> None:
    world.spawn(Name("a"))
    named = world.entities_with[Name]
    assert "0" not in named
    assert None not in named
    assert 99 not in named


def test_entities_with_set_comparisons(world: World) -> None:
    a = world.spawn(Name("a"), Health(1))
    world.spawn(Name("b"))
    assert world.entities_with[Health] <= world.entities_with[Name]
    assert world.entities_with[Health] < world.entities_with[Name]
    assert world.entities_with[Frozen].isdisjoint(world.entities_with[Name])
    assert set(world.entities_with[Name]) & set(world.entities_with[Health]) == {a}


def test_entities_with_set_operators(world: World) -> None:
    a = world.spawn(Name("a"), Health(1))
    b = world.spawn(Name("b"))
    c = world.spawn(Health(2))
    named, healthy = world.entities_with[Name], world.entities_with[Health]
    assert named & healthy == {a}
    assert named | healthy == {a, b, c}
    assert named - healthy == {b}
    assert named ^ healthy == {b, c}


def test_entities_with_rejects_a_non_type_key(world: World) -> None:
    with pytest.raises(
        TypeError, match=exactly("entities_with[...] takes a component type, not 'Name'.")
    ):
        world.entities_with["Name"]  # type: ignore[index]


def test_entities_with_repr(world: World) -> None:
    world.spawn(Name("a"))
    assert repr(world.entities_with[Name]) == "<EntitySet Name: 1 entities>"


# --- FieldIndex: lookups ------------------------------------------------------------------


def test_field_index_lookups(world: World) -> None:
    a = world.spawn(Name("lamp"))
    b = world.spawn(Name("lamp"), Health(1))
    c = world.spawn(Name("sword"))
    world.spawn(Health(2))
    index = world.index(Name, "text")
    assert isinstance(index, FieldIndex)
    assert (index.component, index.field) == (Name, "text")
    assert index["lamp"] == frozenset({a, b})
    assert index.get("sword") == frozenset({c})
    assert index["nothing"] == frozenset()
    assert index.count("lamp") == 2
    assert index.count("nothing") == 0
    assert sorted(index.values()) == ["lamp", "sword"]
    assert index.value_of(c) == "sword"
    assert index.value_of(99) is None
    assert repr(index) == "<FieldIndex Name.text: 2 values>"


def test_world_keeps_one_index_per_field(world: World) -> None:
    assert world.index(Name, "text") is world.index(Name, "text")
    assert world.index(Health, "hp") is not world.index(Health, "max_hp")


def test_field_index_on_a_columnar_field(world: World) -> None:
    ids = world.spawn_batch({Flags: {"level": [1, 2, 1]}})
    index = world.index(Flags, "level")
    assert index[1] == frozenset({int(ids[0]), int(ids[2])})
    world.get(int(ids[0]), Flags).level = 2
    assert index[2] == frozenset({int(ids[0]), int(ids[1])})


# --- FieldIndex: kept current -------------------------------------------------------------


def test_field_index_follows_spawn_insert_replace_remove_despawn(world: World) -> None:
    index = world.index(Name, "text")
    a = world.spawn(Name("lamp"))
    assert index["lamp"] == {a}
    b = world.spawn(Health(1))
    world.insert(b, Name("lamp"))  # insert
    assert index["lamp"] == {a, b}
    world.insert(a, Name("sword"))  # replace
    assert index["lamp"] == {b}
    assert index["sword"] == {a}
    world.remove(b, Name)  # remove
    assert index["lamp"] == frozenset()
    assert "lamp" not in index.values()
    assert index.value_of(b) is None
    world.despawn(a)  # despawn
    assert index["sword"] == frozenset()
    assert index.values() == []


def test_field_index_follows_in_place_mutation_via_get(world: World) -> None:
    a = world.spawn(Name("lamp"))
    index = world.index(Name, "text")
    assert index["lamp"] == {a}
    world.get(a, Name).text = "lit lamp"
    assert index["lamp"] == frozenset()
    assert index["lit lamp"] == {a}
    world.try_get(a, Name).text = "broken lamp"  # type: ignore[union-attr]
    assert index.value_of(a) == "broken lamp"


def test_field_index_follows_in_place_mutation_via_query(world: World) -> None:
    a = world.spawn(Name("a"), Health(1))
    b = world.spawn(Name("b"))
    index = world.index(Name, "text")
    for _, (name,) in world.query(Name):
        name.text = name.text.upper()
    assert index["A"] == {a}
    assert index["B"] == {b}
    assert sorted(index.values()) == ["A", "B"]


def test_field_index_follows_a_query_mutation_then_a_move(world: World) -> None:
    a = world.spawn(Name("a"))
    index = world.index(Name, "text")
    for entity, (name,) in world.query(Name):
        name.text = "moved"
        world.insert(entity, Frozen())
    world.insert(a, Health(1))
    assert index["moved"] == {a}


def test_field_index_follows_deferred_changes(world: World) -> None:
    a = world.spawn(Name("a"))
    index = world.index(Name, "text")
    for entity, _ in world.query(Name, readonly=True):
        child = world.spawn(Name("child"))
        world.despawn(entity)
    assert index["a"] == frozenset()
    assert index["child"] == {child}
    assert a not in world


def test_field_index_survives_slot_reuse(world: World) -> None:
    old = world.spawn(Name("x"))
    index = world.index(Name, "text")
    assert index["x"] == {old}
    world.despawn(old)
    new = world.spawn(Name("x"))
    assert index["x"] == {new}
    assert index.value_of(old) is None


def test_refresh_applies_pending_changes(world: World) -> None:
    index = world.index(Name, "text")
    a = world.spawn(Name("a"))
    index.refresh()
    index.refresh()  # nothing pending: harmless
    assert index.value_of(a) == "a"


# --- FieldIndex: errors and close -----------------------------------------------------------


def test_field_index_on_an_unknown_field_raises(world: World) -> None:
    message = "cannot index Health.mana: Health has no field 'mana' (its fields are hp, max_hp)."
    with pytest.raises(EcsError, match=exactly(message)):
        world.index(Health, "mana")


@component
@dataclass
class Bag:
    items: list[str]


def test_field_index_on_unhashable_values_raises(world: World) -> None:
    world.spawn(Bag(["rope"]))
    message = (
        "cannot index Bag.items: entity 0 holds an unhashable value ['rope']. "
        "Index only fields holding hashable values (ids, names)."
    )
    with pytest.raises(EcsError, match=exactly(message)):
        world.index(Bag, "items")


def test_an_unhashable_value_appearing_later_raises_on_lookup(world: World) -> None:
    index = world.index(Bag, "items")
    world.spawn(Bag(["rope"]))
    with pytest.raises(EcsError, match="holds an unhashable value"):
        index.count(("rope",))


def test_close_stops_maintenance_and_the_world_forgets_the_index(world: World) -> None:
    a = world.spawn(Name("a"))
    index = world.index(Name, "text")
    index.close()
    world.get(a, Name).text = "b"
    assert index.value_of(a) == "a"  # no longer maintained
    fresh = world.index(Name, "text")
    assert fresh is not index
    assert fresh.value_of(a) == "b"
    index.close()  # closing twice is harmless
    assert world.index(Name, "text") is fresh


def test_an_index_that_cannot_be_built_leaves_nothing_attached(world: World) -> None:
    @component
    class Tags:
        values: list

    entity = world.spawn(Tags(["a"]))
    with pytest.raises(EcsError, match="unhashable"):
        world.index(Tags, "values")
    world.get(entity, Tags).values.append("b")  # would feed a leaked log
    assert all(not log for log in world._logs)


def test_a_field_index_says_which_entities_changed_since_a_version(world: World) -> None:
    a = world.spawn(Name("a"))
    b = world.spawn(Name("b"))
    index = world.index(Name, "text")
    start = index.version
    assert index.changed_since(start) == frozenset()
    world.get(a, Name).text = "z"  # write access marks it; the value changed
    world.get(b, Name)  # marked, but the value is the same: no change
    c = world.spawn(Name("c"))
    assert index.changed_since(start) == {a, c}
    middle = index.version
    world.despawn(c)
    assert index.changed_since(middle) == {c}
    assert index.changed_since(index.version + 5) is None  # a version it never had
