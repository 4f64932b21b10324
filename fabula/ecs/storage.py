"""The World's storage interface: what a save needs to write a world out and
rebuild it exactly, handles and future handles included.

These functions are :class:`~fabula.ecs.World` methods (``world.slots()``,
``world.location(e)``, ``world.locate_many(es)``, ``world.restore(...)``);
they live here, apart from the rest, because only a storage layer
(:mod:`fabula.persistence`) calls them. They read and, for :func:`restore`,
replace the World's slot arrays directly; the invariants they keep are the
slots' (:mod:`fabula.ecs.entity`) and the archetypes'
(:mod:`fabula.ecs.archetype`).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from fabula.ecs.archetype import Archetype, EntityColumn
from fabula.ecs.batch import BatchColumns, batch_length, fill_batch
from fabula.ecs.changes import record_spawns
from fabula.ecs.entity import ENTITY_INDEX_BITS, ENTITY_INDEX_MASK, entity_error, locate
from fabula.errors import EcsError

if TYPE_CHECKING:
    from fabula.ecs.world import World

__all__ = ["locate_many", "location", "restore", "slots"]


def slots(world: World) -> tuple[int, list[int], list[int]]:
    """The handle allocator's state: ``(slot_count, free, free_generations)``.

    ``free`` lists the free slot indexes in reuse order (the last is
    reused first) and ``free_generations`` the generation each will hand
    out next. Together with the live handles this fixes every future
    handle, which replaying a journal relies on.
    """
    free = list(world._free)
    return len(world._gen), free, [world._gen[i] for i in free]


def location(world: World, entity: int) -> tuple[Archetype, int]:
    """The archetype table holding ``entity`` and its row there (read-only use).

    Raises:
        EntityError: the entity does not exist.
    """
    return locate(world, entity)


def locate_many(world: World, entities: Iterable[int]) -> dict[Archetype, np.ndarray]:
    """Group live ``entities`` by the archetype table holding them.

    Returns:
        archetype -> int64 array of the rows the entities occupy there.
        Vectorised: a storage layer flushing 100k changed components
        spends milliseconds here, not a Python call per entity.

    Raises:
        EntityError: one of the entities does not exist.
    """
    handles = np.fromiter(entities, dtype=np.int64)
    if not len(handles):
        return {}
    idx = handles & ENTITY_INDEX_MASK
    gens = np.frombuffer(world._gen, dtype=np.int64)
    if int(idx.max()) >= len(gens) or not np.array_equal(gens[idx], handles >> ENTITY_INDEX_BITS):
        bad = next(e for e in handles.tolist() if e not in world)
        raise entity_error(world, bad)
    rows = np.frombuffer(world._row_of, dtype=np.int64)[idx]
    del gens
    arch_of = world._arch_of
    archs = [arch_of[i] for i in idx.tolist()]
    if any(a is None for a in archs):
        raise entity_error(world, next(e for e, a in zip(handles.tolist(), archs) if a is None))
    first = archs[0]
    if all(a is first for a in archs):
        return {first: rows}  # type: ignore[dict-item]
    ids = np.fromiter((a.id for a in archs), dtype=np.int64, count=len(archs))  # type: ignore[union-attr]
    order = np.argsort(ids, kind="stable")
    ids_sorted = ids[order]
    starts = np.flatnonzero(np.r_[True, ids_sorted[1:] != ids_sorted[:-1]])
    ends = np.r_[starts[1:], len(order)]
    return {
        archs[order[s]]: rows[order[s:e]]  # type: ignore[misc]
        for s, e in zip(starts.tolist(), ends.tolist())
    }


def restore(
    world: World,
    slot_count: int,
    free: Sequence[int],
    free_generations: Sequence[int],
    batches: Iterable[tuple[np.ndarray, BatchColumns]],
) -> None:
    """Rebuild a saved world into this new, empty one, keeping every handle.

    Args:
        slot_count, free, free_generations: as returned by :meth:`slots`.
        batches: ``(handles, columns)`` pairs; each places the entities
            ``handles`` (int64 array) with the components in ``columns``
            (as for :meth:`spawn_batch`; ``{}`` for entities without
            components). Every slot must be either free or in exactly one
            batch.

    Raises:
        EcsError: the world is not empty, or the slots do not add up (the
            world is then unusable: discard it).
    """
    if len(world._gen) or world._iterating:
        raise EcsError("restore() rebuilds into a new World; create one with World(seed).")
    free_idx = np.asarray(free, dtype=np.int64)
    used = [free_idx]
    _check_slots(free_idx, slot_count)
    gens = np.zeros(slot_count, dtype=np.int64)
    gens[free_idx] = np.asarray(free_generations, dtype=np.int64)
    rows = np.zeros(slot_count, dtype=np.int64)
    arch_of: list[Archetype | None] = [None] * slot_count
    alive = 0
    placed: list[tuple[np.ndarray, Archetype]] = []
    for handles_, columns in batches:
        handles = np.asarray(handles_, dtype=np.int64)
        count = len(handles)
        if columns and batch_length(columns) != count:
            raise EcsError("restore(): a batch has columns and handles of different lengths.")
        idx = handles & ENTITY_INDEX_MASK
        _check_slots(idx, slot_count)
        used.append(idx)
        arch = world._archetype(frozenset(columns))
        start = fill_batch(arch, columns, count)
        if isinstance(arch.entities, EntityColumn):
            arch.entities.extend_array(handles)
        else:
            arch.entities.extend(handles.tolist())
        arch.version += 1
        gens[idx] = handles >> ENTITY_INDEX_BITS
        rows[idx] = np.arange(start, start + count, dtype=np.int64)
        if count and int(idx[-1]) - int(idx[0]) + 1 == count and (np.diff(idx) == 1).all():
            arch_of[int(idx[0]) : int(idx[-1]) + 1] = [arch] * count  # contiguous slots
        else:
            for i in idx.tolist():
                arch_of[i] = arch
        alive += count
        placed.append((handles, arch))
    uses = np.bincount(np.concatenate(used), minlength=slot_count)
    if (uses != 1).any():
        wrong = np.flatnonzero(uses != 1)[:5].tolist()
        raise EcsError(f"restore(): slots {wrong} are not exactly once either free or live.")
    world._gen = array("q", gens.tobytes())
    world._row_of = array("q", rows.tobytes())
    world._arch_of = arch_of
    world._free = [int(i) for i in free_idx]
    world._alive = alive
    if world._logs:
        for handles, arch in placed:
            record_spawns(world, arch, handles.tolist())


def _check_slots(idx: np.ndarray, slot_count: int) -> None:
    if len(idx) and (int(idx.min()) < 0 or int(idx.max()) >= slot_count):
        raise EcsError(f"restore(): handles name slots outside 0..{slot_count - 1}.")
