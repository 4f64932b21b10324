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
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from fabula.actions import ActionProposal, ActionRegistry, ReadOnlyWorld
from fabula.actions.standard import Named, inventory, visible
from fabula.ai.breaker import CircuitBreaker
from fabula.ai.client import ChatClient
from fabula.ecs import World
from fabula.errors import ModelError
from fabula.parsing import Clarification, Parsed, ParseError, ParseResult, SymbolicParser
from fabula.parsing.grammar import Grammar, slots_of

__all__ = ["TieredParser"]

_FOR_THE_MODEL = frozenset({"UNKNOWN_VERB", "NOT_UNDERSTOOD", "UNKNOWN_NOUN"})
"""Symbolic failures a model may resolve. Others (the thing is not here, it is
too dark, a pronoun lost its referent) are answers, not misreadings."""

_SYSTEM = (
    "You turn a text-adventure player's command into actions. Answer with JSON "
    "only, matching the schema: a list of actions in the order the player wants "
    "them. Use only the action ids and thing names the schema allows. If the "
    "command makes no sense here, answer with an empty list."
)


class TieredParser:
    """Symbolic parser first; the parser model for what it cannot read.

    Args:
        actions: the game's actions.
        client: the parser role's chat client (``None``: symbolic only).
        breaker: the parser role's circuit breaker.

    Attributes:
        notice: a one-time message for the player (the model went away or
            came back), cleared when read with :meth:`take_notice`.
        last_model_use: what the model was asked and answered on the last
            turn that used it (for the journal and the debug view), or ``None``.
    """

    def __init__(
        self,
        actions: ActionRegistry,
        client: ChatClient | None = None,
        breaker: CircuitBreaker | None = None,
    ) -> None:
        self.actions = actions
        self.symbolic = SymbolicParser(actions)
        self.grammar: Grammar = self.symbolic.grammar
        self.client = client
        self.breaker = breaker or CircuitBreaker("parser")
        self.notice: str | None = None
        self.last_model_use: dict[str, Any] | None = None

    def reset(self) -> None:
        self.symbolic.reset()

    def take_notice(self) -> str | None:
        notice, self.notice = self.notice, None
        return notice

    def parse(self, text: str, world: World | ReadOnlyWorld, actor: int) -> ParseResult:
        """Parse ``text``: symbolically, else through the model."""
        self.last_model_use = None
        result = self.symbolic.parse(text, world, actor)
        if not isinstance(result, ParseError) or result.code not in _FOR_THE_MODEL:
            return result
        if self.client is None or not self.breaker.allows():
            return result
        return self._ask(text, world, actor, result)

    # ---------------------------------------------------------------- model

    def _ask(
        self, text: str, world: World | ReadOnlyWorld, actor: int, fallback: ParseError
    ) -> ParseResult:
        assert self.client is not None
        names = _names_in_scope(world, actor)
        schema = self.schema(names)
        messages = [
            {"role": "system", "content": _SYSTEM},
            {"role": "user", "content": text},
        ]
        use: dict[str, Any] = {"input": text, "answers": []}
        self.last_model_use = use
        for attempt in range(2):
            try:
                answer = self.client.complete(messages, json_schema=schema)
            except ModelError as exc:
                self.notice = self.breaker.record_failure(exc.reason)
                use["error"] = exc.reason
                return fallback
            notice = self.breaker.record_success()
            if notice:
                self.notice = notice
            use["answers"].append(answer.text)
            use["tokens"] = [answer.prompt_tokens, answer.completion_tokens]
            proposals, problem = self._read(answer.text, names, actor)
            if problem is None:
                if not proposals:
                    return fallback
                return Parsed(tuple(proposals))
            if attempt == 0:  # ask once more, saying what was wrong
                messages += [
                    {"role": "assistant", "content": answer.text},
                    {"role": "user", "content": f"That does not fit: {problem}. Try again."},
                ]
        return Clarification(
            "I'm not sure what you mean. Could you say it another way, "
            'starting with a verb (like "take the lamp")?'
        )

    def schema(self, names: dict[str, int]) -> dict[str, Any]:
        """The JSON schema of an answer: action ids and thing names as enums."""
        ids = sorted(self.actions.names())
        properties: dict[str, Any] = {"action": {"type": "string", "enum": ids}}
        thing = {"type": "string", "enum": sorted(names)} if names else {"type": "string"}
        for _, action_cls in sorted(self.actions.items()):
            for slot in slots_of(action_cls.Params).values():
                if slot.name in properties:
                    continue
                if slot.kind == "entity":
                    properties[slot.name] = thing
                elif slot.kind == "choice":
                    values = sorted({value for _, value in slot.choices})
                    properties[slot.name] = {"type": "string", "enum": values}
                else:
                    properties[slot.name] = {"type": "string"}
        return {
            "type": "object",
            "properties": {
                "actions": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": properties,
                        "required": ["action"],
                        "additionalProperties": False,
                    },
                }
            },
            "required": ["actions"],
            "additionalProperties": False,
        }

    def _read(
        self, text: str, names: dict[str, int], actor: int
    ) -> tuple[list[ActionProposal], str | None]:
        """The model's answer as proposals, or what is wrong with it."""
        try:
            data = json.loads(text)
            items = data["actions"]
            assert isinstance(items, list)
        except (ValueError, KeyError, TypeError, AssertionError):
            return [], 'the answer must be JSON like {"actions": [{"action": "look"}]}'
        proposals = []
        for item in items:
            if not isinstance(item, dict) or item.get("action") not in self.actions:
                return [], f"unknown action in {item!r}"
            action_cls = self.actions.get(item["action"])
            params: dict[str, Any] = {}
            for field, slot in slots_of(action_cls.Params).items():
                if field not in item:
                    continue
                value = item[field]
                if slot.kind == "entity":
                    if value not in names:
                        return [], f"{value!r} is not one of the things here"
                    value = names[value]
                params[field] = value
            try:
                action_cls.Params.model_validate(params)
            except ValidationError as exc:
                fields = ", ".join(str(e["loc"][0]) for e in exc.errors() if e["loc"])
                return [], f"{item['action']!r} needs {fields or 'other parameters'}"
            proposals.append(
                ActionProposal(action=item["action"], actor=actor, params=params, source="model")
            )
        return proposals, None


def _names_in_scope(world: World | ReadOnlyWorld, actor: int) -> dict[str, int]:
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
