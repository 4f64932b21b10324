"""Component types shared by the ECS tests: two object kinds, two columnar kinds
and a field-less marker, covering both storage paths and mixed archetypes."""

from __future__ import annotations

from typing import Any

from fabula.ecs import component, component_info


@component
class Name:
    """Object component with a hashable field (for field indexes)."""

    text: str


@component
class Health:
    """Object component with a default."""

    hp: int
    max_hp: int = 10


@component
class Frozen:
    """Object marker component without fields."""


@component(columnar=True)
class Position:
    """Columnar component without defaults."""

    x: float
    y: float


@component(columnar=True)
class Velocity:
    """Columnar component with defaults."""

    dx: float = 0.0
    dy: float = 0.0


@component(columnar=True)
class Flags:
    """Columnar component mixing int and bool fields."""

    level: int
    visible: bool = True


def field_values(ctype: type, comp: Any) -> tuple[Any, ...]:
    """``comp``'s values for the fields of ``ctype`` (row views report their
    subclass, so the declared type is passed explicitly)."""
    return tuple(getattr(comp, field) for field in component_info(ctype).fields)
