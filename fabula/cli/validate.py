"""``fabula validate GAME``: check a game's files, report every problem, and
warn about what is sound but likely unintended: nouns of a room's text that
cannot be examined (:func:`fabula.content.unexaminable_mentions`), rooms no
exit leads to and what lies in them (:func:`fabula.content.unreachable`). Warnings
never fail validation.

Validating loads the game as playing it would, so it imports the game's
Python (``actions/``, ``components/``): that code runs, with the user's
permissions, and validate says so before it does. Then every template the
narrator can reach is compiled and rendered against the game's real world
(:func:`~fabula.narration.check_templates`), so a template that would fail
at play fails here, with its file and line.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from fabula.cli.boundary import printable
from fabula.content import ContentGame, unexaminable_mentions, unreachable
from fabula.errors import ContentError
from fabula.memory import read_lore
from fabula.narration import check_templates
from fabula.prompts import PromptLibrary

__all__ = ["run_validate"]


def run_validate(root: Path, console: Console | None = None) -> int:
    """Check the game in ``root``; return 0 if it is sound, 2 if not (the
    exit status of every error a user must fix, see docs/errors.md)."""
    console = console or Console()
    python = _python_files(root)
    if python:
        console.print(
            f"Importing the game's Python ({python} file{'s' if python != 1 else ''} in "
            "actions/ and components/): it runs as code, with your permissions."
        )
    try:
        game = ContentGame.load(root)
        world = game.new_world(game.files.game.seed)
        prompts = PromptLibrary.load(game.files.prompts)  # a game's own prompt files
        tried, problems = check_templates(game)
        problems += _lore_problems(game)
        if problems:
            raise ContentError(problems)
    except ContentError as exc:  # PromptError is one too
        count = len(exc.problems)
        title = f"{root}: {count} problem{'s' if count != 1 else ''}"
        console.print(f"[bold]{escape(printable(title))}[/]", soft_wrap=True)
        for file, path, message in exc.problems:
            # one whole line each, never cut at the terminal's width, so it can be
            # searched for and copied (a table wraps a long message into pieces)
            where = f"{file}: {path}: " if path else f"{file}: "
            console.print(f"  {escape(printable(where + message))}", soft_wrap=True)
        console.print("[bold red]Fix these and run fabula validate again.[/]")
        return 2
    f = game.files
    console.print(
        f"[green]{escape(f.game.title)}[/] ({escape(f.game.id)}) is sound: "
        f"{_count(len(f.rooms), 'room')}, {_count(len(f.doors), 'door')}, "
        f"{_count(len(f.items), 'item')}, {_count(len(f.npcs), 'person', 'people')}; "
        f"{_count(len(world), 'entity', 'entities')} at the start; "
        f"{_count(tried, 'template render')} tried; prompts: "
        + ", ".join(f"{id_} v{'/'.join(prompts.versions(id_))}" for id_ in prompts.ids())
        + ".",
        soft_wrap=True,
    )
    warnings = unreachable(f) + [(m.file, m.field, m.message) for m in unexaminable_mentions(f)]
    if warnings:
        count = len(warnings)
        table = Table(title=f"{count} warning{'s' if count != 1 else ''} (not errors)")
        for column in ("file", "field", "warning"):
            table.add_column(column)
        for row in warnings:
            table.add_row(*(escape(printable(cell)) for cell in row))
        console.print(table)
    return 0


def _lore_problems(game: ContentGame) -> list[tuple[str, str, str]]:
    """Every problem of the game's lore files (their front matter, the ids a
    ``requires`` gate names), which playing would otherwise meet only when
    memory first indexes the lore."""
    folder = game.files.lore
    if folder is None:
        return []
    f = game.files
    ids = {*f.rooms, *f.doors, *f.items, *f.npcs, "player"}
    problems: list[tuple[str, str, str]] = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in (".md", ".txt"):
            try:
                read_lore(path, folder, ids)
            except ContentError as exc:
                problems.extend(exc.problems)
    return problems


def _python_files(root: Path) -> int:
    """How many ``.py`` files the game's ``actions/`` and ``components/`` hold."""
    count = 0
    for name in ("actions", "components"):
        folder = Path(root) / name
        if folder.is_dir():
            count += sum(1 for p in folder.rglob("*.py") if not p.name.startswith("_"))
    return count


def _count(n: int, one: str, many: str | None = None) -> str:
    """``n`` and the noun, singular or plural ("1 door", "2 doors")."""
    return f"{n} {one if n == 1 else many or one + 's'}"
