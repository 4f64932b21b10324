"""Entities: what a handle is, the slot allocator behind it, and what to say
about a handle that names no live entity.

A handle is a plain ``int``: the slot index in the low
:data:`ENTITY_INDEX_BITS` bits, the slot's generation above them. This is the
only place the layout is defined; the World, its storage interface and the
save format (:mod:`fabula.persistence.chunks`, through :mod:`fabula.ecs`)
all read it from here.

    >>> handle = 5 | (2 << ENTITY_INDEX_BITS)
    >>> entity_index(handle), entity_generation(handle)
    (5, 2)
    >>> entity_label(handle)
    'entity 5 (generation 2)'

Despawning bumps the slot's generation, so every handle issued for the slot
before is *stale*: using one raises
:class:`~fabula.errors.DespawnedEntityError`, and it never names the entity
that later reuses the slot. Generations only grow.

The slot allocator. :func:`spawn` and :func:`despawn` hand slots out and take
them back; a save reads and rebuilds their state through
:mod:`fabula.ecs.storage`. The state is the World's, one entry per slot ever
used, in three parallel arrays that only grow, plus the free list::

    World._gen: array[q]                 slot -> its current generation
    World._arch_of: list[Archetype|None] slot -> archetype of its entity, if placed
    World._row_of: array[q]              slot -> row of its entity there
    World._free: list[int]               free slots; the last freed is reused first
    World._alive: int                    how many slots are live

Each slot is in exactly one of three states:

* **live**: ``_arch_of[i]`` is an archetype, and
  ``_arch_of[i].entities[_row_of[i]]`` is the handle ``i | _gen[i] << 32``.
  The archetype tables and these arrays are the two copies of "where is
  entity e"; they agree because every operation that moves a row (spawn,
  despawn, insert, remove, a batch, a restore) updates both at once, and the
  swap-remove that fills a hole re-points the moved entity's ``_row_of``.
* **free**: ``i`` is in ``_free`` and ``_arch_of[i]`` is None; ``_gen[i]`` is
  the generation the slot hands out next, never one handed out before.
* **reserved**: neither; a spawn deferred during an iteration holds the slot
  and returns its handle at once, and :func:`place` makes it live when the
  iteration ends (:mod:`fabula.ecs.commands`).

A handle is *current* when its generation is its slot's (live or reserved):
only current handles may be named by a deferred command (:func:`check_current`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from fabula.ecs.changes import record_despawn, record_spawn
from fabula.ecs.commands import defer
from fabula.ecs.view import VIEW_OF
from fabula.errors import DespawnedEntityError, EcsError, EntityError, MissingComponentError

if TYPE_CHECKING:
    from fabula.ecs.archetype import Archetype
    from fabula.ecs.world import World

__all__ = [
    "ENTITY_INDEX_BITS",
    "ENTITY_INDEX_MASK",
    "check_current",
    "despawn",
    "entity_error",
    "entity_generation",
    "entity_index",
    "entity_label",
    "locate",
    "missing_component",
    "spawn",
]

ENTITY_INDEX_BITS = 32
"""How many low bits of a handle hold its slot index."""

ENTITY_INDEX_MASK = (1 << ENTITY_INDEX_BITS) - 1
"""``handle & ENTITY_INDEX_MASK`` is the slot index (works on int64 arrays too)."""


def entity_index(entity: int) -> int:
    """The slot index of an entity handle."""
    return entity & ENTITY_INDEX_MASK


def entity_generation(entity: int) -> int:
    """The generation of an entity handle (how often its slot was reused)."""
    return entity >> ENTITY_INDEX_BITS


def entity_label(entity: int) -> str:
    """How messages name a handle: ``entity 5``, or ``entity 5 (generation 2)``."""
    gen = entity >> ENTITY_INDEX_BITS
    return f"entity {entity & ENTITY_INDEX_MASK}" + (f" (generation {gen})" if gen else "")


# --- finding a handle's slot, and saying what is wrong with it --------------------


def locate(world: World, entity: int) -> tuple[Archetype, int]:
    """The archetype holding a live ``entity`` and its row there.

    Raises:
        EntityError: the handle names no live entity (:func:`entity_error` says why).
    """
    try:
        idx = entity & ENTITY_INDEX_MASK
        arch = world._arch_of[idx]
        if arch is not None and world._gen[idx] == entity >> ENTITY_INDEX_BITS:
            return arch, world._row_of[idx]
    except (TypeError, IndexError):
        pass
    raise entity_error(world, entity)


def check_current(world: World, entity: int) -> None:
    """Accept live handles and handles reserved by a deferred spawn.

    Raises:
        EntityError: the handle is stale, was never handed out, or is not a handle.
    """
    try:
        if world._gen[entity & ENTITY_INDEX_MASK] == entity >> ENTITY_INDEX_BITS:
            return
    except (TypeError, IndexError):
        pass
    raise entity_error(world, entity)


def entity_error(world: World, entity: object) -> EntityError:
    """The error for a handle that names no live entity, saying why not."""
    if not isinstance(entity, int | np.integer) or entity < 0:
        return EntityError(
            entity,
            f"{entity!r} is not an entity handle (handles are the ints spawn() returns).",
        )
    idx, gen = entity & ENTITY_INDEX_MASK, entity >> ENTITY_INDEX_BITS  # type: ignore[operator]
    label = entity_label(entity)  # type: ignore[arg-type]
    if idx >= len(world._gen) or gen > world._gen[idx]:
        return EntityError(entity, f"{label} was never spawned in this world.")
    if gen < world._gen[idx]:
        return DespawnedEntityError(
            entity,
            f"{label} was despawned; this handle is stale. Drop references to an entity "
            "when it is despawned (listen for OnDeath or check `entity in world`).",
        )
    if idx in world._free:  # a free slot's current generation was never handed out
        return EntityError(entity, f"{label} was never spawned in this world.")
    return EntityError(
        entity,
        f"{label} was spawned while a query was iterating and exists once that iteration "
        "ends; use it after the loop.",
    )


def missing_component(entity: int, ctype: type, arch: Archetype) -> MissingComponentError:
    """The error for a live ``entity`` (in ``arch``) that lacks ``ctype``."""
    has = [info.name for info in arch.infos.values()]
    return MissingComponentError(entity, ctype, entity_label(entity), has)


# --- spawning and despawning --------------------------------------------------------


def spawn(world: World, *components: Any) -> int:
    """Create an entity with ``components`` (at most one per type); return its handle.

    During an iteration the handle is reserved and returned at once; the
    entity is placed when the iteration ends (:mod:`fabula.ecs.commands`).

    Raises:
        EcsError: two components of the same type were given.
    """
    types = tuple(map(type, components))
    plan = world._spawn_plans.get(types)
    if plan is None:
        plan = _spawn_plan(world, types)
    arch, columns = plan
    if columns is not None and not world._free and not world._iterating:
        # The common case, kept flat: a fresh slot in an object-only archetype.
        entity = len(world._arch_of)
        entities = arch.entities
        world._gen.append(0)
        world._row_of.append(len(entities))
        world._arch_of.append(arch)
        entities.append(entity)
        for column, value in zip(columns, components):
            column.append(value)
        arch.version += 1
        world._alive += 1
        if world._logs:
            record_spawn(world, entity, arch)
        return entity
    if any(hasattr(t, VIEW_OF) for t in types):  # row views of columnar components
        types = tuple(getattr(t, VIEW_OF, t) for t in types)
        arch = _spawn_target(world, types)
    if world._free:
        idx = world._free.pop()
        entity = idx | (world._gen[idx] << ENTITY_INDEX_BITS)
    else:
        entity = len(world._arch_of)
        world._gen.append(0)
        world._row_of.append(0)
        world._arch_of.append(None)
    if world._iterating:
        defer(world, place, world, entity, arch, dict(zip(types, components)))
    else:
        place(world, entity, arch, dict(zip(types, components)))
    return entity


def place(world: World, entity: int, arch: Archetype, values: dict[type, Any]) -> None:
    """Make the reserved slot of ``entity`` live, in ``arch`` with ``values``."""
    idx = entity & ENTITY_INDEX_MASK
    if world._gen[idx] != entity >> ENTITY_INDEX_BITS:  # despawned before it was placed
        return
    world._row_of[idx] = arch.append(entity, values)
    world._arch_of[idx] = arch
    world._alive += 1
    if world._logs:
        record_spawn(world, entity, arch)


def _spawn_plan(world: World, types: tuple[type, ...]) -> tuple[Archetype, list[list[Any]] | None]:
    """Target archetype of a spawn with these types, and (for object-only
    archetypes) the columns to append to, in argument order; cached per
    argument types in ``World._spawn_plans``."""
    arch = _spawn_target(world, tuple(getattr(t, VIEW_OF, t) for t in types))
    columns = None if arch.numeric else [arch.objects[t] for t in types]
    plan = world._spawn_plans[types] = (arch, columns)
    return plan


def _spawn_target(world: World, types: tuple[type, ...]) -> Archetype:
    key = frozenset(types)
    if len(key) != len(types):
        dupes = sorted({t.__name__ for t in types if types.count(t) > 1})
        raise EcsError(
            f"spawn() got two or more components of type {', '.join(dupes)}; an entity "
            "holds at most one component per type."
        )
    return world._archetype(key)


def despawn(world: World, entity: int) -> None:
    """Destroy an entity and all its components; its handle becomes stale.

    Raises:
        EntityError: the entity does not exist (or was already despawned).
    """
    if world._iterating:
        check_current(world, entity)
        defer(world, _despawn_now, world, entity)
        return
    _despawn_now(world, entity)


def _despawn_now(world: World, entity: int) -> None:
    arch, row = locate(world, entity)
    idx = entity & ENTITY_INDEX_MASK
    moved = arch.swap_remove(row)
    if moved is not None:
        world._row_of[moved & ENTITY_INDEX_MASK] = row
    world._arch_of[idx] = None
    world._gen[idx] += 1
    world._free.append(idx)
    world._alive -= 1
    if world._logs:
        record_despawn(world, entity, arch)
