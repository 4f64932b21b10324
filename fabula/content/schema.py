"""What a game's files may say: Pydantic models of ``game.toml`` and of the
world files (rooms, doors, items, people).

Everything is validated strictly (unknown keys are errors, so a typo never
passes silently). Cross-references between ids (an exit to a room, an item's
location, a door's key) are checked later by the loader, which sees every
file at once.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from fabula.actions.standard import Direction

__all__ = [
    "Condition",
    "DoorSpec",
    "ExitSpec",
    "GameSpec",
    "ItemSpec",
    "NpcSpec",
    "PlayerSpec",
    "RoomSpec",
]

Id = str


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


class RoomSpec(_Strict):
    """``[rooms.<id>]``."""

    name: str
    description: str = ""
    dark: bool = False
    exits: dict[Direction, Id | ExitSpec] = {}


class DoorSpec(_Strict):
    """``[doors.<id>]``: a door between two rooms (they list it in their exits)."""

    name: str
    aliases: list[str] = []
    description: str = ""
    between: tuple[Id, Id]
    open: bool = False
    locked: bool = False
    key: Id | None = None


class _ThingSpec(_Strict):
    """What items and people share: how they are named and described."""

    name: str
    aliases: list[str] = []
    article: str = ""
    description: str = ""
    listing: str = ""


class ItemSpec(_ThingSpec):
    """``[items.<id>]``: anything that is not a room, a door or a person.

    ``location`` is a room id, or ``in:<container>``, ``on:<supporter>``,
    ``held:<person or player>``, ``worn:<person or player>``.
    """

    plural: bool = False
    location: str
    portable: bool = False
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
