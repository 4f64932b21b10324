"""Small pieces of English the templates use: names with articles, lists,
descriptions, what a room holds. Everything here reads the world without
marking it changed and mentions only what the actor perceives."""

from __future__ import annotations

from collections.abc import Iterable

from fabula.actions.standard import (
    DIRECTIONS,
    Actor,
    Container,
    Exits,
    Location,
    Named,
    Openable,
    Supporter,
    contents,
    is_lit,
    room_of,
    sees_inside,
    visible,
    way_open,
)
from fabula.content import (
    Appearance,
    current_description,
    current_listing,
    is_dead,
    is_listed,
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
    """What examining shows: the description true of its state now
    (:func:`~fabula.content.current_description`), whether it is open or
    closed (unless the author's own text says so), and what can be seen in
    or on it, as Inform says it ("On the workbench are a gaff hook and a
    tinderbox.")."""
    text = current_description(world, entity)
    if text is None:
        text = (
            f"{_cap(the(world, entity))} {'are' if _plural(world, entity) else 'is'} dead."
            if is_dead(world, entity)
            else f"You see nothing special about {the(world, entity)}."
        )
    lines = [text]
    openable = world.try_get(entity, Openable, readonly=True)
    if openable is not None and not _says(world, entity, {"open", "closed"}):
        lines.append(f"It is {'open' if openable.open else 'closed'}.")
    if sees_inside(world, entity) and not world.has(entity, Actor):
        held = sorted(contents(world, entity))
        if held:
            lines.append(_on_or_in(world, entity, [a(world, e) for e in held]))
        elif world.has(entity, Container) and not _says(world, entity, {"empty"}):
            lines.append("It is empty.")
    return " ".join(lines)


def _says(world: WorldView, entity: int, states: set[str]) -> bool:
    """Whether the author wrote descriptions by one of ``states``, so the
    text already says what a plain sentence would add ("It is closed.")."""
    appearance = world.try_get(entity, Appearance, readonly=True)
    if appearance is None:
        return False
    words = {w.strip() for key, _ in appearance.descriptions for w in key.split(" and ")}
    return bool(words & states)


def _plural(world: WorldView, entity: int) -> bool:
    named = _named(world, entity)
    return named is not None and named.plural


def _on_or_in(world: WorldView, holder: int, things: list[str]) -> str:
    """ "On the workbench are a gaff hook and a tinderbox." / "In the satchel
    is a flask of lamp oil." """
    where = "On" if world.has(holder, Supporter) and not world.has(holder, Container) else "In"
    verb = "are" if len(things) > 1 or things[0].startswith("some ") else "is"
    return f"{where} {the(world, holder)} {verb} {list_of(things)}."


def exits_of(world: WorldView, room: int) -> list[str]:
    """The room's exit directions open now, in compass order (a conditional
    exit whose condition fails is not one)."""
    exits = world.try_get(room, Exits, readonly=True)
    if exits is None:
        return []
    return [d for d in DIRECTIONS if d in exits.ways and way_open(world, room, d)]


def describe_room(world: WorldView, actor: int) -> str:
    """The room as the actor perceives it, in Inform's order: its name; its
    text (the variant true now, e.g. a first visit's); each thing's own
    paragraph (an initial appearance, a listing), followed by what lies on
    or in it; the people; "You can (also) see ... here." for the rest; what
    lies on supporters and in open or transparent containers that had no
    paragraph; the exits. Scenery is never listed (what lies on it is), and
    nothing inside a closed opaque container is mentioned. See
    docs/world-text.md."""
    room = room_of(world, actor)
    if room is None:
        return "You are nowhere at all."
    if not is_lit(world, room, actor):
        return "Darkness\nIt is pitch dark. You can't see a thing."
    title = name(world, room)
    parts = [title[:1].upper() + title[1:]]
    text = current_description(world, room)
    if text:
        parts.append(text)
    seen = visible(world, actor)
    paragraphs: list[str] = []
    people: list[str] = []
    plain: list[str] = []
    later: list[str] = []  # what lies on or in things with no paragraph of their own
    for thing in _around(world, room, seen, actor):
        own = current_listing(world, thing)
        if own:
            paragraphs.append(own)
        elif (
            not is_listed(world, thing) or world.get(thing, Location, readonly=True).holder != room
        ):
            pass  # scenery and unlisted things are not; things on or in others are told with them
        elif is_dead(world, thing):
            paragraphs.append(f"{_cap(the(world, thing))} lies dead here.")
        elif world.has(thing, Actor):
            people.append(a(world, thing))
        else:
            plain.append(a(world, thing))
        inside = _held_in_sight(world, thing, seen)
        if inside:
            (paragraphs if own else later).append(inside)
    body = paragraphs
    if people:
        body.append(f"{_cap(list_of(people))} {'is' if len(people) == 1 else 'are'} here.")
    if plain:
        body.append(f"You can {'also ' if body else ''}see {list_of(plain)} here.")
    body += later
    if body:
        parts.append(" ".join(body))
    exits = exits_of(world, room)
    if exits:
        parts.append(f"Exits: {list_of(exits)}.")
    return "\n".join(parts)


def _held_in_sight(world: WorldView, holder: int, seen: frozenset[int]) -> str:
    """ "On the desk are a pen and an inkwell.", for what on or in ``holder``
    the actor sees and is not told by its own paragraph; ``""`` if nothing."""
    if world.has(holder, Actor) or not sees_inside(world, holder):
        return ""
    inside = [
        a(world, e)
        for e in sorted(contents(world, holder))
        if e in seen and not current_listing(world, e)
    ]
    return _on_or_in(world, holder, inside) if inside else ""


def _around(world: WorldView, room: int, seen: frozenset[int], actor: int) -> list[int]:
    """What the actor sees in the room, depth first (a thing, then what is on
    or in it), skipping actors' possessions and the actor itself."""
    found: list[int] = []
    stack = sorted(contents(world, room), reverse=True)
    while stack:
        thing = stack.pop()
        if thing == actor or thing not in seen:
            continue
        found.append(thing)
        if not world.has(thing, Actor) and sees_inside(world, thing):
            stack.extend(sorted(contents(world, thing), reverse=True))
    return found


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
