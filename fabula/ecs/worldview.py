"""The world as code that must not change it sees it: :class:`WorldView`.

Parsers, narrators, context builders, memory and validators read the world
but never write it: the state changes only through an action's executor,
run by :class:`~fabula.actions.Rules`. They all accept one type,
:class:`WorldView`, a structural protocol that a :class:`~fabula.ecs.World`
satisfies (so tests and tools can pass one directly) and that
:class:`ReadOnlyWorld` implements without any way to write.

What the engine hands to model-side code is always a :class:`ReadOnlyWorld`
(``world.view()``): it has no ``rng`` (drawing random numbers while reading
would make replay depend on how often something was read), no structural
changes, and ``get(..., readonly=False)`` raises, so nothing is ever marked
changed through it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, overload, runtime_checkable

from fabula.errors import ReadOnlyError

if TYPE_CHECKING:
    from fabula.ecs.index import EntitySet, FieldIndex
    from fabula.ecs.world import World

__all__ = ["ReadOnlyWorld", "WorldView"]

C = TypeVar("C")


@runtime_checkable
class WorldView(Protocol):
    """What reading the world needs: the one type read-only code accepts.

    Every method has the meaning it has on :class:`~fabula.ecs.World`; pass
    ``readonly=True`` (the default on a :class:`ReadOnlyWorld`) so that a
    World passed directly is not marked changed either.
    """

    @property
    def tick(self) -> int: ...

    @property
    def entities_with(self) -> Mapping[type, EntitySet]: ...

    def get(self, entity: int, component_type: Any, *, readonly: bool = ...) -> Any: ...

    def try_get(self, entity: int, component_type: Any, *, readonly: bool = ...) -> Any: ...

    def has(self, entity: int, *component_types: type) -> bool: ...

    def query(
        self, *types: type, without: tuple[type, ...] = ..., readonly: bool = ...
    ) -> Iterator[Any]: ...

    def index(self, component_type: type, field: str) -> FieldIndex: ...

    def __contains__(self, entity: object) -> bool: ...

    def __len__(self) -> int: ...


class ReadOnlyWorld:
    """A :class:`WorldView` of a World: reads only, nothing marked changed.

    Obtain one with ``world.view()`` (cached per world). It holds no state of
    its own, so it always shows the world as it is now.
    """

    __slots__ = ("_world",)

    def __init__(self, world: World) -> None:
        self._world = world

    @overload
    def get(self, entity: int, component_type: type[C], *, readonly: bool = ...) -> C: ...
    @overload
    def get(self, entity: int, component_type: Any, *, readonly: bool = ...) -> Any: ...

    def get(self, entity: int, component_type: Any, *, readonly: bool = True) -> Any:
        """See :meth:`World.get`; never marks changed.

        ``readonly`` is accepted so that code written for a World
        (``readonly=True``) runs on this one too; it cannot be false.

        Raises:
            ReadOnlyError: ``readonly=False`` was asked for.
        """
        _only_readonly(readonly)
        return self._world.get(entity, component_type, readonly=True)

    def try_get(self, entity: int, component_type: Any, *, readonly: bool = True) -> Any:
        """See :meth:`World.try_get`; never marks changed (``readonly`` as in :meth:`get`)."""
        _only_readonly(readonly)
        return self._world.try_get(entity, component_type, readonly=True)

    def has(self, entity: int, *component_types: type) -> bool:
        """See :meth:`World.has`."""
        return self._world.has(entity, *component_types)

    def query(
        self, *types: type, without: tuple[type, ...] = (), readonly: bool = True
    ) -> Iterator[Any]:
        """See :meth:`World.query`; always read-only."""
        _only_readonly(readonly)
        return self._world.query(*types, without=without, readonly=True)

    def index(self, component_type: type, field: str) -> FieldIndex:
        """See :meth:`World.index`."""
        return self._world.index(component_type, field)

    @property
    def entities_with(self) -> Mapping[type, EntitySet]:
        """See :attr:`World.entities_with`."""
        return self._world.entities_with  # type: ignore[return-value]

    @property
    def tick(self) -> int:
        """The world's tick counter."""
        return self._world.tick

    def __contains__(self, entity: object) -> bool:
        return entity in self._world

    def __len__(self) -> int:
        return len(self._world)

    def __repr__(self) -> str:
        return f"<ReadOnlyWorld of {self._world!r}>"


def _only_readonly(readonly: bool) -> None:
    if not readonly:
        raise ReadOnlyError(
            "this world is read-only: get(..., readonly=False) is not possible here. "
            "Change the world in an action's execute()."
        )
