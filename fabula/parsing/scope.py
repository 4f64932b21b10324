"""What a player's words may name, and what ``all`` means.

Scope is what the actor sees and carries, and itself: a phrase can never
resolve to, or reveal, anything else. ``all`` means, for ``take``, the
portable things around that the actor does not already hold (Inform's
"take all" leaves your own possessions alone); for any other action, what
the actor carries.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator

from fabula.actions.standard import (
    Door,
    Exits,
    Location,
    Portable,
    inventory,
    is_lit,
    reachable,
    room_of,
    sees_inside,
    visible,
)
from fabula.ecs import WorldView

__all__ = ["Scope", "everything_for", "scope_of"]

_DEEPEST = 64
"""The most holders a thing can be nested in and still be found in scope."""


class Scope(Collection[int]):
    """What the actor's words may name, asked thing by thing.

    Membership walks from the thing up through what holds it (each holder
    must show its contents) to the actor or to the actor's lit room: a few
    lookups, however many things the room holds. The whole set (to iterate
    it) is :func:`~fabula.actions.standard.visible` with the inventory and
    the actor, computed once when first needed.
    """

    __slots__ = ("_all", "_doors", "_lit", "_room", "actor", "world")

    def __init__(self, world: WorldView, actor: int) -> None:
        self.world = world
        self.actor = actor
        self._room = room_of(world, actor)
        self._lit: bool | None = None
        self._doors: frozenset[int] | None = None
        self._all: frozenset[int] | None = None

    def __contains__(self, entity: object) -> bool:
        if not isinstance(entity, int):
            return False
        if self._all is not None:
            return entity in self._all
        world = self.world
        if entity == self.actor:
            return True
        if entity not in world:
            return False
        holder = _holder(world, entity)
        for _ in range(_DEEPEST):
            if holder is None:
                return self._room is not None and self._lit_room() and entity in self._exits()
            if holder == self.actor:
                return True
            if holder == self._room:
                return self._lit_room()
            if not sees_inside(world, holder):
                return False
            holder = _holder(world, holder)
        return False

    def _lit_room(self) -> bool:
        if self._lit is None:
            self._lit = self._room is not None and is_lit(self.world, self._room, self.actor)
        return self._lit

    def _exits(self) -> frozenset[int]:
        if self._doors is None:
            exits = (
                self.world.try_get(self._room, Exits, readonly=True)
                if self._room is not None
                else None
            )
            ways = exits.ways.values() if exits is not None else ()
            self._doors = frozenset(e for e in ways if e in self.world and self.world.has(e, Door))
        return self._doors

    def whole(self) -> frozenset[int]:
        """Every entity in scope."""
        if self._all is None:
            world, actor = self.world, self.actor
            self._all = visible(world, actor) | inventory(world, actor) | {actor}
        return self._all

    def __iter__(self) -> Iterator[int]:
        return iter(self.whole())

    def __len__(self) -> int:
        return len(self.whole())


_ALL_FROM_ROOM = frozenset({"take"})
"""Actions for which ``all`` means what lies around, not what is carried."""


def scope_of(world: WorldView, actor: int) -> Scope:
    """What the actor's words may name: what it sees and carries, and itself."""
    return Scope(world, actor)


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
