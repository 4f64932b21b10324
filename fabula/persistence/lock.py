"""The save lock: one process per save, taken before the save is touched.

``<save>.lock`` beside the save is opened (created if missing) and locked
with ``flock(LOCK_EX | LOCK_NB)`` *before* the save is read, created or
replaced, and held until the :class:`~fabula.persistence.SaveFile` closes.
So of two processes starting together on one save exactly one gets it and
the other gets :class:`~fabula.errors.SaveLockedError` at once, whether the
save exists yet or not and whether or not it is being replaced (``--new``).
SQLite's own exclusive lock (``locking_mode=EXCLUSIVE``) comes only when the
database is opened, which is too late for a file being created or replaced.
The kernel releases a ``flock`` when its holder dies, so a killed game never
leaves a save locked. A lock file is removed when its game closes cleanly;
one left behind is reused. Removing it is safe because a process that locks
the file checks afterwards that the path still names the file it locked, and
starts over if not.

The lock file also keeps a **mark**: while a game is open it holds the
journal's last turn, a stamp of that turn's row, and the identity of the save
(written after every turn's commit, before an undo's: a copy into a
memory-mapped page, about a microsecond, never synced; the kernel keeps it
if the process dies). It is the one record of the journal's length that SQLite
cannot drop: if a game dies, the next open compares what SQLite would read
(snapshot plus ``-wal``) with the mark, and refuses a save that would come
back shorter or different (see :mod:`fabula.persistence.preflight`). A clean
close removes the file and so the mark; a refused open leaves both as they were.

Within one process, a save's lock belongs to the :class:`SaveFile` holding
it; a save object that was dropped without closing (as after a crash in a
test) hands its lock over to the next one instead of blocking it.
"""

from __future__ import annotations

import contextlib
import errno
import mmap
import os
import re
import stat
import weakref
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fabula.errors import NotASaveError, SaveLockedError
from fabula.persistence.schema import os_error

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: SQLite's exclusive lock only
    fcntl = None  # type: ignore[assignment]

__all__ = ["JournalMark", "SaveLock", "clean_leftovers", "lock_path"]

_BODY = b"fabula save lock 1: turn %012d row %-16s save %s"
_PATTERN = re.compile(
    rb"fabula save lock 1: turn (\d{12}) row ([0-9a-f]{16}| {16}) save ([0-9a-f]{32}) "
    rb"check ([0-9a-f]{8})\n"
)

_HELD: dict[str, SaveLock] = {}
"""Lock files this process holds, by real path."""


def lock_path(path: Path) -> Path:
    """The lock file of the save at ``path``."""
    return path.with_name(path.name + ".lock")


@dataclass(frozen=True, slots=True)
class JournalMark:
    """What an open game's lock file says about its journal.

    Attributes:
        turn: the journal's last turn.
        row: :func:`~fabula.persistence.journal.row_stamp` of that turn's
            row (empty at turn 0).
        save: the save's identity (:meth:`SaveMeta.identity
            <fabula.persistence.meta.SaveMeta.identity>`).
    """

    turn: int
    row: str
    save: str

    def encode(self) -> bytes:
        """One line of :data:`MARK_SIZE` bytes, with a checksum so that a torn
        write is never believed."""
        body = _BODY % (self.turn, self.row.encode(), self.save.encode())
        return body + b" check %08x\n" % zlib.crc32(body)

    @classmethod
    def decode(cls, data: bytes) -> JournalMark | None:
        """The mark in ``data``, or ``None`` if there is none or it is torn."""
        found = _PATTERN.fullmatch(data)
        if found is None:
            return None
        turn, row, save, _ = found.groups()
        mark = cls(int(turn), row.strip().decode(), save.decode())
        return mark if mark.encode() == data else None


MARK_SIZE = len(JournalMark(0, "", "0" * 32).encode())
"""The length of an encoded mark: every mark has it, so one overwrites another."""


