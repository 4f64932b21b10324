"""The ComponentRegistry: stable names for component types, and the auto-loader.

Saves and world files name components by their registered name, never by
Python import path, so a game can move or rename its modules without breaking
saves (pin ``@component(name=...)`` before renaming a class).

Fill it by hand (``registry.register(Health)``) or let it scan a package or a
directory of ``.py`` files for every class marked with
:func:`~fabula.ecs.component.component` (``registry.discover("mygame.components")``
or ``registry.discover(Path("mygame/components"))``). Discovery is the shared
mechanism of :class:`fabula.registry.Registry`.
"""

from __future__ import annotations

from typing import Any

from fabula.ecs.component import MARKER, component_info, validate_component
from fabula.registry import Registry

__all__ = ["ComponentRegistry"]


class ComponentRegistry(Registry[type]):
    """Component types by stable name.

    Example:
        >>> from fabula.ecs import ComponentRegistry, component
        >>> @component(name="hp")
        ... class Health:
        ...     hp: int
        >>> registry = ComponentRegistry()
        >>> registry.register(Health) is Health
        True
        >>> registry.get("hp").__name__, registry.name_of(Health)
        ('Health', 'hp')
        >>> registry.validate("hp", {"hp": 7})
        Health(hp=7)
    """

    def __init__(self) -> None:
        super().__init__(
            "component",
            MARKER,
            accept=lambda obj: isinstance(obj, type),
            rename_hint="@component(name=...)",
        )

    def register(self, obj: type, name: str | None = None, *, replace: bool = False) -> type:
        """Register a component type (see :meth:`Registry.register`).

        Undecorated classes may be registered too; their name defaults to the
        class name.
        """
        return super().register(obj, name or component_info(obj).name, replace=replace)

    def validate(self, name: str, data: Any) -> Any:
        """Build the component registered as ``name`` from boundary data.

        Raises:
            UnknownNameError: no such component.
            pydantic.ValidationError: the data does not fit it.
        """
        return validate_component(self.get(name), data)
