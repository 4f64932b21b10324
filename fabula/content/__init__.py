"""Games as files: loading and checking a game directory, and building its
world (see :mod:`fabula.content.loader` for the layout); the story's data
(awards, endings, timeline, hints) is in :mod:`fabula.content.story`."""

from fabula.content.components import Achievements, Ident, Points
from fabula.content.conditions import holds
from fabula.content.game import ContentGame, hostiles_attack
from fabula.content.loader import GameFiles, load
from fabula.content.scaffold import scaffold
from fabula.content.schema import Condition
from fabula.content.story import AwardSpec, EndingSpec, HintSpec, TimedSpec

__all__ = [
    "Achievements",
    "AwardSpec",
    "Condition",
    "ContentGame",
    "EndingSpec",
    "GameFiles",
    "HintSpec",
    "Ident",
    "Points",
    "TimedSpec",
    "holds",
    "hostiles_attack",
    "load",
    "scaffold",
]
