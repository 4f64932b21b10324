"""``fabula replay SAVE``: does a save's journal reproduce its state?

``fabula replay SAVE --recover-to NEW`` rebuilds a save that fabula refuses
to open (a damaged ``-wal`` or snapshot, a bad journal row) into a new save
from whatever journal it still holds; the damaged files are not changed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from fabula.cli.boundary import printable
from fabula.content import ContentGame
from fabula.errors import FabulaError
from fabula.persistence import SaveFile, verify
from fabula.simulation import find_game

__all__ = ["run_replay"]


def run_replay(
    save: Path,
    game: str | None = None,
    console: Console | None = None,
    recover_to: Path | None = None,
) -> int:
    """Verify ``save`` and print the report; return 0 if it reproduces, 1 if
    not, 2 if it could not be checked. With ``recover_to``, recover it into
    that new file instead: 0 if every turn was recovered, 1 if some were not,
    2 if nothing could be.

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
        if recover_to is not None:
            return _recover(save, found, recover_to, game, console)
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
        console.print(f"[bold red]cannot replay:[/] {escape(printable(str(exc)))}", soft_wrap=True)
        return 2
    turns = f"{report.turns} turn{'s' if report.turns != 1 else ''}"
    console.print(f"[bold]{escape(str(save))}[/]: game {escape(report.game)}, {turns} replayed")
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
        console.print(f"[bold red]diverged:[/] {escape(report.problem)}")
    if report.ok:
        console.print("[green]The journal reproduces this save exactly.[/]")
        return 0
    console.print(
        "[bold red]The journal does not reproduce this save.[/] The game is not deterministic "
        "or has changed since these turns were played; see docs/persistence.md."
    )
    return 1


def _recover(save: Path, game: Any, to: Path, named: str | None, console: Console) -> int:
    report = SaveFile.recover(save, game, to=to)
    console.print(
        escape(
            f"Recovered {report.turns} turn{'s' if report.turns != 1 else ''} of {save} into "
            f"{to} (read from {report.reading}). {save} was not changed."
        )
    )
    lost = max(report.readable, report.expected or 0)
    if report.problem is not None:
        console.print(f"[bold red]Stopped at turn {report.turns + 1}:[/] {escape(report.problem)}")
    if report.expected is not None and report.expected > report.turns:
        console.print(
            f"[bold red]The game had reached turn {report.expected}[/]; turns "
            f"{report.turns + 1}-{report.expected} could not be recovered."
        )
    folder = f"{named} " if named is not None and Path(named).is_dir() else ""
    console.print(escape(f"Continue it with: fabula play {folder}--save {to}"))
    return 0 if report.complete and report.turns >= lost else 1
