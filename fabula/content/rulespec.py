"""What a game's ``rules.toml`` (and ``rules/*.toml``) and its
``[variables]`` may say, and their checking before play.

``game.toml`` declares the game's variables, each a plain initial value
(hidden from the narrator) or a table that lets the narrator see it::

    [variables]
    disturbed = 0                          # an int, a bool or a string
    mood = { value = "calm", shown = true }

``rules.toml`` holds rules and scenes, in the spirit of Inform's rulebooks::

    [[rule]]
    id = "trample"
    when = "before"                        # before | instead | after | every_turn
    unless_action = ["go"]                 # or action = "take" / ["take", "drop"]
    if = "location == 'bar' and not lit('bar')"
    say = "In the dark? You could easily disturb something."
    effects = [{ set = "disturbed", to = "disturbed + 1" }]
    stop = true

    [[scene]]
    id = "storm"
    begins = "turn >= 5"
    ends = "location == 'cellar'"
    say_begin = "Thunder rolls over the bay."

:func:`~fabula.content.rulecheck.compile_rules` turns them into
:class:`RuleSet` (expressions and texts compiled, ids, components and
actions checked), reporting every problem at once as one
:class:`~fabula.errors.ContentError` naming the file, the rule (index and
id) and the field: never a traceback.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from fabula.content.expressions import Expression, Text
from fabula.errors import ContentError

__all__ = [
    "RULE_NAMES",
    "SCENE_NAMES",
    "Effect",
    "EffectSpec",
    "Rule",
    "RuleSet",
    "RuleSpec",
    "RulesFile",
    "Scene",
    "SceneSpec",
    "VariableSpec",
    "variables_of",
]

RULE_NAMES = ("action", "actor", "noun", "second")
"""Names a rule's ``if`` and ``say`` see besides the usual ones: the action's
id, and the ids of its actor and its objects (a direction for ``go``)."""

SCENE_NAMES = ("scene_active", "scene_ended")
"""Functions every condition may call: ``scene_active('storm')``."""

When = Literal["before", "instead", "after", "every_turn"]
Value = int | bool | str


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class VariableSpec(_Strict):
    """One variable as a table: its initial ``value`` and whether the
    narrator's state context may show it."""

    value: Value
    shown: bool = False


class EffectSpec(_Strict):
    """One effect: exactly one of ``set``, ``move``, ``change``, ``award``,
    ``end`` or ``run``, with its companions (``to``, ``component``,
    ``field``, ``for``, ``message``)."""

    set: str | None = None
    move: str | None = None
    change: str | None = None
    award: int | None = Field(default=None, gt=0)
    end: Literal["won", "lost"] | None = None
    run: str | None = None
    to: Value | None = None
    component: str | None = None
    field: str | None = None
    for_: str = Field(default="", alias="for")
    message: str = ""

    @model_validator(mode="after")
    def _one_kind(self) -> EffectSpec:
        kinds = [k for k in ("set", "move", "change", "award", "end", "run") if getattr(self, k)]
        if len(kinds) != 1:
            raise ValueError("an effect is one of set, move, change, award, end or run")
        if kinds[0] in ("set", "move", "change") and self.to is None:
            raise ValueError(f"a {kinds[0]} effect needs 'to'")
        if kinds[0] == "change" and not (self.component and self.field):
            raise ValueError("a change effect needs 'component' and 'field'")
        if kinds[0] == "award" and not self.for_:
            raise ValueError("an award effect needs 'for' (what FULL SCORE says it was for)")
        return self


class RuleSpec(_Strict):
    """One ``[[rule]]`` (see the module docstring)."""

    id: str = Field(min_length=1)
    when: When
    action: list[str] | None = None
    unless_action: list[str] = []
    if_: str | None = Field(default=None, alias="if")
    say: str = ""
    effects: list[EffectSpec] = []
    stop: bool | None = None

    @model_validator(mode="before")
    @classmethod
    def _one_or_many(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("action"), str):
            data = {**data, "action": [data["action"]]}
        return data


class SceneSpec(_Strict):
    """One ``[[scene]]``: it begins the first turn ``begins`` holds and ends
    the first turn after that ``ends`` holds, once each."""

    id: str = Field(min_length=1)
    begins: str
    ends: str | None = None
    say_begin: str = ""
    say_end: str = ""
    effects_begin: list[EffectSpec] = []
    effects_end: list[EffectSpec] = []


class RulesFile(_Strict):
    """One rules file: its ``[[rule]]`` and ``[[scene]]`` tables."""

    rule: list[RuleSpec] = []
    scene: list[SceneSpec] = []


@dataclass(frozen=True)
class Effect:
    """A checked effect: ``kind`` and what it needs (see :class:`EffectSpec`)."""

    kind: str
    target: str = ""
    to: Expression | None = None
    place: str = ""
    component: type | None = None
    field: str = ""
    points: int = 0
    words: str = ""
    message: str = ""


@dataclass(frozen=True)
class Rule:
    """A checked rule: ``actions`` is ``None`` for any action."""

    id: str
    index: int
    when: str
    actions: frozenset[str] | None
    unless: frozenset[str]
    condition: Expression | None
    say: Text | None
    effects: tuple[Effect, ...]
    stop: bool


@dataclass(frozen=True)
class Scene:
    """A checked scene."""

    id: str
    begins: Expression
    ends: Expression | None
    say_begin: Text | None
    say_end: Text | None
    on_begin: tuple[Effect, ...]
    on_end: tuple[Effect, ...]


@dataclass(frozen=True)
class RuleSet:
    """A game's variables, rules and scenes, checked.

    Attributes:
        variables: name -> initial value.
        shown: the variables the narrator may see.
        rules: in file order (``rules.toml``, then ``rules/*.toml`` by name).
        scenes: in file order.
    """

    variables: Mapping[str, Value]
    shown: frozenset[str]
    rules: tuple[Rule, ...] = ()
    scenes: tuple[Scene, ...] = ()


def variables_of(raw: Any, file: str) -> tuple[dict[str, Value], frozenset[str]]:
    """``[variables]`` as initial values and the names shown to the narrator.

    Raises:
        ContentError: a value that is not an int, a bool, a string or a
            ``{ value, shown }`` table.
    """
    if raw is None:
        return {}, frozenset()
    if not isinstance(raw, dict):
        raise ContentError([(file, "variables", "must be a table: [variables]")])
    values: dict[str, Value] = {}
    shown: set[str] = set()
    problems: list[tuple[str, str, str]] = []
    for name, value in raw.items():
        where = f"variables.{name}"
        if not name.isidentifier():
            problems.append((file, where, "a variable's name is letters, digits and '_'"))
        elif isinstance(value, int | str):  # bool is an int
            values[name] = value
        elif isinstance(value, dict):
            try:
                spec = VariableSpec.model_validate(value)
            except ValidationError as exc:
                problems.extend((file, where, e["msg"]) for e in exc.errors(include_url=False))
                continue
            values[name] = spec.value
            if spec.shown:
                shown.add(name)
        else:
            problems.append((file, where, "must be an int, a bool, a string or { value = ... }"))
    if problems:
        raise ContentError(problems)
    return values, frozenset(shown)
