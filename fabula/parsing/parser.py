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

Parsing never changes the world and never raises on any input: strange
input gets a :class:`~fabula.parsing.results.ParseError`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fabula.actions import ActionProposal, ActionRegistry
from fabula.actions.standard import (
    Location,
    Named,
    Portable,
    inventory,
    is_lit,
    reachable,
    room_of,
    visible,
)
from fabula.ecs import WorldView
from fabula.parsing.grammar import Grammar, Pattern
from fabula.parsing.nouns import NounError, Resolved, describe, resolve, vocabulary
from fabula.parsing.results import Clarification, Meta, Parsed, ParseError, ParseResult
from fabula.parsing.words import ARTICLES, DIRECTIONS, META, split_commands, tokenize

__all__ = ["SymbolicParser"]

MAX_ACTIONS = 50
"""The most actions one input may ask for ("take all" in a crowded room
fits; a pasted wall of "look. look. look." does not)."""

_SELF = frozenset({"me", "myself", "self", "yourself"})
_ALL_FROM_ROOM = frozenset({"take"})
"""Actions for which ``all`` means what lies around, not what is carried."""

_UNSEEN = "You can't see any such thing."


@dataclass(slots=True)
class _Pending:
    """A command waiting for the player's answer."""

    tokens: list[str]
    pattern: Pattern | None = None
    binding: dict[str, list[str]] = field(default_factory=dict)
    slot: str = ""
    options: tuple[int, ...] = ()


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
        self._referents: tuple[int, ...] = ()
        self._last: list[str] | None = None
        self._pending: _Pending | None = None
        self._failed: tuple[list[str], str] | None = None

    def reset(self) -> None:
        """Forget the conversation (after undo or restore, say)."""
        self._referents, self._last, self._pending, self._failed = (), None, None, None

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
        return Parsed(tuple(proposals))

    def _starts_command(self, tokens: list[str]) -> bool:
        return tokens[0] in self.grammar.verbs or tokens[0] in META

    def _commands(self, tokens: list[str]) -> list[list[str]]:
        """Split into commands; a comma ends one when a command word follows."""
        out: list[list[str]] = []
        for command in split_commands(tokens):
            current: list[str] = []
            for i, token in enumerate(command):
                following = command[i + 1] if i + 1 < len(command) else ""
                if token == "," and (following in self.grammar.verbs or following in META):
                    if current:
                        out.append(current)
                    current = []
                else:
                    current.append(token)
            if current:
                out.append(current)
        return out

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
        result = self._command(tokens, world, actor)
        if isinstance(result, list):
            self._last, self._failed = tokens, None
        return result

    # -------------------------------------------------------------- commands

    def _command(
        self, tokens: list[str], world: WorldView, actor: int
    ) -> list[ActionProposal] | ParseError | Clarification:
        first_problem: ParseError | Clarification | None = None
        scope: frozenset[int] | None = None  # computed once, when a pattern fits
        for pattern in self.grammar.patterns:
            for binding in pattern.match(tokens):
                if scope is None:
                    scope = _scope(world, actor)
                result = self._fill(pattern, binding, world, actor, tokens, scope)
                if isinstance(result, list):
                    return result
                if first_problem is None:
                    first_problem = result
        if first_problem is not None:
            if isinstance(first_problem, ParseError) and first_problem.word:
                self._failed = (tokens, first_problem.word)
            return first_problem
        return self._not_understood(tokens)

    def _not_understood(self, tokens: list[str]) -> ParseError | Clarification:
        verb = tokens[0]
        if verb not in self.grammar.verbs:
            self._failed = (tokens, verb)
            return ParseError(
                "UNKNOWN_VERB",
                f'I don\'t know the word "{_quote(verb)}" as a command. '
                'Try "help" for what you can do.',
                verb,
            )
        for pattern in self.grammar.patterns:
            for binding in pattern.match([*tokens, "\x00"]):
                if any(words == ["\x00"] for words in binding.values()):
                    self._pending = _Pending(tokens)
                    phrase = " ".join(tokens)
                    return Clarification(f"What do you want to {phrase}?")
        return ParseError(
            "NOT_UNDERSTOOD",
            f'I understood "{_quote(verb)}" but not the rest. '
            f'Try something like "{_quote(verb)} the lamp".',
        )

    def _fill(
        self,
        pattern: Pattern,
        binding: dict[str, list[str]],
        world: WorldView,
        actor: int,
        tokens: list[str],
        scope: frozenset[int],
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
                    everything=lambda: self._everything(pattern.action, world, actor),
                    referents=self._referents,
                )
            if isinstance(found, NounError):
                return self._noun_problem(found, pattern, binding, slot.name, world, actor, tokens)
            if not found.entities:  # only separators where a noun should be ("x ,")
                return self._not_understood(tokens)
            if len(found.entities) > 1:
                if multiple is not None:
                    return ParseError(
                        "TOO_MANY", "You can only name several things once in a command."
                    )
                multiple = (slot.name, found.entities)
            else:
                params[slot.name] = found.entities[0]
        if multiple is None:
            named = [v for s, v in params.items() if _is_entity_slot(pattern, s)]
            if named and named[0] != actor:
                self._referents = (named[0],)
            return [ActionProposal(action=pattern.action, actor=actor, params=params)]
        slot_name, entities = multiple
        self._referents = entities
        return [
            ActionProposal(action=pattern.action, actor=actor, params={**params, slot_name: e})
            for e in entities
        ]

    def _everything(self, action: str, world: WorldView, actor: int) -> frozenset[int]:
        if action in _ALL_FROM_ROOM:
            carried = inventory(world, actor)
            return frozenset(
                e
                for e in reachable(world, actor)
                if e not in carried and world.has(e, Portable) and _holder(world, e) != actor
            )
        return inventory(world, actor)

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
        phrase = " ".join(problem.words)
        if problem.code == "AMBIGUOUS":
            self._pending = _Pending(tokens, pattern, binding, slot, problem.options)
            names = [describe(world, e) for e in problem.options]
            listed = ", ".join(names[:-1]) + " or " + names[-1]
            return Clarification(f"Which do you mean, {listed}?", problem.options)
        if problem.code == "PRONOUN_GONE":
            if not self._referents:
                return ParseError("PRONOUN_GONE", f'I\'m not sure what "{phrase}" refers to.')
            return ParseError("PRONOUN_GONE", f'You can\'t see "{phrase}" any more.')
        if problem.code == "NOTHING_TO_DO":
            return ParseError("NOTHING_TO_DO", "There is nothing to do that with.")
        if problem.code == "EMPTY":
            return ParseError("NOT_UNDERSTOOD", "Say what you want to do it to.")
        room = room_of(world, actor)
        if room is not None and not is_lit(world, room, actor):
            return ParseError("TOO_DARK", "It is too dark to see.")  # true of anything named
        words = _all_words(world)
        unknown = [w for w in problem.words if w not in words]
        code = "UNKNOWN_NOUN" if unknown else "NOT_IN_SCOPE"
        return ParseError(code, _UNSEEN, unknown[0] if unknown else problem.words[-1])

    def _answer(
        self, pending: _Pending, tokens: list[str], world: WorldView, actor: int
    ) -> ParseResult:
        if pending.pattern is None:  # "What do you want to take?" -> "lamp"
            return self.parse(" ".join([*pending.tokens, *tokens]), world, actor)
        found = resolve(world, tokens, frozenset(pending.options), referents=self._referents)
        if isinstance(found, NounError) or len(found.entities) != 1:
            # Not an answer after all: read it as a new command.
            return self.parse(" ".join(tokens), world, actor)
        result = self._fill(
            pending.pattern,
            pending.binding,
            world,
            actor,
            pending.tokens,
            _scope(world, actor),
            {pending.slot: found.entities},
        )
        if isinstance(result, list):
            self._last = pending.tokens
            return Parsed(tuple(result))
        return result


def _scope(world: WorldView, actor: int) -> frozenset[int]:
    """What the actor's words may name: what it sees and carries, and itself."""
    return visible(world, actor) | inventory(world, actor) | {actor}


def _is_entity_slot(pattern: Pattern, name: str) -> bool:
    return any(s.name == name and s.kind == "entity" for s in pattern.slots)


def _holder(world: WorldView, entity: int) -> int | None:
    location = world.try_get(entity, Location, readonly=True)
    return None if location is None else location.holder


def _all_words(world: WorldView) -> frozenset[str]:
    """Every word any named thing in the world answers to (to tell an unknown
    word from a known one; both get the same message)."""
    words: set[str] = set(DIRECTIONS)
    for entity in world.entities_with[Named]:
        words |= vocabulary(world, entity)[0]
    return frozenset(words)


def _quote(word: str, limit: int = 40) -> str:
    """A word of the player's, quoted back: never a wall of text."""
    return word if len(word) <= limit else word[: limit - 1] + "…"
