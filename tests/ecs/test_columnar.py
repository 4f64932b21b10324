"""Columnar components: declaration, row views, query_columns, and entities
mixing object and columnar components as they move between archetypes."""

from __future__ import annotations

import re

import numpy as np
import pytest

from fabula.ecs import Columns, World, component, component_info
from fabula.errors import (
    ComponentDeclarationError,
    DespawnedEntityError,
    EcsError,
    MissingComponentError,
)
from tests.ecs.components import Flags, Frozen, Health, Name, Position, Velocity, field_values


def exactly(message: str) -> str:
    return "^" + re.escape(message) + "$"


# --- declaration ---------------------------------------------------------------------


def test_columnar_declaration_records_dtypes() -> None:
    info = component_info(Flags)
    assert info.columnar
    assert info.fields == ("level", "visible")
    assert info.dtypes == (np.dtype(np.int64), np.dtype(np.bool_))
    assert component_info(Position).dtypes == (np.dtype(np.float64),) * 2


def test_columnar_rejects_a_non_numeric_field() -> None:
    message = (
        "field 'label' is <class 'str'>; columnar components may only have int, float or "
        "bool fields. Store other data in an object component."
    )
    with pytest.raises(ComponentDeclarationError, match=re.escape(message)) as info:

        @component(columnar=True)
        class Marker:
            x: float
            label: str

    assert str(info.value).startswith("component ")
    assert isinstance(info.value, TypeError)


def test_columnar_rejects_a_class_without_fields() -> None:
    with pytest.raises(
        ComponentDeclarationError,
        match=re.escape("columnar=True needs at least one int, float or bool field."),
    ):

        @component(columnar=True)
        class Empty:
            pass


# --- row views -------------------------------------------------------------------------


def test_get_returns_a_row_view_that_is_an_instance(world: World) -> None:
    e = world.spawn(Position(1.0, 2.0))
    view = world.get(e, Position)
    assert isinstance(view, Position)
    assert view == Position(1.0, 2.0)
    assert Position(1.0, 2.0) == view
    assert view != Position(1.0, 3.0)
    assert "row view of entity 0" in repr(view)


def test_row_view_reads_and_writes_the_columns(world: World) -> None:
    e = world.spawn(Position(1.0, 2.0))
    view = world.get(e, Position)
    view.x = 10.0
    view.y += 1.0
    assert field_values(Position, world.get(e, Position)) == (10.0, 3.0)
    ((_, (p,)),) = world.query_columns(Position, readonly=True)
    assert p.x.tolist() == [10.0]
    assert p.y.tolist() == [3.0]


def test_row_view_returns_python_scalars(world: World) -> None:
    e = world.spawn(Flags(3, False))
    view = world.get(e, Flags)
    assert type(view.level) is int
    assert type(view.visible) is bool
    assert type(world.get(world.spawn(Position(1.0, 2.0)), Position).x) is float


def test_row_view_stays_valid_when_other_rows_move(world: World) -> None:
    a = world.spawn(Position(1.0, 1.0))
    b = world.spawn(Position(2.0, 2.0))
    c = world.spawn(Position(3.0, 3.0))
    view = world.get(c, Position)
    world.despawn(a)  # c moves into row 0
    assert view.x == 3.0
    view.x = 30.0
    assert world.get(c, Position).x == 30.0
    assert world.get(b, Position).x == 2.0


def test_row_view_follows_its_entity_into_another_archetype(world: World) -> None:
    a = world.spawn(Position(1.0, 1.0))
    view = world.get(a, Position)
    world.insert(a, Name("moved"))
    assert view.x == 1.0
    view.y = 5.0
    assert world.get(a, Position).y == 5.0


def test_row_view_raises_after_its_entity_is_despawned(world: World) -> None:
    a = world.spawn(Position(1.0, 1.0))
    world.spawn(Position(2.0, 2.0))
    view = world.get(a, Position)
    world.despawn(a)
    with pytest.raises(DespawnedEntityError, match="entity 0 was despawned"):
        _ = view.x
    with pytest.raises(DespawnedEntityError):
        view.x = 3.0


def test_row_view_raises_after_its_entity_loses_the_component(world: World) -> None:
    a = world.spawn(Position(1.0, 1.0), Name("a"))
    view = world.get(a, Position)
    world.remove(a, Position)
    with pytest.raises(MissingComponentError, match="entity 0 has no Position component"):
        _ = view.x


def test_row_view_copy_is_detached(world: World) -> None:
    a = world.spawn(Position(1.0, 2.0))
    view = world.get(a, Position)
    plain = view.copy()
    assert type(plain) is Position
    assert plain == Position(1.0, 2.0)
    view.x = 9.0
    assert plain.x == 1.0
    world.despawn(a)
    assert plain.y == 2.0


# --- query_columns -----------------------------------------------------------------------


def test_query_columns_vectorised_update(world: World) -> None:
    world.spawn_batch(
        {Position: {"x": np.arange(5.0), "y": np.zeros(5)}, Velocity: {"dx": np.full(5, 2.0)}}
    )
    standing = world.spawn(Position(100.0, 0.0))
    for _, (p, v) in world.query_columns(Position, Velocity):
        p.x += v.dx
        p.y = p.y + 1.0
    moved = {e: (pos.x, pos.y) for e, (pos,) in world.query(Position, readonly=True)}
    assert moved.pop(standing) == (100.0, 0.0)  # no Velocity: not visited
    assert sorted(moved.values()) == [(x, 1.0) for x in (2.0, 3.0, 4.0, 5.0, 6.0)]


