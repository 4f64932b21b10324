"""What the precondition tests share: the standard actions, registered, and
whether a change set holds no change at all."""

from __future__ import annotations

from fabula.actions import ActionRegistry
from fabula.ecs import ChangeSet


def standard() -> ActionRegistry:
    """A registry of the standard actions, as a game starts with."""
    actions = ActionRegistry()
    actions.discover("fabula.actions.standard")
    return actions


def nothing_changed(changes: ChangeSet) -> bool:
    """Whether ``changes`` records no spawn, despawn, write or removal."""
    return not (
        changes.spawned
        or changes.despawned
        or any(changes.written.values())
        or any(changes.removed.values())
    )
