"""Crash safety with real processes: a killed player loses no turn whose
result was shown, and never leaves a damaged file.

``crash_player.py`` plays the keep game's script into a save with write-behind
on and prints ``shown N`` after each turn. The tests kill it (SIGKILL after a
seeded random delay, or at an exact COMMIT), then check the file as a player
restarting the game would find it, against an uninterrupted in-memory run of
the same script:

* a copy of the file as the crash left it passes ``PRAGMA integrity_check``,
  its journal holds turns 1..N without a gap, and its snapshot alone equals
  the reference at the snapshot's turn (a flush never stores half a turn);
* ``SaveFile.open`` recovers turn N, the last turn shown or the one after it
  (committed, killed before it was shown), by replaying exactly the rows
  after the snapshot, and the world's digest equals the reference at N;
* after ``close`` the file passes the integrity check again, stores the
  digest of turn N, and has no write-ahead log left.

SIGTERM and SIGINT, at random moments and at exact points of a turn, a
flush and a close, must close the save cleanly instead.
"""

from __future__ import annotations

import functools
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from fabula.persistence import SaveFile, read_world, state_digest
from fabula.persistence.snapshot import Catalog
from tests.persistence.keep_game import GAME, script

HERE = Path(__file__).parent
PLAYER = HERE / "crash_player.py"
TURNS = 4000  # more than a player gets through before any kill below
SEED = 3


@functools.cache
def reference() -> tuple[str, ...]:
    """``reference()[n]``: the digest after turn ``n`` of an uninterrupted run."""
    world = GAME.new_world(SEED)
    simulation = GAME.simulation(world)
    digests = [state_digest(world)]
    for _, actions in script(TURNS):
        simulation.play(actions)
        digests.append(state_digest(world))
    return tuple(digests)


# ----------------------------------------------------------------- players


@dataclass
class Run:
    """What one player process printed, and how it ended."""

    lines: list[str]
    returncode: int
    stderr: str

    @property
    def ready(self) -> tuple[int, int] | None:
        """(turn, recovered) when the save was open, or None if it never was."""
        for line in self.lines:
            if line.startswith("ready"):
                _, turn, recovered = line.split()
                return int(turn), int(recovered)
        return None

    @property
    def shown(self) -> int:
        """The last turn whose result was shown (the starting turn if none)."""
        shown = [int(line.split()[1]) for line in self.lines if line.startswith("shown")]
        assert self.ready is not None or not shown
        return shown[-1] if shown else (self.ready or (0, 0))[0]

    @property
    def played(self) -> int:
        """How many turns were shown in this run."""
        return sum(1 for line in self.lines if line.startswith("shown"))

    @property
    def done(self) -> bool:
        return "done" in self.lines


def run_player(
    path: Path,
    every: int,
    *extra: str,
    delay: float = 0.0,
    signum: int | None = None,
    times: int = 1,
    after_shown: int = 0,
) -> Run:
    """Run ``crash_player.py`` on ``path``; with ``signum``, send it that
    signal ``delay`` seconds after the player said ``ready`` (``times`` times,
    1 ms apart), or, with ``after_shown``, ``delay`` seconds after it showed
    that many turns of this run: how far a player got before the kill then
    depends on the plan, never on how fast the machine is. Otherwise wait
    for it to end by itself (or by ``--kill-at``)."""
    command = [sys.executable, str(PLAYER), str(path), "--seed", str(SEED)]
    command += ["--turns", str(TURNS), "--every", str(every), *extra]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]),
    }
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    lines: list[str] = []
    try:
        if signum is None:
            out, stderr = process.communicate(timeout=60)
            lines.extend(out.splitlines())
        else:
            # (Not communicate() after readline(): it would skip what the
            # reader had buffered.) Drain stdout while the player runs, so it
            # never waits on a full pipe.
            first = process.stdout.readline()
            lines.append(first)
            shown = 0
            while first.startswith("ready") and shown < after_shown:
                line = process.stdout.readline()
                if not line:
                    break
                lines.append(line)
                shown += line.startswith("shown")
            drain = threading.Thread(target=lambda: lines.extend(process.stdout))
            drain.start()
            if first.startswith("ready"):
                time.sleep(delay)
                for i in range(times):
                    time.sleep(0.001 if i else 0)
                    process.send_signal(signum)
            process.wait(timeout=60)
            drain.join(timeout=60)
            stderr = process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return Run([line.strip() for line in lines if line.strip()], process.returncode, stderr)


