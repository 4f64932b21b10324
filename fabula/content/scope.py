"""The names a game's conditions see in a world: the expression functions,
the game's variables (:class:`~fabula.content.components.Variables`) and
its scenes (``scene_active('storm')``, ``scene_ended('storm')``).

One place builds them, so a rule, an ending and a hint judge the same world
the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from fabula.content.components import Scenes, Variables
from fabula.content.expressions import Bindings, Expression, compile_expression
from fabula.content.rulespec import SCENE_NAMES
from fabula.ecs import WorldView

__all__ = ["bindings", "condition_holds"]


def bindings(
    world: WorldView, ids: Mapping[str, int], player: int, extra: Mapping[str, Any] | None = None
) -> Bindings:
    """What an expression is judged against in ``world``, for ``player``."""
    found = world.try_get(player, Variables, readonly=True)
    scenes = world.try_get(player, Scenes, readonly=True)
    began = scenes.began if scenes is not None else {}
    ended = scenes.ended if scenes is not None else {}
    names: dict[str, Any] = {
        "scene_active": lambda s: s in began and s not in ended,
        "scene_ended": lambda s: s in ended,
    }
    if extra:
        names.update(extra)
    return Bindings(world, ids, player, found.values if found is not None else {}, names)


@lru_cache(maxsize=512)
def _compiled(source: str, variables: tuple[str, ...]) -> Expression:
    return compile_expression(
        source, file="game.toml", path="if", variables=variables, extra=SCENE_NAMES
    )


def condition_holds(source: str, world: WorldView, ids: Mapping[str, int], player: int) -> bool:
    """Whether the expression ``source`` (a condition's ``if``, checked when
    the game was loaded) holds in ``world``."""
    scope = bindings(world, ids, player)
    return _compiled(source, tuple(sorted(scope.variables))).holds(scope)