class SaveLock:
    """The lock of one save, held by this process.

    Attributes:
        path: the save.
        file: its lock file.
        mark: the mark found in the lock file when it was locked: the journal
            of a game that did not close (``None`` if there was none).
    """

    def __init__(self, path: Path, file: Path, fd: int | None, mark: JournalMark | None) -> None:
        self.path, self.file, self.mark = path, file, mark
        self._fd = fd
        self._map: mmap.mmap | None = None
        self._wrote = False
        self._owner: Callable[[], Any] | None = None

    @classmethod
    def acquire(cls, path: Path) -> SaveLock:
        """Lock the save at ``path`` for this process.

        Raises:
            SaveLockedError: another process (or another open save object in
                this one) holds it.
            NotASaveError: ``path`` is a symbolic link loop or its folder is missing.
            SaveWriteError: the lock file cannot be created (read-only folder, full disk).
        """
        _check_path(path)
        file = lock_path(path)
        key = os.path.realpath(file)
        held = _HELD.get(key)
        if held is not None:
            if not held.abandoned():
                raise SaveLockedError(
                    path, "is already open in this program. Close it before opening it again."
                )
            fd, held._fd = held._fd, None  # taken over: the old holder is gone
            lock = cls(path, file, fd, held.mark)
            lock._map, held._map = held._map, None
            lock._wrote = held._wrote
            _HELD[key] = lock
            return lock
        if fcntl is None:  # pragma: no cover
            return cls(path, file, None, None)
        while True:
            try:
                fd = os.open(file, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
            except OSError as exc:
                raise os_error(path, exc, "creating its lock file") from exc
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                os.close(fd)
                if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    raise _locked(path) from None
                raise os_error(path, exc, "locking it") from exc
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(file))
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)  # removed or replaced by its last holder: lock the new one
        mark = JournalMark.decode(os.pread(fd, 4096, 0))
        lock = cls(path, file, fd, mark)
        _HELD[key] = lock
        clean_leftovers(path)
        return lock

    def belongs_to(self, owner: object) -> None:
        """Tie the lock to the object holding the save (see :meth:`abandoned`)."""
        self._owner = weakref.ref(owner)

    def abandoned(self) -> bool:
        """Whether the save object holding this lock is gone or closed (and
        the lock may be taken over by another one in this process)."""
        if self._fd is None:
            return True
        owner = self._owner() if self._owner is not None else None
        return self._owner is not None and (owner is None or bool(owner.closed))

    def write(self, mark: JournalMark) -> None:
        """Record ``mark`` (after a commit that lengthened the journal, or
        before one that shortens it).

        Raises:
            SaveWriteError: the lock file could not be written.
        """
        if self._fd is None:
            return
        try:
            if self._map is None:  # mapped once: after that a mark costs a memory copy
                os.ftruncate(self._fd, MARK_SIZE)
                self._map = mmap.mmap(self._fd, MARK_SIZE)
            self._map[:] = mark.encode()
        except OSError as exc:
            raise os_error(self.path, exc, "recording the journal's length") from exc
        self._wrote = True
        self.mark = mark

    def forget(self) -> None:
        """Drop the mark (before the save is replaced by another game)."""
        if self._map is not None:
            self._map[:] = bytes(MARK_SIZE)
        elif self._fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, 0)
        self.mark = None

    def release(self, *, closed: bool) -> None:
        """Unlock. The lock file is removed if the game ``closed`` cleanly, or
        if it holds no mark; a mark of a game that did not close (this one's,
        or one found on locking) is kept for the next open to check."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        if self._map is not None:
            self._map.close()
            self._map = None
        _HELD.pop(os.path.realpath(self.file), None)
        if closed or (self.mark is None and not self._wrote):
            with contextlib.suppress(OSError):
                os.unlink(self.file)
        os.close(fd)


def clean_leftovers(path: Path) -> list[Path]:
    """Remove what an interrupted copy onto ``path`` left (``.NAME.<pid>.tmp``
    files and their SQLite companions), unless that process still runs.
    Call with the save's lock held: whoever writes those files holds it."""
    removed = []
    pattern = re.compile(re.escape(f".{path.name}.") + r"(\d+)\.tmp(-wal|-shm|-journal)?")
    with contextlib.suppress(OSError):
        for entry in os.scandir(path.parent):
            found = pattern.fullmatch(entry.name)
            if found is None:
                continue
            pid = int(found.group(1))
            if pid != os.getpid() and _alive(pid):
                continue
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def _check_path(path: Path) -> None:
    """Refuse a save path that is no file at all: a link loop, a folder, a
    pipe or a device (reading a pipe would wait forever). A link to nothing
    is no save yet: opening it says so, and a new save replaces the link
    itself, never writing where it points."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise os_error(path, exc, "looking at it") from exc
    if stat.S_ISDIR(mode):
        raise NotASaveError(path, "is a folder, not a save file. Name the save file itself.")
    if not stat.S_ISREG(mode):
        raise NotASaveError(
            path,
            "is not a regular file (a pipe, socket or device). It was left untouched; name "
            "a save file.",
        )


def _locked(path: Path) -> SaveLockedError:
    return SaveLockedError(
        path,
        "is open in another fabula process. Close that game first, or copy the save to "
        "play a separate game from it.",
    )
