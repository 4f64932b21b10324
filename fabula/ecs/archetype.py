"""Archetype storage: one table per distinct set of component types.

An archetype holds every entity whose component types are exactly its
``types``. Its storage is a table: the entity column (a list of handles) plus
one column per component type. Object components live in Python lists;
columnar components live in one numpy array per field, over-allocated and
grown by doubling so appends are amortised O(1).

Invariants (enforced here, or where named):
    * a world has exactly one archetype per distinct set of types:
      ``World._archetype`` is the only place one is created, and
      ``World._by_types`` maps each set of types to it;
    * every column of an archetype has exactly ``len(entities)`` live rows;
      row ``i`` of every column belongs to ``entities[i]``;
    * rows are removed by swap-remove: the last row moves into the hole, so the
      columns stay dense and the caller must re-point the moved entity's row
      (despawn in :mod:`fabula.ecs.entity`, the moves in
      :mod:`fabula.ecs.structure`);
    * archetypes are never deleted, even when empty, so cached query matches
      and transition edges stay valid for the world's lifetime.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from fabula.ecs.component import ComponentInfo, component_info

__all__ = ["Archetype", "EntityColumn"]

_INITIAL_CAPACITY = 8


class EntityColumn:
    """The entity column of an archetype that holds only columnar components.

    Behaves like the ``list[int]`` other archetypes use (``append``, ``pop``,
    indexing, ``len``, iteration yielding Python ints) but stores handles in a
    growable int64 array, so bulk spawns copy memory instead of creating one
    Python int per entity, and :meth:`view` hands numpy the column for free.
    """

    __slots__ = ("_array", "_n")

    def __init__(self) -> None:
        self._array = np.empty(_INITIAL_CAPACITY, dtype=np.int64)
        self._n = 0

    def __len__(self) -> int:
        return self._n

    def __iter__(self) -> Iterator[int]:
        return iter(self._array[: self._n].tolist())

    def __getitem__(self, row: int) -> int:
        if not -self._n <= row < self._n:
            raise IndexError(f"row {row} out of range for {self._n} rows")
        return int(self._array[row % self._n])

    def __setitem__(self, row: int, entity: int) -> None:
        if not 0 <= row < self._n:
            raise IndexError(f"row {row} out of range for {self._n} rows")
        self._array[row] = entity

    def _grow(self, need: int) -> None:
        capacity = len(self._array)
        if need > capacity:
            while capacity < need:
                capacity *= 2
            grown = np.empty(capacity, dtype=np.int64)
            grown[: self._n] = self._array[: self._n]
            self._array = grown

    def append(self, entity: int) -> None:
        """Add a handle at the end."""
        if self._n == len(self._array):
            self._grow(self._n + 1)
        self._array[self._n] = entity
        self._n += 1

    def extend_array(self, entities: np.ndarray) -> None:
        """Add many handles at the end, from an int64 array."""
        count = len(entities)
        self._grow(self._n + count)
        self._array[self._n : self._n + count] = entities
        self._n += count

    def pop(self) -> int:
        """Remove and return the last handle."""
        if not self._n:
            raise IndexError("pop from an empty entity column")
        self._n -= 1
        return int(self._array[self._n])

    def view(self) -> np.ndarray:
        """The live handles as a read-only int64 array (no copy)."""
        live = self._array[: self._n]
        live.flags.writeable = False
        return live

    def __repr__(self) -> str:
        return f"EntityColumn({self._array[: self._n].tolist()!r})"


class Archetype:
    """The table of all entities that have exactly ``types``.

    Attributes:
        id: position in the world's archetype list (creation order).
        types: the component types, as a frozenset.
        entities: entity handles, one per row.
        objects: component type -> list of instances (object components).
        numeric: component type -> {field: numpy array of ``capacity`` rows}
            (columnar components; only the first ``len(entities)`` rows are live).
        add_edges / remove_edges: cached transitions to the archetype with one
            type more / one type fewer, filled as they are first taken.
        version: bumped on every row added or removed; caches keyed on it
            (the entity array) know when they are stale.
    """

    __slots__ = (
        "_entity_array",
        "_moves",
        "_numeric_arrays",
        "_object_columns",
        "add_edges",
        "capacity",
        "entities",
        "id",
        "infos",
        "numeric",
        "objects",
        "remove_edges",
        "types",
        "version",
    )

    def __init__(self, archetype_id: int, types: frozenset[type]) -> None:
        self.id = archetype_id
        self.types = types
        self.entities: list[int] | EntityColumn = []
        self.infos: dict[type, ComponentInfo] = {}
        self.objects: dict[type, list[Any]] = {}
        self.numeric: dict[type, dict[str, np.ndarray]] = {}
        self.capacity = 0
        # Deterministic column order: by stable name, then qualified name.
        for ctype in sorted(types, key=lambda t: (component_info(t).name, t.__qualname__)):
            info = component_info(ctype)
            self.infos[ctype] = info
            if info.columnar:
                self.numeric[ctype] = {}
            else:
                self.objects[ctype] = []
        if self.numeric and not self.objects:
            self.entities = EntityColumn()
        self._object_columns = tuple(self.objects.values())
        self._numeric_arrays: tuple[np.ndarray, ...] = ()
        if self.numeric:
            self._allocate(_INITIAL_CAPACITY)
        self._moves: dict[Archetype, tuple[Any, ...]] = {}
        self.add_edges: dict[type, Archetype] = {}
        self.remove_edges: dict[type, Archetype] = {}
        self.version = 0
        self._entity_array: tuple[int, np.ndarray] | None = None

    def __len__(self) -> int:
        return len(self.entities)

    def __repr__(self) -> str:
        names = ", ".join(info.name for info in self.infos.values())
        return f"<Archetype #{self.id} [{names}] rows={len(self.entities)}>"

    # -- numeric capacity ---------------------------------------------------

    def _allocate(self, capacity: int) -> None:
        n = len(self.entities)
        for ctype, fields in self.numeric.items():
            info = self.infos[ctype]
            for field, dtype in zip(info.fields, info.dtypes, strict=True):
                new = np.empty(capacity, dtype=dtype)
                old = fields.get(field)
                if old is not None and n:
                    new[:n] = old[:n]
                fields[field] = new
        self.capacity = capacity
        self._numeric_arrays = tuple(a for f in self.numeric.values() for a in f.values())

    def reserve(self, extra: int) -> None:
        """Make room for ``extra`` more rows in the numeric columns."""
        need = len(self.entities) + extra
        if self.numeric and need > self.capacity:
            capacity = max(self.capacity * 2, _INITIAL_CAPACITY)
            while capacity < need:
                capacity *= 2
            self._allocate(capacity)

    # -- rows ------------------------------------------------------------------

    def append(self, entity: int, values: dict[type, Any]) -> int:
        """Append one row; ``values`` maps every type of this archetype to a
        component instance (or anything with the columnar fields as attributes).

        Returns:
            The new row's index.
        """
        row = len(self.entities)
        if self.numeric:
            if row >= self.capacity:
                self.reserve(1)
            for ctype, fields in self.numeric.items():
                value = values[ctype]
                for field, array in fields.items():
                    array[row] = getattr(value, field)
        for ctype, column in self.objects.items():
            column.append(values[ctype])
        self.entities.append(entity)
        self.version += 1
        return row

    def _move_plan(self, dest: Archetype) -> tuple[Any, ...]:
        """Which columns a row moving from here to ``dest`` copies, and which
        ``dest`` fills from new values; computed once per pair of archetypes."""
        shared_objects = tuple(
            (column, dest.objects[t]) for t, column in self.objects.items() if t in dest.objects
        )
        fresh_objects = tuple((t, c) for t, c in dest.objects.items() if t not in self.objects)
        shared_numeric = tuple(
            (ctype, field)
            for ctype, fields in dest.numeric.items()
            if ctype in self.numeric
            for field in fields
        )
        fresh_numeric = tuple(t for t in dest.numeric if t not in self.numeric)
        plan = (shared_objects, fresh_objects, shared_numeric, fresh_numeric)
        self._moves[dest] = plan
        return plan

    def copy_row_into(self, row: int, dest: Archetype, overrides: dict[type, Any]) -> int:
        """Append row ``row`` to ``dest``, taking shared columns from here and
        the rest from ``overrides`` (replacing shared ones too); return the new
        row in ``dest``."""
        plan = self._moves.get(dest)
        if plan is None:
            plan = self._move_plan(dest)
        shared_objects, fresh_objects, shared_numeric, fresh_numeric = plan
        new_row = len(dest.entities)
        for source, target in shared_objects:
            target.append(source[row])
        for ctype, target in fresh_objects:
            target.append(overrides[ctype])
        if dest.numeric:
            if new_row >= dest.capacity:
                dest.reserve(1)
            for ctype, field in shared_numeric:
                dest.numeric[ctype][field][new_row] = self.numeric[ctype][field][row]
            for ctype in fresh_numeric:
                value = overrides[ctype]
                for field, array in dest.numeric[ctype].items():
                    array[new_row] = getattr(value, field)
        if overrides:  # a type present on both sides but given anew
            for ctype, value in overrides.items():
                if ctype in self.types:
                    column = dest.objects.get(ctype)
                    if column is not None:
                        column[new_row] = value
                    else:
                        for field, array in dest.numeric[ctype].items():
                            array[new_row] = getattr(value, field)
        dest.entities.append(self.entities[row])
        dest.version += 1
        return new_row

    def swap_remove(self, row: int) -> int | None:
        """Remove ``row`` by moving the last row into it.

        Returns:
            The entity that moved into ``row`` (its row index must be updated
            by the caller), or ``None`` if ``row`` was the last row.
        """
        entities = self.entities
        last_entity = entities.pop()
        last = len(entities)
        self.version += 1
        if row == last:
            for column in self._object_columns:
                column.pop()
            return None
        entities[row] = last_entity
        for column in self._object_columns:
            column[row] = column.pop()
        for array in self._numeric_arrays:
            array[row] = array[last]
        return last_entity

    def entity_array(self) -> np.ndarray:
        """The entity column as an int64 array, cached until rows change."""
        if isinstance(self.entities, EntityColumn):
            return self.entities.view()
        cached = self._entity_array
        if cached is not None and cached[0] == self.version:
            return cached[1]
        array = np.array(self.entities, dtype=np.int64)
        array.flags.writeable = False
        self._entity_array = (self.version, array)
        return array

    def nbytes(self) -> int:
        """Bytes held by the numeric columns (capacity included)."""
        return sum(a.nbytes for fields in self.numeric.values() for a in fields.values())