# ------------------------------------------------------------------ checks


def integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return ", ".join(row[0] for row in conn.execute("PRAGMA integrity_check"))
    finally:
        conn.close()


def copy_save(path: Path, target: Path) -> Path:
    """Copy a save and its write-ahead log, as they are, to ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal"):
        source = Path(f"{path}{suffix}")
        copy = Path(f"{target}{suffix}")
        copy.unlink(missing_ok=True)
        if source.exists():
            shutil.copyfile(source, copy)
    return target


def inspect_crashed(path: Path) -> tuple[int, int]:
    """Check a copy of the file as the crash left it (so the save itself is
    opened by ``SaveFile`` first, as a player's would be); return (last
    journalled turn, snapshot turn)."""
    copy = copy_save(path, path.parent / "crashed" / path.name)
    try:
        assert integrity(copy) == "ok"
        conn = sqlite3.connect(copy)
        try:
            count, last = conn.execute(
                "SELECT count(*), coalesce(max(turn), 0) FROM journal"
            ).fetchone()
            assert count == last, f"the journal has gaps: {count} rows up to turn {last}"
            world, snapshot_turn = read_world(conn, copy, Catalog(copy, GAME.components))
        finally:
            conn.close()
        assert snapshot_turn <= last
        assert state_digest(world) == reference()[snapshot_turn], (
            f"the snapshot of turn {snapshot_turn} is not the state of that turn"
        )
        return last, snapshot_turn
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)


def check(path: Path, shown: int) -> tuple[int, int]:
    """The crashed save holds every turn shown, in the right state; return
    (turn recovered to, turns replayed)."""
    last, snapshot_turn = inspect_crashed(path)
    with SaveFile.open(path, GAME) as save:
        turn, recovered = save.turn, save.recovered
        assert turn >= shown, f"lost {shown - turn} turn(s) that were shown"
        assert turn <= shown + 1, f"{turn - shown} turns more than were shown"
        assert turn == last
        assert recovered == turn - snapshot_turn
        assert state_digest(save.world) == reference()[turn], f"wrong state at turn {turn}"
    assert integrity(path) == "ok"
    assert not Path(f"{path}-wal").exists(), "close() left a write-ahead log"
    conn = sqlite3.connect(path)
    try:
        stored = conn.execute("SELECT turn, digest, digest_turn FROM state").fetchone()
    finally:
        conn.close()
    assert stored == (turn, reference()[turn], turn)
    return turn, recovered


def test_the_reference_tells_every_turn_apart() -> None:
    """A check against the wrong turn's digest, or a world one turn behind
    or ahead, cannot pass by accident."""
    digests = reference()
    assert len(digests) == TURNS + 1
    assert len(set(digests)) == len(digests)


def commit_plan(every: int, commits: int) -> list[tuple[str, int]]:
    """The COMMITs a fresh save makes, in order: ("journal", t) for each turn
    and ("flush", t) after each ``every``-th."""
    plan: list[tuple[str, int]] = []
    turn = 0
    while len(plan) < commits:
        turn += 1
        plan.append(("journal", turn))
        if turn % every == 0:
            plan.append(("flush", turn))
    return plan[:commits]


# ------------------------------------------------------ exact crash points


EXACT_EVERY = 3
EXACT = [
    (n, kind, turn, when)
    for n, (kind, turn) in enumerate(commit_plan(EXACT_EVERY, 8), start=1)
    for when in ("before", "after")
]


@pytest.mark.parametrize(
    ("commit", "kind", "turn", "when"),
    EXACT,
    ids=[f"{when}-{kind}-of-turn-{turn}" for _, kind, turn, when in EXACT],
)
def test_sigkill_at_each_commit_of_a_turn_and_a_flush(
    tmp_path: Path, commit: int, kind: str, turn: int, when: str
) -> None:
    path = tmp_path / "game.save"
    run = run_player(path, EXACT_EVERY, "--kill-at", str(commit), "--kill-when", when)
    assert run.returncode == -signal.SIGKILL, run.stderr
    assert run.shown == turn - 1  # the turn being committed was never shown
    completed = commit_plan(EXACT_EVERY, commit if when == "after" else commit - 1)
    journalled = max((t for k, t in completed if k == "journal"), default=0)
    snapshot = max((t for k, t in completed if k == "flush"), default=0)
    assert check(path, run.shown) == (journalled, journalled - snapshot)


def test_a_crash_during_recovery_loses_nothing(tmp_path: Path) -> None:
    """Killed before and after the flush that recovery makes, then again
    mid-game: every time the next start finds all the turns."""
    path = tmp_path / "game.save"
    first = run_player(path, 50, "--kill-at", "5", "--kill-when", "after")
    assert first.returncode == -signal.SIGKILL, first.stderr
    assert (first.shown, inspect_crashed(path)) == (4, (5, 0))
    # Commit 1 of a reopened crashed save is its recovery flush.
    before = run_player(path, 50, "--kill-at", "1", "--kill-when", "before")
    assert (before.returncode, before.ready) == (-signal.SIGKILL, None), before.stderr
    assert inspect_crashed(path) == (5, 0)
    after = run_player(path, 50, "--kill-at", "1", "--kill-when", "after")
    assert (after.returncode, after.ready) == (-signal.SIGKILL, None), after.stderr
    assert inspect_crashed(path) == (5, 5)
    again = run_player(path, 50, "--kill-at", "3", "--kill-when", "after")
    assert again.returncode == -signal.SIGKILL, again.stderr
    assert (again.ready, again.shown) == ((5, 0), 7)
    assert check(path, again.shown) == (8, 3)


def test_the_checks_catch_a_lost_turn_and_a_wrong_state(tmp_path: Path) -> None:
    """The checks above can fail: a save missing a shown turn, or holding a
    state other than the reference's, is reported."""
    crashed = tmp_path / "game.save"
    run = run_player(crashed, 50, "--kill-at", "10", "--kill-when", "after")
    assert run.returncode == -signal.SIGKILL, run.stderr
    assert check(copy_save(crashed, tmp_path / "a" / "game.save"), run.shown) == (10, 10)

    with pytest.raises(AssertionError, match="lost 2 turn"):
        check(copy_save(crashed, tmp_path / "b" / "game.save"), 12)

    # Turn the first walk of the script round: replay still succeeds (no
    # randomness depends on where the keeper is) but ends elsewhere.
    tampered = copy_save(crashed, tmp_path / "c" / "game.save")
    walk = next(n for n, (text, _) in enumerate(script(10), 1) if text.startswith("walk"))
    conn = sqlite3.connect(tampered)
    (text,) = conn.execute("SELECT actions FROM journal WHERE turn = ?", (walk,)).fetchone()
    actions = json.loads(text)
    params = actions[0]["params"]
    params.update(dx=-params["dx"], dy=-params["dy"])
    conn.execute("UPDATE journal SET actions = ? WHERE turn = ?", (json.dumps(actions), walk))
    conn.commit()
    conn.close()
    with pytest.raises(AssertionError, match="wrong state at turn 10"):
        check(tampered, run.shown)