def test_query_columns_assigning_a_new_array_copies_it_in(world: World) -> None:
    a = world.spawn(Position(1.0, 3.0))
    b = world.spawn(Position(2.0, 4.0))
    for _, (p,) in world.query_columns(Position):
        p.x = p.x * 2
        p.y = 0.0  # broadcast
    assert field_values(Position, world.get(a, Position)) == (2.0, 0.0)
    assert field_values(Position, world.get(b, Position)) == (4.0, 0.0)


def test_query_columns_yields_entities_and_columns_per_archetype(world: World) -> None:
    a = world.spawn(Position(1.0, 0.0))
    b = world.spawn(Position(2.0, 0.0), Name("b"))
    c = world.spawn(Position(3.0, 0.0))
    batches = list(world.query_columns(Position))
    assert [entities.tolist() for entities, _ in batches] == [[a, c], [b]]
    first_columns, second_columns = (columns for _, (columns,) in batches)
    assert isinstance(first_columns, Columns)
    assert (len(first_columns), len(second_columns)) == (2, 1)
    assert first_columns.x.tolist() == [1.0, 3.0]


def test_query_columns_without(world: World) -> None:
    world.spawn(Position(1.0, 0.0), Frozen())
    a = world.spawn(Position(2.0, 0.0))
    batches = list(world.query_columns(Position, without=[Frozen]))
    assert [entities.tolist() for entities, _ in batches] == [[a]]


def test_query_columns_readonly_arrays_are_not_writable(world: World) -> None:
    world.spawn(Position(1.0, 0.0))
    for entities, (p,) in world.query_columns(Position, readonly=True):
        assert not p.x.flags.writeable
        assert not entities.flags.writeable
        with pytest.raises(ValueError, match="read-only"):
            p.x += 1.0
        with pytest.raises(ValueError, match="read-only"):
            p.y = np.array([5.0])
    assert world.get(0, Position) == Position(1.0, 0.0)
    for _, (p,) in world.query_columns(Position):  # a later writable query still writes
        p.x += 1.0
    assert world.get(0, Position).x == 2.0


def test_columns_reject_unknown_fields(world: World) -> None:
    world.spawn(Position(1.0, 0.0))
    message = "Position has no field 'z'; its fields are x, y."
    for _, (p,) in world.query_columns(Position):
        with pytest.raises(AttributeError, match=exactly(message)):
            _ = p.z
        with pytest.raises(AttributeError, match=exactly(message)):
            p.z = 1.0


def test_query_columns_on_an_object_component_raises(world: World) -> None:
    world.spawn(Position(1.0, 0.0), Health(1))
    message = (
        "query_columns() needs columnar components; Health is stored as objects. "
        "Declare it @component(columnar=True) or use query()."
    )
    with pytest.raises(EcsError, match=exactly(message)):
        world.query_columns(Position, Health)


def test_query_columns_rejects_malformed_queries(world: World) -> None:
    with pytest.raises(EcsError, match="needs at least one component type"):
        world.query_columns()
    with pytest.raises(EcsError, match="both requires and excludes Position"):
        world.query_columns(Position, without=[Position])


# --- mixed archetypes ----------------------------------------------------------------------


def test_mixed_entity_keeps_its_values_across_moves(world: World) -> None:
    others = [world.spawn(Name(f"o{i}"), Position(float(i), 0.0)) for i in range(3)]
    hero = world.spawn(Name("hero"), Health(5), Position(1.5, 2.5))
    world.insert(hero, Velocity(0.5, -0.5))
    world.despawn(others[0])  # shuffle rows in the archetype hero left
    assert world.get(hero, Name) == Name("hero")
    assert field_values(Position, world.get(hero, Position)) == (1.5, 2.5)
    assert field_values(Velocity, world.get(hero, Velocity)) == (0.5, -0.5)
    world.remove(hero, Name, Health)  # into a numeric-only archetype
    assert field_values(Position, world.get(hero, Position)) == (1.5, 2.5)
    world.insert(hero, Flags(7), Name("back"))
    world.remove(hero, Velocity)
    assert world.get(hero, Name) == Name("back")
    assert field_values(Flags, world.get(hero, Flags)) == (7, True)
    assert field_values(Position, world.get(hero, Position)) == (1.5, 2.5)
    for i, other in enumerate(others[1:], start=1):
        assert world.get(other, Name) == Name(f"o{i}")
        assert world.get(other, Position).x == float(i)


def test_insert_replacing_a_columnar_component_writes_the_columns(world: World) -> None:
    a = world.spawn(Position(1.0, 1.0), Name("a"))
    world.insert(a, Position(5.0, 6.0))
    assert field_values(Position, world.get(a, Position)) == (5.0, 6.0)
    world.insert(a, Position(7.0, 8.0), Health(1))  # replace while moving
    assert field_values(Position, world.get(a, Position)) == (7.0, 8.0)


def test_columns_grow_past_their_initial_capacity(world: World) -> None:
    entities = [world.spawn(Position(float(i), -float(i))) for i in range(100)]
    for i, e in enumerate(entities):
        assert field_values(Position, world.get(e, Position)) == (float(i), -float(i))
    moved = [world.spawn(Name(str(i))) for i in range(40)]
    for i, e in enumerate(moved):
        world.insert(e, Position(float(i), 1.0))
    assert [world.get(e, Position).x for e in moved] == [float(i) for i in range(40)]


def test_a_row_view_can_be_copied_onto_another_entity(world: World) -> None:
    source = world.spawn(Position(1.0, 2.0))
    target = world.spawn(Name("target"))
    world.insert(target, world.get(source, Position))
    clone = world.spawn(*world.components(source))
    assert world.component_types(target) == frozenset({Name, Position})
    assert world.component_types(clone) == frozenset({Position})
