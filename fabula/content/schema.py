"""What a game's files may say: Pydantic models of ``game.toml`` and of the
world files (rooms, doors, items, people).

Everything is validated strictly (unknown keys are errors, so a typo never
passes silently). Cross-references between ids (an exit to a room, an item's
location, a door's key) are checked later by the loader, which sees every
file at once.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from fabula.actions.standard import Direction

__all__ = [
    "STATES",
    "Condition",
    "DoorSpec",
    "ExitSpec",
    "GameSpec",
    "ItemSpec",
    "NpcSpec",
    "PlayerSpec",
    "RoomSpec",
    "ScenerySpec",
]

Id = str

STATES: frozenset[str] = frozenset(
    {
        "open", "closed", "locked", "unlocked", "lit", "unlit", "worn", "held",
        "dead", "alive", "visited", "unvisited", "handled", "unhandled", "empty",
    }
)  # fmt: skip
"""The states a ``descriptions`` or ``listings`` key may name, alone or joined
with `` and `` ("open and empty"); see :mod:`fabula.content.appearance` for
what each means."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Condition(_Strict):
    """A win or lose condition: every given clause must hold.

    Attributes:
        in_room: the player is in this room.
        holding: the player carries all of these items.
        dead: the player is dead (``true``) or alive (``false``).
        gone: all of these things no longer exist (eaten, killed and removed).
        lit: all of these lights are lit.
        score_at_least: the score has reached this.
        killed: all of these people are dead (killed, but still in the world).
        turns_at_least: at least this many turns have been played (the
            world's tick), for deadlines.
        scored: the player has scored for each of these: an item with
            ``points`` (taken once), or an award's id (``[awards.<id>]``).
        if_: ``if`` in the files: an expression that must hold too
            (:mod:`fabula.content.expressions`), for any other condition.
        message: what the narrator says when it happens.
    """

    in_room: Id | None = None
    holding: list[Id] = []
    dead: bool | None = None
    gone: list[Id] = []
    lit: list[Id] = []
    score_at_least: int | None = None
    killed: list[Id] = []
    turns_at_least: int | None = Field(default=None, ge=0)
    scored: list[Id] = []
    if_: str | None = Field(default=None, alias="if")
    message: str = ""


class GameSpec(_Strict):
    """``[game]`` in ``game.toml``."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    title: str
    author: str = ""
    version: str = "1"
    start: Id
    intro: str = ""
    seed: int = 1


class PlayerSpec(_Strict):
    """``[player]`` in ``game.toml``."""

    name: str = "you"
    description: str = "As good-looking as ever."
    health: int = Field(default=10, gt=0)
    max_score: int = 0
    goals: list[str] = []


class ExitSpec(_Strict):
    """An exit given as a table: ``down = { to = "cellar", door = "trapdoor" }``."""

    to: Id
    door: Id | None = None


def _states(variants: dict[str, str]) -> dict[str, str]:
    """Check that every key of a ``descriptions``/``listings`` table names
    known states, so a typo ("opened") is an error, not a text never shown."""
    for key in variants:
        unknown = [w for w in (p.strip() for p in key.split(" and ")) if w not in STATES]
        if unknown:
            raise ValueError(
                f"{', '.join(map(repr, unknown))} is not a state; use one of "
                + ", ".join(sorted(STATES))
                + " (several joined with ' and ')"
            )
    return variants


Variants = Annotated[dict[str, str], AfterValidator(_states)]
"""State -> text, checked by :func:`_states`."""


class _Described(_Strict):
    """What every described thing shares: its text, and the text's variants.

    ``descriptions`` maps a state ("open", "lit and held", "dead") to what
    examining shows while it holds; the first that holds, in the order
    written, replaces ``description``.
    """

    description: str = ""
    descriptions: Variants = {}


class ScenerySpec(_Strict):
    """A cheap noun of a room: ``[rooms.<id>.scenery]`` ``waves = "..."`` or
    ``"harbour wall" = { aliases = ["wall"], description = "..." }``.

    Scenery can be examined and is never listed or taken ("That's hardly
    portable.").
    """

    aliases: list[str] = []
    article: str = ""
    plural: bool = False
    description: str = ""


class RoomSpec(_Described):
    """``[rooms.<id>]``. ``descriptions`` may say ``visited``/``unvisited``
    (a first visit's text)."""

    name: str
    dark: bool = False
    exits: dict[Direction, Id | ExitSpec] = {}
    scenery: dict[str, str | ScenerySpec] = {}


class DoorSpec(_Described):
    """``[doors.<id>]``: a door between two rooms (they list it in their exits)."""

    name: str
    aliases: list[str] = []
    between: tuple[Id, Id]
    open: bool = False
    locked: bool = False
    key: Id | None = None


class _ThingSpec(_Described):
    """What items and people share: how they are named and described.

    ``listing`` is the thing's own paragraph in a room description, always;
    ``listings`` its variants by state, like ``descriptions``. ``initial``
    (Inform's initial appearance) is the paragraph shown only until the
    thing is first taken; after that it is listed plainly ("You can also
    see a storm lantern here.").
    """

    name: str
    aliases: list[str] = []
    article: str = ""
    listing: str = ""
    listings: Variants = {}
    initial: str = ""


class ItemSpec(_ThingSpec):
    """``[items.<id>]``: anything that is not a room, a door or a person.

    ``location`` is a room id, or ``in:<container>``, ``on:<supporter>``,
    ``held:<person or player>``, ``worn:<person or player>``.
    """

    plural: bool = False
    location: str
    portable: bool = False
    scenery: bool = False
    """Mentioned by the room's own text: examinable, never listed or taken."""
    container: bool = False
    supporter: bool = False
    transparent: bool = False
    capacity: int = Field(default=10, ge=0)
    openable: bool = False
    open: bool = False
    locked: bool = False
    key: Id | None = None
    light: bool = False
    lit: bool = False
    wearable: bool = False
    protection: int = Field(default=0, ge=0)
    damage: int = Field(default=0, ge=0)
    spread: int = Field(default=0, ge=0)
    edible: bool = False
    drinkable: bool = False
    heals: int = Field(default=0, ge=0)
    points: int = Field(default=0, ge=0)
    """Score awarded the first time the player takes it."""


class NpcSpec(_ThingSpec):
    """``[npcs.<id>]``: a person or creature."""

    proper: bool = False
    location: Id
    health: int = Field(default=5, gt=0)
    damage: int = Field(default=1, ge=0)
    spread: int = Field(default=0, ge=0)
    protection: int = Field(default=0, ge=0)
    hostile: bool = False
    greeting: str = ""
    default_reply: str = ""
    topics: dict[str, str] = {}
