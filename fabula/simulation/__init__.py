"""The deterministic turn core that live play and replay share.

:class:`Simulation` plays proposals through the game's ``Rules`` and then
one scheduler tick; :class:`Game` is what a save needs of a game (its id,
components, turn-0 world and simulation); :func:`find_game` finds a game by
the id a save records, or by a ``module:attribute`` reference. (The games
that ship with fabula are in :mod:`fabula.games`.)
"""

from fabula.simulation.finding import GAMES_GROUP, find_game
from fabula.simulation.simulation import Game, Simulation

__all__ = ["GAMES_GROUP", "Game", "Simulation", "find_game"]
