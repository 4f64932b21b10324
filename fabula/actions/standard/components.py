"""The components the standard actions understand: the interactive-fiction
world model.

Everything an adventure needs to be played by the standard actions, symbolic
parser and template narrator is expressed with these. Entity references are
handles (``int``); world files name entities by id and the loader resolves
them. Each component is small and says one thing, so a game combines them
(a locked chest is ``Named + Container + Openable + Lockable + Location``).

Where things are: every thing that is somewhere has a :class:`Location`
naming its **holder** (a room, a container, a supporter or an actor) and
**how** it is held there (``in``, ``on``, ``held``, ``worn``). Rooms have no
Location. The containment tree is read through the field index
``world.index(Location, "holder")``, in O(children).
"""

from __future__ import annotations

import typing
from dataclasses import field
from typing import Literal

from fabula.ecs import component

__all__ = [
    "DIRECTIONS",
    "Actor",
    "Armour",
    "Container",
    "DarkWhen",
    "Description",
    "Direction",
    "Door",
    "Drinkable",
    "Edible",
    "ExitRules",
    "Exits",
    "Goals",
    "Health",
    "Hostile",
    "LightSource",
    "Location",
    "Lockable",
    "Named",
    "Openable",
    "Persona",
    "Player",
    "Portable",
    "Room",
    "Score",
    "Supporter",
    "Topics",
    "Weapon",
    "Wearable",
]

Direction = Literal[
    "north", "northeast", "east", "southeast", "south", "southwest", "west", "northwest",
    "up", "down", "in", "out",
]  # fmt: skip
"""A direction an exit may take (actions and world files validate against it)."""

DIRECTIONS: tuple[str, ...] = typing.get_args(Direction)
"""The directions exits may use, in the order room descriptions list them."""

How = Literal["in", "on", "held", "worn"]


@component(name="named")
class Named:
    """What an entity is called, for the parser and the narrator.

    Attributes:
        name: the full name, adjectives first ("brass lamp").
        aliases: other nouns the player may use ("lantern").
        article: "a", "an", "some", "the"; empty (the default) picks "a" or
            "an" from the first letter; ignored when ``proper``.
        proper: a proper name ("Mira"), never preceded by an article.
        plural: grammatically plural ("coins").
    """

    name: str
    aliases: tuple[str, ...] = ()
    article: str = ""
    proper: bool = False
    plural: bool = False

    def definite(self) -> str:
        """ "the brass lamp", or a proper name as it is."""
        return self.name if self.proper else f"the {self.name}"

    def indefinite(self) -> str:
        """ "a brass lamp", "an apple", "some coins", or a proper name."""
        if self.proper:
            return self.name
        article = self.article or (
            "some" if self.plural else "an" if self.name[:1].lower() in "aeiou" else "a"
        )
        return f"{article} {self.name}"


@component(name="description")
class Description:
    """How an entity looks when examined, and (optionally) in a room listing.

    Attributes:
        text: what ``examine`` shows.
        listing: a sentence for room descriptions ("A brass lamp hangs from a
            hook."); the narrator writes a plain one when empty.
    """

    text: str
    listing: str = ""


@component(name="room")
class Room:
    """A place the player can be. ``dark`` rooms need a lit light source."""

    dark: bool = False
    visited: bool = False


@component(name="location")
class Location:
    """Where a thing is: ``holder`` (an entity) and ``how`` it holds it."""

    holder: int
    how: How = "in"


@component(name="exits")
class Exits:
    """A room's ways out: direction -> the room (or door) it leads to."""

    ways: dict[str, int] = field(default_factory=dict)


@component(name="dark_when")
class DarkWhen:
    """The room is dark while ``condition`` holds (and lit while it does not);
    like a dark room, a lit light source in reach still lights it."""

    condition: str


@component(name="exit_rules")
class ExitRules:
    """What a room's author says about its exits beyond where they lead.

    Attributes:
        conditions: direction -> a condition; the exit is open only while it
            holds.
        refusals: direction -> the text the player reads when going that way
            is refused: an exit that only refuses (it leads nowhere), or a
            conditional one whose condition fails. Without one, a closed
            conditional exit reads as no exit at all ("You can't go that way.").
    """

    conditions: dict[str, str] = field(default_factory=dict)
    refusals: dict[str, str] = field(default_factory=dict)


@component(name="door")
class Door:
    """A door (or gate, or hatch) between two rooms; usually also Openable."""

    sides: tuple[int, int]


@component(name="openable")
class Openable:
    """Something that opens and closes (doors, containers)."""

    open: bool = False


@component(name="lockable")
class Lockable:
    """Something locked and unlocked with ``key`` (any key, if ``None``)."""

    locked: bool = True
    key: int | None = None


@component(name="portable")
class Portable:
    """Can be taken. Things without it stay where they are."""

    weight: int = 1


@component(name="container")
class Container:
    """Holds things *in* it. An opaque closed container hides its contents."""

    capacity: int = 10
    transparent: bool = False


@component(name="supporter")
class Supporter:
    """Holds things *on* it (a table, a shelf)."""

    capacity: int = 10


@component(name="light")
class LightSource:
    """Gives light while ``lit``; a lit source in reach lights a dark room."""

    lit: bool = False


@component(name="health", columnar=True)
class Health:
    """Hit points; an actor at 0 is dead."""

    hp: int
    max_hp: int = 10


@component(name="weapon")
class Weapon:
    """Damage dealt per hit: ``damage`` plus a roll of 0..``spread``."""

    damage: int = 1
    spread: int = 0


@component(name="armour")
class Armour:
    """Damage taken per hit is reduced by ``protection`` while worn."""

    protection: int = 1


@component(name="wearable")
class Wearable:
    """Can be worn (Location ``how="worn"``)."""


@component(name="edible")
class Edible:
    """Can be eaten; restores ``heals`` hit points."""

    heals: int = 0


@component(name="drinkable")
class Drinkable:
    """Can be drunk; restores ``heals`` hit points."""

    heals: int = 0


@component(name="actor")
class Actor:
    """Something that acts: the player, an NPC, a creature."""


@component(name="player")
class Player:
    """The entity the person at the keyboard plays."""


@component(name="persona")
class Persona:
    """An NPC's character: how it greets, and what it says by default."""

    greeting: str = ""
    default_reply: str = "They have nothing to say about that."


@component(name="topics")
class Topics:
    """What an NPC can be asked about: topic -> reply."""

    replies: dict[str, str] = field(default_factory=dict)


@component(name="hostile")
class Hostile:
    """Attacks the player when they share a room."""

    aggression: float = 1.0


@component(name="score")
class Score:
    """The player's score and the most it can reach."""

    points: int = 0
    possible: int = 0


@component(name="goals")
class Goals:
    """What an actor is trying to do, as it should read to a model ("Relight
    the lighthouse lamp"): the narrator is told them with the state, so its
    telling keeps the story's aim in view. Games change them through actions
    like any other state."""

    active: tuple[str, ...] = ()
