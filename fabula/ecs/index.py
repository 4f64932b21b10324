"""Indexes: which entities have a component, and which have a field value.

:class:`EntityIndex` is ``world.entities_with``: ``world.entities_with[C]``
returns, in O(1), an :class:`EntitySet`, a live read-only set of the entities
that have ``C``. It costs no memory per entity: archetype storage already
*is* the index (an entity has ``C`` exactly when its archetype contains ``C``),
so membership is one lookup, ``len`` sums the row counts of the matching
archetypes, and iteration walks their entity columns.

:class:`FieldIndex` answers "which entities have ``C.field == value``" in
O(result), e.g. every entity located in room R. Its shape::

    _by_value: dict[value] = {entities whose C.field == value}
    _value_of: dict[entity] = value   (the reverse map, for moves)

It is kept current through a :class:`~fabula.ecs.changes.ChangeLog` limited to
``C``: spawns, inserts, removals and despawns are exact; in-place mutation is
caught by the same write-access rule as persistence (``docs/architecture.md``).
The log is drained lazily on the next lookup, so an index costs nothing while
nobody reads it.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator, Set
from typing import TYPE_CHECKING, Any

from fabula.ecs.component import component_info
from fabula.ecs.query import archetypes_with, iter_entities
from fabula.errors import ArgumentError, EcsError

if TYPE_CHECKING:
    from fabula.ecs.world import World

__all__ = ["EntityIndex", "EntitySet", "FieldIndex"]


class EntitySet(Set[int]):
    """Live, read-only set of the entities that have one component type.

    It reflects the world as it is when used, not when obtained. Iterating it
    while making structural changes defers those changes as a query does.
    """

    __slots__ = ("_ctype", "_world")

    def __init__(self, world: World, ctype: type) -> None:
        self._world = world
        self._ctype = ctype

    @classmethod
    def _from_iterable(cls, iterable: Iterable[int]) -> frozenset[int]:
        """Set operators (``&``, ``|``, ``-``, ``^``) return plain frozensets."""
        return frozenset(iterable)

    def __contains__(self, entity: object) -> bool:
        return self._world._has_type(entity, self._ctype)

    def __len__(self) -> int:
        return sum(len(a.entities) for a in archetypes_with(self._world, self._ctype))

    def __iter__(self) -> Iterator[int]:
        return iter_entities(self._world, archetypes_with(self._world, self._ctype))

    def __repr__(self) -> str:
        return f"<EntitySet {component_info(self._ctype).name}: {len(self)} entities>"


class EntityIndex:
    """``world.entities_with``: ``entities_with[C]`` -> :class:`EntitySet` in O(1)."""

    __slots__ = ("_sets", "_world")

    def __init__(self, world: World) -> None:
        self._world = world
        self._sets: dict[type, EntitySet] = {}

    def __getitem__(self, ctype: type) -> EntitySet:
        found = self._sets.get(ctype)
        if found is None:
            if not isinstance(ctype, type):
                raise ArgumentError(f"entities_with[...] takes a component type, not {ctype!r}.")
            found = self._sets[ctype] = EntitySet(self._world, ctype)
        return found


class FieldIndex:
    """Entities by the value of one field of one component type.

    Obtain with ``world.index(C, "field")``; the world keeps one per pair.

    Raises (on build or refresh):
        EcsError: a value of the field is unhashable.
    """

    __slots__ = (
        "_by_value",
        "_ctype",
        "_field",
        "_log",
        "_recent",
        "_value_of",
        "_version",
        "_world",
    )

    def __init__(self, world: World, ctype: type, field: str) -> None:
        info = component_info(ctype)
        if info.fields and field not in info.fields:
            raise EcsError(
                f"cannot index {info.name}.{field}: {info.name} has no field {field!r} "
                f"(its fields are {', '.join(info.fields)})."
            )
        self._world = world
        self._ctype = ctype
        self._field = field
        self._by_value: dict[Hashable, set[int]] = {}
        self._value_of: dict[int, Hashable] = {}
        self._version = 0
        self._recent: list[tuple[int, int]] = []  # (version, entity), the last changes
        self._log = world.track_changes(types=(ctype,))
        try:
            for archetype in archetypes_with(world, ctype):
                for entity in archetype.entities:
                    self._put(entity)
        except BaseException:
            world.untrack_changes(self._log)
            raise

    @property
    def component(self) -> type:
        """The indexed component type."""
        return self._ctype

    @property
    def field(self) -> str:
        """The indexed field name."""
        return self._field

    @property
    def version(self) -> int:
        """A number that changes whenever an entity's indexed value does (is
        set, changed or dropped): what a cache derived from the index keys
        on, e.g. the parser's word index over ``Named.name``."""
        self.refresh()
        return self._version

    def changed_since(self, version: int) -> frozenset[int] | None:
        """The entities whose indexed value changed after :attr:`version` was
        ``version``, or ``None`` if that is too long ago to say (only the
        last :data:`_RECENT` changes are kept): a derived cache then rebuilds."""
        self.refresh()
        if version == self._version:
            return frozenset()
        if version > self._version or not self._recent or self._recent[0][0] > version + 1:
            return None
        return frozenset(e for v, e in self._recent if v > version)

    def _changed(self, entity: int) -> None:
        self._version += 1
        self._recent.append((self._version, entity))
        if len(self._recent) > _RECENT:
            del self._recent[: _RECENT // 2]

    # -- maintenance ------------------------------------------------------------

    def _read(self, entity: int) -> Any:
        value = getattr(self._world.get(entity, self._ctype, readonly=True), self._field)
        try:
            hash(value)
        except TypeError:
            name = component_info(self._ctype).name
            raise EcsError(
                f"cannot index {name}.{self._field}: entity {entity} holds an unhashable "
                f"value {value!r}. Index only fields holding hashable values (ids, names)."
            ) from None
        return value

    def _put(self, entity: int) -> None:
        value = self._read(entity)
        old = self._value_of.get(entity, _ABSENT)
        if old is not _ABSENT:
            if old == value:
                return
            self._discard(entity, old)
        self._changed(entity)
        self._value_of[entity] = value
        bucket = self._by_value.get(value)
        if bucket is None:
            self._by_value[value] = {entity}
        else:
            bucket.add(entity)

    def _discard(self, entity: int, value: Any) -> None:
        bucket = self._by_value.get(value)
        if bucket is not None:
            bucket.discard(entity)
            if not bucket:
                del self._by_value[value]

    def _drop(self, entity: int) -> None:
        old = self._value_of.pop(entity, _ABSENT)
        if old is not _ABSENT:
            self._changed(entity)
            self._discard(entity, old)

    def refresh(self) -> None:
        """Apply pending changes now (lookups do this on their own)."""
        log = self._log
        if not log:
            return
        world, ctype = self._world, self._ctype
        for entity in log.despawned:
            self._drop(entity)
        touched: set[int] = set(log.spawned)
        touched.update(e for e, _ in log.written)
        touched.update(e for e, _ in log.removed)
        for archetype, _ in log.columns:
            touched.update(archetype.entities)
        # The log is cleared only once every change was applied: if a value
        # cannot be indexed, the next lookup tries again instead of answering
        # from a stale index.
        for entity in touched:
            if world._has_type(entity, ctype):
                self._put(entity)
            else:
                self._drop(entity)
        log.clear()

    # -- lookup -----------------------------------------------------------------

    def __getitem__(self, value: Hashable) -> frozenset[int]:
        """Entities whose field equals ``value`` (empty if none), in O(result)."""
        self.refresh()
        return frozenset(self._by_value.get(value, ()))

    get = __getitem__

    def count(self, value: Hashable) -> int:
        """How many entities have the field equal to ``value``."""
        self.refresh()
        return len(self._by_value.get(value, ()))

    def values(self) -> list[Hashable]:
        """The distinct values currently held."""
        self.refresh()
        return list(self._by_value)

    def value_of(self, entity: int) -> Any:
        """The indexed value of ``entity`` (None if it lacks the component)."""
        self.refresh()
        return self._value_of.get(entity)

    def close(self) -> None:
        """Stop maintaining the index (the world forgets it)."""
        self._world._drop_index(self)

    def __repr__(self) -> str:
        name = component_info(self._ctype).name
        return f"<FieldIndex {name}.{self._field}: {len(self._by_value)} values>"


_ABSENT: Any = object()

_RECENT = 4096
"""How many recent changes a field index remembers for :meth:`FieldIndex.changed_since`."""
