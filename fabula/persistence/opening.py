"""Opening and creating saves: the lock first, then the checks, then SQLite.

Every way into a save follows one order, so that no refusal can change a
byte and no two processes can both get in:

1. **Lock** (:class:`~fabula.persistence.lock.SaveLock`): before the save is
   looked at, whether it exists or is about to be created or replaced.
2. **Check the files** without SQLite
   (:func:`~fabula.persistence.preflight.check_files`): the header, the
   ``-wal`` and the journal mark; if there is a ``-wal`` (or a mark), the
   result is an in-memory copy of what SQLite would see.
3. **Load** the world from that copy (or from the file, when there is no
   ``-wal``): every row decoded and checked, the journal after the snapshot
   replayed through the game's rules, each journalled action checked against
   the game's actions. Any failure so far leaves the files as they were.
4. **Open** the file with SQLite, to write: recovered turns are flushed and
   the journal mark written; from here on the save is the player's.

Creating (``SaveFile.new``) and replacing (``--new``) happen inside step 1's
lock: the new file is written aside, synced, and renamed into place, and the
old save's ``-wal`` and mark are dropped just before, so the new save can
never be read with the old one's log.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import TYPE_CHECKING

from fabula.errors import (
    NotASaveError,
    PersistenceError,
    SaveContentError,
    SaveVersionError,
    WalError,
)
from fabula.persistence import journal
from fabula.persistence.advice import recover_command
from fabula.persistence.codec import UnsavableComponentError
from fabula.persistence.digest import state_digest
from fabula.persistence.files import aside
from fabula.persistence.lock import SaveLock
from fabula.persistence.meta import SaveMeta
from fabula.persistence.preflight import check_files
from fabula.persistence.schema import (
    FABULA_ID,
    FORMAT_VERSION,
    Durability,
    check_header,
    connect,
    identify,
    os_error,
    translate,
)
from fabula.persistence.snapshot import Catalog, write_world
from fabula.persistence.write_behind import FlushPolicy
from fabula.simulation import Game

if TYPE_CHECKING:
    from fabula.persistence.save import SaveFile

__all__ = ["attach", "check_replaceable", "create", "load", "open_or_create", "remove_log"]


def load(
    cls: type[SaveFile],
    path: Path,
    game: Game,
    policy: FlushPolicy,
    durability: Durability,
    lock: SaveLock | None = None,
) -> SaveFile:
    """Open the existing save at ``path`` (steps 1-4 of the module docstring).

    Raises:
        NotASaveError, SaveVersionError, SaveContentError, SaveLockedError,
        SaveWriteError, WalError, ReplayError: see :mod:`fabula.errors`.
    """
    lock = lock or SaveLock.acquire(path)
    image: sqlite3.Connection | None = None
    conn: sqlite3.Connection | None = None
    try:
        image = check_files(path, lock.mark, recover_command(path, game))
        if image is not None and identify(image, path) < FORMAT_VERSION:
            image.close()  # an older format is migrated in place: load from the file
            image = None
        if image is None:
            conn = connect(path, durability=durability)
        save = cls(path, image or conn, game, policy=policy, lock=lock)  # type: ignore[arg-type]
        save.recovered = save._rebuild(journal.last_turn(save._db()))
        if conn is None:
            conn = connect(path, durability=durability)
            attach(save, conn)
        if save.recovered:
            save.flush()
        save._buffer.start_clock()
        save._write_mark()
        lock.belongs_to(save)
        return save
    except BaseException as exc:
        if conn is not None:
            conn.close()
        lock.release(closed=False)
        if isinstance(exc, sqlite3.Error):
            raise translate(path, exc, "loading it") from exc
        raise
    finally:
        if image is not None:
            image.close()


def create(
    cls: type[SaveFile],
    path: Path,
    game: Game,
    seed: int,
    replace: bool,
    policy: FlushPolicy,
    durability: Durability,
    lock: SaveLock | None = None,
) -> SaveFile:
    """Start a new game in a new save at ``path``, under its lock.

    Raises:
        PersistenceError: ``path`` exists and ``replace`` is false.
        NotASaveError, SaveVersionError: what ``replace`` would refuse to replace.
        SaveLockedError: the save is in use.
        SaveWriteError: the new file could not be written.
    """
    lock = lock or SaveLock.acquire(path)
    try:
        if path.exists():
            if not replace:
                raise PersistenceError(
                    path,
                    "already exists. Open it to continue that game, or start a new one with "
                    "--new (replaces it) or under another name with --save PATH.",
                )
            check_replaceable(path)
        world = game.new_world(seed)
        meta = SaveMeta(
            game.id, seed, state_digest(world, game.components.name_of), str(time.time())
        )
        with aside(path, doing="writing the new save") as tmp:
            conn = connect(tmp, create=True, durability=durability)
            try:
                conn.execute("BEGIN IMMEDIATE")
                conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", meta.rows().items())
                write_world(conn, world, Catalog(tmp, game.components), 0, meta.start_digest)
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                raise translate(path, exc, "writing the new save") from exc
            except UnsavableComponentError as exc:
                raise SaveContentError(path, str(exc)) from exc
            finally:
                conn.close()
            lock.forget()  # the old game's mark and log go just before its file
            remove_log(path)
    except BaseException:
        lock.release(closed=False)
        raise
    return load(cls, path, game, policy, durability, lock=lock)


def open_or_create(
    cls: type[SaveFile],
    path: Path,
    game: Game,
    seed: int,
    replace: bool,
    policy: FlushPolicy,
    durability: Durability,
) -> SaveFile:
    """Continue the save at ``path``, or start a new game there if there is
    none (or if ``replace``): decided under the save's lock, so two processes
    starting together never both create it."""
    lock = SaveLock.acquire(path)
    if replace or not path.exists():
        return create(cls, path, game, seed, replace, policy, durability, lock=lock)
    return load(cls, path, game, policy, durability, lock=lock)


def check_replaceable(path: Path) -> None:
    """Refuse to replace ``path`` unless it is a fabula save this fabula can
    read (reads its header only; SQLite never opens it).

    Raises:
        NotASaveError, SaveVersionError: it is something else.
    """
    header = check_header(path)
    if int.from_bytes(header[68:72], "big") != FABULA_ID:
        raise NotASaveError(
            path,
            "is a SQLite database but not a fabula save. It was left untouched; check the "
            "path, or start a new game with --new.",
        )
    version = int.from_bytes(header[60:64], "big")
    if version > FORMAT_VERSION:
        raise SaveVersionError(
            path,
            f"was written in save format {version}, newer than this fabula understands "
            f"({FORMAT_VERSION}). Upgrade fabula (pip install -U fabula) to open it.",
        )


def remove_log(path: Path) -> None:
    """Delete ``path``'s ``-wal`` (and ``-shm``): about to be replaced, the
    save must not be read with its old log.

    Raises:
        SaveWriteError: they could not be deleted.
    """
    for suffix in ("-wal", "-shm"):
        try:
            Path(f"{path}{suffix}").unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise os_error(path, exc, "replacing it") from exc


def attach(save: SaveFile, conn: sqlite3.Connection) -> None:
    """Continue on ``conn`` (the file, opened) after loading from an
    in-memory copy of it, which is closed; both must hold the same game."""
    loaded = save._db()
    try:
        same = all(
            loaded.execute(sql).fetchone() == conn.execute(sql).fetchone()
            for sql in (
                "SELECT coalesce(max(turn), 0), count(*) FROM journal",
                "SELECT turn, tick, rng FROM state WHERE id = 1",
            )
        )
    except sqlite3.Error as exc:
        raise translate(save.path, exc, "opening it") from exc
    if not same:
        raise WalError(
            save.path,
            "SQLite reads the save and its write-ahead log differently from fabula's own "
            "check of them; it was not opened. Please report this, with the files.",
        )
    save._conn = conn
