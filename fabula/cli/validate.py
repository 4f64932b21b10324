"""``fabula validate GAME``: check a game's files, report every problem."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from fabula.content import ContentGame
from fabula.errors import ContentError
from fabula.prompts import PromptLibrary

__all__ = ["run_validate"]


def run_validate(root: Path, console: Console | None = None) -> int:
    """Check the game in ``root``; return 0 if it is sound, 2 if not (the
    exit status of every error a user must fix, see docs/errors.md)."""
    console = console or Console()
    try:
        game = ContentGame.load(root)
        world = game.new_world(game.files.game.seed)
        prompts = PromptLibrary.load(game.files.prompts)  # a game's own prompt files
    except ContentError as exc:  # PromptError is one too
        count = len(exc.problems)
        table = Table(title=f"{root}: {count} problem{'s' if count != 1 else ''}")
        for column in ("file", "field", "problem"):
            table.add_column(column)
        for file, path, message in exc.problems:
            table.add_row(file, path, message)
        console.print(table)
        console.print("[bold red]Fix these and run fabula validate again.[/]")
        return 2
    f = game.files
    console.print(
        f"[green]{f.game.title}[/] ({f.game.id}) is sound: {len(f.rooms)} rooms, "
        f"{len(f.doors)} doors, {len(f.items)} items, {len(f.npcs)} people; "
        f"{len(world)} entities at the start; prompts: "
        + ", ".join(f"{id_} v{'/'.join(prompts.versions(id_))}" for id_ in prompts.ids())
        + "."
    )
    return 0
