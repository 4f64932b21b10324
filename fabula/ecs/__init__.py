"""The symbolic world: an archetype Entity-Component-System.

See :mod:`fabula.ecs.world` for the World, :mod:`fabula.ecs.component` for
declaring components, :mod:`fabula.ecs.archetype` for storage,
:mod:`fabula.ecs.changes` for change tracking and :mod:`fabula.ecs.index` for
the entity and field indexes, :mod:`fabula.ecs.storage` for what a save
uses to rebuild a world exactly, and :mod:`fabula.ecs.worldview` for
:class:`WorldView`, the read-only view that parsers, narrators, context
builders and validators are given.
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
