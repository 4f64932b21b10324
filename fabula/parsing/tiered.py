"""The tiered parser: the symbolic parser first, a small model only for what
it cannot read.

Each turn the model is given a JSON schema built from the ActionRegistry
(an enum of action ids) and from the actor's scope (an enum of the names of
the things it can perceive), and the server is asked to constrain its answer
to that schema, so it cannot name an action or a thing that does not exist.
Its answer is mapped back to entities and validated by each action's
parameter model; on failure it is asked once more with the error; after that
the player gets a question instead. Whatever the model proposes still goes
through the validators: the model parser only *proposes*.

Multi-step intents ("grab the key and unlock the door") come back as a list
of actions, played in order until one is refused.

What the model is told comes from the versioned ``parser`` prompt file
(:mod:`fabula.prompts`), cut to the role's token budget; the prompt's
reference is recorded with each use, for the journal.
"""

from __future__ import annotations

import json
import reprlib
from dataclasses import replace
from typing import Any

from pydantic import ValidationError

from fabula.actions import ActionProposal, ActionRegistry, action_info
from fabula.actions.standard import Named, inventory, visible
from fabula.ai import CircuitBreaker, Completion, ModelClient, ModelUse
from fabula.context import FinalPromptBuilder
from fabula.ecs import WorldView
from fabula.errors import ModelError
from fabula.parsing.grammar import Grammar, slots_of
from fabula.parsing.parser import SymbolicParser
from fabula.parsing.results import Clarification, Parsed, ParseError, ParseResult
from fabula.prompts import Prompt, PromptLibrary

__all__ = ["FOR_THE_MODEL", "TieredParser"]

MAX_ACTIONS = 12
"""The most actions one answer may propose (a turn is a player's sentence)."""
MAX_ANSWER = 20_000
"""The longest answer read, in characters (the schema's answers are short)."""
MAX_TEXT = 200
"""The longest free-text parameter (a topic) kept from an answer."""

FOR_THE_MODEL = frozenset({"UNKNOWN_VERB", "NOT_UNDERSTOOD", "UNKNOWN_NOUN"})
"""Symbolic failures a model may resolve. Others (the thing is not here, it is
too dark, a pronoun lost its referent) are answers, not misreadings."""


