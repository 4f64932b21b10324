"""The grammar: phrasing patterns compiled from the ActionRegistry.

Nothing here is written per game. Each action declares how players phrase it
(``@action(..., verbs=..., syntax=...)``) and its parameter model says what
each slot holds:

* a pattern is words and ``{slots}``: ``"{verb} {item} in|into {target}"``;
  ``a|b`` accepts either word; ``{verb}`` stands for each of the action's
  verbs (which may be several words, "pick up");
* ``-> field=value`` after a pattern fixes a parameter
  (``"{verb} {item} on {target} -> how=on"``);
* a slot whose field is an ``int`` takes a **noun phrase** resolved to
  entities; a ``Literal`` of strings takes **one of those words** (directions
  take their abbreviations too); a ``str`` takes **free text**;
* without ``syntax``, an action gets ``"{verb}"`` (no parameters) or
  ``"{verb} {field}"`` (one parameter).

Patterns are tried most specific first: more fixed words, then more slots.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel

from fabula.actions import ActionRegistry, action_info
from fabula.errors import RegistryError
from fabula.parsing.words import ARTICLES, DIRECTIONS

__all__ = ["Grammar", "Pattern", "Slot", "slots_of"]

SlotKind = Literal["entity", "choice", "text"]


@dataclass(frozen=True, slots=True)
class Slot:
    """A place in a pattern filled from the player's words.

    Attributes:
        name: the parameter it fills.
        kind: ``entity`` (a noun phrase), ``choice`` (one word of
            ``choices``) or ``text`` (free words).
        choices: accepted words -> the value they stand for (for ``choice``).
        optional: the parameter may be left out (it has a default).
    """

    name: str
    kind: SlotKind
    choices: tuple[tuple[str, str], ...] = ()
    optional: bool = False

    def choose(self, word: str) -> str | None:
        """The value ``word`` stands for, if it is one of the choices."""
        return dict(self.choices).get(word)


@dataclass(frozen=True, slots=True)
class Pattern:
    """One way of phrasing one action.

    Attributes:
        action: the action id.
        parts: fixed word alternatives (frozensets) and slots, in order.
        fixed: parameters the pattern sets by itself.
        source: the pattern as written (for messages and debugging).
    """

    action: str
    parts: tuple[frozenset[str] | Slot, ...]
    fixed: tuple[tuple[str, str], ...] = ()
    source: str = ""

    @property
    def words(self) -> int:
        """How many fixed words the pattern has (its specificity)."""
        return sum(1 for p in self.parts if not isinstance(p, Slot))

    @property
    def slots(self) -> tuple[Slot, ...]:
        return tuple(p for p in self.parts if isinstance(p, Slot))

    def match(self, tokens: Sequence[str]) -> Iterator[dict[str, list[str]]]:
        """Every way ``tokens`` fit this pattern: slot name -> its words."""
        yield from _match(self.parts, tokens, 0, 0, {})


def _match(
    parts: tuple[frozenset[str] | Slot, ...],
    tokens: Sequence[str],
    p: int,
    t: int,
    bound: dict[str, list[str]],
) -> Iterator[dict[str, list[str]]]:
    if p == len(parts):
        if t == len(tokens):
            yield dict(bound)
        return
    part = parts[p]
    if not isinstance(part, Slot):
        if t < len(tokens) and tokens[t] in part:
            yield from _match(parts, tokens, p + 1, t + 1, bound)
        elif p and t + 1 < len(tokens) and tokens[t] in ARTICLES and tokens[t + 1] in part:
            # "light it with the tinderbox" fits "light {item} with tinderbox"
            yield from _match(parts, tokens, p + 1, t + 2, bound)
        return
    if part.kind == "choice":
        if t + 1 < len(tokens) and tokens[t] in ARTICLES:
            t += 1  # "go to the north"
        if t < len(tokens) and part.choose(tokens[t]) is not None:
            bound[part.name] = [tokens[t]]
            yield from _match(parts, tokens, p + 1, t + 1, bound)
            del bound[part.name]
        return
    last = p == len(parts) - 1
    for end in range(len(tokens) if last else t + 1, len(tokens) + 1):
        if end == t:
            continue
        bound[part.name] = list(tokens[t:end])
        yield from _match(parts, tokens, p + 1, end, bound)
        del bound[part.name]


@dataclass(slots=True)
class Grammar:
    """Every pattern of every registered action, most specific first.

    Attributes:
        patterns: the compiled patterns.
        verbs: every word that can start a command.
        names: each action's first verb, to tell a command in its words
            ("wanting to examine the lamp").
        from_verbs: verbs read as another when a place follows ("remove X
            from Y" is taking, Inform's "removing it from"), for games whose
            actions have no "... from ..." phrasing of their own for them.
    """

    patterns: list[Pattern] = field(default_factory=list)
    verbs: frozenset[str] = frozenset()
    names: dict[str, str] = field(default_factory=dict)
    from_verbs: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_registry(cls, actions: ActionRegistry) -> Grammar:
        """Compile the patterns of every action in ``actions``.

        Raises:
            RegistryError: a pattern names a slot its action has no parameter for.
        """
        patterns: list[Pattern] = []
        names: dict[str, str] = {}
        for name, action_cls in actions.items():
            info = action_info(action_cls)
            slots = slots_of(action_cls.Params)
            sources = info.syntax or _default_syntax(slots)
            verbs = info.verbs or (name,)
            names[name] = verbs[0]
            for source in sources:
                patterns.extend(_compile(name, source, verbs, slots))
        patterns.sort(key=lambda p: (-p.words, -len(p.parts), p.action, p.source))
        starts = {w for p in patterns for w in _first_words(p)}
        from_verbs = {
            verb: "take"
            for verb in ("remove",)
            if "take" in names
            and not any(
                verb in _first_words(p)
                and any(isinstance(part, frozenset) and "from" in part for part in p.parts[1:])
                for p in patterns
            )
        }
        return cls(patterns, frozenset(starts), names, from_verbs)


def _first_words(pattern: Pattern) -> frozenset[str]:
    first = pattern.parts[0] if pattern.parts else frozenset()
    if isinstance(first, Slot):
        return frozenset(word for word, _ in first.choices)
    return first


def _default_syntax(slots: dict[str, Slot]) -> tuple[str, ...]:
    required = [s for s in slots.values() if not s.optional]
    if not slots:
        return ("{verb}",)
    if len(required) <= 1 and len(slots) == 1:
        return (f"{{verb}} {{{next(iter(slots))}}}",)
    if len(required) == 1:
        return (f"{{verb}} {{{required[0].name}}}",)
    raise RegistryError(
        "parameters "
        + ", ".join(slots)
        + " need a syntax: declare @action(..., syntax=('{verb} {a} with {b}',))."
    )


def _compile(
    action: str, source: str, verbs: Sequence[str], slots: dict[str, Slot]
) -> list[Pattern]:
    text, _, fixed_text = source.partition("->")
    fixed: list[tuple[str, str]] = []
    for assignment in fixed_text.split(","):
        if assignment.strip():
            key, _, value = assignment.partition("=")
            fixed.append((key.strip(), value.strip()))
    expansions = [text.replace("{verb}", verb) for verb in verbs] if "{verb}" in text else [text]
    compiled = []
    for expanded in expansions:
        parts: list[frozenset[str] | Slot] = []
        for word in expanded.split():
            if word.startswith("{") and word.endswith("}"):
                slot = slots.get(word[1:-1])
                if slot is None:
                    raise RegistryError(
                        f"action {action!r}: pattern {source!r} names {word}, which is not a "
                        f"parameter (parameters: {', '.join(slots) or 'none'})."
                    )
                parts.append(slot)
            else:
                parts.append(frozenset(word.split("|")))
        compiled.append(Pattern(action, tuple(parts), tuple(fixed), source))
    return compiled


def slots_of(params: type[BaseModel]) -> dict[str, Slot]:
    """The slot of each parameter of an action: its kind, read from the type."""
    slots = {}
    for name, info in params.model_fields.items():
        annotation = info.annotation
        optional = not info.is_required()
        inner = _strip_none(annotation)
        if inner is int:
            slots[name] = Slot(name, "entity", optional=optional)
        elif typing.get_origin(inner) is Literal:
            values = [str(v) for v in typing.get_args(inner)]
            choices = [(v, v) for v in values]
            if set(values) <= set(DIRECTIONS.values()):
                choices = [(w, d) for w, d in DIRECTIONS.items() if d in values]
            slots[name] = Slot(name, "choice", tuple(choices), optional)
        else:
            slots[name] = Slot(name, "text", optional=optional)
    return slots


def _strip_none(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation
