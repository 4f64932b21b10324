"""Checks of a loaded game that read its conditions as expressions: a room's
``dark``, an exit's ``if``; each is compiled at load (so a syntax error or an
unknown name is reported before play, with its file and field) and every id
it names must be a thing, room or door of the game.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import TYPE_CHECKING

from fabula.content.expressions import Expression, compile_expression
from fabula.content.schema import ExitSpec, is_expression_key
from fabula.errors import ContentError

if TYPE_CHECKING:
    from fabula.content.loader import GameFiles

__all__ = ["check_expression", "check_world_conditions"]

Report = Callable[[str, str, str], None]
"""Where problems go: ``report(file, field path, message)``."""


def game_ids(files: GameFiles) -> frozenset[str]:
    """Every id an expression may name: rooms, doors, items, people, the player."""
    return frozenset({*files.rooms, *files.doors, *files.items, *files.npcs, "player"})


def check_expression(
    source: str, file: str, path: str, ids: Collection[str], report: Report
) -> Expression | None:
    """Compile ``source`` and check the ids it names; report what is wrong
    (once per expression: an expression that does not compile has no ids
    to check) and return it compiled, or ``None``."""
    try:
        expression = compile_expression(source, file=file, path=path)
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
    for name, condition in files.conditions():
        if condition.if_ is not None:
            file = "hints.toml" if name.startswith("hints.") else "game.toml"
            shown = f"{files.root.name}/{file}"
            check_expression(condition.if_, shown, f"{name}.if", ids, report)
    kinds = (("rooms", files.rooms), ("doors", files.doors), ("items", files.items),
             ("npcs", files.npcs))  # fmt: skip
    for kind, specs in kinds:
        for ident in sorted(specs):
            spec = specs[ident]
            for table in ("descriptions", "listings"):
                for key in getattr(spec, table, {}):
                    if is_expression_key(key):
                        path = f"{kind}.{ident}.{table}.{key}"
                        check_expression(key, files.origin.get(ident, "?"), path, ids, report)
    for ident in sorted(files.rooms):
        room = files.rooms[ident]
        file = files.origin.get(ident, "?")
        if isinstance(room.dark, str):
            check_expression(room.dark, file, f"rooms.{ident}.dark", ids, report)
        for direction, exit_ in room.exits.items():
            if isinstance(exit_, ExitSpec) and exit_.if_ is not None:
                path = f"rooms.{ident}.exits.{direction}.if"
                check_expression(exit_.if_, file, path, ids, report)
