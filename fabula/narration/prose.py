"""Small pieces of English the templates use: names with articles, lists,
descriptions, what a room holds. Everything here reads the world without
marking it changed and mentions only what the actor perceives."""

from __future__ import annotations

from collections.abc import Iterable

from fabula.actions.standard import (
    DIRECTIONS,
    Actor,
    Container,
    Description,
    Exits,
    Location,
    Named,
    Openable,
    contents,
    is_lit,
    room_of,
    sees_inside,
    visible,
)
from fabula.ecs import WorldView

__all__ = [
    "a",
    "describe_room",
    "description",
    "exits_of",
    "list_of",
    "name",
    "the",
]


def _named(world: WorldView, entity: int | None) -> Named | None:
    if entity is None or entity not in world:
        return None
    return world.try_get(entity, Named, readonly=True)  # type: ignore[no-any-return]


def name(world: WorldView, entity: int | None) -> str:
    """The bare name: "brass lamp"."""
    named = _named(world, entity)
    return named.name if named is not None else "something"


def the(world: WorldView, entity: int | None) -> str:
    """ "the brass lamp", or a proper name as it is (:meth:`Named.definite`)."""
    named = _named(world, entity)
    return named.definite() if named is not None else "it"


def a(world: WorldView, entity: int | None) -> str:
    """ "a brass lamp", "an apple", "some coins" (:meth:`Named.indefinite`)."""
    named = _named(world, entity)
    return named.indefinite() if named is not None else "something"


def list_of(words: Iterable[str]) -> str:
    """ "a, b and c"."""
    items = [w for w in words if w]
    if not items:
        return "nothing"
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def description(world: WorldView, entity: int) -> str:
    """What examining shows, with what can be seen in or on it."""
    text = world.try_get(entity, Description, readonly=True)
    lines = [
        text.text if text is not None else f"You see nothing special about {the(world, entity)}."
    ]
    openable = world.try_get(entity, Openable, readonly=True)
    if openable is not None:
        lines.append(f"It is {'open' if openable.open else 'closed'}.")
    if sees_inside(world, entity) and not world.has(entity, Actor):
        held = sorted(contents(world, entity))
        if held:
            on = world.get(held[0], Location, readonly=True).how == "on"
            where = "On" if on else "In"
            lines.append(
                f"{where} {the(world, entity)} you can see {list_of(a(world, e) for e in held)}."
            )
        elif world.has(entity, Container):
            lines.append("It is empty.")
    return " ".join(lines)


def exits_of(world: WorldView, room: int) -> list[str]:
    """The room's exit directions, in compass order."""
    exits = world.try_get(room, Exits, readonly=True)
    if exits is None:
        return []
    return [d for d in DIRECTIONS if d in exits.ways]


def describe_room(world: WorldView, actor: int) -> str:
    """The room as the actor perceives it: name, text, things, exits."""
    room = room_of(world, actor)
    if room is None:
        return "You are nowhere at all."
    if not is_lit(world, room, actor):
        return "Darkness\nIt is pitch dark. You can't see a thing."
    title = name(world, room)
    parts = [title[:1].upper() + title[1:]]
    text = world.try_get(room, Description, readonly=True)
    if text is not None:
        parts.append(text.text)
    seen = visible(world, actor)
    here = sorted(e for e in contents(world, room) if e in seen and e != actor)
    sentences, plain, people = [], [], []
    for thing in here:
        listing = world.try_get(thing, Description, readonly=True)
        if listing is not None and listing.listing:
            sentences.append(listing.listing)
        elif world.has(thing, Actor):
            people.append(a(world, thing))
        else:
            plain.append(a(world, thing))
    body = " ".join(sentences)
    if people:
        verb = "is" if len(people) == 1 else "are"
        body += f" {_cap(list_of(people))} {verb} here."
    if plain:
        body += f" You can see {list_of(plain)} here."
    if body.strip():
        parts.append(body.strip())
    exits = exits_of(world, room)
    if exits:
        parts.append(f"Exits: {list_of(exits)}.")
    return "\n".join(parts)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
