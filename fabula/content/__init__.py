"""Games as files: loading and checking a game directory, and building its
world (see :mod:`fabula.content.loader` for the layout)."""

from fabula.content.components import Ident, Points
from fabula.content.game import ContentGame, hostiles_attack
from fabula.content.loader import GameFiles, load

__all__ = ["ContentGame", "GameFiles", "Ident", "Points", "hostiles_attack", "load"]
