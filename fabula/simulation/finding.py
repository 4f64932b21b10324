"""Finding a game from what a save or a user names: an id or a reference.

A save records only its game's stable **id**. Installed games announce
themselves under the ``fabula.games`` entry point group (name = id, value =
the Game object or a function returning it), so ``fabula replay SAVE`` finds
the game by the id in the save. A user may also name a game directly with an
importable ``"package.module:attribute"`` reference (``--game``); that
reference is never stored.
"""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points
from typing import Any

from fabula.errors import GameNotFoundError
from fabula.simulation.simulation import Game

__all__ = ["GAMES_GROUP", "find_game"]

GAMES_GROUP = "fabula.games"
"""The entry point group installed games register under."""


def find_game(spec: str) -> Game:
    """The game ``spec`` names: an installed game's id, or ``"module:attribute"``.

    A callable found (a class or factory) is called with no arguments.

    Raises:
        GameNotFoundError: nothing answers to ``spec``; the message says how
            to name the game instead.
    """
    if ":" in spec:
        module_name, _, attribute = spec.partition(":")
        try:
            target: Any = importlib.import_module(module_name)
            for part in attribute.split("."):
                target = getattr(target, part)
        except (ImportError, AttributeError) as exc:
            raise GameNotFoundError(
                f"cannot load game {spec!r} ({exc}). Check the module is importable (install "
                "it, or run from the folder that holds it)."
            ) from exc
    else:
        found = [ep for ep in entry_points(group=GAMES_GROUP) if ep.name == spec]
        if not found:
            installed = sorted(ep.name for ep in entry_points(group=GAMES_GROUP)) or ["none"]
            raise GameNotFoundError(
                f"no installed game has the id {spec!r} (installed: {', '.join(installed)}). "
                "Install the game, or name it with --game: its folder (the one with game.toml) "
                "or package.module:attribute."
            )
        target = found[0].load()
    if isinstance(target, type) or (callable(target) and not hasattr(target, "new_world")):
        target = target()  # a Game class or a factory
    return target  # type: ignore[no-any-return]
