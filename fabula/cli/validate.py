"""``fabula validate GAME``: check a game's files, report every problem, and
warn about what is sound but likely unintended: nouns of a room's text that
cannot be examined (:func:`fabula.content.unexaminable_mentions`). Warnings
never fail validation."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from fabula.content import ContentGame, unexaminable_mentions
from fabula.errors import ContentError
from fabula.prompts import PromptLibrary

__all__ = ["run_validate"]


def run_validate(root: Path, console: Console | None = None) -> int:
    """Check the game in ``root``; return 0 if it is sound, 1 if not."""
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
        return 1
    f = game.files
    console.print(
        f"[green]{f.game.title}[/] ({f.game.id}) is sound: {len(f.rooms)} rooms, "
        f"{len(f.doors)} doors, {len(f.items)} items, {len(f.npcs)} people; "
        f"{len(world)} entities at the start; prompts: "
        + ", ".join(f"{id_} v{'/'.join(prompts.versions(id_))}" for id_ in prompts.ids())
        + "."
    )
    mentions = unexaminable_mentions(f)
    if mentions:
        count = len(mentions)
        table = Table(title=f"{count} warning{'s' if count != 1 else ''} (not errors)")
        for column in ("file", "field", "warning"):
            table.add_column(column)
        for mention in mentions:
            table.add_row(mention.file, mention.field, mention.message)
        console.print(table)
    return 0
