"""What a player's words may name, and what ``all`` means.

Scope is what the actor sees and carries, and itself: a phrase can never
resolve to, or reveal, anything else. ``all`` means, for ``take``, the
portable things around that the actor does not already hold (Inform's
"take all" leaves your own possessions alone); for any other action, what
the actor carries.
"""

from __future__ import annotations

from fabula.actions.standard import Location, Portable, inventory, reachable, visible
from fabula.ecs import WorldView

__all__ = ["everything_for", "scope_of"]

_ALL_FROM_ROOM = frozenset({"take"})
"""Actions for which ``all`` means what lies around, not what is carried."""


def scope_of(world: WorldView, actor: int) -> frozenset[int]:
    """What the actor's words may name: what it sees and carries, and itself."""
    return visible(world, actor) | inventory(world, actor) | {actor}


def everything_for(action: str, world: WorldView, actor: int) -> frozenset[int]:
    """What ``all`` means for ``action`` (see the module docstring)."""
    carried = inventory(world, actor)
    if action not in _ALL_FROM_ROOM:
        return carried
    return frozenset(
        e
        for e in reachable(world, actor)
        if e not in carried and world.has(e, Portable) and _holder(world, e) != actor
    )


def _holder(world: WorldView, entity: int) -> int | None:
    location = world.try_get(entity, Location, readonly=True)
    return None if location is None else location.holder
