"""A running game: the deterministic turn core that saves replay."""

from fabula.game.finding import GAMES_GROUP, find_game
from fabula.game.simulation import Game, Simulation

__all__ = ["GAMES_GROUP", "Game", "Simulation", "find_game"]
