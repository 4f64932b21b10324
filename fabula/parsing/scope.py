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
    contents,
    inventory,
    is_lit,
    reachable,
    room_of,
    sees_inside,
    visible,
)
from fabula.ecs import WorldView
from fabula.parsing.grammar import Pattern, Slot
from fabula.parsing.nouns import Resolved, resolve

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

_FROM = frozenset({"from", "off", "out"})


def scope_of(world: WorldView, actor: int) -> Scope:
    """What the actor's words may name: what it sees and carries, and itself."""
    return Scope(world, actor)


def everything_for(
    pattern: Pattern, binding: dict[str, list[str]], world: WorldView, actor: int
) -> frozenset[int]:
    """What ``all`` means in a command of ``pattern`` (see the module
    docstring); with a place named after "from" / "off" / "out of" ("take
    all from the box", an action of its own or not), what that place holds."""
    place = _place_words(pattern, binding)
    if place is not None:
        scope = Scope(world, actor)
        found = resolve(world, place, scope)
        if isinstance(found, Resolved) and len(found.entities) == 1:
            return frozenset(e for e in contents(world, found.entities[0]) if e in scope)
    carried = inventory(world, actor)
    if pattern.action not in _ALL_FROM_ROOM:
        return carried
    return frozenset(
        e
        for e in reachable(world, actor)
        if e not in carried and world.has(e, Portable) and _holder(world, e) != actor
    )


def _place_words(pattern: Pattern, binding: dict[str, list[str]]) -> list[str] | None:
    after_from = False
    for part in pattern.parts:
        if not isinstance(part, Slot):
            after_from = after_from or bool(part & _FROM)
        elif after_from and part.kind == "entity" and part.name in binding:
            return binding[part.name]
    return None


def _holder(world: WorldView, entity: int) -> int | None:
    location = world.try_get(entity, Location, readonly=True)
    return None if location is None else location.holder
