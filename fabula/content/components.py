"""Components that tie a world back to the files it was built from, and the
authored text that follows the world's state (appearance, scenery, visits)."""

from __future__ import annotations

from dataclasses import field

from fabula.ecs import component

__all__ = [
    "Achievements",
    "Appearance",
    "Ended",
    "Handled",
    "Ident",
    "Points",
    "Scenery",
    "Scenes",
    "Unlisted",
    "Variables",
    "Visits",
]


@component(name="ident")
class Ident:
    """The id an entity has in the game's files ("brass-lamp").

    Win and lose conditions, and authors' own rules, name things by id; the
    world keeps it so the mapping survives saving and loading.
    """

    id: str


@component(name="points")
class Points:
    """Score awarded the first time the player takes this thing."""

    points: int


@component(name="appearance")
class Appearance:
    """How a thing's text follows its state (see :mod:`fabula.content.appearance`).

    Attributes:
        descriptions: ``(state, text)`` pairs in the author's order; the first
            whose state holds replaces :class:`Description` ``.text``.
        listings: the same for the thing's paragraph in a room description.
        initial: Inform's *initial appearance*: the thing's paragraph until it
            is first taken (until it has :class:`Handled`).
    """

    descriptions: tuple[tuple[str, str], ...] = ()
    listings: tuple[tuple[str, str], ...] = ()
    initial: str = ""


@component(name="handled")
class Handled:
    """The thing has been taken at least once (Inform's *handled*, TADS's
    *moved*): its initial appearance is over. Set by the take action's
    ``OnTake`` reaction, so it is journalled and replays like the take."""


@component(name="scenery")
class Scenery:
    """A thing the room's own text already mentions: it can be examined, but
    is never listed in a room description, and taking it is refused as
    Inform refuses ("That's hardly portable.")."""


@component(name="unlisted")
class Unlisted:
    """A thing the room's own text tells (``listed = false``), so room
    descriptions do not list it; unlike :class:`Scenery` it can be taken,
    and once it has been (:class:`Handled`) it is listed like anything else,
    as Inform's *undescribed* things are."""


@component(name="visits")
class Visits:
    """How many times the player has arrived in this room (the start room
    counts its first). A room is *visited* once ``count`` is above 1: the
    player has been here before the present stay."""

    count: int = 0


@component(name="achievements")
class Achievements:
    """What the player has scored for, in the order earned: FULL SCORE reads
    it ("5 points for finding the tinderbox").

    Invariant: the three tuples have one entry per award, in step: ``keys``
    (``"item:<id>"`` or ``"award:<id>"``, so each is given once), ``points``
    and ``tasks`` (the words after "for"). Kept on the player's entity, so it
    is saved, undone and replayed with the score it explains.
    """

    keys: tuple[str, ...] = ()
    points: tuple[int, ...] = ()
    tasks: tuple[str, ...] = ()


@component(name="variables")
class Variables:
    """The game's variables (``[variables]`` in ``game.toml``) by name, kept
    on the player's entity so they are saved, undone and replayed with the
    world; rules change them (:mod:`fabula.content.rulebook`) and every
    expression reads them by name. ``shown`` names those the author lets the
    narrator's state context show (``{ value = 0, shown = true }``)."""

    values: dict[str, int | bool | str] = field(default_factory=dict)
    shown: tuple[str, ...] = ()


@component(name="scenes")
class Scenes:
    """Which of the game's scenes (``[[scene]]`` in ``rules.toml``) have
    begun, with the turn each began, and which have ended: a scene begins
    once and ends once. On the player's entity, like :class:`Variables`."""

    began: dict[str, int] = field(default_factory=dict)
    ended: dict[str, int] = field(default_factory=dict)


@component(name="ended")
class Ended:
    """The game was ended by a rule's ``end`` effect: its result (``won`` or
    ``lost``) and message, judged before every other ending."""

    result: str = "lost"
    message: str = ""
