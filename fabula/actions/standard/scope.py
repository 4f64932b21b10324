"""Scope: what an actor can see, touch and carry, by the standard rules.

Validators use these to refuse (``NOT_HERE``, ``TOO_DARK``...), the parser to
resolve nouns, the narrator and the model context to say only what the actor
could perceive. Everything is computed from the world on demand (through the
``Location.holder`` field index), so it is never stale.

The rules:

* an actor is in the **room** found by following holders up from it;
* a room is **lit** unless it is dark, and a dark room is lit by a lit light
  source that is visible without light (carried by the actor, or lying in
  the room outside any closed opaque container);
* in a lit room the actor **sees** everything in the room, recursively, except
  the contents of closed opaque containers; the doors named by the room's
  exits; and its own inventory. In the dark it sees only what it carries;
* it **reaches** what it sees, except what is inside a closed container
  (transparent or not) or carried by another actor;
* it **holds** what it carries in its hands or wears.

The actor itself is never in its own scope. Every function takes a
:class:`~fabula.ecs.WorldView` (a World, or the read-only view a validator
sees), and reads without marking anything changed.
"""

from __future__ import annotations

from collections.abc import Iterator

from fabula.actions.standard.components import (
    Actor,
    Container,
    DarkWhen,
    Door,
    Exits,
    LightSource,
    Location,
    Openable,
    Room,
)
from fabula.actions.standard.conditions import condition_holds
from fabula.ecs import WorldView

__all__ = [
    "contents",
    "holder_of",
    "inventory",
    "is_lit",
    "reachable",
    "room_of",
    "sees_inside",
    "visible",
]

_MAX_DEPTH = 64


def holder_of(world: WorldView, entity: int) -> int | None:
    """The entity holding ``entity``, or ``None`` (rooms, doors, limbo)."""
    location = world.try_get(entity, Location, readonly=True)
    return None if location is None else location.holder


def room_of(world: WorldView, entity: int) -> int | None:
    """The room ``entity`` is in, following holders up; ``None`` if none."""
    current: int | None = entity
    for _ in range(_MAX_DEPTH):
        if current is None or current not in world:
            return None
        if world.has(current, Room):
            return current
        current = holder_of(world, current)
    return None  # a holder cycle: a broken world, treated as nowhere


def contents(world: WorldView, holder: int) -> frozenset[int]:
    """What ``holder`` directly holds (in, on, held or worn)."""
    return frozenset(world.index(Location, "holder")[holder])


def inventory(world: WorldView, actor: int) -> frozenset[int]:
    """What ``actor`` carries or wears (directly)."""
    return contents(world, actor)


def _is_open(world: WorldView, entity: int) -> bool:
    openable = world.try_get(entity, Openable, readonly=True)
    return openable is None or openable.open


def sees_inside(world: WorldView, entity: int) -> bool:
    """Whether the contents of ``entity`` can be seen from outside it."""
    container = world.try_get(entity, Container, readonly=True)
    if container is None:
        return True  # supporters, actors, rooms
    return container.transparent or _is_open(world, entity)


def _reaches_inside(world: WorldView, entity: int, actor: int) -> bool:
    if world.has(entity, Container):
        return _is_open(world, entity)
    return not (entity != actor and world.has(entity, Actor))


def _walk(world: WorldView, start: int, actor: int, reach: bool) -> Iterator[int]:
    stack = [start]
    seen = {start}
    while stack:
        holder = stack.pop()
        for thing in contents(world, holder):
            if thing in seen or thing == actor:
                continue
            seen.add(thing)
            yield thing
            inside = _reaches_inside(world, thing, actor) if reach else sees_inside(world, thing)
            if inside:
                stack.append(thing)


def is_lit(world: WorldView, room: int, actor: int | None = None) -> bool:
    """Whether ``room`` has light (for ``actor``, whose carried lights count).

    A room is dark when its ``Room.dark`` says so, or while its
    :class:`DarkWhen` condition holds; a lit light in reach lights it then."""
    info = world.try_get(room, Room, readonly=True)
    if info is None:
        return True
    if not info.dark:
        rule = world.try_get(room, DarkWhen, readonly=True)
        if rule is None or not condition_holds(world, rule.condition):
            return True
    candidates = set(_walk(world, room, -1, reach=False))
    if actor is not None:
        candidates.update(_walk(world, actor, actor, reach=False))
    for thing in candidates:
        light = world.try_get(thing, LightSource, readonly=True)
        if light is not None and light.lit:
            return True
    return False


def _doors(world: WorldView, room: int) -> set[int]:
    exits = world.try_get(room, Exits, readonly=True)
    if exits is None:
        return set()
    return {e for e in exits.ways.values() if e in world and world.has(e, Door)}


def _scope(world: WorldView, actor: int, reach: bool) -> frozenset[int]:
    found = set(_walk(world, actor, actor, reach))  # what it carries
    room = room_of(world, actor)
    if room is not None and is_lit(world, room, actor):
        found.update(_walk(world, room, actor, reach))
        found |= _doors(world, room)
    found.discard(actor)
    return frozenset(found)


def visible(world: WorldView, actor: int) -> frozenset[int]:
    """Everything ``actor`` can see (see the module docstring)."""
    return _scope(world, actor, reach=False)


def reachable(world: WorldView, actor: int) -> frozenset[int]:
    """Everything ``actor`` can touch: what it sees, minus what is inside
    closed containers or carried by another actor."""
    return _scope(world, actor, reach=True)
