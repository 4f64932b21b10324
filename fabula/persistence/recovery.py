"""Recovering a damaged save into a new one, without changing it.

A save that fabula refuses to open (a damaged ``-wal``, a damaged snapshot,
a bad journal row) still holds most of its game in its journal, and the
journal is all a game needs: the turn-0 world is a pure function of the
seed, and every turn after it replays through the game's rules. So
:func:`recover` (``fabula replay SAVE --recover-to NEW``):

1. locks the damaged save (it must not be in use) and reads it and its
   ``-wal`` into memory; SQLite never opens them, nothing is written to them;
2. builds every reading of them that may hold more of the journal than the
   others: the file alone; as SQLite would read them; with the log's header
   ignored (when only the header is damaged, the frames are intact); with
   the frames after a damaged one (with and without that frame). A reading
   with the log applied must pass SQLite's ``quick_check`` in memory, and
   must be this save: the game record and the rows it shares with the file
   alone are the same, and the row the lock file's mark names is that row;
3. takes the reading whose journal reads furthest from turn 1 (every row
   decoded and checked, as when opening), and replays it into a new save at
   ``NEW`` through the game's rules, checking each turn's actions against
   the game and its tick and RNG against the record, and stopping at the
   first turn that does not check;
4. reports how many turns the new save holds, how many the game had reached
   (when the lock file's mark says), and why it stopped, if it did.

The new save is an ordinary save (its own identity); the damaged one and its
``-wal`` are left exactly as they were, to keep or to delete.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from fabula.errors import (
    GameNotFoundError,
    NotASaveError,
    PersistenceError,
    ReplayError,
    SaveContentError,
    SaveVersionError,
)
from fabula.persistence import journal, wal
from fabula.persistence.digest import state_digest
from fabula.persistence.journal import TurnRecord, row_stamp
from fabula.persistence.lock import JournalMark, SaveLock
from fabula.persistence.meta import SaveMeta, read_meta
from fabula.persistence.preflight import memory_image, page_size
from fabula.persistence.replay import check_turn
from fabula.persistence.save import SaveFile
from fabula.persistence.schema import FABULA_ID, FORMAT_VERSION, check_header, os_error
from fabula.persistence.write_behind import FlushPolicy
from fabula.simulation import Game, find_game

__all__ = ["RecoveryReport", "recover"]


@dataclass(slots=True)
class RecoveryReport:
    """What :func:`recover` did.

    Attributes:
        source: the damaged save (unchanged).
        target: the new save.
        reading: which reading of the damaged files the journal came from.
        turns: turns replayed into the new save.
        readable: journal rows that could be read, from turn 1.
        expected: the turn the game had reached, if its lock file recorded it.
        problem: why recovery stopped before the end of what it read, if it did.
    """

    source: Path
    target: Path
    reading: str
    turns: int
    readable: int
    expected: int | None
    problem: str | None

    @property
    def complete(self) -> bool:
        """Whether every turn the save held (as far as is known) was recovered."""
        return (
            self.problem is None
            and self.turns == self.readable
            and (self.expected is None or self.turns >= self.expected)
        )


@dataclass(slots=True)
class _Reading:
    label: str
    meta: SaveMeta
    records: list[TurnRecord]
    problem: str | None


def recover(
    path: Path, game: Game | None, to: Path, *, policy: FlushPolicy | None = None
) -> RecoveryReport:
    """Rebuild the save at ``path`` into a new save at ``to`` (see the module docstring).

    Args:
        game: the game (default: the installed game with the id the save records).

    Raises:
        GameNotFoundError: no game was given and none is installed with the save's id.
        PersistenceError: ``to`` exists or is ``path``; no reading of the
            save holds a usable game record; it belongs to another game.
        SaveLockedError: the save is in use.
        ReplayError: the game no longer builds the save's starting world.
    """
    if to.exists() or to.is_symlink():
        raise PersistenceError(
            to, "already exists; recovery never overwrites a file. Name a new file."
        )
    lock = SaveLock.acquire(path)
    try:
        expected = lock.mark.turn if lock.mark is not None else None
        best = _best_reading(path, _readings(path), lock.mark)
    finally:
        lock.release(closed=False)
    if game is None:
        try:
            game = find_game(best.meta.game)
        except GameNotFoundError as exc:
            raise GameNotFoundError(f"{path}: is a save of game {best.meta.game!r}; {exc}") from exc
    if best.meta.game != game.id:
        raise SaveContentError(
            path, f"belongs to game {best.meta.game!r}, not {game.id!r}. Recover it with that game."
        )
    start = game.new_world(best.meta.seed)
    if state_digest(start, game.components.name_of) != best.meta.start_digest:
        raise ReplayError(
            path,
            "the game now builds a different starting world than when this save was made "
            "(its world files or code changed), so its turns cannot be replayed. Recover "
            "it with the game it was made with.",
        )
    problem = best.problem
    turns = 0
    with SaveFile.new(to, game, seed=best.meta.seed, policy=policy) as save:
        for record in best.records:
            try:
                check_turn(path, save.simulation, record)
            except (SaveContentError, ReplayError) as exc:
                problem = str(exc)
                break
            save.play(record.input, record.actions, record.models, stop_at_refusal=False)
            turns += 1
    return RecoveryReport(path, to, best.label, turns, len(best.records), expected, problem)


def _readings(path: Path) -> list[tuple[str, bytes, bool]]:
    """The candidate database images of the save and its ``-wal``: the file
    alone first, then the readings of the log, most faithful first. Each
    comes with whether it must pass ``quick_check`` (a log applied to the
    file may not fit it; the file alone is read only where it is needed)."""
    header = check_header(path)
    try:
        main = path.read_bytes()
        log = Path(f"{path}-wal")
        data = log.read_bytes() if log.exists() else b""
    except OSError as exc:
        raise os_error(path, exc, "reading it") from exc
    page = page_size(header)
    found = wal.scan(data, page)
    readings = [("the save without its -wal", main, False)]
    if found.committed:
        label = "the save and its -wal, as SQLite reads them"
        with contextlib.suppress(ValueError):
            readings.append((label, bytes(wal.apply(main, data, found)), True))
    if len(data) < wal.HEADER_SIZE + wal.FRAME_HEADER_SIZE + page:
        return readings
    words = [int(w) for w in np.frombuffer(data[:32], dtype=">u4")]
    seed = (words[6], words[7])
    first = [int(w) for w in np.frombuffer(data[40:48], dtype=">u4")]
    count = (len(data) - wal.HEADER_SIZE) // (wal.FRAME_HEADER_SIZE + page)
    for salts in dict.fromkeys([(words[4], words[5]), (first[0], first[1])]):
        for big in (bool(words[0] & 1), not words[0] & 1):
            # The header ignored: its checksum as the seed, these salts, either byte order.
            again = wal.scan_frames(data, page, big, salts, seed)
            if again.committed > found.committed:
                label = "the save and its -wal, with the log's header ignored"
                with contextlib.suppress(ValueError):
                    readings.append((label, bytes(wal.apply(main, data, again)), True))
        headers, linked = wal.frame_checks(data, page, bool(words[0] & 1), seed, count)
        own = (headers[:, 2] == salts[0]) & (headers[:, 3] == salts[1]) & (headers[:, 0] != 0)
        for label, chosen in (
            ("every frame of its -wal", own),
            ("every intact frame of its -wal", own & linked),
        ):
            frames = (np.flatnonzero(chosen) + 1).tolist()
            commits = [f for f in frames if headers[f - 1, 1]]
            if commits and commits[-1] > found.committed:
                upto = [f for f in frames if f <= commits[-1]]
                with contextlib.suppress(ValueError):  # sizes only noise could give
                    image = wal.apply_frames(main, data, page, upto)
                    readings.append((f"the save and {label}", bytes(image), True))
    return readings


def _best_reading(
    path: Path, readings: list[tuple[str, bytes, bool]], mark: JournalMark | None
) -> _Reading:
    """The reading whose journal reads furthest (the first of equals), among
    those that are this save: the same game record as the file alone, the
    same rows where both have them, and the row the lock file's mark names."""
    best: _Reading | None = None
    base: _Reading | None = None
    problems: list[str] = []
    for label, image, check in readings:
        reading = _read(path, label, image, check, problems)
        if reading is None:
            continue
        if base is None and label == readings[0][0]:
            base = reading
        elif base is not None and not _agrees(reading, base):
            problems.append(f"{label}: another save's journal")
            continue
        if mark is not None and mark.save == reading.meta.identity() and mark.turn > 0:
            rows = reading.records
            if len(rows) >= mark.turn and row_stamp(rows[mark.turn - 1].started_at) != mark.row:
                problems.append(f"{label}: not the journal the lock file records")
                continue
        if best is None or len(reading.records) > len(best.records):
            best = reading
    if best is None:
        newer = [p for p in problems if "newer" in p]
        if newer and len(newer) == len(problems):
            raise SaveVersionError(
                path,
                f"{newer[0]}. Upgrade fabula (pip install -U fabula) to recover it.",
            )
        why = f" ({problems[0]})" if problems else ""
        raise NotASaveError(
            path,
            f"holds no readable game record, in any reading of it and its -wal{why}; there is "
            "nothing to recover. Restore it from a backup, or start a new game with --new.",
        )
    return best