# ------------------------------------------------------- random SIGKILLs


def trial(
    path: Path, every: int, kills: list[tuple[int, float]], check_between: bool
) -> list[tuple[int, Run, int, int]]:
    """Crash one save once per kill, ``(turns shown first, delay)``; return
    (every, run, turn, recovered) per crash. Between crashes the test either
    checks the save (and so recovers it), or leaves the crashed file to the
    next player to recover."""
    results = []
    previous: tuple[int, int] | None = None  # (last shown, snapshot turn)
    for i, (after, delay) in enumerate(kills):
        run = run_player(path, every, delay=delay, signum=signal.SIGKILL, after_shown=after)
        assert run.returncode == -signal.SIGKILL, run.stderr
        assert run.ready is not None, run.stderr
        if previous is not None:  # this player recovered the last crash itself
            shown, snapshot_turn = previous
            ready_turn, recovered = run.ready
            assert shown <= ready_turn <= shown + 1, (previous, run.ready)
            assert recovered == ready_turn - snapshot_turn
        if check_between or i == len(kills) - 1:
            turn, recovered = check(path, run.shown)
            previous = None
        else:
            turn, snapshot_turn = inspect_crashed(path)
            assert run.shown <= turn <= run.shown + 1
            recovered = turn - snapshot_turn
            previous = (run.shown, snapshot_turn)
        results.append((every, run, turn, recovered))
    return results


