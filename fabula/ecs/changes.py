"""Change tracking: what happened to the world since a consumer last looked.

The persistence layer flushes only what changed, and field indexes re-read
only what may have moved. Both consume a :class:`ChangeLog`, which the World
feeds as changes happen. A world with no logs attached pays nothing.

The rule (see ``docs/architecture.md``, "Change tracking"): **handing out
write access marks the component changed**, as Bevy's change detection does.

* ``world.get(e, C)`` / ``try_get`` / ``components(e)`` mark ``(e, C)``;
  pass ``readonly=True`` to read without marking.
* ``world.query(...)`` marks each yielded component column of each archetype
  it visits (one mark per archetype and type, not per row, so the hot loop
  stays untouched); ``readonly=True`` marks nothing.
* a columnar row view marks ``(e, C)`` on each attribute write;
  ``world.query_columns(...)`` marks whole columns unless ``readonly=True``,
  in which case its arrays are read-only and a write raises.
* ``spawn``, ``insert``, ``remove`` and ``despawn`` are recorded as such.
* an entity that leaves an archetype whose column was marked carries the mark
  with it, so a mutation made through a query is not lost when the entity
  moves before the log is read.

``readonly=True`` on an *object* component is a promise the World cannot
check: mutating an object obtained that way is not tracked.

The second half of this module is how the World feeds its logs: the
``record_*`` functions, called by the structural operations, and the
``mark_*`` functions, called where write access is handed out. The World
calls them only when a log is attached (``if world._logs:``), which is why a
world without logs pays nothing. The World keeps the attached logs in
``_logs`` and a cache, ``_logs_by_type: dict[ctype] = (logs that want
ctype)``, derived from it; :func:`track_changes` and :func:`untrack_changes`
are the only writers of ``_logs`` and clear the cache whenever they change it,
so the two always agree.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from fabula.ecs.archetype import Archetype
    from fabula.ecs.world import World

__all__ = [
    "ChangeLog",
    "ChangeSet",
    "carry_column_marks",
    "logs_for",
    "mark_columns",
    "mark_written",
    "record_despawn",
    "record_insert",
    "record_remove",
    "record_spawn",
    "record_spawns",
    "track_changes",
    "untrack_changes",
]


class ChangeSet:
    """The net changes between two calls to :meth:`ChangeLog.take`.

    Attributes:
        spawned: entities created since, and still alive (all their
            components are new; they appear in no other field).
        despawned: entities that existed before and are gone now.
        written: component type -> entities (alive, not newly spawned) whose
            component of that type was inserted, replaced or possibly mutated.
        removed: component type -> entities (alive, not newly spawned) that
            lost that component.

    A whole column marked by a query is kept as a copy of the archetype's
    entity array until :attr:`written` is first read, so a consumer that
    works on arrays (:meth:`written_arrays`, used by saves) never builds a
    Python set of every handle in it.
    """

    __slots__ = ("__dict__", "_columns", "_marked", "despawned", "removed", "spawned")

    def __init__(
        self,
        spawned: frozenset[int] = frozenset(),
        despawned: frozenset[int] = frozenset(),
        written: dict[type, frozenset[int]] | None = None,
        removed: dict[type, frozenset[int]] | None = None,
        columns: dict[type, list[np.ndarray]] | None = None,
    ) -> None:
        self.spawned = spawned
        self.despawned = despawned
        self.removed = removed or {}
        self._marked = written or {}
        self._columns = columns or {}

    @functools.cached_property
    def written(self) -> dict[type, frozenset[int]]:
        """Component type -> entities written (see the class docstring)."""
        out: dict[type, frozenset[int]] = {}
        for ctype in self._marked.keys() | self._columns.keys():
            handles = set(self._marked.get(ctype, ()))
            for array in self._columns.get(ctype, ()):
                handles.update(array.tolist())
            out[ctype] = frozenset(handles)
        return out

    def written_types(self) -> set[type]:
        """The component types with written entities."""
        return set(self._marked) | set(self._columns)

    def written_arrays(self, ctype: type) -> list[np.ndarray]:
        """The entities written for ``ctype`` as int64 arrays (their union is
        :attr:`written` ``[ctype]``; an entity may appear in more than one)."""
        arrays = list(self._columns.get(ctype, ()))
        marked = self._marked.get(ctype)
        if marked:
            arrays.append(np.fromiter(marked, dtype=np.int64, count=len(marked)))
        return arrays

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ChangeSet):
            return NotImplemented
        return (self.spawned, self.despawned, self.written, self.removed) == (
            other.spawned,
            other.despawned,
            other.written,
            other.removed,
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"ChangeSet(spawned={set(self.spawned)}, despawned={set(self.despawned)}, "
            f"written={self.written}, removed={self.removed})"
        )

    def __bool__(self) -> bool:
        return bool(self.spawned or self.despawned or self._marked or self._columns or self.removed)

    def count(self) -> int:
        """Number of entity-level and component-level changes."""
        return (
            len(self.spawned)
            + len(self.despawned)
            + sum(map(len, self.written.values()))
            + sum(map(len, self.removed.values()))
        )


class ChangeLog:
    """Raw change notifications for one consumer, normalised on :meth:`take`.

    Obtain one with ``world.track_changes(types=None)``; release it with
    ``world.untrack_changes(log)``. ``types`` limits the log to changes that
    involve those component types (field indexes use this).
    """

    __slots__ = ("columns", "despawned", "removed", "spawned", "types", "world", "written")

    def __init__(self, world: World, types: Collection[type] | None = None) -> None:
        self.world = world
        self.types: frozenset[type] | None = None if types is None else frozenset(types)
        self.spawned: set[int] = set()
        self.despawned: set[int] = set()
        self.written: set[tuple[int, type]] = set()
        self.removed: set[tuple[int, type]] = set()
        self.columns: set[tuple[Archetype, type]] = set()

    def wants(self, ctype: type) -> bool:
        """Whether this log records changes to ``ctype``."""
        return self.types is None or ctype in self.types

    def __bool__(self) -> bool:
        return bool(self.spawned or self.despawned or self.written or self.removed or self.columns)

    def clear(self) -> None:
        """Forget everything recorded so far."""
        self.spawned.clear()
        self.despawned.clear()
        self.written.clear()
        self.removed.clear()
        self.columns.clear()

    def take(self) -> ChangeSet:
        """Return the net changes since the last take, and start over.

        Marks on an entity that is gone, or on a component it no longer has,
        are dropped; whole-column marks are expanded to the rows now in the
        column.
        """
        world = self.world
        alive = world.__contains__
        spawned = frozenset(e for e in self.spawned if alive(e))
        despawned = frozenset(e for e in self.despawned if not alive(e))
        written: dict[type, set[int]] = {}
        for entity, ctype in self.written:
            if entity not in spawned and alive(entity) and world.has(entity, ctype):
                written.setdefault(ctype, set()).add(entity)
        columns: dict[type, list[np.ndarray]] = {}
        fresh = np.fromiter(spawned, dtype=np.int64, count=len(spawned)) if spawned else None
        for archetype, ctype in self.columns:
            rows = archetype.entity_array()
            if fresh is not None:
                rows = rows[~np.isin(rows, fresh)]
            if len(rows):
                columns.setdefault(ctype, []).append(np.array(rows, dtype=np.int64))
        removed: dict[type, set[int]] = {}
        for entity, ctype in self.removed:
            if entity not in spawned and alive(entity) and not world.has(entity, ctype):
                removed.setdefault(ctype, set()).add(entity)
        self.clear()
        return ChangeSet(
            spawned=spawned,
            despawned=despawned,
            written={t: frozenset(s) for t, s in written.items()},
            removed={t: frozenset(s) for t, s in removed.items()},
            columns=columns,
        )


# --- feeding the logs ---------------------------------------------------------------


def track_changes(world: World, types: Collection[type] | None = None) -> ChangeLog:
    """Start recording changes into a new :class:`ChangeLog` and return it.

    Args:
        types: record only changes involving these component types
            (default: everything).
    """
    log = ChangeLog(world, types)
    world._logs.append(log)
    world._logs_by_type.clear()
    return log


def untrack_changes(world: World, log: ChangeLog) -> None:
    """Stop feeding ``log``."""
    world._logs.remove(log)
    world._logs_by_type.clear()


def logs_for(world: World, ctype: type) -> tuple[ChangeLog, ...]:
    """The attached logs that record changes to ``ctype`` (cached)."""
    logs = world._logs_by_type.get(ctype)
    if logs is None:
        logs = world._logs_by_type[ctype] = tuple(x for x in world._logs if x.wants(ctype))
    return logs


def mark_written(world: World, entity: int, ctype: type) -> None:
    """Write access to ``entity``'s ``ctype`` was handed out (``get``, a row view write)."""
    for log in logs_for(world, ctype):
        log.written.add((entity, ctype))


