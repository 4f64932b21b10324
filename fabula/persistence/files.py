"""Writing a file so that it appears whole or not at all.

A new save or a copy is written beside its target under a temporary name
(``.NAME.<pid>.tmp``), synced to disk, and moved into place with
``os.replace`` (atomic on POSIX and Windows); then the directory is synced
so the rename survives a power cut too. Syncing before the rename matters:
without it a power cut can leave the new name pointing at a file whose data
never reached the disk. If anything fails, the temporary file is removed and
the target is untouched; if the process dies, the next process that locks
the target removes what is left (:func:`fabula.persistence.lock.clean_leftovers`).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from fabula.persistence.schema import os_error

__all__ = ["aside", "sync_file"]


@contextlib.contextmanager
def aside(path: Path, *, doing: str = "writing it") -> Iterator[Path]:
    """A temporary path beside ``path``, synced and moved onto it if the block succeeds.

    Raises:
        SaveWriteError: the copy could not be synced or moved into place
            (errors inside the block propagate as they are).
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    _remove(tmp)
    try:
        yield tmp
        try:
            sync_file(tmp)
            os.replace(tmp, path)
        except OSError as exc:
            raise os_error(path, exc, doing) from exc
        _sync_dir(path.parent)
    finally:
        _remove(tmp)


def sync_file(path: Path) -> None:
    """Flush ``path``'s data to the disk (``fsync``)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove(tmp: Path) -> None:
    for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm"), Path(f"{tmp}-journal")):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()


def _sync_dir(directory: Path) -> None:
    """Make a rename durable (POSIX); a no-op where directories cannot be opened."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