def _read(
    path: Path, label: str, image: bytes, check: bool, problems: list[str]
) -> _Reading | None:
    """One reading's game record and journal (as far as it reads), or ``None``."""
    if int.from_bytes(image[68:72], "big") != FABULA_ID:
        problems.append(f"{label}: not a fabula save")
        return None
    version = int.from_bytes(image[60:64], "big")
    if version > FORMAT_VERSION:
        problems.append(f"{label}: written in save format {version}, newer than this fabula's")
        return None
    try:
        conn = memory_image(image)
    except sqlite3.Error as exc:
        problems.append(f"{label}: {exc}")
        return None
    try:
        if check and [r[0] for r in conn.execute("PRAGMA quick_check(1)")] != ["ok"]:
            problems.append(f"{label}: damaged")
            return None
        reading = _Reading(label, read_meta(conn, path), [], None)
        try:
            reading.records.extend(journal.read(conn, 0, None, path))
        except (SaveContentError, sqlite3.Error) as exc:
            reading.problem = str(exc)
        return reading
    except (PersistenceError, sqlite3.Error) as exc:
        problems.append(f"{label}: {exc}")
        return None
    finally:
        conn.close()


def _agrees(reading: _Reading, base: _Reading) -> bool:
    """Whether two readings are of one save: the same game record, and the
    same rows where both have them."""
    if reading.meta != base.meta:
        return False
    return all(
        a.turn == b.turn and a.started_at == b.started_at
        for a, b in zip(reading.records, base.records, strict=False)
    )
