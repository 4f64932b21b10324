"""Judging the conditions a world's own components state (a room's
``dark``, an exit's ``if``): the judge the standard actions ask through
:func:`~fabula.actions.standard.set_condition_judge`.

The standard actions keep such a condition as its source text (so it is
saved and replayed as data); this module compiles each source once (the
loader has already compiled it, so its syntax and names are known good) and
judges it against the world it is asked about: the ids come from the
world's :class:`~fabula.content.components.Ident` index, the player from
its :class:`~fabula.actions.standard.Player` component, so one judge serves
every loaded game and needs no game object.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from fabula.actions.standard import Player, set_condition_judge
from fabula.content.components import Ident
from fabula.content.scope import condition_holds
from fabula.ecs import FieldIndex, WorldView

__all__ = ["WorldIds", "expression_holds", "judge", "world_ids"]


class WorldIds(Mapping[str, int]):
    """A read-only view of a field index on ``Ident.id`` as id -> handle."""

    __slots__ = ("_index",)

    def __init__(self, index: FieldIndex) -> None:
        self._index = index

    def __getitem__(self, key: str) -> int:
        found = self._index[key]
        if not found:
            raise KeyError(key)
        return min(found)  # ids are unique in a loaded game; min() keeps it deterministic

    def __contains__(self, key: object) -> bool:
        return bool(self._index[key]) if isinstance(key, str) else False

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(str(v) for v in self._index.values()))

    def __len__(self) -> int:
        return len(self._index.values())


def world_ids(world: WorldView) -> WorldIds:
    """File id -> handle, for every entity with one, in O(1) per lookup
    (backed by the world's field index on ``Ident.id``, never rebuilt)."""
    return WorldIds(world.index(Ident, "id"))


def expression_holds(world: WorldView, source: str, ids: Mapping[str, int], player: int) -> bool:
    """Whether the expression ``source`` holds for ``player``, seeing the
    game's variables and scenes as every condition does."""
    return condition_holds(source, world, ids, player)


def judge(world: WorldView, source: str) -> bool:
    """Whether the condition ``source`` holds in ``world``, for its player
    (a world without a player judges every condition false)."""
    players = world.entities_with[Player]
    if not players:
        return False
    return condition_holds(source, world, world_ids(world), min(players))


set_condition_judge(judge)
