"""Declaring components: what @component makes of a class, ComponentInfo, and
validation at the boundary through Pydantic (or msgspec)."""

from __future__ import annotations

import dataclasses
import re

import msgspec
import pydantic
import pytest

from fabula.ecs import ComponentInfo, World, component, component_info, validate_component
from fabula.ecs.component import is_component
from fabula.errors import ComponentDeclarationError
from tests.ecs.components import Flags, Health, Name, Position


def test_bare_decorator_makes_a_slotted_dataclass() -> None:
    @component
    class Lamp:
        lit: bool
        fuel: int = 3

    assert dataclasses.is_dataclass(Lamp)
    assert Lamp.__slots__ == ("lit", "fuel")
    lamp = Lamp(True)
    assert lamp == Lamp(lit=True, fuel=3)
    with pytest.raises(AttributeError):
        lamp.colour = "red"  # type: ignore[attr-defined]
    assert component_info(Lamp) == ComponentInfo(
        name="Lamp", columnar=False, fields=("lit", "fuel")
    )


def test_name_option_pins_the_stable_name() -> None:
    @component(name="lamp.v1")
    class Lamp:
        lit: bool

    info = component_info(Lamp)
    assert info.name == "lamp.v1"
    assert not info.columnar
    assert info.dtypes == ()


def test_existing_dataclasses_are_kept_as_declared() -> None:
    @dataclasses.dataclass(frozen=True)
    class Door:
        open: bool = False

    assert component(Door) is Door
    assert component_info(Door).fields == ("open",)
    with pytest.raises(dataclasses.FrozenInstanceError):
        Door().open = True  # type: ignore[misc]


def test_pydantic_models_and_msgspec_structs_are_kept_as_declared() -> None:
    class Spell(pydantic.BaseModel):
        cost: int

    class Rune(msgspec.Struct):
        glyph: str

    assert component(Spell) is Spell
    assert component(Rune) is Rune
    assert component_info(Spell).fields == ("cost",)
    assert component_info(Rune).fields == ("glyph",)
    world = World()
    e = world.spawn(Spell(cost=2), Rune("x"))
    assert world.get(e, Spell).cost == 2
    assert world.get(e, Rune).glyph == "x"


def test_undecorated_classes_get_an_implicit_info() -> None:
    class Plain:
        pass

    assert component_info(Plain) == ComponentInfo(name="Plain", columnar=False, fields=())
    assert not is_component(Plain)
    assert is_component(Name)
    assert not is_component(Name("a"))
    world = World()
    e = world.spawn(Plain())
    assert world.has(e, Plain)


def test_info_of_a_subclass_is_not_inherited() -> None:
    class Special(Name):
        pass

    assert component_info(Special).name == "Special"
    assert not is_component(Special)


def test_decorating_something_that_is_not_a_class_raises() -> None:
    def not_a_class() -> None: ...

    with pytest.raises(
        ComponentDeclarationError, match=re.escape("@component decorates classes only.")
    ):
        component(not_a_class)  # type: ignore[call-overload]


def test_columnar_is_refused_for_pydantic_models() -> None:
    class Model(pydantic.BaseModel):
        x: float

    with pytest.raises(
        ComponentDeclarationError,
        match=re.escape("columnar=True needs a plain annotated class or a dataclass"),
    ):
        component(columnar=True)(Model)


def test_columnar_info() -> None:
    info = component_info(Position)
    assert info.columnar
    assert info.fields == ("x", "y")
    assert len(info.dtypes) == 2
    assert component_info(Flags).fields == ("level", "visible")


# --- validation -------------------------------------------------------------------------


def test_validate_builds_an_instance_from_a_mapping() -> None:
    assert validate_component(Health, {"hp": 3}) == Health(3, 10)
    assert validate_component(Position, {"x": 1.0, "y": 2}) == Position(1.0, 2.0)


def test_validate_rejects_bad_data() -> None:
    with pytest.raises(pydantic.ValidationError, match="hp"):
        validate_component(Health, {"hp": "lots"})
    with pytest.raises(pydantic.ValidationError, match="hp"):
        validate_component(Health, {})


@pytest.mark.parametrize("hp", ["7", True])
def test_validate_is_strict_about_types(hp: object) -> None:
    with pytest.raises(pydantic.ValidationError):
        validate_component(Health, {"hp": hp})


def test_validate_pydantic_models_and_msgspec_structs() -> None:
    class Spell(pydantic.BaseModel):
        cost: int

    class Rune(msgspec.Struct):
        glyph: str

    assert validate_component(Spell, {"cost": 4}) == Spell(cost=4)
    assert validate_component(Rune, {"glyph": "x"}) == Rune("x")
    with pytest.raises(msgspec.ValidationError, match="glyph"):
        validate_component(Rune, {"glyph": 3})


def test_arrays_from_world_files_fill_tuple_and_set_fields_strictly() -> None:
    @component
    class Tagged:
        pair: tuple[int, int]
        tags: frozenset[str] = frozenset()

    assert validate_component(Tagged, {"pair": [1, 2], "tags": ["a", "b"]}) == Tagged(
        (1, 2), frozenset({"a", "b"})
    )
    with pytest.raises(pydantic.ValidationError, match="pair"):
        validate_component(Tagged, {"pair": ["1", 2]})  # elements stay strict
