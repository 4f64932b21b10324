"""A game's save file: its world on disk, kept current turn by turn.

A :class:`SaveFile` owns one SQLite file (format in
:mod:`fabula.persistence.schema`) holding a snapshot of the world and the
action journal. Each turn played through :meth:`SaveFile.play`:

1. is applied to the world by the game's :class:`~fabula.simulation.Simulation`;
2. is appended to the journal and committed (fsynced by default) *before*
   :meth:`play` returns, so whatever the caller shows next is on disk;
3. leaves its changes in the write-behind buffer, flushed every few turns or
   seconds (:class:`~fabula.persistence.write_behind.FlushPolicy`).

Opening a save loads the snapshot and replays the journal rows written
after it: after a crash the world is exactly what the player last saw, and
no model is asked anything again. :meth:`undo` goes one turn back by the
same route. Creating, opening, locking and closing a save are in
:mod:`fabula.persistence.lifecycle` (and :mod:`fabula.persistence.opening`),
save slots in :mod:`fabula.persistence.slots`, recovering a damaged save into
a new one in :mod:`fabula.persistence.recovery`.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from fabula.actions import ActionProposal, Outcome
from fabula.ecs import World
from fabula.errors import ArgumentError, PersistenceError, SaveContentError
from fabula.persistence import journal, slots
from fabula.persistence.codec import UnsavableComponentError
from fabula.persistence.digest import rng_fingerprint, state_digest
from fabula.persistence.journal import TurnRecord
from fabula.persistence.lifecycle import SaveLifecycle
from fabula.persistence.lock import SaveLock
from fabula.persistence.replay import replay, start_world
from fabula.persistence.schema import Durability, translate
from fabula.persistence.write_behind import FlushPolicy
from fabula.simulation import Game, Simulation

__all__ = ["SaveFile"]

_log = logging.getLogger(__name__)


class SaveFile(SaveLifecycle):
    """One game's save. Create with :meth:`new`, reopen with :meth:`open`
    (both from :class:`~fabula.persistence.lifecycle.SaveLifecycle`, with
    :meth:`close` and the lock).

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
        super().__init__(path, conn, game, policy=policy, durability=durability, lock=lock)
        self.world: World = World()
        self.simulation: Simulation
        self.turn = 0
        self.recovered = 0
        self.flush_error: PersistenceError | None = None

    # ---------------------------------------------------------------- turns

    def play(
        self,
        input: str,
        actions: Iterable[ActionProposal | dict[str, Any]],
        models: Mapping[str, str] | None = None,
        *,
        stop_at_refusal: bool = True,
        recorded: bool = False,
        before_tick: Callable[[list[Outcome]], None] | None = None,
    ) -> list[Outcome]:
        """Play one turn and make it durable before returning.

        Args:
            input: what the player typed (journalled as is).
            models: the prompt ids/versions and models that parsed the input,
                e.g. ``{"parser": "qwen2.5-3b", "parser_prompt": "parse@3"}``
                (journalled; replay never uses them).
            actions: the structured actions the parser produced, in order.
            stop_at_refusal: stop at the first refused action (default), or
                try each on its own, as for the objects of "take lamp, key
                and coat" (see :meth:`Simulation.play`).
            recorded: ``actions`` are a journal row played again (recovery):
                all are played, with their recorded implicit actions.
            before_tick: called with the outcomes before the turn's tick
                (see :meth:`~fabula.simulation.Simulation.play`).

        Returns:
            One outcome per action tried; the row journalled holds exactly
            those, with the implicit actions tried for them.

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
            raise ArgumentError(
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
        with self._hold:
            try:
                # Only what differs from the defaults is passed, so a game whose
                # simulation predates these options still plays its turns.
                options = {"stop_at_refusal": False} if not stop_at_refusal else {}
                options |= {"recorded": True} if recorded else {}
                outcomes = self.simulation.play(
                    [*proposals, *malformed], before_tick=before_tick, **options
                )
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
            if self._buffer.turn_played():
                try:
                    self._flush()
                except PersistenceError as exc:
                    # The turn is safe in the journal; the snapshot catches up
                    # at the next flush, which rewrites it whole.
                    self.flush_error = exc
                    _log.warning("%s; the turn itself is saved in the journal", exc)
                else:
                    self.flush_error = None
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
        if self._buffer.pending and self._buffer.waited():
            self.flush()
            return True
        return False

    def flush(self, *, digest: bool = False) -> None:
        """Write the buffered changes now, in one transaction.

        Args:
            digest: also store the state digest (``fabula replay`` checks it).
        """
        with self._hold:
            self._flush(digest=digest)

    def _flush(self, *, digest: bool = False, truncate: bool = False) -> None:
        value = state_digest(self.world, self.game.components.name_of) if digest else None
        try:
            self._buffer.flush(self._db(), self.turn, value, truncate=truncate)
        except sqlite3.Error as exc:
            raise translate(self.path, exc, "writing the save") from exc
        except UnsavableComponentError as exc:
            raise SaveContentError(self.path, str(exc)) from exc

    def undo(self, turns: int = 1) -> int:
        """Take back the last ``turns`` turns (all the turns one typed line
        played, say); return the turn the game is now at.

        The world is rebuilt from the snapshot (or from the start, if the
        snapshot is already past the target turn) by replaying the journal,
        then the last journal row is deleted and the snapshot rewritten, all
        in one transaction. Cost: replaying up to ``FlushPolicy.every_turns``
        turns, or every turn since the start when the snapshot was just
        flushed.

        Raises:
            PersistenceError: there is no turn to undo.
            ArgumentError: ``turns`` is not positive.
        """
        self._db()
        if turns < 1:
            raise ArgumentError(f"undo(turns={turns}): turns must be at least 1.")
        if self.turn == 0:
            raise PersistenceError(self.path, "nothing to undo: this is the start of the game.")
        with self._hold:
            turn = self.turn
            target = max(0, turn - turns)
            self.turn = target  # the mark must be lowered before the journal is
            try:
                self._write_mark(strict=True)
            finally:
                self.turn = turn
            self._rebuild(target)
            self._flush(truncate=True)
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

    # ------------------------------------------------------------- history

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
        try:
            return start_world(
                self._db(), self.path, self.game, self._meta, self._catalog, turn, strict=strict
            )
        except sqlite3.Error as exc:
            raise translate(self.path, exc, "reading the snapshot") from exc

    def _rebuild(self, turn: int) -> int:
        """Make :attr:`world` the world at ``turn``: from the snapshot if it is
        not past it, else from the game's start, replaying journal rows up to
        ``turn``. Return how many rows were replayed onto the snapshot."""
        world, base, from_snapshot = self._start_for(turn, strict=False)
        log = world.track_changes()  # what replay changes is buffered too
        simulation = self.game.simulation(world)
        records = list(journal.read(self._db(), base, turn, self.path))
        replay(self.path, simulation, records)
        self._buffer.follow(world, log, rewrite=not from_snapshot)
        self.world, self.simulation, self.turn = world, simulation, turn
        return len(records) if from_snapshot else 0
