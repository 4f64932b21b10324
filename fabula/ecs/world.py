"""The World: entities, their components, queries and indexes.

Entities are plain ``int`` handles packing a slot index (low 32 bits) and a
generation (high bits). Despawning bumps the slot's generation, so a stale
handle is detected (:class:`~fabula.errors.DespawnedEntityError`) and is never
aliased to a newer entity that reuses the slot.

Storage is archetypal (:mod:`fabula.ecs.archetype`). Per slot the world keeps
the archetype and the row the entity occupies; these two arrays and the
archetype tables are the only copies of the state, and every structural
operation below updates them together.

Structural changes during iteration: while any ``query``, ``query_columns`` or
``entities_with[C]`` iteration is running, ``spawn``, ``insert``, ``remove``,
``try_remove`` and ``despawn`` are **deferred** to a command buffer and applied,
in call order, as soon as the outermost iteration ends (or is closed); see
:mod:`fabula.ecs.commands` for the rules.

The interface a save uses to rebuild a world exactly (``slots``,
``location``, ``locate_many``, ``restore``) is written as functions of the
world in :mod:`fabula.ecs.storage` and bound here as methods.
"""

from __future__ import annotations

import random
from array import array
from collections.abc import Iterator, Sequence
from typing import Any, Protocol, TypeVar, overload

import numpy as np

from fabula.ecs import batch as _batch
from fabula.ecs import changes as _changes
from fabula.ecs import commands as _commands
from fabula.ecs import entity as _entity
from fabula.ecs import query as _query
from fabula.ecs import storage as _storage
from fabula.ecs.archetype import Archetype
from fabula.ecs.changes import (
    ChangeLog,
    carry_column_marks,
    mark_written,
    record_insert,
    record_remove,
)
from fabula.ecs.commands import defer
from fabula.ecs.component import component_info
from fabula.ecs.entity import (
    ENTITY_INDEX_BITS,
    ENTITY_INDEX_MASK,
    check_current,
    entity_error,
    entity_label,
    locate,
    missing_component,
)
from fabula.ecs.index import EntityIndex, FieldIndex
from fabula.ecs.query import Query, iter_entities
from fabula.ecs.view import VIEW_OF, row_view_class
from fabula.ecs.worldview import ReadOnlyWorld
from fabula.errors import (
    EcsError,
)

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
        self._gen = array("q")
        self._row_of = array("q")
        self._arch_of: list[Archetype | None] = []
        self._free: list[int] = []
        self._alive = 0
        self._empty = Archetype(0, frozenset())
        self._archetypes: list[Archetype] = [self._empty]
        self._by_types: dict[frozenset[type], Archetype] = {frozenset(): self._empty}
        self._spawn_plans: dict[tuple[type, ...], tuple[Archetype, list[list[Any]] | None]] = {}
        self._queries: dict[Any, Query] = {}
        self._with_type: dict[type, Query] = {}
        self._iterating = 0
        self._deferred: list[tuple[Any, tuple[Any, ...]]] = []
        self._logs: list[ChangeLog] = []
        self._logs_by_type: dict[type, tuple[ChangeLog, ...]] = {}
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

    # -------------------------------------------------------------- structure

    def insert(self, entity: int, *components: Any) -> None:
        """Add components to an entity, replacing any of the same type.

        Raises:
            EntityError: the entity does not exist.
            EcsError: two components of the same type were given.
        """
        if self._iterating:
            check_current(self, entity)
            defer(self, self._insert_now, entity, components)
            return
        self._insert_now(entity, components)

    def _insert_now(self, entity: int, components: tuple[Any, ...]) -> None:
        arch, row = locate(self, entity)
        if len(components) == 1 and not hasattr(type(components[0]), VIEW_OF):
            new = {type(components[0]): components[0]}
        else:
            new = {}
            for value in components:
                ctype = getattr(type(value), VIEW_OF, type(value))
                if ctype in new:
                    raise EcsError(
                        f"insert() got two {ctype.__name__} components for {entity_label(entity)}; "
                        "pass one per type."
                    )
                new[ctype] = value
        target = arch
        for ctype in new:
            if ctype not in target.types:
                nxt = target.add_edges.get(ctype)
                target = nxt if nxt is not None else self._edge_add(target, ctype)
        if target is arch:
            for ctype, value in new.items():
                column = arch.objects.get(ctype)
                if column is not None:
                    column[row] = value
                else:
                    for field, array_ in arch.numeric[ctype].items():
                        array_[row] = getattr(value, field)
        else:
            self._move(entity, arch, row, target, new)
        if self._logs:
            record_insert(self, entity, new)

    def remove(self, entity: int, *component_types: type) -> None:
        """Remove components from an entity.

        Raises:
            EntityError: the entity does not exist.
            MissingComponentError: the entity lacks one of the types (nothing
                is removed then). Use :meth:`try_remove` where absence is fine.
        """
        if self._iterating:
            check_current(self, entity)
            defer(self, self._remove_now, entity, component_types, True)
        else:
            self._remove_now(entity, component_types, True)

    def try_remove(self, entity: int, *component_types: type) -> None:
        """Remove those of ``component_types`` the entity has; ignore the rest.

        Raises:
            EntityError: the entity does not exist.
        """
        if self._iterating:
            check_current(self, entity)
            defer(self, self._remove_now, entity, component_types, False)
        else:
            self._remove_now(entity, component_types, False)

    def _remove_now(self, entity: int, types: tuple[type, ...], strict: bool) -> None:
        arch, row = locate(self, entity)
        present = arch.types
        if len(types) == 1:
            ctype = types[0]
            if ctype not in present:
                if strict:
                    raise missing_component(entity, ctype, arch)
                return
            target = arch.remove_edges.get(ctype)
            if target is None:
                target = self._edge_remove(arch, ctype)
            gone: tuple[type, ...] | list[type] = types
        else:
            if strict:
                for ctype in types:
                    if ctype not in present:
                        raise missing_component(entity, ctype, arch)
            gone = [t for t in dict.fromkeys(types) if t in present]
            if not gone:
                return
            target = arch
            for ctype in gone:
                nxt = target.remove_edges.get(ctype)
                target = nxt if nxt is not None else self._edge_remove(target, ctype)
        self._move(entity, arch, row, target, {})
        if self._logs:
            record_remove(self, entity, gone)

    def _move(
        self, entity: int, src: Archetype, row: int, dst: Archetype, new: dict[type, Any]
    ) -> None:
        new_row = src.copy_row_into(row, dst, new)
        moved = src.swap_remove(row)
        if moved is not None:
            self._row_of[moved & ENTITY_INDEX_MASK] = row
        idx = entity & ENTITY_INDEX_MASK
        self._arch_of[idx] = dst
        self._row_of[idx] = new_row
        if self._logs:
            carry_column_marks(self, entity, src, dst)

    # -------------------------------------------------------------- archetypes

    def _archetype(self, types: frozenset[type]) -> Archetype:
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

    def _edge_add(self, arch: Archetype, ctype: type) -> Archetype:
        target = arch.add_edges.get(ctype)
        if target is None:
            target = arch.add_edges[ctype] = self._archetype(arch.types | {ctype})
            target.remove_edges[ctype] = arch
        return target

    def _edge_remove(self, arch: Archetype, ctype: type) -> Archetype:
        target = arch.remove_edges.get(ctype)
        if target is None:
            target = arch.remove_edges[ctype] = self._archetype(arch.types - {ctype})
            target.add_edges[ctype] = arch
        return target

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
