"""How a save comes and goes: opened or created, locked, closed.

:class:`SaveLifecycle` is the part of a :class:`~fabula.persistence.SaveFile`
that is about the file rather than the game in it: the classmethods that
create, open or recover a save (their work is done in
:mod:`fabula.persistence.opening` and :mod:`fabula.persistence.recovery`),
the SQLite connection, the save's lock and the journal mark it keeps
(:mod:`fabula.persistence.lock`), closing, and closing on a signal
(:mod:`fabula.persistence.signals`). The turns themselves are
:class:`~fabula.persistence.SaveFile`'s.

Lifetime: a save holds its lock from before its file is first read until
:meth:`SaveLifecycle.close` has checkpointed and closed the file; only then,
with no ``-wal`` left, is the lock file (and its mark) removed.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Self

from fabula.errors import PersistenceError, SaveContentError
from fabula.persistence import journal, opening
from fabula.persistence.lock import JournalMark, SaveLock
from fabula.persistence.meta import read_meta
from fabula.persistence.schema import Durability, translate
from fabula.persistence.signals import SignalHold
from fabula.persistence.snapshot import Catalog
from fabula.persistence.write_behind import FlushPolicy, WriteBehind
from fabula.simulation import Game

if TYPE_CHECKING:
    from fabula.persistence.recovery import RecoveryReport

__all__ = ["SaveLifecycle"]

_log = logging.getLogger(__name__)


class SaveLifecycle:
    """A save file, open: its connection, lock and write-behind buffer.

    Attributes:
        path: the save file.
        game: the game it belongs to.
        seed: the seed the game started from.
        policy: when buffered changes are written.
        durability: ``"power"`` or ``"process"`` (see ``docs/persistence.md``).
        turn: the journal's last turn (kept by the subclass).
    """

    turn: int

    def __init__(
        self,
        path: Path,
        conn: sqlite3.Connection,
        game: Game,
        *,
        policy: FlushPolicy,
        durability: Durability = "power",
        lock: SaveLock | None = None,
    ) -> None:
        self.path = path
        self.game = game
        self.policy = policy
        self.durability: Durability = durability
        self._conn: sqlite3.Connection | None = conn
        self._lock = lock
        self._catalog = Catalog(path, game.components)
        self._meta = meta = read_meta(conn, path)
        if meta.game != game.id:
            raise SaveContentError(
                path,
                f"belongs to game {meta.game!r}, not {game.id!r}. Open it with that game.",
            )
        self.seed = meta.seed
        self._identity = meta.identity()
        self._buffer = WriteBehind(self._catalog, policy)
        self._hold = SignalHold(self._on_signal)

    def flush(self, *, digest: bool = False) -> None:
        """Write the buffered changes (the subclass knows the world)."""
        raise NotImplementedError

    @classmethod
    def new(
        cls,
        path: str | os.PathLike[str],
        game: Game,
        *,
        seed: int,
        replace: bool = False,
        policy: FlushPolicy | None = None,
        durability: Durability = "power",
    ) -> Self:
        """Start a new game in a new save at ``path``; with ``replace``, over an
        existing save there (never another file, nor a save in use). See
        :func:`fabula.persistence.opening.create` for what it raises."""
        return opening.create(
            cls, Path(path), game, seed, replace, policy or FlushPolicy(), durability
        )

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        game: Game,
        *,
        policy: FlushPolicy | None = None,
        durability: Durability = "power",
    ) -> Self:
        """Open an existing save, recovering any turns played since its last
        flush. Whatever it refuses with (:func:`fabula.persistence.opening.load`),
        the save's files are as they were."""
        return opening.load(cls, Path(path), game, policy or FlushPolicy(), durability)

    @classmethod
    def open_or_new(
        cls,
        path: str | os.PathLike[str],
        game: Game,
        *,
        seed: int,
        replace: bool = False,
        policy: FlushPolicy | None = None,
        durability: Durability = "power",
    ) -> Self:
        """Continue the save at ``path``, or start a new game there if there is
        none (or if ``replace``): decided under the save's lock, so of two
        processes starting together exactly one gets it."""
        return opening.open_or_create(
            cls, Path(path), game, seed, replace, policy or FlushPolicy(), durability
        )

    @classmethod
    def recover(
        cls,
        path: str | os.PathLike[str],
        game: Game | None,
        *,
        to: str | os.PathLike[str],
        policy: FlushPolicy | None = None,
    ) -> RecoveryReport:
        """Rebuild a damaged save into a new save at ``to``, without changing it,
        from whatever journal it still holds (:mod:`fabula.persistence.recovery`)."""
        from fabula.persistence.recovery import recover

        return recover(Path(path), game, Path(to), policy=policy)

    def close(self) -> None:
        """Flush, record the final state digest, and release the file."""
        if self._conn is None:
            return
        with self._hold:  # a signal now waits until the file is released
            lock = self._close_keeping_lock()
            if lock is not None:  # no -wal left: nothing for the next open to check
                lock.release(closed=not Path(f"{self.path}-wal").exists())

    def _close_keeping_lock(self) -> SaveLock | None:
        """Flush, checkpoint and close the file; return the lock, still held."""
        conn = self._db()
        lock, self._lock = self._lock, None
        with self._hold:
            try:
                self.flush(digest=True)
            except BaseException:
                if lock is not None:
                    lock.release(closed=False)
                    lock = None
                raise
            finally:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
                conn.close()
                self._conn = None
                self._buffer.stop()
        return lock

    def _write_mark(self, stamp: str | None = None, *, strict: bool = False) -> None:
        """Record the journal's length in the lock file (see
        :mod:`fabula.persistence.lock`), with ``stamp`` (read from the
        journal if not given). Best effort after a commit (the turn is
        durable anyway, and an old mark is only shorter); ``strict`` before
        one that shortens the journal, which must not happen if the mark
        cannot follow."""
        if self._lock is None:
            return
        try:
            if stamp is None:
                stamp = journal.stamp(self._db(), self.turn)
            self._lock.write(JournalMark(self.turn, stamp, self._identity))
        except (PersistenceError, sqlite3.Error) as exc:
            if strict:
                if isinstance(exc, sqlite3.Error):
                    raise translate(self.path, exc, "reading the journal") from exc
                raise
            _log.warning("%s; the turn itself is saved", exc)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._conn is None

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise PersistenceError(self.path, "is closed; open it again with SaveFile.open.")
        return self._conn

    # -------------------------------------------------------------- signals

    @contextlib.contextmanager
    def flush_on_signals(
        self, signals: Sequence[int] = (signal.SIGINT, signal.SIGTERM)
    ) -> Iterator[Self]:
        """Close the save cleanly when one of ``signals`` arrives, then exit.

        A signal arriving in the middle of a turn or a flush is held until it
        ends, so the file never records half a turn
        (:mod:`fabula.persistence.signals`). SIGINT then raises
        ``KeyboardInterrupt``; other signals ``SystemExit(128 + signum)``.
        Use in the main thread.
        """
        with self._hold.installed(signals):
            yield self

    def _on_signal(self, signum: int) -> None:
        self.close()
        if signum == signal.SIGINT:
            raise KeyboardInterrupt
        raise SystemExit(128 + signum)
