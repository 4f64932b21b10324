"""Writing a file so that it appears whole or not at all.

A new save or a copy is written beside its target under a temporary name
and moved into place with ``os.replace`` (atomic on POSIX and Windows), then
the directory is synced so the rename survives a power cut. If anything
fails, the temporary file is removed and the target is untouched.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

__all__ = ["aside"]


@contextlib.contextmanager
def aside(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path``, moved onto it if the block succeeds."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    _remove(tmp)
    try:
        yield tmp
        os.replace(tmp, path)
        _sync_dir(path.parent)
    finally:
        _remove(tmp)


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
