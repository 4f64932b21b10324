"""What the parser says when it cannot read a command, as Inform says it.

An unknown first word is named ("I don't know the word ..."); a command
whose verb is known but whose rest fits no phrasing says how far it was
understood, in the action's own words: "I only understood you as far as
wanting to look." (the longest start of the command that is a whole
command, its nouns named as the player would see them). Noun problems get
Inform's replies: "You can't see any such thing.", "There are none at all
available!", "Only one of those is available.".
"""

from __future__ import annotations

from collections.abc import Collection

from fabula.actions.standard import is_lit, room_of
from fabula.ecs import WorldView
from fabula.parsing.grammar import Grammar, Pattern, Slot
from fabula.parsing.lexicon import Lexicon
from fabula.parsing.nouns import NounError, Resolved, describe, resolve
from fabula.parsing.results import ParseError
from fabula.parsing.words import DIRECTIONS

__all__ = ["UNSEEN", "after_a_noun", "as_far_as", "noun_error", "quote"]

UNSEEN = "You can't see any such thing."

_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight")


def quote(word: str, limit: int = 40) -> str:
    """A word of the player's, quoted back: never a wall of text."""
    return word if len(word) <= limit else word[: limit - 1] + "…"


def noun_error(
    problem: NounError,
    world: WorldView,
    actor: int,
    pronouns: dict[str, tuple[int, ...]],
    lexicon: Lexicon,
) -> ParseError:
    """The reply to a noun phrase that names nothing usable (not ``AMBIGUOUS``,
    which asks a question)."""
    phrase = " ".join(problem.words)
    if problem.code == "PRONOUN_GONE":
        if not pronouns.get(phrase):
            return ParseError("PRONOUN_GONE", f'I\'m not sure what "{phrase}" refers to.')
        return ParseError("PRONOUN_GONE", f'You can\'t see "{phrase}" any more.')
    if problem.code == "NOTHING_TO_DO":
        return ParseError("NOTHING_TO_DO", "There are none at all available!")
    if problem.code == "TOO_FEW":
        few = len(problem.options)
        counted = (
            "one of those is"
            if few == 1
            else f"{_NUMBER_WORDS[few] if few < len(_NUMBER_WORDS) else few} of those are"
        )
        return ParseError("TOO_FEW", f"Only {counted} available.")
    if problem.code == "EMPTY":
        return ParseError("NOT_UNDERSTOOD", "Say what you want to do it to.")
    room = room_of(world, actor)
    if room is not None and not is_lit(world, room, actor):
        return ParseError("TOO_DARK", "It is too dark to see.")  # true of anything named
    unknown = [w for w in problem.words if not lexicon.knows(w) and w not in DIRECTIONS]
    code = "UNKNOWN_NOUN" if unknown else "NOT_IN_SCOPE"
    return ParseError(code, UNSEEN, unknown[0] if unknown else problem.words[-1])


def as_far_as(
    grammar: Grammar,
    tokens: list[str],
    world: WorldView,
    actor: int,
    scope: Collection[int],
    lexicon: Lexicon,
) -> str | None:
    """ "wanting to look under the workbench": the longest start of
    ``tokens`` that is a whole command whose nouns all name something in
    ``scope``, told in its action's words; ``None`` if no start is."""
    for end in range(len(tokens) - 1, 0, -1):
        start = tokens[:end]
        for pattern in grammar.patterns:
            for binding in pattern.match(start):
                told = _tell(pattern, binding, start, world, scope, grammar, actor, lexicon)
                if told is not None:
                    return f"wanting to {told}"
    return None


def _tell(
    pattern: Pattern,
    binding: dict[str, list[str]],
    tokens: list[str],
    world: WorldView,
    scope: Collection[int],
    grammar: Grammar,
    actor: int,
    lexicon: Lexicon,
) -> str | None:
    words: list[str] = []
    t = 0
    for part in pattern.parts:
        if isinstance(part, Slot):
            bound = binding.get(part.name, [])
            t = tokens.index(bound[0], t) + len(bound) if bound else t
            told = _slot(part, bound, world, scope, actor, lexicon)
            if told is None:
                return None
            words.append(told)
            continue
        while t < len(tokens) and tokens[t] not in part:
            t += 1
        if t < len(tokens):
            words.append(tokens[t])
            t += 1
    verb = grammar.names.get(pattern.action)
    if verb and words and len(verb.split()) == 1 and words[0] in grammar.verbs:
        words[0] = verb  # "x lamp" -> "examine the lamp"
    return " ".join(words)


def _slot(
    slot: Slot,
    words: list[str],
    world: WorldView,
    scope: Collection[int],
    actor: int,
    lexicon: Lexicon,
) -> str | None:
    if slot.kind == "choice":
        return slot.choose(words[0]) if words else None
    if slot.kind == "text":
        return " ".join(words)
    if words in (["me"], ["myself"], ["self"]):
        return "yourself"
    found = resolve(world, words, scope, lexicon=lexicon)
    if not isinstance(found, Resolved) or not found.entities:
        return None
    if found.entities == (actor,):
        return "yourself"
    if len(found.entities) > 1:
        return "those things"
    return describe(world, found.entities[0])


def after_a_noun(tokens: list[str], word: str) -> bool:
    """Whether ``word`` comes after a whole noun (not after "and" or a comma,
    where it is a noun of its own: "take lamp and xyzzy")."""
    at = tokens.index(word) if word in tokens else 0
    return at > 1 and tokens[at - 1] not in {"and", ",", "the", "a", "an"}
