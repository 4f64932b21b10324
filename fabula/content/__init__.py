"""Games as files: loading and checking a game directory, and building its
world (see :mod:`fabula.content.loader` for the layout); the authored text
that follows the world's state (:mod:`fabula.content.appearance`), the
scenery of rooms (:mod:`fabula.content.scenery`), and the nouns of a room's
text nothing answers to (:mod:`fabula.content.mentions`); the story's
data (awards, endings, timeline, hints) is in :mod:`fabula.content.story`;
rules, scenes and variables as data in :mod:`fabula.content.rulespec`, run
by :mod:`fabula.content.rulebook`."""

from fabula.content.appearance import (
    current_description,
    current_listing,
    is_dead,
    is_listed,
    is_scenery,
    state_holds,
)
from fabula.content.components import (
    Achievements,
    Appearance,
    Ended,
    Handled,
    Ident,
    Points,
    Scenery,
    Scenes,
    Unlisted,
    Variables,
    Visits,
)
from fabula.content.conditions import holds
from fabula.content.expressions import (
    Bindings,
    Expression,
    Text,
    compile_expression,
    compile_text,
)
from fabula.content.game import ContentGame
from fabula.content.hostiles import hostiles_attack
from fabula.content.judging import WorldIds, judge, world_ids
from fabula.content.limits import read_toml
from fabula.content.loader import GameFiles, load
from fabula.content.mentions import Mention, unexaminable_mentions
from fabula.content.reach import reachable_rooms, unreachable
from fabula.content.rulebook import REFUSED_BY_RULE, Rulebook
from fabula.content.rulecheck import compile_rules, load_rulebook
from fabula.content.rulespec import RuleSet, RuleSpec, SceneSpec
from fabula.content.sandbox import BoundedEnvironment
from fabula.content.scaffold import scaffold
from fabula.content.schema import STATES, Condition
from fabula.content.story import AwardSpec, EndingSpec, HintSpec, TimedSpec
from fabula.content.template_files import BoundedLoader, template_problem
from fabula.content.world_checks import check_expression

__all__ = [
    "REFUSED_BY_RULE",
    "STATES",
    "Achievements",
    "Appearance",
    "AwardSpec",
    "Bindings",
    "BoundedEnvironment",
    "BoundedLoader",
    "Condition",
    "ContentGame",
    "Ended",
    "EndingSpec",
    "Expression",
    "GameFiles",
    "Handled",
    "HintSpec",
    "Ident",
    "Mention",
    "Points",
    "RuleSet",
    "RuleSpec",
    "Rulebook",
    "SceneSpec",
    "Scenery",
    "Scenes",
    "Text",
    "TimedSpec",
    "Unlisted",
    "Variables",
    "Visits",
    "WorldIds",
    "check_expression",
    "compile_expression",
    "compile_rules",
    "compile_text",
    "current_description",
    "current_listing",
    "holds",
    "hostiles_attack",
    "is_dead",
    "is_listed",
    "is_scenery",
    "judge",
    "load",
    "load_rulebook",
    "reachable_rooms",
    "read_toml",
    "scaffold",
    "state_holds",
    "template_problem",
    "unexaminable_mentions",
    "unreachable",
    "world_ids",
]
