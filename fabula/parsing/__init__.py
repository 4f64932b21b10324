"""Parsing what the player types into structured actions: the parser role.

:class:`SymbolicParser` is the offline parser and the fast path of the
turn pipeline; its grammar comes from the ActionRegistry and its nouns from
the world, so nothing is written per game. :class:`TieredParser` puts the
parser model behind it, for what the symbolic parser cannot read, within a
per-turn JSON schema of what exists.

The words every game understands (:data:`DIRECTIONS`, every word for a
direction; :data:`META`, the meta commands) and the words that name an
entity (:func:`vocabulary`) are exported for a UI's completion.
"""

from fabula.parsing.grammar import Grammar, Pattern, Slot
from fabula.parsing.nouns import vocabulary
from fabula.parsing.parser import SymbolicParser
from fabula.parsing.people import lore_subjects
from fabula.parsing.results import Clarification, Meta, Parsed, ParseError, ParseResult
from fabula.parsing.tiered import FOR_THE_MODEL, TieredParser
from fabula.parsing.words import DIRECTIONS, META

__all__ = [
    "DIRECTIONS",
    "FOR_THE_MODEL",
    "META",
    "Clarification",
    "Grammar",
    "Meta",
    "ParseError",
    "ParseResult",
    "Parsed",
    "Pattern",
    "Slot",
    "SymbolicParser",
    "TieredParser",
    "lore_subjects",
    "vocabulary",
]