class TieredParser:
    """Symbolic parser first; the parser model for what it cannot read.

    Args:
        actions: the game's actions.
        client: the parser role's model client (``None``: symbolic only).
        breaker: the parser role's circuit breaker.
        prompt: the parser prompt (default: the newest built-in ``parser``).
        budget: the most tokens the prompt may cost (default: the client's
            ``context_tokens`` setting).

    What the model was asked and answered, and any notice for the player (the
    model went away or came back), come back on the result
    (:attr:`~fabula.parsing.ParseError.model_use`, ``notice``); the parser
    keeps none of it.
    """

    def __init__(
        self,
        actions: ActionRegistry,
        client: ModelClient | None = None,
        breaker: CircuitBreaker | None = None,
        *,
        prompt: Prompt | None = None,
        budget: int | None = None,
    ) -> None:
        self.actions = actions
        self.symbolic = SymbolicParser(actions)
        self.grammar: Grammar = self.symbolic.grammar
        self.client = client
        self.breaker = breaker or CircuitBreaker("parser")
        self.prompt = prompt or PromptLibrary.load().get("parser")
        self.budget = budget or (client.config.context_tokens if client is not None else 1024)
        self._assembler = FinalPromptBuilder()
        self._catalogue = [
            (name, action_info(action_cls).description)
            for name, action_cls in sorted(actions.items())
        ]

    def reset(self) -> None:
        """Forget the conversation (pronouns, ``again``, a pending question)."""
        self.symbolic.reset()

    def split(self, text: str) -> list[str]:
        """The commands of a line, as :meth:`SymbolicParser.split` finds them."""
        return self.symbolic.split(text)

    def parse(self, text: str, world: WorldView, actor: int) -> ParseResult:
        """Parse ``text``: symbolically, else through the model (when the
        symbolic parser could not read it, a model is configured and its
        circuit is not open). The result says what the model was asked and
        answered (``model_use``) and carries any notice for the player."""
        result = self.symbolic.parse(text, world, actor)
        if not isinstance(result, ParseError) or result.code not in FOR_THE_MODEL:
            return result
        if self.client is None or not self.breaker.allows():
            return result
        return self._ask(text, world, actor, result)

    # ---------------------------------------------------------------- model

    def _ask(self, text: str, world: WorldView, actor: int, fallback: ParseError) -> ParseResult:
        assert self.client is not None
        names = _names_in_scope(world, actor)
        schema = self.schema(names)
        built = self._assembler.build(
            self.prompt,
            budget=self.budget,
            player_input=text,
            actions=self._catalogue,
            things=sorted(names),
        )
        messages = list(built.messages)
        use = _Use(self.client.config.model, str(built.ref))
        for attempt in range(2):
            try:
                answer = self.client.complete(messages, json_schema=schema)
            except ModelError as exc:
                notice = self.breaker.record_failure(exc.reason)
                return replace(fallback, model_use=use.record(exc.reason), notice=notice)
            use.add(answer)
            proposals, problem = self._read(answer.text, names, actor)
            if problem is None:
                notice = self.breaker.record_success()
                if not proposals:
                    return replace(fallback, model_use=use.record(), notice=notice)
                return Parsed(tuple(proposals), model_use=use.record(), notice=notice)
            if attempt == 0:  # ask once more, saying what was wrong (briefly)
                messages += [
                    {"role": "assistant", "content": _clip(answer.text, 1000)},
                    {"role": "user", "content": f"That does not fit: {problem}. Try again."},
                ]
        # Two answers that do not fit: a model that only answers garbage is
        # as good as down, and its circuit should open like one that is.
        misfit = "its answers did not fit"
        return Clarification(
            "I'm not sure what you mean. Could you say it another way, "
            'starting with a verb (like "take the lamp")?',
            model_use=use.record(misfit),
            notice=self.breaker.record_failure(misfit),
        )

    def schema(self, names: dict[str, int]) -> dict[str, Any]:
        """The JSON schema of an answer: a list of actions, each one of the
        registry's actions with exactly its own parameters.

        One alternative per action (``anyOf``), so a model cannot put one
        action's parameter on another; action ids and the names of the
        things in scope are enums. Every parameter is listed as required, an
        optional one as nullable, which is the form OpenAI's strict mode
        accepts and llama.cpp turns into a grammar.
        """
        thing: dict[str, Any] = (
            {"type": "string", "enum": sorted(names)} if names else {"type": "string"}
        )
        alternatives = []
        for name, action_cls in sorted(self.actions.items()):
            properties: dict[str, Any] = {"action": {"type": "string", "enum": [name]}}
            for slot in slots_of(action_cls.Params).values():
                if slot.kind == "entity":
                    kind = dict(thing)
                elif slot.kind == "choice":
                    values = sorted({value for _, value in slot.choices})
                    kind = {"type": "string", "enum": values}
                else:
                    kind = {"type": "string"}
                if slot.optional:
                    kind = {"anyOf": [kind, {"type": "null"}]}
                properties[slot.name] = kind
            alternatives.append(
                {
                    "type": "object",
                    "properties": properties,
                    "required": list(properties),
                    "additionalProperties": False,
                }
            )
        return {
            "type": "object",
            "properties": {"actions": {"type": "array", "items": {"anyOf": alternatives}}},
            "required": ["actions"],
            "additionalProperties": False,
        }

    def _read(
        self, text: str, names: dict[str, int], actor: int
    ) -> tuple[list[ActionProposal], str | None]:
        """The model's answer as proposals, or what is wrong with it (said
        briefly: it goes back to the model, within its budget)."""
        if len(text) > MAX_ANSWER:
            return [], f"the answer is too long (over {MAX_ANSWER} characters)"
        try:
            data = json.loads(text)
            items = data["actions"]
            assert isinstance(items, list)
        except (ValueError, KeyError, TypeError, AssertionError, RecursionError):
            return [], 'the answer must be JSON like {"actions": [{"action": "look"}]}'
        if len(items) > MAX_ACTIONS:
            return [], f"at most {MAX_ACTIONS} actions at a time"
        proposals = []
        for item in items:
            action = item.get("action") if isinstance(item, dict) else None
            if not isinstance(action, str) or action not in self.actions:
                return [], f"unknown action in {_short(item)}"
            action_cls = self.actions.get(action)
            params: dict[str, Any] = {}
            for field, slot in slots_of(action_cls.Params).items():
                value = item.get(field)
                if value is None:  # left out, or null for "not given"
                    continue
                if not isinstance(value, str):
                    return [], f"{field} must be a string, not {_short(value)}"
                if slot.kind == "entity":
                    if value not in names:
                        return [], f"{_short(value)} is not one of the things here"
                    params[field] = names[value]
                else:
                    params[field] = _clip(value, MAX_TEXT)
            try:
                action_cls.Params.model_validate(params)
            except ValidationError as exc:
                fields = ", ".join(str(e["loc"][0]) for e in exc.errors() if e["loc"])
                return [], f"{action!r} needs {fields or 'other parameters'}"
            proposals.append(
                ActionProposal(action=action, actor=actor, params=params, source="model")
            )
        return proposals, None


class _Use:
    """What one parse has asked of the model so far, summed over its requests."""

    def __init__(self, model: str, prompt: str) -> None:
        self.model = model
        self.prompt = prompt
        self.answers: list[str] = []
        self.tokens = [0, 0]
        self.latency = 0.0
        self.attempts = 0

    def add(self, answer: Completion) -> None:
        self.answers.append(_clip(answer.text, 2000))
        self.tokens[0] += answer.prompt_tokens
        self.tokens[1] += answer.completion_tokens
        self.latency += answer.latency
        self.attempts += answer.attempts

    def record(self, error: str = "") -> ModelUse:
        return ModelUse(
            "parser", self.model, self.prompt, tuple(self.answers), self.tokens[0],
            self.tokens[1], self.latency, self.attempts, error,
        )  # fmt: skip


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


_REPR = reprlib.Repr()
_REPR.maxstring = _REPR.maxother = 60
_REPR.maxlist = _REPR.maxdict = 4


def _short(value: object) -> str:
    """A value quoted for the model, never long."""
    return _REPR.repr(value)


def _names_in_scope(world: WorldView, actor: int) -> dict[str, int]:
    """Name -> entity for what the actor perceives; duplicate names get a number."""
    out: dict[str, int] = {}
    for entity in sorted(visible(world, actor) | inventory(world, actor)):
        named = world.try_get(entity, Named, readonly=True)
        if named is None:
            continue
        name, n = named.name.lower(), 2
        while name in out:
            name, n = f"{named.name.lower()} #{n}", n + 1
        out[name] = entity
    return out