def test_sigkill_at_random_moments_loses_no_shown_turn(tmp_path: Path) -> None:
    """30 saves, 50 SIGKILLs at seeded random points: after a seeded number
    of turns shown (none for one kill in five, else up to 300), then a
    random 0 to 3 ms more, so the kill lands in turns, journal appends and
    flushes alike, wherever the player is by then; every third save is
    crashed three times, resumed in between either by the test or by the
    next player. How far each player gets before its kill is set by the plan,
    not by the machine's speed, so the bounds below hold on a loaded machine."""
    rng = random.Random(1234)
    plans = []
    for number in range(30):
        every = rng.choice([1, 5, 5, 5, 20, 50])
        crashes = 3 if number % 3 == 0 else 1
        kills = [
            (0 if rng.random() < 0.2 else rng.randint(1, 300), rng.uniform(0, 0.003))
            for _ in range(crashes)
        ]
        plans.append((tmp_path / f"trial{number}.save", every, kills, number % 2 == 0))
    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = [crash for result in pool.map(lambda p: trial(*p), plans) for crash in result]

    assert len(outcomes) == 50
    assert not any(run.done for _, run, _, _ in outcomes)
    # Most kills landed in the middle of play, some hundreds of turns in;
    # many left turns to replay, some a committed turn not yet shown.
    assert sum(1 for _, run, _, _ in outcomes if run.played) >= 30
    assert max(turn for _, _, turn, _ in outcomes) > 100
    assert sum(1 for _, _, _, recovered in outcomes if recovered) >= 15
    unshown = Counter(turn - run.shown for _, run, turn, _ in outcomes)
    print(
        f"\n{len(outcomes)} crashes, {sum(1 for _, run, _, _ in outcomes if run.played)} "
        f"mid-play: {unshown[1]} committed (or being fsynced) but not shown; "
        f"{sum(1 for *_, r in outcomes if r)} with turns to replay (max "
        f"{max(r for *_, r in outcomes)}); turns reached up to "
        f"{max(t for _, _, t, _ in outcomes)}"
    )


# ------------------------------------------------------ SIGTERM and SIGINT


def exited_as(signum: int, run: Run, *, again: bool = False) -> bool:
    """SIGTERM exits with status 143 (SystemExit(128 + 15)) and says nothing;
    SIGINT raises KeyboardInterrupt, which Python reports (with its traceback,
    and no other error) by dying of SIGINT. With ``again``, a second SIGTERM
    may arrive once the save is closed and fabula's handler is gone: the
    process then dies of it."""
    if signum == signal.SIGTERM:
        codes = (128 + signal.SIGTERM, -signal.SIGTERM) if again else (128 + signal.SIGTERM,)
        return run.returncode in codes and not run.stderr
    last = run.stderr.strip().splitlines()[-1:]
    return (
        run.returncode == -signal.SIGINT
        and last == ["KeyboardInterrupt"]
        and "Error" not in run.stderr
    )


def check_clean(path: Path, run: Run) -> None:
    """The player closed the save: snapshot current, digest stored, no WAL left."""
    assert not Path(f"{path}-wal").exists()
    assert integrity(path) == "ok"
    conn = sqlite3.connect(path)
    try:
        (last,) = conn.execute("SELECT max(turn) FROM journal").fetchone()
        stored = conn.execute("SELECT turn, digest, digest_turn FROM state").fetchone()
    finally:
        conn.close()
    assert stored == (last, reference()[last], last)
    with SaveFile.open(path, GAME) as save:
        assert save.recovered == 0
        assert run.shown <= save.turn <= run.shown + 1
        assert state_digest(save.world) == reference()[save.turn]


