"""Checking a game's rule files and variables before play: every
expression and text compiled, every id, component, field and action
checked, every problem reported at once with its file, rule and field
(the models are in :mod:`fabula.content.rulespec`)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from fabula.content.expressions import Expression, Text, compile_expression, compile_text
from fabula.content.limits import read_toml
from fabula.content.rulespec import (
    RULE_NAMES,
    SCENE_NAMES,
    Effect,
    EffectSpec,
    Rule,
    RuleSet,
    RulesFile,
    RuleSpec,
    Scene,
    SceneSpec,
    Value,
    variables_of,
)
from fabula.content.scenery import scenery_id
from fabula.errors import ContentError

__all__ = ["compile_rules", "load_rulebook"]


def compile_rules(
    root: Path,
    variables: Mapping[str, Value],
    shown: frozenset[str],
    *,
    ids: Collection[str],
    components: Callable[[str], type | None],
    actions: Collection[str],
) -> RuleSet:
    """Read and check the game's rule files (none is fine).

    Args:
        root: the game folder.
        variables, shown: from :func:`variables_of`.
        ids: every id of the game's things, rooms and people.
        components: a component type by its registered name (``None`` if none).
        actions: the registered action ids.

    Raises:
        ContentError: every problem, each naming its file, rule and field.
    """
    paths = [root / "rules.toml"] if (root / "rules.toml").is_file() else []
    if (root / "rules").is_dir():
        paths.extend(sorted((root / "rules").glob("*.toml")))
    problems: list[tuple[str, str, str]] = []
    checker = _Checker(problems, set(variables), set(ids), components, set(actions))
    rules: list[Rule] = []
    scenes: list[Scene] = []
    for path in paths:
        file = path.relative_to(root).as_posix()
        raw = read_toml(path, lambda _f, where, msg, file=file: problems.append((file, where, msg)))
        if raw is None:
            continue
        try:
            parsed = RulesFile.model_validate(raw)
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                loc = list(error["loc"])
                if len(loc) >= 2 and isinstance(loc[1], int) and isinstance(raw.get(loc[0]), list):
                    entry = raw[loc[0]][loc[1]]
                    ident = entry.get("id", "?") if isinstance(entry, dict) else "?"
                    loc[1] = f"{loc[1]}({ident})"
                problems.append((file, ".".join(str(p) for p in loc), error["msg"]))
            continue
        for i, spec in enumerate(parsed.rule):
            rule = checker.rule(file, f"rule.{i}({spec.id})", len(rules), spec)
            if rule is not None:
                rules.append(rule)
        for i, scene_spec in enumerate(parsed.scene):
            scene = checker.scene(file, f"scene.{i}({scene_spec.id})", scene_spec)
            if scene is not None:
                scenes.append(scene)
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            problems.append(("rules", f"rule {rule.id}", "a rule's id must be unique"))
        seen.add(rule.id)
    if problems:
        raise ContentError(problems)
    return RuleSet(dict(variables), shown, tuple(rules), tuple(scenes))


class _Checker:
    """Compiles one spec at a time, adding each problem instead of stopping."""

    def __init__(
        self,
        problems: list[tuple[str, str, str]],
        variables: set[str],
        ids: set[str],
        components: Callable[[str], type | None],
        actions: set[str],
    ) -> None:
        self.problems = problems
        self.variables = variables
        self.ids = ids
        self.components = components
        self.actions = actions

    def _try(self, make: Callable[[], Any]) -> Any:
        try:
            return make()
        except ContentError as exc:
            self.problems.extend(exc.problems)
            return None

    def expression(self, source: str, file: str, path: str) -> Expression | None:
        made: Expression | None = self._try(
            lambda: compile_expression(
                source, file=file, path=path, variables=self.variables,
                extra=(*RULE_NAMES, *SCENE_NAMES),
            )
        )  # fmt: skip
        if made is not None:
            for ident in sorted(made.ids - self.ids):
                self.problems.append((file, path, f"{ident!r} is not an id of this game"))
        return made

    def text(self, source: str, file: str, path: str) -> Text | None:
        if not source:
            return None
        made: Text | None = self._try(
            lambda: compile_text(
                source, file=file, path=path, variables=self.variables,
                extra=(*RULE_NAMES, *SCENE_NAMES),
            )
        )  # fmt: skip
        return made

    def rule(self, file: str, where: str, index: int, spec: RuleSpec) -> Rule | None:
        count = len(self.problems)
        for key, named in (("action", spec.action or []), ("unless_action", spec.unless_action)):
            for name in named:
                if name not in self.actions:
                    self.problems.append((file, f"{where}.{key}", f"no action is called {name!r}"))
        if spec.when == "every_turn" and (spec.action or spec.unless_action):
            self.problems.append((file, f"{where}.action", "an every_turn rule names no action"))
        condition = self.expression(spec.if_, file, f"{where}.if") if spec.if_ is not None else None
        say = self.text(spec.say, file, f"{where}.say")
        effects = self.effects(spec.effects, file, f"{where}.effects")
        if len(self.problems) > count:
            return None
        stop = spec.when == "instead" or bool(spec.stop)
        actions = frozenset(spec.action) if spec.action is not None else None
        unless = frozenset(spec.unless_action)
        return Rule(spec.id, index, spec.when, actions, unless, condition, say, effects, stop)

    def scene(self, file: str, where: str, spec: SceneSpec) -> Scene | None:
        count = len(self.problems)
        begins = self.expression(spec.begins, file, f"{where}.begins")
        ends = self.expression(spec.ends, file, f"{where}.ends") if spec.ends else None
        say_begin = self.text(spec.say_begin, file, f"{where}.say_begin")
        say_end = self.text(spec.say_end, file, f"{where}.say_end")
        on_begin = self.effects(spec.effects_begin, file, f"{where}.effects_begin")
        on_end = self.effects(spec.effects_end, file, f"{where}.effects_end")
        if len(self.problems) > count or begins is None:
            return None
        return Scene(spec.id, begins, ends, say_begin, say_end, on_begin, on_end)

    def effects(self, specs: list[EffectSpec], file: str, where: str) -> tuple[Effect, ...]:
        made = []
        for i, spec in enumerate(specs):
            effect = self.effect(spec, file, f"{where}.{i}")
            if effect is not None:
                made.append(effect)
        return tuple(made)

    def effect(self, spec: EffectSpec, file: str, where: str) -> Effect | None:
        def to() -> Expression | None:
            value = spec.to
            if isinstance(value, str):
                return self.expression(value, file, f"{where}.to")
            return self.expression(repr(value).lower() if isinstance(value, bool) else str(value),
                                   file, f"{where}.to")  # fmt: skip

        def bad(problem: str) -> None:
            self.problems.append((file, where, problem))

        if spec.set is not None:
            if spec.set not in self.variables:
                bad(f"{spec.set!r} is not a variable; declare it in game.toml [variables]")
            return Effect("set", spec.set, to=to())
        if spec.move is not None:
            place = str(spec.to)
            if spec.move not in self.ids:
                bad(f"{spec.move!r} is not an id of this game")
            if place not in self.ids and place not in ("player", "nowhere"):
                bad(f"'to' = {place!r} is not a place: an id, 'player' or 'nowhere'")
            return Effect("move", spec.move, place=place)
        if spec.change is not None:
            ctype = self.components(spec.component or "")
            if spec.change not in self.ids:
                bad(f"{spec.change!r} is not an id of this game")
            if ctype is None:
                bad(f"no component is called {spec.component!r}")
            elif not is_dataclass(ctype) or spec.field not in {f.name for f in fields(ctype)}:
                bad(f"the component {spec.component!r} has no field {spec.field!r}")
            return Effect("change", spec.change, to=to(), component=ctype, field=spec.field or "")
        if spec.award is not None:
            return Effect("award", points=spec.award, words=spec.for_)
        if spec.end is not None:
            return Effect("end", spec.end, message=spec.message)
        if spec.run not in self.actions:
            bad(f"no action is called {spec.run!r}")
        return Effect("run", spec.run or "")


def load_rulebook(files: Any, components: Any, actions: Any) -> RuleSet:
    """The checked :class:`RuleSet` of a loaded game (``files``, a
    :class:`~fabula.content.loader.GameFiles`). (Every other condition of
    the game is checked by :func:`~fabula.content.world_checks.check_world_conditions`,
    with the same variables and scene names.)

    Raises:
        ContentError: every problem in the variables, rules and scenes.
    """
    variables, shown = variables_of(files.variables, "game.toml")
    ids = {*files.rooms, *files.doors, *files.items, *files.npcs, "player"}
    for ident, room in files.rooms.items():
        ids.update(scenery_id(ident, name) for name in room.scenery)
    problems: list[tuple[str, str, str]] = []
    try:
        rules = compile_rules(
            files.root, variables, shown, ids=ids,
            components=components.try_get,
            actions=actions.names(),
        )  # fmt: skip
    except ContentError as exc:
        problems.extend(exc.problems)
        rules = RuleSet(variables, shown)
    if problems:
        raise ContentError(problems)
    return rules
