"""The context layer: what a model is told each turn.

:class:`StateContextBuilder` turns the world around the player into a
:class:`StateContext` holding only what the player character perceives;
:func:`describe_outcomes` turns the rules' decisions into verdict lines;
:class:`FinalPromptBuilder` fills a role's prompt file
(:mod:`fabula.prompts`) with those, the retrieved memories and the player's
input, and cuts it to the role's token budget in a documented order. The
narrator's :class:`~fabula.narration.Brain` and the
:class:`~fabula.parsing.TieredParser` call it. See docs/context.md.

It reads the world and never changes it; it imports :mod:`fabula.actions`,
:mod:`fabula.ecs` and :mod:`fabula.prompts`, and nothing above them.
"""

from fabula.context.assemble import CUT_ORDER, BuiltPrompt, FinalPromptBuilder, MemoryLike
from fabula.context.perception import StateContextBuilder, salience
from fabula.context.state import DARK, Seen, StateContext
from fabula.context.tokens import (
    CHARS_PER_TOKEN,
    MESSAGE_OVERHEAD,
    REPLY_PRIMING,
    TOKENS_PER_WORD,
    TokenCounter,
    count_messages,
    estimate_tokens,
)
from fabula.context.verdict import describe_outcomes, focus_of, names_before

__all__ = [
    "CHARS_PER_TOKEN",
    "CUT_ORDER",
    "DARK",
    "MESSAGE_OVERHEAD",
    "REPLY_PRIMING",
    "TOKENS_PER_WORD",
    "BuiltPrompt",
    "FinalPromptBuilder",
    "MemoryLike",
    "Seen",
    "StateContext",
    "StateContextBuilder",
    "TokenCounter",
    "count_messages",
    "describe_outcomes",
    "estimate_tokens",
    "focus_of",
    "names_before",
    "salience",
]
