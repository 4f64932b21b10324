"""The large world the turn is timed in: the demo, its turn-0 world grown to
N entities.

:class:`FilledGame` is the demo game in every respect but its starting
world, which it fills deterministically (from the game's seed) with rooms,
things and people out of the player's sight, as in a large game, and with a
dozen things in the start room for :data:`~benchmarks.turn.cycle.CYCLE` to
handle.
"""

from __future__ import annotations

import dataclasses
import math
import random

from fabula.actions.standard import (
    Actor,
    Container,
    Description,
    Exits,
    Health,
    LightSource,
    Location,
    Named,
    Openable,
    Portable,
    Room,
    Supporter,
)
from fabula.content import ContentGame, GameFiles, Ident
from fabula.ecs import World

__all__ = ["ROOMS_PER_PERSON", "ROOM_THINGS", "FilledGame"]


ROOM_THINGS = 9
"""Things in each filler room: a chest holding two, a lamp, five loose."""

ROOMS_PER_PERSON = 250
"""One filler person per this many filler rooms (at least one)."""

_PLACES = ("loft", "cellar", "net store", "yard", "alley", "cottage", "stair", "shed")
_MOODS = ("windy", "quiet", "flooded", "narrow", "crooked", "low", "salt-white", "empty")
_NOUNS = ("bucket", "rope", "net", "oar", "knife", "hook", "bottle", "boot", "chain", "sack")
_KINDS = ("rusty", "tarred", "cracked", "brass", "oak", "tin", "worn", "heavy", "small")
_CHESTS = ("oak chest", "tin box", "sea trunk", "bread bin")
_LIGHTS = ("oil lamp", "candle stub", "lantern")
_PEOPLE = ("fisherman", "net-mender", "old sailor", "ferry boy")
_DESCRIPTIONS = (
    "Damp walls, a low beam, and the smell of the sea.",
    "Rain drums on the roof. Nobody has swept here for a long time.",
    "A narrow room, its window boarded against the storm.",
)


class FilledGame(ContentGame):
    """The demo game, its turn-0 world grown to ``entities`` entities.

    Everything but :meth:`new_world` and the deadline is the demo's own (id, files,
    components, actions, simulation, player, ending), so saves, the session
    and memory treat it as the demo. It is a subclass rather than a wrapper
    because :meth:`~fabula.memory.MemoryStore.record_turn` judges the ending
    only for a :class:`~fabula.content.ContentGame`: a wrapper would skip
    that work and understate the memory stage.

    The filler, built by :func:`random.Random` seeded with the game's seed
    (never ``world.rng``, which is the game's), so the same seed gives the
    same world handle for handle, as saves require:

    * rooms (``Ident``, ``Named``, ``Room``, one in ten dark,
      ``Description``, ``Exits`` to their neighbours in a square grid apart
      from the demo's map), each holding :data:`ROOM_THINGS` portable
      things: a chest (``Container``, ``Openable``, open or shut) with two
      things in it, a lamp (``LightSource``, one in three lit) and five
      loose things;
    * one person per :data:`ROOMS_PER_PERSON` rooms (``Actor``, ``Health``);
    * a few loose things more in random rooms, to make up the exact count;
    * in the start room, the twelve things the benchmark's commands handle
      and look at (a kettle, a chest with a compass and a chart in it, a crate with a
      knife on it...), so the player's scope has real work.

    Raises:
        ValueError: (from :meth:`new_world`) ``entities`` cannot hold the
            demo, the start room's things, one filler room and one person.
    """

    def __init__(self, files: GameFiles, entities: int) -> None:
        # The demo's deadline (the ship on the reef at turn 120) is left out:
        # a benchmark plays hundreds of turns, and the game must go on for
        # all of them. Its timeline still runs, so its cost is measured.
        endings = [e for e in files.endings if e.turns_at_least is None]
        super().__init__(dataclasses.replace(files, endings=endings))
        self.entities = entities

    def new_world(self, seed: int) -> World:
        """The demo's world at turn 0 plus the filler (a pure function of ``seed``)."""
        world = super().new_world(seed)
        _furnish_start(world, self.ids(world)[self.files.game.start])
        least = len(world) + 2 + ROOM_THINGS  # one room and one person
        if self.entities < least:
            raise ValueError(f"a filled demo needs at least {least} entities, not {self.entities}")
        _fill(world, self.entities, random.Random(seed))
        return world


def _furnish_start(world: World, room: int) -> None:
    """The start room's things, which the cycle's commands name."""

    def thing(name: str, *parts: object, holder: int = room, how: str = "in") -> int:
        return world.spawn(
            Named(name), Description(f"An ordinary {name}."), *parts, Location(holder, how)
        )

    for name in ("copper kettle", "coil of tarred rope", "lobster pot", "wooden oar", "cork float"):
        thing(name, Portable())
    thing("hurricane lamp", Portable(), LightSource(lit=True))
    thing("mooring bollard")
    chest = thing("sea chest", Container(10, False), Openable(False))
    thing("brass compass", Portable(), holder=chest)
    thing("oilskin chart", Portable(), holder=chest)
    crate = thing("fish crate", Supporter(10))
    thing("gutting knife", Portable(), holder=crate, how="on")


def _fill(world: World, total: int, rng: random.Random) -> None:
    """Filler rooms, their things and people, up to ``total`` entities."""
    spare = total - len(world)
    rooms = (spare - 1) // (1 + ROOM_THINGS)
    people = max(1, rooms // ROOMS_PER_PERSON)
    rooms = (spare - people) // (1 + ROOM_THINGS)
    handles = []

    def thing(holder: int, *parts: object) -> int:
        return world.spawn(
            Named(f"{rng.choice(_KINDS)} {rng.choice(_NOUNS)}"), Portable(), *parts,
            Location(holder),
        )  # fmt: skip

    for i in range(rooms):
        room = world.spawn(
            Ident(f"filler-room-{i}"),
            Named(f"{rng.choice(_MOODS)} {rng.choice(_PLACES)}"),
            Room(dark=rng.random() < 0.1),
            Description(rng.choice(_DESCRIPTIONS)),
        )
        handles.append(room)
        chest = world.spawn(
            Named(rng.choice(_CHESTS)), Container(10, False),
            Openable(rng.random() < 0.5), Location(room),
        )  # fmt: skip
        thing(chest)
        thing(chest)
        world.spawn(
            Named(rng.choice(_LIGHTS)), Portable(), LightSource(lit=rng.random() < 1 / 3),
            Location(room),
        )  # fmt: skip
        for _ in range(ROOM_THINGS - 4):
            thing(room)
    width = math.isqrt(rooms - 1) + 1  # a square grid, row by row
    for i, room in enumerate(handles):
        ways = {}
        if i % width:
            ways["west"] = handles[i - 1]
        if i % width < width - 1 and i + 1 < rooms:
            ways["east"] = handles[i + 1]
        if i >= width:
            ways["north"] = handles[i - width]
        if i + width < rooms:
            ways["south"] = handles[i + width]
        world.insert(room, Exits(ways))
    for i in range(people):
        name = rng.choice(_PEOPLE)
        world.spawn(
            Ident(f"filler-person-{i}"), Named(name),
            Description(f"A {name}, hurrying out of the rain."), Actor(), Health(8, 8),
            Location(rng.choice(handles)),
        )  # fmt: skip
    while len(world) < total:
        thing(rng.choice(handles))