def mark_columns(world: World, archetype: Archetype, types: tuple[type, ...]) -> None:
    """Write access to whole columns of ``archetype`` was handed out (a query)."""
    for ctype in types:
        for log in logs_for(world, ctype):
            log.columns.add((archetype, ctype))


def record_spawn(world: World, entity: int, archetype: Archetype) -> None:
    """``entity`` was placed in ``archetype``."""
    for log in world._logs:
        if log.types is None or not log.types.isdisjoint(archetype.types):
            log.spawned.add(entity)


def record_spawns(world: World, archetype: Archetype, entities: Collection[int]) -> None:
    """Many entities were placed in ``archetype`` at once (a batch, a restore)."""
    for log in world._logs:
        if log.types is None or not log.types.isdisjoint(archetype.types):
            log.spawned.update(entities)


def record_despawn(world: World, entity: int, archetype: Archetype) -> None:
    """``entity`` left ``archetype`` for good; a spawn not yet taken nets out."""
    for log in world._logs:
        if log.types is None or not log.types.isdisjoint(archetype.types):
            if entity in log.spawned:
                log.spawned.discard(entity)
            else:
                log.despawned.add(entity)


def record_insert(world: World, entity: int, types: Iterable[type]) -> None:
    """``entity`` was given (or given anew) components of ``types``."""
    for ctype in types:
        for log in logs_for(world, ctype):
            log.written.add((entity, ctype))
            log.removed.discard((entity, ctype))


def record_remove(world: World, entity: int, types: Iterable[type]) -> None:
    """``entity`` lost its components of ``types``."""
    for ctype in types:
        for log in logs_for(world, ctype):
            log.removed.add((entity, ctype))
            log.written.discard((entity, ctype))


def carry_column_marks(world: World, entity: int, source: Archetype, dest: Archetype) -> None:
    """``entity`` moved from ``source`` to ``dest``: a column mark on ``source``
    follows it as a mark on the entity, so a mutation made through a query is
    not lost when the entity moves before the log is read."""
    for log in world._logs:
        if log.columns:
            for ctype in dest.types:
                if (source, ctype) in log.columns:
                    log.written.add((entity, ctype))
