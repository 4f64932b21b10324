"""The symbolic parser: interactive-fiction commands to structured actions.

It is the fast path of the turn pipeline and the whole parser offline. The
grammar comes from the ActionRegistry (:mod:`fabula.parsing.grammar`), the
nouns from the entities in the actor's scope (:mod:`fabula.parsing.nouns`);
nothing is written per game. It returns the same ``ActionProposal`` a model
parser returns, so everything after parsing is shared.

It keeps a little conversation state, as players expect:

* the things last referred to, for ``it`` / ``them`` / ``him`` / ``her``;
* the last command, for ``again`` (``g``);
* a pending question ("Which do you mean, the brass key or the iron key?",
  "What do you want to take?") that a short answer completes;
* the last unknown word, which ``oops WORD`` replaces.

Noun phrases are found through the world's word index
(:mod:`fabula.parsing.lexicon`) and checked against scope thing by thing
(:mod:`fabula.parsing.scope`); counting words, pronouns, people and error
messages have modules of their own. Parsing never changes the world and
never raises on any input: strange input gets a
:class:`~fabula.parsing.results.ParseError`.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from fabula.actions import ActionProposal, ActionRegistry
from fabula.ecs import WorldView
from fabula.parsing.grammar import Grammar, Pattern
from fabula.parsing.lexicon import Lexicon
from fabula.parsing.messages import after_a_noun, as_far_as, noun_error, quote
from fabula.parsing.nouns import NounError, Resolved, describe, resolve
from fabula.parsing.ordinals import bind_pronouns
from fabula.parsing.people import Subject, addressee, people_in_view, topic_key
from fabula.parsing.results import (
    Clarification,
    Meta,
    Parsed,
    ParseError,
    ParseResult,
    Pending,
)
from fabula.parsing.scope import Scope, everything_for, scope_of
from fabula.parsing.words import ARTICLES, META, split_commands, split_line, tokenize

__all__ = ["SymbolicParser"]

MAX_ACTIONS = 50
"""The most actions one input may ask for ("take all" in a crowded room
fits; a pasted wall of "look. look. look." does not)."""

_SELF = frozenset({"me", "myself", "self", "yourself"})
_ASKING = frozenset({"ask", "tell", "quiz", "question"})


class SymbolicParser:
    """Parses one player's input, turn after turn (it remembers context).

    Args:
        actions: the game's actions; their verbs and syntax make the grammar.

    Example:
        >>> from fabula.actions import ActionRegistry
        >>> from fabula.actions.standard import Actor, Location, Named, Portable, Room
        >>> from fabula.ecs import World
        >>> actions = ActionRegistry()
        >>> _ = actions.discover("fabula.actions.standard")
        >>> world = World()
        >>> hall = world.spawn(Named("hall"), Room())
        >>> me = world.spawn(Named("you"), Actor(), Location(hall))
        >>> lamp = world.spawn(Named("brass lamp", ("lantern",)), Portable(), Location(hall))
        >>> parser = SymbolicParser(actions)
        >>> [(p.action, p.params) for p in parser.parse("get the lantern", world, me).proposals]
        [('take', {'item': 2})]
    """

    def __init__(self, actions: ActionRegistry) -> None:
        self.grammar = Grammar.from_registry(actions)
        self._pronouns: dict[str, tuple[int, ...]] = {}
        self._lexicon = Lexicon()
        self.subjects: tuple[Subject, ...] = ()  # lore subjects topics may name; set by a session
        self._last: list[str] | None = None
        self._pending: Pending | None = None
        self._failed: tuple[list[str], str] | None = None

    def _words(self, world: WorldView) -> Lexicon:
        return self._lexicon.current(world)

    def reset(self) -> None:
        """Forget the conversation (after undo or restore, say)."""
        self._pronouns, self._last, self._pending, self._failed = {}, None, None, None

    # ----------------------------------------------------------------- input

    def parse(self, text: str, world: WorldView, actor: int) -> ParseResult:
        """Parse ``text`` typed by ``actor``'s player (see the module docstring)."""
        tokens = tokenize(text)
        if not tokens:
            return ParseError("EMPTY", "I beg your pardon?")
        pending, self._pending = self._pending, None
        if pending is not None and not self._starts_command(tokens):
            return self._answer(pending, tokens, world, actor)
        meta = META.get(tokens[0])
        if meta is not None and meta not in {"again", "oops"}:
            return Meta(meta, " ".join(tokens[1:]))
        proposals: list[ActionProposal] = []
        commands = self._commands(tokens)
        if not commands:  # only separators (". ; then")
            return ParseError("EMPTY", "I beg your pardon?")
        for command in commands:
            result = self._one(command, world, actor)
            if isinstance(result, list):
                proposals.extend(result)
                if len(proposals) > MAX_ACTIONS:
                    return ParseError(
                        "TOO_MANY",
                        f"That is too much for one turn: at most {MAX_ACTIONS} actions at a time.",
                    )
                continue
            if isinstance(result, Meta):
                return Parsed(tuple(proposals)) if proposals else result
            return Parsed(tuple(proposals), stopped=result) if proposals else result
        return Parsed(tuple(proposals), each=len(commands) == 1 and len(proposals) > 1)

    def split(self, text: str) -> list[str]:
        """The commands of a line, each as text to :meth:`parse` on its own,
        in order: split at ``.``, ``;``, ``then``, and a comma before a
        command word. A session parses each only after the one before has
        run, so scope, pronouns and the room are current; a line that holds
        one command is given back whole, as typed (see
        :func:`~fabula.parsing.words.split_line`).
        """
        return split_line(text, self.grammar.verbs | META.keys())

    def _starts_command(self, tokens: list[str]) -> bool:
        return bool(tokens) and (tokens[0] in self.grammar.verbs or tokens[0] in META)

    def _commands(self, tokens: list[str]) -> list[list[str]]:
        return split_commands(tokens, self.grammar.verbs | META.keys())

    def _one(
        self, tokens: list[str], world: WorldView, actor: int
    ) -> list[ActionProposal] | ParseError | Clarification | Meta:
        meta = META.get(tokens[0])
        if meta == "again":
            if self._last is None:
                return ParseError("NOTHING_TO_REPEAT", "You haven't done anything to repeat yet.")
            tokens = list(self._last)
        elif meta == "oops":
            if self._failed is None or len(tokens) < 2:
                return ParseError("NOTHING_TO_CORRECT", "There is nothing to correct.")
            failed, word = self._failed
            tokens = [tokens[1] if t == word else t for t in failed]
        elif meta is not None:
            return Meta(meta, " ".join(tokens[1:]))
        elif len(tokens) > 1 and tokens[-1] in ("again", "more"):
            tokens = tokens[:-1]  # "hit it again": the words say what to repeat
        if "," in tokens[1:] and not self._starts_command(tokens):
            comma = tokens.index(",")
            if self._starts_command(tokens[comma + 1 : comma + 2]):
                return self._order(tokens, comma, world, actor)
        result = self._command(tokens, world, actor)
        if isinstance(result, list):
            self._last, self._failed = tokens, None
        return result

    # -------------------------------------------------------------- commands

    def _order(
        self, tokens: list[str], comma: int, world: WorldView, actor: int
    ) -> list[ActionProposal] | ParseError | Clarification:
        """ "tamsin, wait": proposed for Tamsin (``source="order"``; see :mod:`.people`)."""
        lexicon = self._words(world)
        person = addressee(world, actor, tokens[:comma], self._pronouns, lexicon)
        if isinstance(person, NounError):
            return noun_error(person, world, actor, self._pronouns, lexicon)
        if person is None:
            return ParseError("NOT_A_PERSON", "You can only do that to something animate.")
        self._pronouns = bind_pronouns(world, self._pronouns, (person,))
        result = self._command(tokens[comma + 1 :], world, actor)
        if not isinstance(result, list):
            return result
        self._last, self._failed = tokens, None
        return [
            ActionProposal(action=p.action, actor=person, params=p.params, source="order")
            for p in result
        ]

    def _implied_listener(
        self, tokens: list[str], world: WorldView, actor: int
    ) -> list[ActionProposal] | ParseError | Clarification | None:
        """ "ask about the crab" with one person in view: ask that person."""
        scope = scope_of(world, actor)
        people = people_in_view(world, actor, scope)
        if not people:
            return ParseError("NOBODY", f"There is no one here to {tokens[0]}.")
        if len(people) > 1:
            return None
        implied = [tokens[0], "\x01", *tokens[1:]]
        for pattern in self.grammar.patterns:
            for binding in pattern.match(implied):
                if any(words == ["\x01"] for words in binding.values()):
                    slot = next(k for k, v in binding.items() if v == ["\x01"])
                    return self._fill(
                        pattern, binding, world, actor, implied, scope, {slot: (people[0],)}
                    )
        return None

    def _command(
        self, tokens: list[str], world: WorldView, actor: int
    ) -> list[ActionProposal] | ParseError | Clarification:
        if tokens[0] in self.grammar.from_verbs and "from" in tokens[2:]:  # "remove X from Y"
            tokens = [self.grammar.from_verbs[tokens[0]], *tokens[1:]]
        if len(tokens) > 2 and tokens[0] in _ASKING and tokens[1] == "about":
            implied = self._implied_listener(tokens, world, actor)
            if implied is not None:
                return implied
        first_problem: ParseError | Clarification | None = None
        scope: Scope | None = None  # made once, when a pattern fits
        for pattern in self.grammar.patterns:
            for binding in pattern.match(tokens):
                if scope is None:
                    scope = scope_of(world, actor)
                result = self._fill(pattern, binding, world, actor, tokens, scope)
                if isinstance(result, list):
                    return result
                if first_problem is None:
                    first_problem = result
        if first_problem is not None:
            if isinstance(first_problem, ParseError) and first_problem.word:
                self._failed = (tokens, first_problem.word)
                if first_problem.code == "UNKNOWN_NOUN" and after_a_noun(
                    tokens, first_problem.word
                ):
                    # "x gaff xyzzy": the command ended before the unknown word
                    whole = scope_of(world, actor)
                    understood = as_far_as(
                        self.grammar, tokens, world, actor, whole, self._words(world)
                    )
                    if understood is not None:
                        return ParseError(
                            "NOT_UNDERSTOOD",
                            f"I only understood you as far as {quote(understood)}.",
                            first_problem.word,
                        )
            return first_problem
        return self._not_understood(tokens, world, actor)

    def _not_understood(
        self, tokens: list[str], world: WorldView, actor: int
    ) -> ParseError | Clarification:
        verb = tokens[0]
        if verb not in self.grammar.verbs:
            self._failed = (tokens, verb)
            return ParseError(
                "UNKNOWN_VERB",
                f'I don\'t know the word "{quote(verb)}" as a command. '
                'Try "help" for what you can do.',
                verb,
            )
        for pattern in self.grammar.patterns:
            for binding in pattern.match([*tokens, "\x00"]):
                if any(words == ["\x00"] for words in binding.values()):
                    self._pending = Pending(tokens)
                    phrase = " ".join(tokens)
                    return Clarification(f"What do you want to {phrase}?")
        understood = as_far_as(
            self.grammar, tokens, world, actor, scope_of(world, actor), self._words(world)
        )
        if understood is not None:
            return ParseError(
                "NOT_UNDERSTOOD", f"I only understood you as far as {quote(understood)}."
            )
        return ParseError(
            "NOT_UNDERSTOOD",
            f'I understood "{quote(verb)}" but not the rest. '
            f'Try something like "{quote(verb)} the lamp".',
        )

    def _fill(
        self,
        pattern: Pattern,
        binding: dict[str, list[str]],
        world: WorldView,
        actor: int,
        tokens: list[str],
        scope: Collection[int],
        chosen: dict[str, tuple[int, ...]] | None = None,
    ) -> list[ActionProposal] | ParseError | Clarification:
        params: dict[str, Any] = dict(pattern.fixed)
        multiple: tuple[str, tuple[int, ...]] | None = None
        for slot in pattern.slots:
            if slot.name not in binding:
                continue
            words = binding[slot.name]
            if slot.kind == "choice":
                params[slot.name] = slot.choose(words[0])
                continue
            if slot.kind == "text":
                params[slot.name] = " ".join(w for w in words if w not in ARTICLES) or " ".join(
                    words
                )
                continue
            if chosen and slot.name in chosen:
                found: Resolved | NounError = Resolved(chosen[slot.name])
            elif [w for w in words if w not in {"the", "a", "an"}] in ([s] for s in _SELF):
                found = Resolved((actor,))
            else:
                found = resolve(
                    world,
                    words,
                    scope,
                    everything=lambda: everything_for(pattern, binding, world, actor),
                    referents=self._pronouns,
                    lexicon=self._words(world),
                )
            if isinstance(found, NounError):
                return self._noun_problem(found, pattern, binding, slot.name, world, actor, tokens)
            if not found.entities:  # only separators where a noun should be ("x ,")
                return self._not_understood(tokens, world, actor)
            if len(found.entities) > 1:
                if multiple is not None:
                    return ParseError(
                        "TOO_MANY", "You can only name several things once in a command."
                    )
                multiple = (slot.name, found.entities)
            else:
                params[slot.name] = found.entities[0]
        named = [v for s, v in params.items() if _is_entity_slot(pattern, s) and v != actor]
        for slot in pattern.slots:  # "ask tamsin about flask": the flask's topic
            if slot.kind == "text" and isinstance(params.get(slot.name), str) and named:
                params[slot.name] = topic_key(
                    world, named[0], params[slot.name], self._words(world), self.subjects
                )
        if multiple is None:
            self._pronouns = bind_pronouns(world, self._pronouns, reversed(named))
            return [ActionProposal(action=pattern.action, actor=actor, params=params)]
        slot_name, entities = multiple
        self._pronouns = bind_pronouns(world, self._pronouns, reversed(named), group=entities)
        return [
            ActionProposal(action=pattern.action, actor=actor, params={**params, slot_name: e})
            for e in entities
        ]

    def _noun_problem(
        self,
        problem: NounError,
        pattern: Pattern,
        binding: dict[str, list[str]],
        slot: str,
        world: WorldView,
        actor: int,
        tokens: list[str],
    ) -> ParseError | Clarification:
        if problem.code == "AMBIGUOUS":
            self._pending = Pending(tokens, pattern, binding, slot, problem.options)
            names = [describe(world, e) for e in problem.options]
            listed = ", ".join(names[:-1]) + " or " + names[-1]
            return Clarification(f"Which do you mean, {listed}?", problem.options)
        return noun_error(problem, world, actor, self._pronouns, self._words(world))

    def _answer(
        self, pending: Pending, tokens: list[str], world: WorldView, actor: int
    ) -> ParseResult:
        if pending.pattern is None:  # "What do you want to take?" -> "lamp"
            return self.parse(" ".join([*pending.tokens, *tokens]), world, actor)
        found = resolve(
            world,
            tokens,
            frozenset(pending.options),
            referents=self._pronouns,
            lexicon=self._words(world),
        )
        if isinstance(found, NounError) or len(found.entities) != 1:
            # Not an answer after all: read it as a new command.
            return self.parse(" ".join(tokens), world, actor)
        result = self._fill(
            pending.pattern,
            pending.binding,
            world,
            actor,
            pending.tokens,
            scope_of(world, actor),
            {pending.slot: found.entities},
        )
        if isinstance(result, list):
            self._last = pending.tokens
            return Parsed(tuple(result), each=len(result) > 1)
        return result


def _is_entity_slot(pattern: Pattern, name: str) -> bool:
    return any(s.name == name and s.kind == "entity" for s in pattern.slots)
