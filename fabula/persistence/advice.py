"""What fabula's save errors tell a player to run.

A refused save's message ends with the command that gets the player going
again. Recovery reads a damaged save (and its ``-wal``) without changing
them and replays whatever journal they hold, through the game's rules, into
a new save: ``fabula replay SAVE --recover-to NEW``.
"""

from __future__ import annotations

import shlex
from pathlib import Path

__all__ = ["recover_command", "recovered_path"]


def recovered_path(path: Path) -> Path:
    """Where a recovery of ``path`` is suggested to go: beside it, ``NAME-recovered``."""
    return path.with_name(f"{path.stem}-recovered{path.suffix}")


def recover_command(path: Path, game: object | None = None) -> str:
    """The command that recovers the save at ``path`` into a new file.

    A game loaded from a folder is named with ``--game FOLDER``; otherwise
    ``fabula replay`` finds the installed game by the id the save records.
    """
    words = ["fabula", "replay", str(path), "--recover-to", str(recovered_path(path))]
    folder = getattr(getattr(game, "files", None), "root", None)
    if isinstance(folder, Path):
        words += ["--game", str(folder)]
    return shlex.join(words)
