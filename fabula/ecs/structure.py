"""Structural changes: adding and removing components moves an entity between archetypes.

An entity's archetype is fixed by its set of component types, so ``insert``
of a new type and ``remove`` move the entity's row to another archetype:
the row is copied into the target (shared columns copied, new ones filled
from the given values), then swap-removed from the source, whose last row
fills the hole. Both copies of "where is entity e" are updated at once: the
archetype tables by the copy and the swap-remove, the World's slot arrays
(:mod:`fabula.ecs.entity`) by re-pointing the moved entity's row and the
entity's own archetype and row.

Transitions are cached as *edges* on the archetypes: ``add_edges[C]`` is the
archetype with one type more, ``remove_edges[C]`` the one with one type
fewer; each edge is created with its reverse, and archetypes are never
deleted, so an edge, once taken, stays valid for the world's lifetime. A move
follows edges one type at a time and finds the target without hashing a type
set; each pair of archetypes also caches its *move plan*
(:meth:`~fabula.ecs.archetype.Archetype.copy_row_into`).

``insert`` of a type the entity already has replaces the value in place: no
move. During an iteration all three operations are deferred
(:mod:`fabula.ecs.commands`); a failing call (a missing component, two values
of one type) raises before anything changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fabula.ecs.archetype import Archetype
from fabula.ecs.changes import carry_column_marks, record_insert, record_remove
from fabula.ecs.commands import defer
from fabula.ecs.entity import (
    ENTITY_INDEX_MASK,
    check_current,
    entity_label,
    locate,
    missing_component,
)
from fabula.ecs.view import VIEW_OF
from fabula.errors import EcsError

if TYPE_CHECKING:
    from fabula.ecs.world import World

__all__ = ["insert", "remove", "try_remove"]


def insert(world: World, entity: int, *components: Any) -> None:
    """Add components to an entity, replacing any of the same type.

    Raises:
        EntityError: the entity does not exist.
        EcsError: two components of the same type were given.
    """
    if world._iterating:
        check_current(world, entity)
        defer(world, _insert_now, world, entity, components)
        return
    _insert_now(world, entity, components)


def _insert_now(world: World, entity: int, components: tuple[Any, ...]) -> None:
    arch, row = locate(world, entity)
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
            target = nxt if nxt is not None else _edge_add(world, target, ctype)
    if target is arch:
        for ctype, value in new.items():
            column = arch.objects.get(ctype)
            if column is not None:
                column[row] = value
            else:
                for field, array_ in arch.numeric[ctype].items():
                    array_[row] = getattr(value, field)
    else:
        _move(world, entity, arch, row, target, new)
    if world._logs:
        record_insert(world, entity, new)


def remove(world: World, entity: int, *component_types: type) -> None:
    """Remove components from an entity.

    Raises:
        EntityError: the entity does not exist.
        MissingComponentError: the entity lacks one of the types (nothing
            is removed then). Use :meth:`try_remove` where absence is fine.
    """
    if world._iterating:
        check_current(world, entity)
        defer(world, _remove_now, world, entity, component_types, True)
    else:
        _remove_now(world, entity, component_types, True)


def try_remove(world: World, entity: int, *component_types: type) -> None:
    """Remove those of ``component_types`` the entity has; ignore the rest.

    Raises:
        EntityError: the entity does not exist.
    """
    if world._iterating:
        check_current(world, entity)
        defer(world, _remove_now, world, entity, component_types, False)
    else:
        _remove_now(world, entity, component_types, False)


def _remove_now(world: World, entity: int, types: tuple[type, ...], strict: bool) -> None:
    arch, row = locate(world, entity)
    present = arch.types
    if len(types) == 1:
        ctype = types[0]
        if ctype not in present:
            if strict:
                raise missing_component(entity, ctype, arch)
            return
        target = arch.remove_edges.get(ctype)
        if target is None:
            target = _edge_remove(world, arch, ctype)
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
            target = nxt if nxt is not None else _edge_remove(world, target, ctype)
    _move(world, entity, arch, row, target, {})
    if world._logs:
        record_remove(world, entity, gone)


def _move(
    world: World, entity: int, src: Archetype, row: int, dst: Archetype, new: dict[type, Any]
) -> None:
    new_row = src.copy_row_into(row, dst, new)
    moved = src.swap_remove(row)
    if moved is not None:
        world._row_of[moved & ENTITY_INDEX_MASK] = row
    idx = entity & ENTITY_INDEX_MASK
    world._arch_of[idx] = dst
    world._row_of[idx] = new_row
    if world._logs:
        carry_column_marks(world, entity, src, dst)


def _edge_add(world: World, arch: Archetype, ctype: type) -> Archetype:
    target = arch.add_edges.get(ctype)
    if target is None:
        target = arch.add_edges[ctype] = world._archetype(arch.types | {ctype})
        target.remove_edges[ctype] = arch
    return target


def _edge_remove(world: World, arch: Archetype, ctype: type) -> Archetype:
    target = arch.remove_edges.get(ctype)
    if target is None:
        target = arch.remove_edges[ctype] = world._archetype(arch.types - {ctype})
        target.add_edges[ctype] = arch
    return target
