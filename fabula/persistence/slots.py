"""Save slots: a copy of the game in another file, and the game restored from one.

:meth:`SaveFile.save_as <fabula.persistence.SaveFile.save_as>` writes a
complete copy of the current game (``VACUUM INTO``) beside the slot under a
temporary name, syncs it, and renames it into place, holding the slot's own
lock the while: a slot open in another game is refused, and a slot is never
half written. :meth:`SaveFile.restore_from
<fabula.persistence.SaveFile.restore_from>` copies a slot over the save the
same way, keeping the save's lock from start to end, so no other process can
slip in between closing the old game and opening the restored one. A copy
interrupted by a crash leaves a ``.NAME.<pid>.tmp`` file, removed by the next
process that locks that name.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from fabula.errors import PersistenceError, SaveContentError
from fabula.persistence.advice import recover_command
from fabula.persistence.files import aside, sync_file
from fabula.persistence.lock import SaveLock
from fabula.persistence.meta import read_meta
from fabula.persistence.opening import check_replaceable, load, remove_log
from fabula.persistence.preflight import check_files
from fabula.persistence.schema import connect, identify, os_error, translate

if TYPE_CHECKING:
    from fabula.persistence.save import SaveFile

__all__ = ["restore_from", "save_as"]


def save_as(save: SaveFile, target: Path) -> Path:
    """Write a complete copy of ``save``'s game to ``target``; see the module docstring.

    Raises:
        PersistenceError: ``target`` is the save itself.
        NotASaveError, SaveVersionError, SaveLockedError: ``target`` holds
            something that is not a fabula save, or a save in use; it is left alone.
        SaveWriteError: the copy could not be written.
    """
    if target.resolve() == save.path.resolve():
        raise PersistenceError(target, "is the save in use; it is already up to date.")
    lock = SaveLock.acquire(target)
    replaced = False
    try:
        if target.exists():
            check_replaceable(target)  # only ever replace a fabula save
        save.flush(digest=True)
        with aside(target, doing="writing the copy") as tmp:
            try:
                save._db().execute("VACUUM INTO ?", (str(tmp),))
            except sqlite3.Error as exc:
                raise translate(target, exc, "writing the copy") from exc
            lock.forget()
            remove_log(target)
        replaced = True
    finally:
        lock.release(closed=replaced)
    return target


def restore_from(save: SaveFile, source: Path) -> SaveFile:
    """Replace ``save``'s game with the one saved in ``source``; return the
    save reopened on it (``save`` is closed). See the module docstring.

    Raises:
        NotASaveError, SaveLockedError, SaveContentError, WalError: ``source``
            is not a save of this game, or is in use or damaged; nothing is changed.
        SaveWriteError: the copy could not be written; this game is intact.
    """
    path, game, policy, durability = save.path, save.game, save.policy, save.durability
    source_lock = SaveLock.acquire(source)
    try:
        image = check_files(source, source_lock.mark, recover_command(source, game))
        reader = image or connect(source)
        try:
            identify(reader, source)
            meta = read_meta(reader, source)
            if meta.game != game.id:
                raise SaveContentError(
                    source,
                    f"belongs to game {meta.game!r}, not {game.id!r}. Restore a save of this game.",
                )
            with aside(path, doing="restoring the copy") as tmp:
                if image is not None:  # what SQLite would read, -wal included
                    tmp.write_bytes(image.serialize())
                else:
                    shutil.copyfile(source, tmp)
                sync_file(tmp)  # all that can fail happens before the game is closed
                lock = save._close_keeping_lock()  # flushed and checkpointed: one whole file
                lock.forget()
                remove_log(path)
        except sqlite3.Error as exc:
            raise translate(source, exc, "reading it") from exc
        except OSError as exc:
            raise os_error(path, exc, "restoring the copy") from exc
        finally:
            reader.close()
    finally:
        source_lock.release(closed=False)
    return load(type(save), path, game, policy, durability, lock=lock)
