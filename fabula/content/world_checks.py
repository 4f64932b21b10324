"""Checks of a loaded game that read its conditions as expressions: a room's
``dark``, an exit's ``if``; each is compiled at load (so a syntax error or an
unknown name is reported before play, with its file and field) and every id
it names must be a thing, room or door of the game.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import TYPE_CHECKING

from fabula.content.expressions import Expression, compile_expression
from fabula.content.rulespec import SCENE_NAMES
from fabula.content.scenery import scenery_id
from fabula.content.schema import ExitSpec, is_expression_key
from fabula.errors import ContentError

if TYPE_CHECKING:
    from fabula.content.loader import GameFiles

__all__ = ["check_expression", "check_world_conditions"]

Report = Callable[[str, str, str], None]
"""Where problems go: ``report(file, field path, message)``."""


def game_ids(files: GameFiles) -> frozenset[str]:
    """Every id an expression may name: rooms, doors, items, people, the
    player, and rooms' scenery (``<room>.scenery.<name>``)."""
    scenery = {
        scenery_id(room, name) for room, spec in files.rooms.items() for name in spec.scenery
    }
    return frozenset({*files.rooms, *files.doors, *files.items, *files.npcs, "player", *scenery})


def check_expression(
    source: str,
    file: str,
    path: str,
    ids: Collection[str],
    report: Report,
    variables: Collection[str] = (),
) -> Expression | None:
    """Compile ``source`` and check the ids it names; report what is wrong
    (once per expression: an expression that does not compile has no ids
    to check) and return it compiled, or ``None``."""
    try:
        expression = compile_expression(
            source, file=file, path=path, variables=variables, extra=SCENE_NAMES
        )
    except ContentError as exc:
        for problem in exc.problems:
            report(*problem)
        return None
    unknown = sorted(expression.ids - set(ids))
    if unknown:
        names = ", ".join(map(repr, unknown))
        verb = "is not an id" if len(unknown) == 1 else "are not ids"
        report(file, path, f'"{source}": {names} {verb} of this game')
        return None
    return expression


def check_world_conditions(files: GameFiles, report: Report) -> None:
    """Compile every condition the world files state (``dark``, exits' ``if``,
    ``descriptions`` and ``listings`` keys that are expressions) and the
    ``if`` of every condition table (win, lose, awards, endings, timeline,
    hints)."""
    ids = game_ids(files)
    declared = files.variables if isinstance(files.variables, dict) else {}
    variables = sorted(str(name) for name in declared)

    def check(source: str, file: str, path: str) -> None:
        check_expression(source, file, path, ids, report, variables)

    for name, condition in files.conditions():
        if condition.if_ is not None:
            file = "hints.toml" if name.startswith("hints.") else "game.toml"
            shown = f"{files.root.name}/{file}"
            check(condition.if_, shown, f"{name}.if")
    kinds = (("rooms", files.rooms), ("doors", files.doors), ("items", files.items),
             ("npcs", files.npcs))  # fmt: skip
    for kind, specs in kinds:
        for ident in sorted(specs):
            spec = specs[ident]
            for table in ("descriptions", "listings"):
                for key in getattr(spec, table, {}):
                    if is_expression_key(key):
                        path = f"{kind}.{ident}.{table}.{key}"
                        check(key, files.origin.get(ident, "?"), path)
    for ident in sorted(files.rooms):
        room = files.rooms[ident]
        file = files.origin.get(ident, "?")
        if isinstance(room.dark, str):
            check(room.dark, file, f"rooms.{ident}.dark")
        for direction, exit_ in room.exits.items():
            if isinstance(exit_, ExitSpec) and exit_.if_ is not None:
                path = f"rooms.{ident}.exits.{direction}.if"
                check(exit_.if_, file, path)
