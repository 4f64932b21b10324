"""What parsing produces: actions to attempt, a question, a meta command, or
an error with a message fit to show the player.

Every result also says what the parser model did for it, if it was asked
(``model_use``, a :class:`~fabula.ai.ModelUse`), and carries a one-time
``notice`` for the player when the model went away or came back. The
symbolic parser leaves both empty. A result is the whole answer: nothing
about a parse is left on the parser to be read afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fabula.actions import ActionProposal
from fabula.ai import ModelUse
from fabula.parsing.grammar import Pattern

__all__ = ["Clarification", "Meta", "ParseError", "ParseResult", "Parsed"]


@dataclass(frozen=True, slots=True, kw_only=True)
class _Accounted:
    """What every parse result carries besides its answer (keyword-only, and
    left out of its ``repr``, which shows the answer).

    Attributes:
        model_use: what the parser model was asked and answered for this
            input, or ``None`` if it was not asked.
        notice: a message to show the player once, e.g. "The parser model is
            not answering (timed out); using the symbolic parser until it is
            back.", or ``None``.
    """

    model_use: ModelUse | None = field(default=None, repr=False)
    notice: str | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class ParseError(_Accounted):
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
class Clarification(_Accounted):
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
class Meta(_Accounted):
    """A command about the game, not in it: save, restore, undo, help, score, quit."""

    command: str
    argument: str = ""


@dataclass(frozen=True, slots=True)
class Parsed(_Accounted):
    """Actions to attempt in order, as one turn.

    Attributes:
        proposals: the structured actions (the same kind a model parser makes).
        stopped: why parsing stopped early in a chain ("take lamp then xyzzy"),
            to show after the actions that were understood.
        each: the proposals are the objects of one multi-object command
            ("take lamp and key", "drop all"): each is tried on its own, a
            refusal not stopping the others (else they are steps, and the
            first refusal ends the turn).
    """

    proposals: tuple[ActionProposal, ...]
    stopped: ParseError | Clarification | None = None
    each: bool = False


ParseResult = Parsed | ParseError | Clarification | Meta


@dataclass(slots=True)
class Pending:
    """A command waiting for the player's answer (the parser's own state:
    the words typed, and for "Which do you mean...?" the pattern, its
    binding, the slot in question and the options)."""

    tokens: list[str]
    pattern: Pattern | None = None
    binding: dict[str, list[str]] = field(default_factory=dict)
    slot: str = ""
    options: tuple[int, ...] = ()
