"""Scenery: the cheap nouns of a room's text, made examinable.

A room's ``scenery`` table names what its description mentions in passing
(``waves = "..."``, ``"harbour wall" = { aliases = ["wall"], description =
"..." }``). Each becomes a thing in the room with :class:`Named`,
:class:`Description`, :class:`Location` and :class:`Scenery`: the parser
finds it like any thing, ``examine`` shows its text, room descriptions never
list it, and taking it is refused ("That's hardly portable."). An item may be
scenery too (``scenery = true``) when the room's text already mentions it.

Scenery is spawned after every other entity (rooms, doors, items, people,
the player), in room then name order, so adding scenery never changes the
handles of the rest.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from fabula.actions.standard import Description, Location, Named
from fabula.content.components import Ident, Scenery
from fabula.content.schema import RoomSpec, ScenerySpec
from fabula.ecs import World

__all__ = ["scenery_id", "spawn_scenery"]


def scenery_id(room: str, name: str) -> str:
    """The :class:`Ident` of a room's scenery: ``"harbour.scenery.harbour-wall"``."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return f"{room}.scenery.{slug}"


def spawn_scenery(
    world: World,
    rooms: Mapping[str, RoomSpec],
    ids: dict[str, int],
    reflow: Callable[[str], str],
) -> None:
    """Spawn every room's scenery into ``world`` (``ids`` maps room ids to
    handles; each scenery id is added to it)."""
    for room in sorted(rooms):
        for name in sorted(rooms[room].scenery):
            entry = rooms[room].scenery[name]
            spec = entry if isinstance(entry, ScenerySpec) else ScenerySpec(description=entry)
            ident = scenery_id(room, name)
            text = reflow(spec.description) or f"You see nothing special about the {name}."
            ids[ident] = world.spawn(
                Ident(ident),
                Named(name, tuple(spec.aliases), spec.article, plural=spec.plural),
                Description(text),
                Location(ids[room]),
                Scenery(),
            )
