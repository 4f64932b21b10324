"""Batch spawning: many entities created at once from arrays.

``world.spawn_batch({A: {"x": xs, ...}, B: [b0, b1, ...]})`` places every new
entity in one archetype with a handful of numpy copies instead of a Python
call per entity. Its handles are a contiguous range of *fresh* slots (free
slots are not reused), so it cannot be deferred: during an iteration it
raises :class:`~fabula.errors.StructuralChangeError` (see
:mod:`fabula.ecs.commands`).

A batch either lands whole or not at all: everything that can fail (lengths,
unknown or missing fields, building object components) is checked or done
before the first live row, slot or handle changes (the archetype may have
been created and its capacity grown: neither is visible). :func:`fill_batch` and
:func:`batch_length` also serve :func:`fabula.ecs.storage.restore`, which
places saved batches under their saved handles.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from itertools import repeat
from typing import TYPE_CHECKING, Any

import numpy as np

from fabula.ecs.archetype import Archetype, EntityColumn
from fabula.ecs.changes import record_spawns
from fabula.ecs.component import component_info
from fabula.errors import EcsError, StructuralChangeError

if TYPE_CHECKING:
    from fabula.ecs.world import World

__all__ = ["BatchColumns", "batch_length", "fill_batch", "spawn_batch"]

BatchColumns = Mapping[type, Mapping[str, Any] | Sequence[Any]]
"""Per component type, ``{field: array}`` or a sequence of ready instances."""


def spawn_batch(world: World, columns: BatchColumns) -> np.ndarray:
    """Spawn many entities at once from arrays; return their handles.

    Args:
        columns: per component type, either a mapping ``{field: array}``
            (columnar components, or object components built per row) or
            a sequence of ready instances (object components). All columns
            must have the same length.

    Returns:
        An int64 array of the new handles, in row order.

    Raises:
        EcsError: lengths differ, a field is missing or unknown.
        StructuralChangeError: called while a query is iterating.
    """
    if world._iterating:
        raise StructuralChangeError(
            "spawn_batch() cannot run while a query is iterating; call it after the loop."
        )
    if not columns:
        return np.empty(0, dtype=np.int64)
    arch = world._archetype(frozenset(columns))
    count = batch_length(columns)
    start = fill_batch(arch, columns, count)
    first = len(world._arch_of)
    ids = np.arange(first, first + count, dtype=np.int64)
    if isinstance(arch.entities, EntityColumn):
        arch.entities.extend_array(ids)
    else:
        arch.entities.extend(range(first, first + count))
    arch.version += 1
    world._arch_of.extend(repeat(arch, count))
    world._gen.frombytes(bytes(8 * count))
    world._row_of.frombytes(np.arange(start, start + count, dtype=np.int64).tobytes())
    world._alive += count
    if world._logs:
        record_spawns(world, arch, range(first, first + count))
    return ids


def fill_batch(arch: Archetype, columns: BatchColumns, count: int) -> int:
    """Append ``count`` rows of component data to ``arch``'s columns (not
    its entity column); return the first new row."""
    arch.reserve(count)
    start = len(arch.entities)
    # Everything that can fail happens before the first live row changes:
    # numeric writes land past the live rows, objects are built aside.
    objects: list[tuple[list[Any], list[Any]]] = []
    for ctype, data in columns.items():
        info = component_info(ctype)
        if info.columnar:
            fields = arch.numeric[ctype]
            for field, array_ in fields.items():
                if field in data:  # type: ignore[operator]
                    array_[start : start + count] = data[field]  # type: ignore[index]
                else:
                    array_[start : start + count] = _field_default(ctype, field)
        elif isinstance(data, Mapping):
            keys = list(data)
            rows = zip(*(data[k] for k in keys), strict=True)
            built = [ctype(**dict(zip(keys, r))) for r in rows]
            objects.append((arch.objects[ctype], built))
        else:
            objects.append((arch.objects[ctype], list(data)))
    for column, values in objects:
        column.extend(values)
    return start


def batch_length(columns: Mapping[type, Any]) -> int:
    """The number of rows ``columns`` holds.

    Raises:
        EcsError: a mapping names a field its component lacks, or the columns
            differ in length.
    """
    lengths: dict[str, int] = {}
    for ctype, data in columns.items():
        info = component_info(ctype)
        if isinstance(data, Mapping):
            unknown = set(data) - set(info.fields) if info.fields else set()
            if unknown:
                raise EcsError(
                    f"spawn_batch(): {info.name} has no field(s) {', '.join(sorted(unknown))}."
                )
            for field, values in data.items():
                lengths[f"{info.name}.{field}"] = len(values)
        else:
            lengths[info.name] = len(data)
    distinct = set(lengths.values())
    if len(distinct) > 1:
        detail = ", ".join(f"{k}={v}" for k, v in lengths.items())
        raise EcsError(f"spawn_batch(): columns differ in length ({detail}); make them equal.")
    return distinct.pop() if distinct else 0


def _field_default(ctype: type, field: str) -> Any:
    for f in dataclasses.fields(ctype):
        if f.name == field:
            if f.default is not dataclasses.MISSING:
                return f.default
            if f.default_factory is not dataclasses.MISSING:
                return f.default_factory()
    raise EcsError(
        f"spawn_batch(): no values for {component_info(ctype).name}.{field}, "
        "and the field has no default."
    )
