"""Every template a game can tell a turn with, tried before anyone plays.

``fabula validate`` calls :func:`check_templates`: each file in the game's
``templates/`` folder is compiled, then every template the narrator can
reach (each action's and refusal's, with the built-in ones the game does not
override, and those telling what others did) is rendered against a real
context: the game's world at turn 0, its player, parameters shaped like the
action's own, and real entities wherever a template may name one. Every
description and the opening room are told too. A template that would fail
at play (a syntax error, an undefined name, something the sandbox refuses,
a loop past its bounds) fails here, reported with its file and line.

Parameters are the action's declared fields, so a misspelt ``params.itme``
is caught; a refusal's facts differ from refusal to refusal, so any fact a
refusal template asks for is given (an entity), and only its other names
are checked.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from importlib.resources import files as package_files
from pathlib import Path
from typing import Any

from fabula.content import ContentGame, template_problem
from fabula.errors import ContentError
from fabula.narration import prose
from fabula.narration.narrator import TemplateNarrator

__all__ = ["MAX_TEMPLATES", "check_templates"]

MAX_TEMPLATES = 1000
"""The most files a game's ``templates/`` folder may hold."""

Problem = tuple[str, str, str]
_FOLDERS = ("actions", "refusals", "others")


class _StandIn(int):
    """A fact of unknown shape: an entity (a number the helpers can name)
    that also passes for a one-item list of itself, since refusals' facts
    may be entities, names or lists of them."""

    def __len__(self) -> int:
        return 1

    def __iter__(self) -> Iterator[_StandIn]:
        yield self

    def __getitem__(self, key: object) -> _StandIn:
        return self


class _AnyFact(dict[str, Any]):
    """Facts for a trial render: whatever a template asks for is a stand-in."""

    def __init__(self, __entity: int, **known: Any) -> None:
        super().__init__(known)
        self._stand_in = _StandIn(__entity)

    def __missing__(self, key: str) -> _StandIn:
        return self._stand_in


def check_templates(game: ContentGame) -> tuple[int, list[Problem]]:
    """Compile and trial-render the game's templates.

    Returns:
        How many renders were tried, and every problem found (file, where, message).
    """
    folder = game.files.templates
    problems: list[Problem] = []
    narrator = TemplateNarrator(folder)
    own = sorted(_own_templates(folder)) if folder is not None else []
    if len(own) > MAX_TEMPLATES:
        shown = f"{game.files.root.name}/templates"
        return 0, [(shown, "", f"{len(own):,} files, more than {MAX_TEMPLATES:,}")]
    for name in own:
        try:
            narrator.env.get_template(name)
        except ContentError as exc:
            problems.extend(exc.problems)
        except Exception as exc:  # a syntax error, or a file that is not a template
            problems.append(template_problem(exc, name, narrator.root))
    broken = {file for file, _, _ in problems}
    world = game.new_world(game.files.game.seed)
    view = world.view()
    actor = game.player(view)
    thing = _some_thing(game, view, actor)
    tried = 0
    for folder_name, name in _reachable(game, own):
        if f"{folder_name}/{name}.j2" in {_tail(f) for f in broken}:
            continue  # already reported: it does not compile
        context = narrator._context(view, actor) | _trial(game, folder_name, name, actor, thing)
        tried += 1
        try:
            narrator._render(folder_name, name, context)
        except ContentError as exc:
            problems.extend(p for p in exc.problems if p not in problems)
    for entity in sorted(world.entities()):
        tried += 1
        try:
            prose.description(view, entity)
        except Exception as exc:  # a description that cannot be told
            problems.append((game.files.root.name, f"entity {entity}", f"description: {exc}"))
    prose.describe_room(view, actor)
    return tried, problems


def _tail(file: str) -> str:
    parts = Path(file).parts
    return "/".join(parts[-2:])


def _own_templates(folder: Path) -> Iterator[str]:
    for path in folder.rglob("*"):
        if path.is_file() or (path.exists() and not path.is_dir()):
            yield path.relative_to(folder).as_posix()


def _reachable(game: ContentGame, own: list[str]) -> list[tuple[str, str]]:
    """``(folder, name)`` of every template the narrator can be asked for."""
    found: set[tuple[str, str]] = {("actions", name) for name in game.actions.names()}
    builtin = package_files("fabula.narration") / "templates"
    for folder in _FOLDERS:
        for entry in (builtin / folder).iterdir():
            if entry.name.endswith(".j2"):
                found.add((folder, entry.name.removesuffix(".j2")))
    for name in own:
        folder, _, rest = name.partition("/")
        if folder in _FOLDERS and rest.endswith(".j2") and "/" not in rest:
            found.add((folder, rest.removesuffix(".j2")))
    return sorted(found)


def _some_thing(game: ContentGame, view: Any, actor: int) -> int:
    """An entity to stand for any the templates may name: an item if the
    game has one, else a person, else the player."""
    ids = game.ids(view)
    for kind in (game.files.items, game.files.npcs):
        for ident in sorted(kind):
            if ident in ids:
                return ids[ident]
    return actor


def _trial(game: ContentGame, folder: str, name: str, actor: int, thing: int) -> dict[str, Any]:
    """The rest of a trial context: parameters, facts, events and the like."""
    events = [
        _AnyFact(thing, kind="OnDamage", target=thing, source=actor, amount=1),
        _AnyFact(thing, kind="OnDeath", entity=thing, killer=actor),
    ]
    if folder == "others":
        event = {"OnDamage": events[0], "OnDeath": events[1]}.get(name, events[0])
        return {"event": event, "hp": 5, "max_hp": 10}
    action = game.actions.try_get(name) if folder == "actions" else None
    params = _params(action, thing) if action is not None else _AnyFact(thing)
    return {
        "params": params,
        "facts": _AnyFact(thing),
        "reason": "You can't do that here.",
        "events": events,
        "room": "Somewhere\nA room, for trying templates.",
    }


def _params(action: Any, thing: int) -> dict[str, Any]:
    """Values for each of the action's declared parameters, shaped by type."""
    model = getattr(action, "Params", None)
    fields = getattr(model, "model_fields", {}) if model is not None else {}
    return {name: _value(field.annotation, thing) for name, field in fields.items()}


def _value(annotation: Any, thing: int) -> Any:
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return typing.get_args(annotation)[0]
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _value(options[0], thing) if options else None
    if annotation is bool:
        return True
    if annotation is int:
        return thing
    if annotation is str:
        return "north"
    if origin in (list, tuple, set, frozenset):
        return [thing]
    return thing