SIGNALS = [
    pytest.param(signal.SIGTERM, id="SIGTERM"),
    pytest.param(signal.SIGINT, id="SIGINT"),
]


@pytest.mark.parametrize("signum", SIGNALS)
@pytest.mark.parametrize(
    ("every", "times"),
    [(1, 1), (7, 1), (50, 1), (5, 2)],
    ids=["every1", "every7", "every50", "twice"],
)
def test_sigterm_and_sigint_close_the_save_cleanly(
    tmp_path: Path, signum: int, every: int, times: int
) -> None:
    """Sent mid-game at a seeded random moment (twice in a row: the user
    pressing Ctrl-C again while the game closes)."""
    delay = random.Random(f"{signum}-{every}-{times}").uniform(0.02, 0.3)
    path = tmp_path / "game.save"
    run = run_player(path, every, delay=delay, signum=signum, times=times)
    assert run.played
    assert not run.done
    assert exited_as(signum, run, again=times > 1), (run.returncode, run.stderr)
    check_clean(path, run)


def signal_at(kind: str, when: str, signum: signal.Signals) -> list[str]:
    """crash_player options sending ``signum`` around the ``kind`` ("journal"
    or "flush") COMMIT of turn 6, with write-behind every 3 turns."""
    commit = commit_plan(3, 12).index((kind, 6)) + 1
    return ["--kill-at", str(commit), "--kill-when", when, "--kill-with", signum.name]


@pytest.mark.parametrize("signum", SIGNALS)
@pytest.mark.parametrize(("kind", "when"), [("journal", "before"), ("flush", "after")])
def test_a_signal_mid_turn_waits_for_the_turn_to_end(
    tmp_path: Path, signum: signal.Signals, kind: str, when: str
) -> None:
    """A signal arriving inside a turn's journal append, or inside its flush,
    is held until the turn is done: that turn is saved whole."""
    path = tmp_path / "game.save"
    run = run_player(path, 3, *signal_at(kind, when, signum))
    assert exited_as(signum, run), (run.returncode, run.stderr)
    assert run.shown == 5
    check_clean(path, run)
    with SaveFile.open(path, GAME) as save:
        assert save.turn == 6


AROUND_CHECKPOINT = ["--kill-sql", "PRAGMA wal_checkpoint", "--kill-at", "1", "--kill-when"]


@pytest.mark.parametrize("signum", SIGNALS)
@pytest.mark.parametrize("when", ["before", "after"])
def test_a_signal_while_the_game_closes_exits_cleanly(
    tmp_path: Path, signum: signal.Signals, when: str
) -> None:
    """The player reaches the end of the script and closes the save; the
    signal arrives around the WAL checkpoint in close() (once, "after", it
    re-entered close() and died of "SQL statements in progress")."""
    path = tmp_path / "game.save"
    options = [*AROUND_CHECKPOINT, when, "--kill-with", signum.name]
    run = run_player(path, 3, "--turns", "10", *options)
    assert run.shown == 10
    assert exited_as(signum, run) or (run.returncode, run.stderr) == (0, ""), run.stderr
    check_clean(path, run)


@pytest.mark.parametrize("when", ["before", "after"])
def test_ctrl_c_while_sigterm_closes_the_game_exits_cleanly(tmp_path: Path, when: str) -> None:
    """A second signal (SIGINT) arriving while the first one's close() runs."""
    path = tmp_path / "game.save"
    options = [*AROUND_CHECKPOINT, when, "--kill-with", "SIGINT"]
    run = run_player(path, 5, *options, delay=0.1, signum=signal.SIGTERM)
    assert run.played
    assert exited_as(signal.SIGTERM, run) or exited_as(signal.SIGINT, run), run.stderr
    check_clean(path, run)
