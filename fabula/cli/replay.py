"""``fabula replay SAVE``: does a save's journal reproduce its state?"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from fabula.content import ContentGame
from fabula.errors import FabulaError
from fabula.game import find_game
from fabula.persistence.verify import verify

__all__ = ["run_replay"]


def run_replay(save: Path, game: str | None = None, console: Console | None = None) -> int:
    """Verify ``save`` and print the report; return 0 if it reproduces, 1 if
    not, 2 if it could not be checked.

    Args:
        save: the save file.
        game: the game, as a game folder, an installed id or
            ``module:attribute`` (default: the installed game with the id the
            save records).
    """
    console = console or Console()
    try:
        if game is not None and (Path(game) / "game.toml").is_file():
            found: Any = ContentGame.load(game)  # a game folder
        else:
            found = find_game(game) if game is not None else None
        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as bar:
            task = bar.add_task("replaying turns", total=None)
            report = verify(
                save,
                found,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
    except FabulaError as exc:
        console.print(f"[bold red]cannot replay:[/] {exc}")
        return 2
    console.print(f"[bold]{save}[/]: game {report.game}, {report.turns} turns replayed")
    table = Table()
    table.add_column("check")
    table.add_column("recorded")
    table.add_column("replayed")
    table.add_column("")
    for what, expected, found in report.checks:
        mark = "[green]same[/]" if expected == found else "[bold red]DIFFERENT[/]"
        table.add_row(what, expected[:16], found[:16], mark)
    console.print(table)
    if report.problem:
        console.print(f"[bold red]diverged:[/] {report.problem}")
    if report.ok:
        console.print("[green]The journal reproduces this save exactly.[/]")
        return 0
    console.print(
        "[bold red]The journal does not reproduce this save.[/] The game is not deterministic "
        "or has changed since these turns were played; see docs/persistence.md."
    )
    return 1
