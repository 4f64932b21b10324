"""The save file format: one SQLite database, how it is opened, its version.

A save is recognised by ``PRAGMA application_id`` (``FABULA_ID``) and carries
its format version in ``PRAGMA user_version``. Opening a file:

1. refuses anything that is not a SQLite database, is damaged, or is a SQLite
   database of some other application, *before writing a byte to it*;
2. refuses a format newer than :data:`FORMAT_VERSION` (upgrade fabula);
3. migrates an older format in one transaction, after copying the original
   to ``<save>.v<N>.bak`` so an older fabula can still use it.

Connection settings, and why:

* ``journal_mode=WAL``: a commit appends to the write-ahead log instead of
  rewriting pages, so the per-turn journal insert stays small and a crash
  at any moment leaves either the old or the new transaction, never a mix.
* ``synchronous=FULL``: each commit is fsynced before it returns, so a turn
  whose result was shown survives a power cut as well as a killed process.
  It costs about 0.15 ms per commit on this project's CI disk (see
  ``docs/benchmarks.md``), invisible at human typing speed. ``NORMAL``
  (``durability="process"``) skips the fsync: a killed process still loses
  nothing, a power cut may lose the last turns but never corrupts the file.
* ``locking_mode=EXCLUSIVE``: the process that opens a save holds it until it
  closes it; a second process gets :class:`~fabula.errors.SaveLockedError`
  at once. Two processes appending turns to one game would fork its history.
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from fabula.errors import (
    NotASaveError,
    PersistenceError,
    SaveLockedError,
    SaveVersionError,
    SaveWriteError,
)
from fabula.persistence.advice import recover_command

__all__ = [
    "FABULA_ID",
    "FORMAT_VERSION",
    "MIGRATIONS",
    "SQLITE_MAGIC",
    "Durability",
    "check_header",
    "connect",
    "create_schema",
    "identify",
    "os_error",
    "translate",
]

FORMAT_VERSION = 1
"""The save format this fabula writes. Bump it with a migration."""

FABULA_ID = 0x46616231
"""``PRAGMA application_id`` of every fabula save ("Fab1")."""

Durability = Literal["power", "process"]

MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {}
"""``MIGRATIONS[n]`` upgrades a format-``n`` save to ``n + 1`` in place
(inside the caller's transaction). Format 1 is the first; none exist yet."""

SQLITE_MAGIC = b"SQLite format 3\x00"
"""The first 16 bytes of every SQLite database file."""

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    turn INTEGER NOT NULL,
    tick INTEGER NOT NULL,
    rng BLOB NOT NULL,
    slot_count INTEGER NOT NULL,
    free BLOB NOT NULL,
    free_generations BLOB NOT NULL,
    digest TEXT,
    digest_turn INTEGER,
    saved_at REAL NOT NULL
);
CREATE TABLE entities (chunk INTEGER PRIMARY KEY, handles BLOB NOT NULL);
CREATE TABLE components (
    name TEXT PRIMARY KEY,
    table_name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('object', 'columnar')),
    fields TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE journal (
    turn INTEGER PRIMARY KEY,
    input TEXT NOT NULL,
    actions TEXT NOT NULL,
    tick INTEGER NOT NULL,
    rng TEXT NOT NULL,
    models TEXT NOT NULL,
    started_at REAL NOT NULL,
    finished_at REAL NOT NULL
);
"""
"""Tables: ``meta`` (game, seed, start digest...), ``state`` (the snapshot's
turn, tick, RNG and handle allocator), ``entities`` (live handles, in chunks
of 1,024 slots),
``components`` (catalog of component tables), one ``c:<name>`` table per
component type, and ``journal`` (one row per accepted turn)."""


def translate(path: Path, exc: sqlite3.Error, doing: str) -> Exception:
    """A fabula error for a SQLite error raised while ``doing`` something to ``path``."""
    name = getattr(exc, "sqlite_errorname", "")
    text = str(exc)
    if "locked" in text:
        return SaveLockedError(
            path,
            "is open in another fabula process. Close that game first, or copy the save "
            "to play a separate game from it.",
        )
    if name in {"SQLITE_FULL"} or "full" in text:
        return SaveWriteError(
            path,
            f"the disk is full while {doing}; nothing was overwritten. Free some space (or "
            "save elsewhere with --save PATH) and try again.",
        )
    if name.startswith("SQLITE_READONLY") or "readonly" in text or name == "SQLITE_CANTOPEN":
        return SaveWriteError(
            path,
            f"cannot write here while {doing} (read-only file or folder); nothing was "
            "changed. Move the save to a writable folder or pick one with --save PATH.",
        )
    if "decode to UTF-8" in text:
        return NotASaveError(
            path,
            f"holds text that is not valid UTF-8 ({text}), so it is damaged. It was left as it "
            "is; restore it from a backup, or recover what can be read with: "
            f"{recover_command(path)}",
        )
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in text:
        return NotASaveError(
            path,
            f"is damaged ({text}) and cannot be read. It was left as it is; restore it from "
            f"a backup, or recover what can be read with: {recover_command(path)}",
        )
    if name.startswith("SQLITE_IOERR"):
        return SaveWriteError(
            path,
            f"the disk reported an I/O error while {doing} ({text}); nothing was "
            "overwritten. Check the disk and try again.",
        )
    return NotASaveError(path, f"SQLite failed while {doing}: {text}.")


def os_error(path: Path, exc: OSError, doing: str) -> PersistenceError:
    """A fabula error for an operating-system error raised while ``doing``
    something to the save at ``path``."""
    code = exc.errno
    if code == errno.ELOOP:
        return NotASaveError(
            path,
            "is a symbolic link that leads back to itself (a loop). Remove or fix the link, "
            "or name the save file itself.",
        )
    if code in (errno.ENOENT, errno.ENOTDIR):
        return NotASaveError(
            path,
            f"its folder does not exist ({exc.strerror}). Check the path, or pick another "
            "with --save PATH.",
        )
    if code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return SaveWriteError(
            path,
            f"the disk is full while {doing}; nothing was overwritten. Free some space (or "
            "save elsewhere with --save PATH) and try again.",
        )
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return SaveWriteError(
            path,
            f"cannot write here while {doing} (read-only file or folder); nothing was "
            "changed. Move the save to a writable folder or pick one with --save PATH.",
        )
    if code == errno.EISDIR:
        return NotASaveError(path, "is a folder, not a save file. Name the save file itself.")
    return SaveWriteError(
        path,
        f"the system refused while {doing} ({exc.strerror or exc}); nothing was overwritten. "
        "Check the disk and the path, and try again.",
    )


def connect(
    path: Path, *, create: bool = False, durability: Durability = "power"
) -> sqlite3.Connection:
    """Open ``path`` as a save with fabula's settings, after checking what it is.

    Args:
        path: the save file.
        create: create a new, empty save (the file must not exist).
        durability: ``"power"`` (``synchronous=FULL``) or ``"process"`` (``NORMAL``).

    Raises:
        NotASaveError, SaveVersionError, SaveLockedError, SaveWriteError.
    """
    if not create:
        check_header(path)
    uri = path.resolve().as_uri() + ("?mode=rwc" if create else "?mode=rw")
    try:
        conn = sqlite3.connect(
            uri, uri=True, isolation_level=None, timeout=0, check_same_thread=False
        )
    except sqlite3.Error as exc:
        raise translate(path, exc, "opening it") from exc
    try:
        if create:
            _configure(conn, durability)
            create_schema(conn)
        else:
            # EXCLUSIVE before the first read, or SQLite sets up a -shm file.
            # The pragma writes nothing, so a foreign file is still untouched.
            conn.execute("PRAGMA locking_mode=EXCLUSIVE")
            version = identify(conn, path)
            _configure(conn, durability)
            if version < FORMAT_VERSION:
                _migrate(conn, path, version)
    except sqlite3.Error as exc:
        conn.close()
        raise translate(path, exc, "opening it") from exc
    except BaseException:
        conn.close()
        raise
    return conn


def check_header(path: Path) -> bytes:
    """The first 100 bytes of ``path``, after checking they begin a SQLite
    database (reads only; never opens the file with SQLite).

    Raises:
        NotASaveError: missing, a folder, not SQLite, or shorter than a header.
        SaveWriteError: the file cannot be read.
    """
    try:
        with path.open("rb") as file:
            head = file.read(100)
    except FileNotFoundError:
        raise NotASaveError(
            path, "no such save. Check the path, or start a new game with --new."
        ) from None
    except IsADirectoryError:
        raise NotASaveError(
            path, "is a folder, not a save file. Name the save file itself."
        ) from None
    except PermissionError:
        raise SaveWriteError(
            path, "cannot be read (permission denied). Check its permissions."
        ) from None
    except OSError as exc:
        raise os_error(path, exc, "reading it") from exc
    if not head.startswith(SQLITE_MAGIC):
        raise NotASaveError(
            path,
            "is not a fabula save (not a SQLite database). It was left untouched; check the "
            "path, or start a new game with --new.",
        )
    if len(head) < 100:
        raise NotASaveError(
            path,
            "is truncated (shorter than a SQLite header). It was left untouched; restore it "
            "from a backup or start a new game with --new.",
        )
    return head


def identify(conn: sqlite3.Connection, path: Path) -> int:
    """The file's format version, after checking it is a fabula save (reads only)."""
    (app_id,) = conn.execute("PRAGMA application_id").fetchone()
    (version,) = conn.execute("PRAGMA user_version").fetchone()
    if app_id != FABULA_ID:
        raise NotASaveError(
            path,
            "is a SQLite database but not a fabula save. It was left untouched; check the "
            "path, or start a new game with --new.",
        )
    if version > FORMAT_VERSION:
        raise SaveVersionError(
            path,
            f"was written in save format {version}, newer than this fabula understands "
            f"({FORMAT_VERSION}). Upgrade fabula (pip install -U fabula) to open it.",
        )
    if version < 1:
        raise NotASaveError(path, f"has an invalid save format ({version}); it may be damaged.")
    return int(version)


