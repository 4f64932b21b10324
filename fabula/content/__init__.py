"""Games as files: loading and checking a game directory, and building its
world (see :mod:`fabula.content.loader` for the layout)."""

from fabula.content.components import Ident, Points
from fabula.content.game import ContentGame, holds, hostiles_attack
from fabula.content.limits import read_toml
from fabula.content.loader import GameFiles, load
from fabula.content.sandbox import BoundedEnvironment
from fabula.content.scaffold import scaffold
from fabula.content.schema import Condition
from fabula.content.template_files import BoundedLoader, template_problem

__all__ = [
    "BoundedEnvironment",
    "BoundedLoader",
    "Condition",
    "ContentGame",
    "GameFiles",
    "Ident",
    "Points",
    "holds",
    "hostiles_attack",
    "load",
    "read_toml",
    "scaffold",
    "template_problem",
]
