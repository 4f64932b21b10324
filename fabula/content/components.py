"""Components that tie a world back to the files it was built from."""

from __future__ import annotations

from fabula.ecs import component

__all__ = ["Achievements", "Ident", "Points"]


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
