"""Components that tie a world back to the files it was built from."""

from __future__ import annotations

from fabula.ecs import component

__all__ = ["Ident", "Points"]


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
