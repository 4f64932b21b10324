"""The World: the one object through which the rest of fabula sees the ECS.

:class:`World` declares all of a world's state, in ``__init__``, and is the
public facade (``fabula.ecs.World``). Each concept that works on that state
lives in a module of its own, as functions of the world that the class binds
as its methods::

    entity.py     handles and the slot allocator     spawn, despawn
    batch.py      batch spawning                     spawn_batch
    structure.py  adding and removing components     insert, remove, try_remove
    query.py      query matching and iteration       query, query_columns
    commands.py   changes deferred while iterating   apply_deferred
    changes.py    change tracking                    track_changes, untrack_changes
    storage.py    what a save needs                  slots, location, locate_many, restore

A function bound as a method costs what a method written here would: there
is no delegating call in between. The hot paths (spawn's fast path, the
moves of ``insert`` and ``remove``, query row production) are written flat in
their modules; reading components (``get`` and its kin) is written here.

The invariants the state keeps, each stated in full where it is enforced:

* a world has exactly one archetype per set of component types, and never
  deletes one: :meth:`World._archetype` is the only place that creates them
  (:mod:`fabula.ecs.archetype`);
* the slot arrays and the archetype tables are the two copies of "where is
  entity e", updated together by every operation that moves a row
  (:mod:`fabula.ecs.entity`);
* structural changes asked for during an iteration are queued, and the queue
  is non-empty only while an iteration runs (:mod:`fabula.ecs.commands`);
* the per-type cache of change logs is derived from the attached logs and
  cleared whenever they change (:mod:`fabula.ecs.changes`);
* query caches only grow, because archetypes are never deleted
  (:mod:`fabula.ecs.query`).
"""

from __future__ import annotations

import random
from array import array
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol, TypeVar, overload

import numpy as np

from fabula.ecs import batch as _batch
from fabula.ecs import changes as _changes
from fabula.ecs import commands as _commands
from fabula.ecs import entity as _entity
from fabula.ecs import query as _query
from fabula.ecs import storage as _storage
from fabula.ecs import structure as _structure
from fabula.ecs.archetype import Archetype
from fabula.ecs.changes import ChangeLog, mark_written
from fabula.ecs.component import component_info
from fabula.ecs.entity import (
    ENTITY_INDEX_BITS,
    ENTITY_INDEX_MASK,
    entity_error,
    locate,
    missing_component,
)
from fabula.ecs.index import EntityIndex, FieldIndex
from fabula.ecs.query import Query, iter_entities
from fabula.ecs.view import row_view_class
from fabula.ecs.worldview import ReadOnlyWorld
from fabula.errors import EcsError

__all__ = ["World"]

C = TypeVar("C")


class Tickable(Protocol):
    """Anything that can advance a world by one tick (the SystemScheduler)."""

    def tick(self, world: World, /) -> Any: ...


