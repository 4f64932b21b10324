"""Counting words in noun phrases: ordinals ("the second key"), numbers
("two coins"), ``both``, and pronouns that track gender and number.

An ordinal picks one of the things a phrase matches, counted in a stable
order (the order things were made in the world, which is the order a game's
files list them): "first coin" is always the same coin while nothing moves.
A number takes that many of them, "both" two; asking for more than there
are is an error that says how many there are, as Inform does.

Pronouns remember what they stand for one by one, as Inform's do: ``it``
the last single inanimate thing named, ``him`` / ``her`` the last person
(a person whose name gives no gender answers to either), ``them`` the last
group or plural thing. So ``x him`` never describes the door.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from fabula.actions.standard import Actor, Named
from fabula.ecs import WorldView

__all__ = ["NUMBERS", "ORDINALS", "bind_pronouns", "count_of", "ordinal_of"]

ORDINALS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5,
    "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
    "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5,
    "6th": 6, "7th": 7, "8th": 8, "9th": 9, "10th": 10,
}  # fmt: skip
"""Ordinal words -> which one (from 1)."""

NUMBERS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "both": 2,
}  # fmt: skip
"""Number words -> how many ("both" is two). Digits count too (see :func:`count_of`)."""


def ordinal_of(word: str) -> int | None:
    """Which one an ordinal word picks (``"second"`` -> 2), else ``None``."""
    return ORDINALS.get(word)


def count_of(word: str) -> int | None:
    """How many a number word asks for (``"two"``, ``"3"``, ``"both"``), else ``None``.

    >>> count_of("two"), count_of("12"), count_of("both"), count_of("key")
    (2, 12, 2, None)
    """
    if word.isdigit() and 0 < len(word) <= 3:
        return int(word)
    return NUMBERS.get(word)


def _pronouns_for(world: WorldView, entity: int) -> tuple[str, ...]:
    named = world.try_get(entity, Named, readonly=True) if entity in world else None
    if named is not None and named.plural:
        return ("them",)
    if world.has(entity, Actor):
        gender = getattr(named, "gender", "")  # a game's Named may say; else either
        if gender in ("male", "he"):
            return ("him",)
        if gender in ("female", "she"):
            return ("her",)
        return ("him", "her")
    return ("it",)


def bind_pronouns(
    world: WorldView,
    pronouns: Mapping[str, tuple[int, ...]],
    named: Iterable[int],
    *,
    group: tuple[int, ...] = (),
) -> dict[str, tuple[int, ...]]:
    """The pronouns after a command that named ``named`` (and ``group``, the
    things of a multi-object command, which become ``them``)."""
    bound = dict(pronouns)
    for entity in named:
        for pronoun in _pronouns_for(world, entity):
            bound[pronoun] = (entity,)
    if len(group) > 1:
        bound["them"] = group
    return bound
