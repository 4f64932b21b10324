"""Errors of save files."""

from __future__ import annotations

from typing import Any

from fabula.errors.base import FabulaError

# --- persistence --------------------------------------------------------------


class PersistenceError(FabulaError):
    """A save file that cannot be opened, read or written as asked.

    Attributes:
        path: the save file concerned.
    """

    def __init__(self, path: Any, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


class NotASaveError(PersistenceError):
    """The file is not SQLite, is damaged or truncated, or is not a fabula save."""


class SaveVersionError(PersistenceError):
    """The save was written in a format newer than this fabula understands."""


class SaveContentError(PersistenceError):
    """The save holds content this game cannot load (an unknown component name,
    a component whose fields changed, a row that does not decode, a journalled
    action the game no longer has).

    Attributes:
        table: the table holding the first bad row, if one is to blame.
        row: that row ("turn 12", "entity 5", "chunk 0", "key 'seed'").
        field: the column or field within it.
    """

    def __init__(
        self,
        path: Any,
        message: str,
        *,
        table: str | None = None,
        row: str | None = None,
        field: str | None = None,
    ) -> None:
        self.table, self.row, self.field = table, row, field
        where = [
            part
            for part in (
                f"table {table!r}" if table else "",
                row or "",
                f"field {field!r}" if field else "",
            )
            if part
        ]
        super().__init__(path, f"{', '.join(where)}: {message}" if where else message)


class SaveLockedError(PersistenceError):
    """Another process has the save open."""


class SaveWriteError(PersistenceError):
    """Writing the save failed (read-only location, disk full, I/O error).
    The previous contents of the save are intact."""


class WalError(PersistenceError):
    """The save's write-ahead log (``<save>-wal``) cannot be trusted: SQLite
    would open the save without turns it holds (a damaged header or frame,
    a log cut short or missing), or with another database's pages (a log
    copied from elsewhere). Nothing was changed; the message names the
    command that recovers what can be read into a new save.

    Attributes:
        wal: the log file.
    """

    def __init__(self, path: Any, message: str, wal: Any = None) -> None:
        super().__init__(path, message)
        self.wal = wal


class ReplayError(PersistenceError):
    """Replaying a journal did not reproduce the recorded state."""
