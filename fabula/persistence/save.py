"""A game's save file: its world on disk, kept current turn by turn.

A :class:`SaveFile` owns one SQLite file (format in
:mod:`fabula.persistence.schema`) holding a snapshot of the world and the
action journal. Each turn played through :meth:`SaveFile.play`:

1. is applied to the world by the game's :class:`~fabula.game.Simulation`;
2. is appended to the journal and committed (fsynced by default) *before*
   :meth:`play` returns, so whatever the caller shows next is on disk;
3. leaves its changes in the write-behind buffer, flushed every few turns or
   seconds (:class:`~fabula.persistence.write_behind.FlushPolicy`).

Opening a save loads the snapshot and replays the journal rows written
after it: after a crash the world is exactly what the player last saw, and
no model is asked anything again. :meth:`undo` goes one turn back by the
same route. How a save is locked, checked and opened is in
:mod:`fabula.persistence.opening`; save slots in :mod:`fabula.persistence.slots`;
recovering a damaged save into a new one in :mod:`fabula.persistence.recovery`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sqlite3
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fabula.actions import ActionProposal, Outcome
from fabula.ecs import ChangeLog, World
from fabula.errors import PersistenceError, ReplayError, SaveContentError, WalError
from fabula.game import Game, Simulation
from fabula.persistence import journal, opening, slots
from fabula.persistence.codec import UnsavableComponentError
from fabula.persistence.digest import rng_fingerprint, state_digest
from fabula.persistence.journal import TurnRecord
from fabula.persistence.lock import JournalMark, SaveLock
from fabula.persistence.meta import read_meta
from fabula.persistence.replay import replay
from fabula.persistence.schema import Durability, translate
from fabula.persistence.snapshot import Catalog, read_world, write_state, write_world
from fabula.persistence.write_behind import FlushPolicy, write_changes

if TYPE_CHECKING:
    from fabula.persistence.recovery import RecoveryReport

__all__ = ["SaveFile"]

_log = logging.getLogger(__name__)


class SaveFile:
    """One game's save. Create with :meth:`new`, reopen with :meth:`open`.

    Attributes:
        path: the save file.
        game: the game it belongs to.
        seed: the seed the game started from.
        world: the current world (a new object after :meth:`undo`).
        simulation: plays turns on :attr:`world`. Also renewed by :meth:`undo`
            (and after a failed turn), together with its event bus: subscribe
            to ``save.simulation.bus`` again after either.
        turn: the number of the last accepted turn (0 at the start).
        recovered: turns replayed from the journal when the save was opened
            (non-zero after a crash).
        flush_error: why the last automatic flush failed, if it did (the
            turns stay safe in the journal; a UI may warn once).
    """

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
        """Use :meth:`new` or :meth:`open`; this reads the save's ``meta`` from
        ``conn`` and checks it belongs to ``game``."""
        self.path = path
        self.game = game
        self.policy = policy
        self.durability: Durability = durability
        self._conn: sqlite3.Connection | None = conn
        self._lock = lock
        self._catalog = Catalog(path, game.components)
        meta = read_meta(conn, path)
        if meta.game != game.id:
            raise SaveContentError(
                path,
                f"belongs to game {meta.game!r}, not {game.id!r}. Open it with that game.",
            )
        self.seed = meta.seed
        self._start_digest = meta.start_digest
        self._identity = meta.identity()
        self.world: World = World()
        self.simulation: Simulation
        self.turn = 0
        self.recovered = 0
        self._log: ChangeLog | None = None
        self._rewrite = False
        self._busy = 0
        self._pending_signal: int | None = None
        self._since_flush = 0
        self._flushed_at = time.monotonic()
        self.flush_error: PersistenceError | None = None

    # ------------------------------------------------------------ lifecycle

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
    ) -> SaveFile:
        """Start a new game in a new save file at ``path``.

        The save's lock is taken first; the file is written aside and moved
        into place only when complete, so an existing file at ``path`` is
        never left half-replaced.

        Args:
            replace: replace an existing save at ``path`` (never a file that
                is not a fabula save, nor a save open in another process).

        Raises:
            PersistenceError: ``path`` exists and ``replace`` is false.
            NotASaveError, SaveLockedError: what ``replace`` would refuse.
            SaveWriteError: the new file could not be written.
        """
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
    ) -> SaveFile:
        """Open an existing save, recovering any turns played since its last flush.

        Raises:
            NotASaveError, SaveVersionError, SaveContentError, SaveLockedError,
            SaveWriteError, WalError, ReplayError: see :mod:`fabula.errors`.
            Whatever the error, the save's files are as they were.
        """
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
    ) -> SaveFile:
        """Continue the save at ``path``, or start a new game there if there
        is none yet (or if ``replace``). Decided under the save's lock, so of
        two processes starting together exactly one gets the save.

        Raises:
            what :meth:`new` and :meth:`open` raise.
        """
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
        """Rebuild a damaged save into a new save at ``to``, without changing it.

        Whatever journal the save and its ``-wal`` still hold is replayed
        from turn 0 through the game's rules (see
        :mod:`fabula.persistence.recovery`); the report says how far it got.

        Raises:
            PersistenceError: nothing could be recovered, or ``to`` exists.
        """
        from fabula.persistence.recovery import recover

        return recover(Path(path), game, Path(to), policy=policy)

    def close(self) -> None:
        """Flush, record the final state digest, and release the file."""
        if self._conn is None:
            return
        self._busy += 1  # a signal now waits until the file is released
        try:
            lock = self._close_keeping_lock()
        finally:
            self._busy -= 1
        if lock is not None:  # no -wal left: nothing for the next open to check
            lock.release(closed=not Path(f"{self.path}-wal").exists())
        self._handle_pending_signal()

    def _close_keeping_lock(self) -> SaveLock | None:
        """Flush, checkpoint and close the file; return the lock, still held."""
        conn = self._db()
        lock, self._lock = self._lock, None
        self._busy += 1
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
            if self._log is not None:
                self.world.untrack_changes(self._log)
                self._log = None
            self._busy -= 1
        return lock

    def _attach(self, conn: sqlite3.Connection) -> None:
        """Continue on ``conn`` (the file, opened) after loading from an
        in-memory copy of it, which is closed; both must hold the same game."""
        loaded = self._db()
        try:
            same = all(
                loaded.execute(sql).fetchone() == conn.execute(sql).fetchone()
                for sql in (
                    "SELECT coalesce(max(turn), 0), count(*) FROM journal",
                    "SELECT turn, tick, rng FROM state WHERE id = 1",
                )
            )
        except sqlite3.Error as exc:
            raise translate(self.path, exc, "opening it") from exc
        if not same:
            raise WalError(
                self.path,
                "SQLite reads the save and its write-ahead log differently from fabula's own "
                "check of them; it was not opened. Please report this, with the files.",
            )
        self._conn = conn

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

    def __enter__(self) -> SaveFile:
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

    # ---------------------------------------------------------------- turns

    def play(
        self,
        input: str,
        actions: Iterable[ActionProposal | dict[str, Any]],
        models: Mapping[str, str] | None = None,
    ) -> list[Outcome]:
        """Play one turn and make it durable before returning.

        Args:
            input: what the player typed (journalled as is).
            models: the prompt ids/versions and models that parsed the input,
                e.g. ``{"parser": "qwen2.5-3b", "parser_prompt": "parse@3"}``
                (journalled; replay never uses them).
            actions: the structured actions the parser produced, in order.

        Returns:
            One outcome per action tried (the turn stops at the first refusal).

        A failing automatic flush does not fail the turn, which is already
        durable in the journal: it is logged and kept in :attr:`flush_error`.

        Raises:
            SaveWriteError: the journal could not be written; the world is
                back at the previous turn.
            Exception: whatever a buggy executor or system raised; the world
                is reloaded to the previous turn first.
        """
        conn = self._db()
        started = time.time()
        try:
            input.encode("utf-8")
        except UnicodeEncodeError as exc:  # checked before the world changes
            raise ValueError(
                f"the input cannot be journalled ({exc.reason} at {exc.start}); "
                "pass text without lone surrogates"
            ) from exc
        proposals, malformed = journal.well_formed(actions)
        record = {
            "turn": self.turn + 1,
            "input": input,
            "tick": self.world.tick,
            "rng": rng_fingerprint(self.world),
            "models": dict(models or {}),
            "started_at": started,
        }
        self._busy += 1
        try:
            try:
                outcomes = self.simulation.play([*proposals, *malformed])
            except BaseException:
                self._rebuild(self.turn)
                raise
            try:
                kept = journal.journalled(proposals, outcomes)
                journal.append(conn, TurnRecord(**record, actions=kept, finished_at=time.time()))
            except sqlite3.Error as exc:
                self._rebuild(self.turn)
                raise translate(self.path, exc, "recording the turn") from exc
            except BaseException:  # whatever failed, the world must not keep the turn
                self._rebuild(self.turn)
                raise
            self.turn += 1
            self._write_mark(journal.row_stamp(started))
            self._since_flush += 1
            if (
                self._since_flush >= self.policy.every_turns
                or time.monotonic() - self._flushed_at >= self.policy.every_seconds
            ):
                try:
                    self._flush()
                except PersistenceError as exc:
                    # The turn is safe in the journal; the snapshot catches up
                    # at the next flush, which rewrites it whole.
                    self.flush_error = exc
                    _log.warning("%s; the turn itself is saved in the journal", exc)
                else:
                    self.flush_error = None
        finally:
            self._busy -= 1
        self._handle_pending_signal()
        return outcomes

    def annotate(self, models: Mapping[str, str]) -> None:
        """Add model accounting (e.g. the narrator's tokens and prompt) to
        the last turn's journal row, after it was shown.

        Raises:
            SaveWriteError: the row could not be updated (the turn itself is
                safe; only this explanation is missing).
        """
        if not self.turn or not models:
            return
        try:
            journal.annotate(self._db(), self.turn, dict(models))
        except sqlite3.Error as exc:
            raise translate(self.path, exc, "recording the model accounting") from exc

    def maybe_flush(self) -> bool:
        """Flush if the policy's time has come (for callers that idle); return
        whether it flushed."""
        if self._since_flush and time.monotonic() - self._flushed_at >= self.policy.every_seconds:
            self.flush()
            return True
        return False

    def flush(self, *, digest: bool = False) -> None:
        """Write the buffered changes now, in one transaction.

        Args:
            digest: also store the state digest (``fabula replay`` checks it).
        """
        self._busy += 1
        try:
            self._flush(digest=digest)
        finally:
            self._busy -= 1
        self._handle_pending_signal()

    def _flush(self, *, digest: bool = False, truncate: bool = False) -> None:
        conn = self._db()
        assert self._log is not None
        changes = self._log.take()
        value = state_digest(self.world, self.game.components.name_of) if digest else None
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                if truncate:
                    journal.truncate(conn, self.turn)
                if self._rewrite:
                    write_world(conn, self.world, self._catalog, self.turn, value)
                else:
                    write_changes(conn, self.world, self._catalog, changes)
                    write_state(conn, self.world, self.turn, value)
                conn.execute("COMMIT")
            except BaseException:
                journal.rollback(conn)
                raise
        except BaseException as exc:
            # The taken changes are not on disk: the next flush rewrites everything.
            self._rewrite = True
            self._catalog.forget()
            if isinstance(exc, sqlite3.Error):
                raise translate(self.path, exc, "writing the save") from exc
            if isinstance(exc, UnsavableComponentError):
                raise SaveContentError(self.path, str(exc)) from exc
            raise
        self._rewrite = False
        self._since_flush = 0
        self._flushed_at = time.monotonic()

    def undo(self) -> int:
        """Take back the last turn; return the turn the game is now at.

        The world is rebuilt from the snapshot (or from the start, if the
        snapshot is already past the target turn) by replaying the journal,
        then the last journal row is deleted and the snapshot rewritten, all
        in one transaction. Cost: replaying up to ``FlushPolicy.every_turns``
        turns, or every turn since the start when the snapshot was just
        flushed.

        Raises:
            PersistenceError: there is no turn to undo.
        """
        self._db()
        if self.turn == 0:
            raise PersistenceError(self.path, "nothing to undo: this is the start of the game.")
        self._busy += 1
        try:
            turn = self.turn
            self.turn -= 1  # the mark must be lowered before the journal is
            try:
                self._write_mark(strict=True)
            finally:
                self.turn = turn
            self._rebuild(turn - 1)
            self._flush(truncate=True)
        finally:
            self._busy -= 1
        self._handle_pending_signal()
        return self.turn

    def save_as(self, path: str | os.PathLike[str]) -> Path:
        """Write a complete copy of the current game to ``path`` (atomically).

        This save stays the one in use; open the copy to continue from it.

        Raises:
            PersistenceError: ``path`` is this save.
            NotASaveError, SaveLockedError: ``path`` holds something that is
                not a fabula save, or a save in use; it is left alone.
            SaveWriteError: the copy could not be written.
        """
        return slots.save_as(self, Path(path))

    def restore_from(self, source: str | os.PathLike[str]) -> SaveFile:
        """Replace this game with the one saved in ``source`` (a :meth:`save_as`
        copy) and return the save reopened on it; this object is closed.

        The file is replaced in one step and the save stays locked
        throughout, so a failure leaves either this game or the restored
        one, never a mix, and no other process can take the save between.

        Raises:
            NotASaveError, SaveLockedError, SaveContentError, WalError:
                ``source`` is not a save of this game, or is in use or
                damaged; nothing is changed.
            SaveWriteError: the copy could not be written; this game is intact.
        """
        self._db()
        return slots.restore_from(self, Path(source))

    # ------------------------------------------------------------ internals

    # ------------------------------------------------------ reading history

    def records(self, after: int = 0, upto: int | None = None) -> list[TurnRecord]:
        """The journal's rows with ``after < turn <= upto`` (default: up to the
        current turn), in order: what derived data (memory, a trace viewer)
        is rebuilt from.

        Raises:
            PersistenceError: the save is closed or cannot be read.
        """
        upto = self.turn if upto is None else upto
        try:
            return list(journal.read(self._db(), after, upto, self.path))
        except sqlite3.Error as exc:
            raise translate(self.path, exc, "reading the journal") from exc

    def world_before(self, turn: int) -> tuple[World, int]:
        """A fresh world to replay towards ``turn`` from, and its turn: the
        snapshot if it is before ``turn``, else the game's turn-0 world
        (checked against the digest recorded when the game began). The
        save's own world is not touched.

        Raises:
            ReplayError: the game no longer builds the same starting world.
            PersistenceError: the save cannot be read.
        """
        world, base, _ = self._start_for(turn, strict=True)
        return world, base

    def _start_for(self, turn: int, *, strict: bool) -> tuple[World, int, bool]:
        """The snapshot if it lies before ``turn`` (or at it, unless
        ``strict``), else the checked turn-0 world; with its turn, and
        whether it is the snapshot."""
        conn = self._db()
        try:
            row = conn.execute("SELECT turn FROM state WHERE id = 1").fetchone()
            snapshot_turn = row[0] if row is not None else None
            if not isinstance(snapshot_turn, int):
                # read_world names what is wrong with the state row
                read_world(conn, self.path, self._catalog)
            elif snapshot_turn < turn or (snapshot_turn == turn and not strict):
                world, base = read_world(conn, self.path, self._catalog)
                return world, base, True
        except sqlite3.Error as exc:
            raise translate(self.path, exc, "reading the snapshot") from exc
        world = self.game.new_world(self.seed)
        if state_digest(world, self.game.components.name_of) != self._start_digest:
            raise ReplayError(
                self.path,
                "the game now builds a different starting world than when this save was "
                "made (its world files or code changed), so earlier turns cannot be "
                "rebuilt. Play on with the original game, or start a new game.",
            )
        return world, 0, False

    def _rebuild(self, turn: int) -> int:
        """Make :attr:`world` the world at ``turn``: from the snapshot if it is
        not past it, else from the game's start, replaying journal rows up to
        ``turn``. Return how many rows were replayed onto the snapshot."""
        conn = self._db()
        world, base, from_snapshot = self._start_for(turn, strict=False)
        rewrite = not from_snapshot
        log = world.track_changes()
        simulation = self.game.simulation(world)
        records = list(journal.read(conn, base, turn, self.path))
        replay(self.path, simulation, records)
        if self._log is not None:
            self.world.untrack_changes(self._log)
        self.world, self.simulation, self.turn, self._log = world, simulation, turn, log
        self._rewrite = self._rewrite or rewrite
        return 0 if rewrite else len(records)

    # -------------------------------------------------------------- signals

    @contextlib.contextmanager
    def flush_on_signals(
        self, signals: Sequence[int] = (signal.SIGINT, signal.SIGTERM)
    ) -> Iterator[SaveFile]:
        """Close the save cleanly when one of ``signals`` arrives, then exit.

        A signal arriving in the middle of a turn or a flush is held until it
        ends, so the file never records half a turn. SIGINT then raises
        ``KeyboardInterrupt``; other signals ``SystemExit(128 + signum)``.
        Use in the main thread.
        """
        previous = {s: signal.getsignal(s) for s in signals}

        def handler(signum: int, frame: object) -> None:
            self._pending_signal = signum
            if not self._busy:
                self._handle_pending_signal()

        for s in signals:
            signal.signal(s, handler)
        try:
            yield self
        finally:
            for s, old in previous.items():
                signal.signal(s, old)

    def _handle_pending_signal(self) -> None:
        if self._busy or self._pending_signal is None:
            return  # the outermost turn, flush or close handles it when it ends
        signum, self._pending_signal = self._pending_signal, None
        self.close()
        if signum == signal.SIGINT:
            raise KeyboardInterrupt
        raise SystemExit(128 + signum)
