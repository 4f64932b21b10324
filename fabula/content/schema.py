"""What a game's files may say: Pydantic models of ``game.toml`` and of the
world files (rooms, doors, items, people).

Everything is validated strictly (unknown keys are errors, so a typo never
passes silently). Cross-references between ids (an exit to a room, an item's
location, a door's key) are checked later by the loader, which sees every
file at once.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

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
    "is_expression_key",
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
        if_: ``if = "..."`` in the files: an expression
            (:mod:`fabula.content.expressions`) that must hold too, for what
            the fields cannot say (``if = "within('cloak', 'hook') and turn > 5"``).
        message: what the narrator says when it happens.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

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

    @model_validator(mode="before")
    @classmethod
    def _expression_alone(cls, data: Any) -> Any:
        """A condition may be written as its expression alone:
        ``when = "holding('lamp')"`` means ``when = { if = "holding('lamp')" }``."""
        return {"if": data} if isinstance(data, str) else data


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
    max_score: int = Field(default=0, ge=0)
    goals: list[str] = []


class ExitSpec(_Strict):
    """An exit given as a table: ``down = { to = "cellar", door = "trapdoor" }``.

    ``if`` makes the exit open only while a condition (an expression, see
    :mod:`fabula.content.expressions`) holds; ``refuse`` is what the player
    reads when it does not (else "You can't go that way."). An exit with
    ``refuse`` and no ``to`` leads nowhere and always refuses with that text
    (``north = { refuse = "You've only just arrived." }``).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    to: Id | None = None
    door: Id | None = None
    if_: str | None = Field(default=None, alias="if")
    refuse: str = ""

    @model_validator(mode="after")
    def _leads_or_refuses(self) -> ExitSpec:
        if self.to is None and not self.refuse:
            raise ValueError("an exit needs 'to' (where it leads) or 'refuse' (what it says)")
        if self.to is None and (self.door is not None or self.if_ is not None):
            raise ValueError("'door' and 'if' need 'to': where the exit leads when open")
        return self


def is_expression_key(key: str) -> bool:
    """Whether a ``descriptions``/``listings`` key is an expression (it calls
    a function: ``"within('cloak', 'hook')"``) rather than states."""
    return "(" in key


def _states(variants: dict[str, str]) -> dict[str, str]:
    """Check that every key of a ``descriptions``/``listings`` table names
    known states, so a typo ("opened") is an error, not a text never shown."""
    for key in variants:
        if is_expression_key(key):
            continue  # compiled, and its names checked, by the loader
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

    ``descriptions`` maps a state ("open", "lit and held", "dead"), or an
    expression that calls a function (``"holding('lamp')"``), to what
    examining shows while it holds; the first that holds, in the order
    written, replaces ``description``.
    """

    description: str = ""
    descriptions: Variants = {}
    components: dict[str, dict[str, Any]] = {}
    """Registered components to attach by name, with their fields
    (``components = { hook = { capacity = 1 } }``); checked when the game
    loads (:mod:`fabula.content.attached`)."""


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
    (a first visit's text).

    ``dark`` is ``true``/``false``, or a condition (an expression): the room
    is dark while it holds (``dark = "within('cloak', 'bar')"``, the bar is
    dark while the cloak is in it). A lit light in reach lights a dark room.
    """

    name: str
    dark: bool | str = False
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
    listed: bool = True
    """``false``: the room's own text tells it, so it is not listed in room
    descriptions; unlike scenery it can still be taken (and is listed again
    once it has been)."""
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
