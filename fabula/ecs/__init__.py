"""The symbolic world: an archetype Entity-Component-System.

:class:`World` (:mod:`fabula.ecs.world`) is the facade; its methods come from
one module per concept: :mod:`~fabula.ecs.entity` (handles and the slot
allocator), :mod:`~fabula.ecs.batch` (batch spawning),
:mod:`~fabula.ecs.structure` (adding and removing components),
:mod:`~fabula.ecs.query` (queries), :mod:`~fabula.ecs.commands` (changes
deferred while iterating), :mod:`~fabula.ecs.changes` (change tracking) and
:mod:`~fabula.ecs.storage` (what a save uses to rebuild a world exactly).
Beside them: :mod:`~fabula.ecs.component` and :mod:`~fabula.ecs.registry` for
declaring components, :mod:`~fabula.ecs.archetype` for storage,
:mod:`~fabula.ecs.view` for row views and column batches,
:mod:`~fabula.ecs.index` for the entity and field indexes, and
:mod:`~fabula.ecs.worldview` for :class:`WorldView`, the read-only view that
parsers, narrators, context builders and validators are given.
"""

from fabula.ecs.archetype import Archetype
from fabula.ecs.changes import ChangeLog, ChangeSet
from fabula.ecs.component import ComponentInfo, component, component_info, validate_component
from fabula.ecs.entity import (
    ENTITY_INDEX_BITS,
    ENTITY_INDEX_MASK,
    entity_generation,
    entity_index,
    entity_label,
)
from fabula.ecs.index import EntityIndex, EntitySet, FieldIndex
from fabula.ecs.query import Query
from fabula.ecs.registry import ComponentRegistry
from fabula.ecs.view import Columns
from fabula.ecs.world import World
from fabula.ecs.worldview import ReadOnlyWorld, WorldView

__all__ = [
    "ENTITY_INDEX_BITS",
    "ENTITY_INDEX_MASK",
    "Archetype",
    "ChangeLog",
    "ChangeSet",
    "Columns",
    "ComponentInfo",
    "ComponentRegistry",
    "EntityIndex",
    "EntitySet",
    "FieldIndex",
    "Query",
    "ReadOnlyWorld",
    "World",
    "WorldView",
    "component",
    "component_info",
    "entity_generation",
    "entity_index",
    "entity_label",
    "validate_component",
]
