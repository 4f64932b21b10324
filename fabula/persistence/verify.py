"""Checking a save against its own journal: does replaying it reproduce it?

:func:`verify` rebuilds the game's starting world from the seed the save
records, replays every journalled turn through the game's rules (no model
involved), and compares:

* the starting world with the digest recorded when the game began (the game
  itself has not changed since);
* the tick and RNG state before each turn with what the journal recorded
  (the game is deterministic);
* the state at the turn of the stored digest (written on close and save)
  with that digest;
* the final replayed state with the state the save holds now (its snapshot
  plus the journal after it).

``fabula replay SAVE`` prints the report. Like opening a save, checking one
takes its lock and checks its files before SQLite may read them
(:mod:`fabula.persistence.opening`), so it never changes them, and every
journal row and snapshot row is decoded and checked on the way.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from fabula.errors import GameNotFoundError, ReplayError, SaveContentError
from fabula.persistence import journal
from fabula.persistence.advice import recover_command
from fabula.persistence.digest import state_digest
from fabula.persistence.lock import SaveLock
from fabula.persistence.meta import read_meta
from fabula.persistence.preflight import check_files
from fabula.persistence.replay import replay
from fabula.persistence.schema import connect, identify, translate
from fabula.persistence.snapshot import Catalog, read_world
from fabula.simulation import Game, find_game

__all__ = ["ReplayReport", "verify"]


@dataclass(slots=True)
class ReplayReport:
    """What :func:`verify` found.

    Attributes:
        path: the save.
        game: the game reference it records.
        turns: journalled turns replayed.
        checks: ``(what, expected, found)`` for every digest comparison made.
        problem: the first divergence found, in words (``None`` if none).
    """

    path: Path
    game: str
    turns: int = 0
    checks: list[tuple[str, str, str]] = field(default_factory=list)
    problem: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the journal reproduces the save exactly."""
        return self.problem is None and all(e == f for _, e, f in self.checks)


def verify(
    path: str | Path,
    game: Game | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ReplayReport:
    """Replay ``path``'s journal from turn 0 and compare (see the module docstring).

    Args:
        path: the save.
        game: the game (default: the installed game with the id the save records).
        progress: called with ``(turns done, turns total)`` as replay goes.

    Raises:
        NotASaveError, SaveLockedError, WalError, ...: the save cannot be read.
        SaveContentError: a row does not decode, or the save is another game's.
        GameNotFoundError: no installed game has the save's id (the message
            names the save).
    """
    path = Path(path)
    lock = SaveLock.acquire(path)
    try:
        conn = check_files(path, lock.mark, recover_command(path, game))
        if conn is None:
            conn = connect(path)
        try:
            identify(conn, path)
            return _verify(conn, path, game, progress)
        except sqlite3.Error as exc:
            raise translate(path, exc, "replaying it") from exc
        finally:
            conn.close()
    finally:
        lock.release(closed=False)


def _verify(
    conn: sqlite3.Connection,
    path: Path,
    game: Game | None,
    progress: Callable[[int, int], None] | None,
) -> ReplayReport:
    meta = read_meta(conn, path)
    report = ReplayReport(path, meta.game)
    if game is None:
        try:
            game = find_game(report.game)
        except GameNotFoundError as exc:
            raise GameNotFoundError(f"{path}: is a save of game {report.game!r}; {exc}") from exc
    elif game.id != meta.game:
        raise SaveContentError(
            path,
            f"belongs to game {meta.game!r}, not {game.id!r}. Replay it with that game "
            "(--game names it).",
        )
    name_of = game.components.name_of
    state = conn.execute("SELECT digest, digest_turn, turn FROM state WHERE id = 1").fetchone()
    if state is None or not isinstance(state[2], int):
        read_world(conn, path, Catalog(path, game.components))  # names what is wrong
    stored, stored_turn, snapshot_turn = state
    total = journal.last_turn(conn)

    world = game.new_world(meta.seed)
    report.checks.append(("start of the game", meta.start_digest, state_digest(world, name_of)))
    if stored_turn == 0 and stored is not None:
        report.checks.append(("stored digest at turn 0", stored, state_digest(world, name_of)))
    simulation = game.simulation(world)
    for record in journal.read(conn, 0, None, path):
        try:
            replay(path, simulation, [record])
        except ReplayError as exc:
            report.problem = str(exc)
            return report
        report.turns += 1
        if record.turn == stored_turn and stored is not None:
            found = state_digest(world, name_of)
            report.checks.append((f"stored digest at turn {stored_turn}", stored, found))
        if progress is not None:
            progress(report.turns, total)

    saved, _ = read_world(conn, path, Catalog(path, game.components))
    saved_simulation = game.simulation(saved)
    try:
        replay(path, saved_simulation, journal.read(conn, snapshot_turn, None, path))
    except ReplayError as exc:
        report.problem = str(exc)
        return report
    report.checks.append(
        (
            f"saved state at turn {total} (snapshot of turn {snapshot_turn} + journal)",
            state_digest(saved, name_of),
            state_digest(world, name_of),
        )
    )
    return report
