"""Parsing what the player types into structured actions.

:class:`SymbolicParser` is the offline parser and the fast path of the
turn pipeline; its grammar comes from the ActionRegistry and its nouns from
the world, so nothing is written per game.
"""

from fabula.parsing.grammar import Grammar, Pattern, Slot
from fabula.parsing.parser import SymbolicParser
from fabula.parsing.results import Clarification, Meta, Parsed, ParseError, ParseResult

__all__ = [
    "Clarification",
    "Grammar",
    "Meta",
    "ParseError",
    "ParseResult",
    "Parsed",
    "Pattern",
    "Slot",
    "SymbolicParser",
]