class World:
    """All entities and components of one game or simulation.

    Args:
        seed: seed of :attr:`rng`, the world's random number generator. All
            game randomness must come from it so that replaying a journal is
            deterministic.

    Example:
        >>> from fabula.ecs import World, component
        >>> @component
        ... class Name:
        ...     text: str
        >>> world = World()
        >>> lamp = world.spawn(Name("brass lamp"))
        >>> world.get(lamp, Name).text
        'brass lamp'
        >>> lamp in world.entities_with[Name]
        True
    """

    def __init__(self, seed: int | None = None) -> None:
        self.rng = random.Random(seed)
        # Slots (fabula.ecs.entity): per slot ever used, its generation and
        # where its entity lives; the free slots; the number of live ones.
        self._gen = array("q")
        self._arch_of: list[Archetype | None] = []
        self._row_of = array("q")
        self._free: list[int] = []
        self._alive = 0
        # Archetypes in creation order, and by type set (see _archetype); the
        # empty archetype is the first. Spawn plans cache, per tuple of argument
        # types, spawn's target archetype and columns (fabula.ecs.entity).
        empty = Archetype(0, frozenset())
        self._archetypes: list[Archetype] = [empty]
        self._by_types: dict[frozenset[type], Archetype] = {frozenset(): empty}
        self._spawn_plans: dict[tuple[type, ...], tuple[Archetype, list[list[Any]] | None]] = {}
        # Query caches (fabula.ecs.query).
        self._queries: dict[tuple[tuple[type, ...], tuple[type, ...]], Query] = {}
        self._with_type: dict[type, Query] = {}
        # Running iterations and the commands deferred meanwhile (fabula.ecs.commands).
        self._iterating = 0
        self._deferred: list[tuple[Callable[..., Any], tuple[Any, ...]]] = []
        # Attached change logs, and those per component type (fabula.ecs.changes).
        self._logs: list[ChangeLog] = []
        self._logs_by_type: dict[type, tuple[ChangeLog, ...]] = {}
        # Field indexes, one per (component type, field) (fabula.ecs.index).
        self._indexes: dict[tuple[type, str], FieldIndex] = {}
        self.tick = 0
        """Ticks run so far; advanced by the scheduler."""
        self.schedule: Tickable | None = None
        """What :meth:`run` ticks; set by ``Scheduler.attach(world)``."""
        self._view: ReadOnlyWorld | None = None
        self.entities_with = EntityIndex(self)
        """``entities_with[C]``: the live set of entities having ``C``, in O(1)."""

    # ------------------------------------------------------------------ basics

    def __len__(self) -> int:
        return self._alive

    def __contains__(self, entity: object) -> bool:
        try:
            idx = entity & ENTITY_INDEX_MASK  # type: ignore[operator]
            return (
                self._gen[idx] == entity >> ENTITY_INDEX_BITS  # type: ignore[operator]
                and self._arch_of[idx] is not None
            )
        except (TypeError, IndexError):
            return False

    def __repr__(self) -> str:
        return f"<World {self._alive} entities, {len(self._archetypes)} archetypes>"

    def run(self, ticks: int = 1) -> None:
        """Advance the world ``ticks`` ticks through its attached schedule.

        Raises:
            EcsError: no schedule is attached (``Scheduler(...).attach(world)``).
        """
        if self.schedule is None:
            raise EcsError(
                "world.run() needs a schedule: create a Scheduler, add systems, and call "
                "scheduler.attach(world) first."
            )
        for _ in range(ticks):
            self.schedule.tick(self)

    def view(self) -> ReadOnlyWorld:
        """This world as read-only code sees it (a :class:`~fabula.ecs.WorldView`).

        The same view every time: it keeps no state, so it always shows the
        world as it is now.
        """
        view = self._view
        if view is None:
            view = self._view = ReadOnlyWorld(self)
        return view

    def entities(self) -> Iterator[int]:
        """Every live entity, archetype by archetype (a defined, stable order)."""
        return iter_entities(self, self._archetypes)

    @property
    def archetypes(self) -> Sequence[Archetype]:
        """The archetype tables, in creation order (read-only use)."""
        return tuple(self._archetypes)

    # ------------------------------------------------------ spawning, despawning

    spawn = _entity.spawn
    spawn_batch = _batch.spawn_batch
    despawn = _entity.despawn

    # ------------------------------------------------------ adding, removing

    insert = _structure.insert
    remove = _structure.remove
    try_remove = _structure.try_remove

    # -------------------------------------------------------------- archetypes

    def _archetype(self, types: frozenset[type]) -> Archetype:
        """The archetype of exactly ``types``, created on first use.

        The only place an :class:`Archetype` is created, which is what keeps
        one archetype per set of types: ``_by_types`` maps each set to it and
        ``_archetypes`` lists them in creation order (``id`` is the position).

        Raises:
            EcsError: one of ``types`` is not a type, or not a valid component.
        """
        arch = self._by_types.get(types)
        if arch is None:
            for ctype in types:
                if not isinstance(ctype, type):
                    raise EcsError(f"{ctype!r} is not a component type.")
                component_info(ctype)  # validates the declaration once
            arch = Archetype(len(self._archetypes), types)
            self._archetypes.append(arch)
            self._by_types[types] = arch
        return arch

    # ------------------------------------------------------------------ access

    @overload
    def get(self, entity: int, component_type: type[C], *, readonly: bool = ...) -> C: ...
    @overload
    def get(self, entity: int, component_type: Any, *, readonly: bool = ...) -> Any: ...

    def get(self, entity: int, component_type: Any, *, readonly: bool = False) -> Any:
        """The entity's component of ``component_type``.

        For object components this is the stored instance (mutate it in
        place); for columnar ones, a row view writing through to the columns.
        Without ``readonly=True`` the component is marked changed.

        Raises:
            EntityError: the entity does not exist (DespawnedEntityError if stale).
            MissingComponentError: the entity lacks the component.
        """
        try:
            idx = entity & ENTITY_INDEX_MASK
            arch = self._arch_of[idx]
            if self._gen[idx] == entity >> ENTITY_INDEX_BITS and arch is not None:
                column = arch.objects.get(component_type)
                if column is not None:
                    if self._logs and not readonly:
                        mark_written(self, entity, component_type)
                    return column[self._row_of[idx]]
                if component_type in arch.numeric:
                    return row_view_class(component_type)(self, entity)
                raise missing_component(entity, component_type, arch)
        except (TypeError, IndexError):
            pass
        raise entity_error(self, entity)

    def try_get(self, entity: int, component_type: type[C], *, readonly: bool = False) -> C | None:
        """Like :meth:`get`, but ``None`` when the entity lacks the component.

        Raises:
            EntityError: the entity does not exist.
        """
        arch, _ = locate(self, entity)
        if component_type not in arch.types:
            return None
        return self.get(entity, component_type, readonly=readonly)

    def has(self, entity: int, *component_types: type) -> bool:
        """Whether the entity has every one of ``component_types``.

        Raises:
            EntityError: the entity does not exist.
        """
        types = locate(self, entity)[0].types
        if len(component_types) == 1:
            return component_types[0] in types
        return all(t in types for t in component_types)

    def _has_type(self, entity: object, ctype: type) -> bool:
        if entity not in self:
            return False
        arch = self._arch_of[entity & ENTITY_INDEX_MASK]  # type: ignore[operator]
        return arch is not None and ctype in arch.types

    def components(self, entity: int, *, readonly: bool = False) -> tuple[Any, ...]:
        """All components of the entity (row views for columnar ones).

        Raises:
            EntityError: the entity does not exist.
        """
        arch, _ = locate(self, entity)
        return tuple(self.get(entity, t, readonly=readonly) for t in arch.infos)

    def component_types(self, entity: int) -> frozenset[type]:
        """The entity's component types.

        Raises:
            EntityError: the entity does not exist.
        """
        return locate(self, entity)[0].types

    def _numeric_cell(self, entity: int, ctype: type) -> tuple[dict[str, np.ndarray], int]:
        arch, row = locate(self, entity)
        fields = arch.numeric.get(ctype)
        if fields is None:
            raise missing_component(entity, ctype, arch)
        return fields, row

    # ----------------------------------------------------------------- queries

    query = _query.query
    query_columns = _query.query_columns

    apply_deferred = _commands.apply_deferred

    # ------------------------------------------------------- change tracking

    track_changes = _changes.track_changes
    untrack_changes = _changes.untrack_changes

    # ----------------------------------------------------------------- indexes

    def index(self, component_type: type, field: str) -> FieldIndex:
        """The :class:`FieldIndex` over ``component_type.field`` (built on first use).

        Raises:
            EcsError: the component has no such field, or holds unhashable values.
        """
        key = (component_type, field)
        found = self._indexes.get(key)
        if found is None:
            found = self._indexes[key] = FieldIndex(self, component_type, field)
        return found

    def _drop_index(self, index: FieldIndex) -> None:
        if self._indexes.get((index.component, index.field)) is index:
            del self._indexes[(index.component, index.field)]
            self.untrack_changes(index._log)

    # ----------------------------------------------------------------- storage

    slots = _storage.slots
    location = _storage.location
    locate_many = _storage.locate_many
    restore = _storage.restore
