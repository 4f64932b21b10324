"""Checking a save's files before SQLite may touch them.

SQLite cannot be asked whether opening a save would lose anything: by the
time it knows, it has acted. It silently drops the part of a ``-wal`` after a
damaged frame (or all of it, after a damaged header), applies a ``-wal``
copied from another database, plays back a stray ``-journal``, and on closing
checkpoints the log into the file and deletes it. Any of these could open a
save shorter than the game the player saw, or another one, and a refusal
after opening would already have changed the files.

So :func:`check_files` reads the files itself, with the save's lock held:

1. the main file's header (SQLite, and not truncated);
2. no rollback journal beside it (fabula saves never have one);
3. the ``-wal``, frame by frame, with SQLite's rules
   (:func:`fabula.persistence.wal.scan`): refused if SQLite would drop
   committed frames or if its page size is not the save's;
4. if there is a ``-wal`` at all, or the lock file holds the journal mark of
   a game that did not close: the database SQLite would see is built in
   memory (:func:`fabula.persistence.wal.apply`) and checked: still a fabula
   save, the same save as the main file alone (its ``meta``), sound
   (``PRAGMA quick_check``), and holding the journal the mark records, up to
   the same last row.

Nothing is opened on disk until all of this passes, and the in-memory copy
it returns is what the caller loads and checks the rows from. Only then is
the real file opened, to write; so every refusal leaves the save, its
``-wal`` and its lock file byte for byte as they were.

The cost falls on opening a save that has a ``-wal`` (after a crash; a clean
close leaves none): reading both files once, about 8 ms per MB of log to
verify its checksums, and a quick check of the image.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from fabula.errors import NotASaveError, WalError
from fabula.persistence import wal
from fabula.persistence.journal import stamp
from fabula.persistence.lock import JournalMark, lock_path
from fabula.persistence.meta import read_meta
from fabula.persistence.schema import FABULA_ID, SQLITE_MAGIC, check_header, os_error, translate

__all__ = ["check_files", "memory_image", "page_size"]


def page_size(header: bytes) -> int:
    """The page size a SQLite file header gives."""
    size = int.from_bytes(header[16:18], "big")
    return 65536 if size == 1 else size


def memory_image(image: bytes | bytearray) -> sqlite3.Connection:
    """An in-memory database holding ``image`` (a database file's bytes).

    The header's read/write versions are set to the rollback journal's in the
    copy: an in-memory database cannot be in WAL mode.
    """
    data = bytearray(image)
    if len(data) >= 20:
        data[18] = data[19] = 1
    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    try:
        conn.deserialize(bytes(data))
    except sqlite3.Error:
        conn.close()
        raise
    return conn


def check_files(path: Path, mark: JournalMark | None, recover: str) -> sqlite3.Connection | None:
    """Check the save at ``path`` and its companions before SQLite opens them.

    Args:
        path: the save (its lock held by the caller).
        mark: the journal mark the lock file held (``None`` if none).
        recover: the command that recovers the save, for messages.

    Returns:
        An in-memory copy of the database SQLite would see, when there is a
        ``-wal`` or a mark (load from it, then open the file); ``None`` when
        the file alone is the save and may be opened directly.

    Raises:
        WalError: the ``-wal`` would be cut short or is another database's,
            or the journal is shorter than the mark records.
        NotASaveError, SaveWriteError: see :func:`~fabula.persistence.schema.check_header`.
    """
    header = check_header(path)
    _check_no_journal(path)
    log = Path(f"{path}-wal")
    try:
        data = log.read_bytes() if log.exists() else None
    except OSError as exc:
        raise os_error(path, exc, "reading its write-ahead log") from exc
    if data is None and mark is None:
        return None
    found = wal.scan(data or b"", page_size(header))
    if found.problem is not None:
        what = f"its write-ahead log {log.name} {found.problem}"
        raise WalError(path, _refusal(log, what, recover), log)
    try:
        main = path.read_bytes()
    except OSError as exc:
        raise os_error(path, exc, "reading it") from exc
    try:
        image = memory_image(wal.apply(main, data, found) if data and found.committed else main)
    except sqlite3.Error as exc:
        raise translate(path, exc, "reading it") from exc
    except ValueError as exc:  # a commit frame giving an impossible size
        what = f"its write-ahead log {log.name} describes {exc}: it belongs to another database"
        raise WalError(path, _refusal(log, what, recover), log) from exc
    try:
        if data and found.committed:
            _check_log_fits(path, log, main, image, recover)
        if mark is not None:
            _check_mark(path, log, data, mark, image, recover)
    except sqlite3.Error as exc:
        image.close()
        raise translate(path, exc, "checking it") from exc
    except BaseException:
        image.close()
        raise
    return image


def _check_no_journal(path: Path) -> None:
    journal = Path(f"{path}-journal")
    with contextlib.suppress(OSError), journal.open("rb") as file:
        if any(file.read(28)):
            raise NotASaveError(
                path,
                f"has a rollback journal beside it ({journal.name}), which a fabula save never "
                "has; SQLite would write it into the save on opening. Nothing was changed. Move "
                f"{journal.name} elsewhere if it does not belong to this save, then open it again.",
            )


def _check_log_fits(
    path: Path, log: Path, main: bytes, image: sqlite3.Connection, recover: str
) -> None:
    """The log, applied, still makes this save: not another database or save."""
    (app_id,) = image.execute("PRAGMA application_id").fetchone()
    if int.from_bytes(main[68:72], "big") == FABULA_ID and app_id != FABULA_ID:
        raise WalError(
            path,
            _refusal(
                log,
                f"its write-ahead log {log.name} belongs to another database: SQLite would "
                "turn the save into that database",
                recover,
            ),
            log,
        )
    problems = [row[0] for row in image.execute("PRAGMA quick_check(3)")]
    if problems != ["ok"]:
        alone = memory_image(main)
        try:
            sound = [row[0] for row in alone.execute("PRAGMA quick_check(1)")] == ["ok"]
        finally:
            alone.close()
        if not sound:
            raise NotASaveError(
                path,
                f"is damaged ({problems[0]}) and cannot be read. It was left as it is; restore "
                f"it from a backup, or recover what can be read with: {recover}",
            )
        raise WalError(
            path,
            _refusal(
                log,
                f"its write-ahead log {log.name} does not fit the save: applied to it, it makes "
                f"a damaged database ({problems[0]}); it belongs to another database or save",
                recover,
            ),
            log,
        )
    alone = memory_image(main)
    try:
        if not main.startswith(SQLITE_MAGIC) or read_meta(alone, path) != read_meta(image, path):
            raise WalError(
                path,
                _refusal(
                    log,
                    f"its write-ahead log {log.name} belongs to another save: SQLite would "
                    "replace this game's record with another's",
                    recover,
                ),
                log,
            )
    finally:
        alone.close()


def _check_mark(
    path: Path,
    log: Path,
    data: bytes | None,
    mark: JournalMark,
    image: sqlite3.Connection,
    recover: str,
) -> None:
    """The journal SQLite would see reaches the turn the lock file recorded."""
    if read_meta(image, path).identity() != mark.save:
        return  # the mark of another save that was at this path: not this one's
    (last,) = image.execute("SELECT coalesce(max(turn), 0) FROM journal").fetchone()
    same = mark.turn == 0 or stamp(image, mark.turn) == mark.row
    if last >= mark.turn and same:
        return
    if data is None:
        why = f"its write-ahead log {log.name} is missing"
    elif last < mark.turn:
        why = f"its write-ahead log {log.name} has been cut short or damaged"
    else:
        why = (
            f"its write-ahead log {log.name} holds another save's turns, or the save file was "
            "replaced"
        )
    held = "turn 0" if last == 0 else f"turn {last}"
    raise WalError(
        path,
        _refusal(
            log,
            f"the game had reached turn {mark.turn} when it stopped ({lock_path(path).name} "
            f"records it), but SQLite would open it at {held}: {why}",
            recover,
        )
        + f" If you replaced {path.name} yourself on purpose, delete {lock_path(path).name} "
        "and open it again.",
        log,
    )


def _refusal(log: Path, what: str, recover: str) -> str:
    kept = f"not the save, not {log.name}" if log.exists() else "not the save"
    return (
        f"{what}. Nothing was changed ({kept}). Recover the turns that can be read into a new "
        f"save with: {recover}"
    )
