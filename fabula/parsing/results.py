"""What parsing produces: actions to attempt, a question, a meta command, or
an error with a message fit to show the player."""

from __future__ import annotations

from dataclasses import dataclass

from fabula.actions import ActionProposal

__all__ = ["Clarification", "Meta", "ParseError", "ParseResult", "Parsed"]


@dataclass(frozen=True, slots=True)
class ParseError:
    """The input could not be understood.

    Attributes:
        code: ``EMPTY``, ``UNKNOWN_VERB``, ``NOT_UNDERSTOOD``, ``MISSING_NOUN``,
            ``NOT_IN_SCOPE``, ``UNKNOWN_NOUN``, ``TOO_DARK``, ``PRONOUN_GONE``,
            ``NOTHING_TO_DO``, ``NOTHING_TO_REPEAT``, ``NOTHING_TO_CORRECT``,
            ``TOO_MANY``.
        message: what to tell the player; never names a thing they cannot
            perceive (``NOT_IN_SCOPE`` and ``UNKNOWN_NOUN`` read the same).
        word: the word at fault, if one is.
    """

    code: str
    message: str
    word: str | None = None


@dataclass(frozen=True, slots=True)
class Clarification:
    """The parser needs an answer: "Which do you mean, ...?".

    The player's next input may be a short answer ("brass"), which completes
    the command; any full command replaces it.

    Attributes:
        question: the question to show.
        options: the entities in question (all in the player's scope).
    """

    question: str
    options: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Meta:
    """A command about the game, not in it: save, restore, undo, help, score, quit."""

    command: str
    argument: str = ""


@dataclass(frozen=True, slots=True)
class Parsed:
    """Actions to attempt in order, as one turn.

    Attributes:
        proposals: the structured actions (the same kind a model parser makes).
        stopped: why parsing stopped early in a chain ("take lamp then xyzzy"),
            to show after the actions that were understood.
    """

    proposals: tuple[ActionProposal, ...]
    stopped: ParseError | Clarification | None = None


ParseResult = Parsed | ParseError | Clarification | Meta
