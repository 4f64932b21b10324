"""A running game: the deterministic turn core that saves replay."""

from fabula.game.simulation import Game, Simulation

__all__ = ["Game", "Simulation"]