def _configure(conn: sqlite3.Connection, durability: Durability) -> None:
    # EXCLUSIVE before the first WAL access: no shared-memory file, and the
    # lock taken by the first transaction is held until close.
    conn.execute("PRAGMA locking_mode=EXCLUSIVE")
    (mode,) = conn.execute("PRAGMA journal_mode=WAL").fetchone()
    if mode.lower() != "wal":
        raise sqlite3.OperationalError(f"could not switch to WAL mode (got {mode})")
    conn.execute(f"PRAGMA synchronous={'FULL' if durability == 'power' else 'NORMAL'}")
    conn.execute("BEGIN IMMEDIATE")  # take the exclusive lock now, not at the first turn
    conn.execute("COMMIT")


def create_schema(conn: sqlite3.Connection) -> None:
    """Create the tables of a new save and stamp its id and version."""
    conn.execute("BEGIN IMMEDIATE")
    for statement in SCHEMA.split(";"):
        if statement.strip():
            conn.execute(statement)
    conn.execute(f"PRAGMA application_id={FABULA_ID}")
    conn.execute(f"PRAGMA user_version={FORMAT_VERSION}")
    conn.execute("COMMIT")


def _migrate(conn: sqlite3.Connection, path: Path, version: int) -> None:
    missing = [v for v in range(version, FORMAT_VERSION) if v not in MIGRATIONS]
    if missing:
        raise SaveVersionError(
            path,
            f"uses save format {version} and this fabula has no migration from format "
            f"{missing[0]}. Open it with the fabula version that wrote it.",
        )
    backup = path.with_name(f"{path.name}.v{version}.bak")
    if not backup.exists():
        conn.execute("VACUUM INTO ?", (str(backup),))
    conn.execute("BEGIN IMMEDIATE")
    try:
        for v in range(version, FORMAT_VERSION):
            MIGRATIONS[v](conn)
        conn.execute(f"PRAGMA user_version={FORMAT_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:  # SQLite may have rolled back already
            conn.execute("ROLLBACK")
        raise
