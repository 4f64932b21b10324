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

SIGTERM and SIGINT are ``test_signals.py``'s.
"""

from __future__ import annotations

import json
import random
import signal
import sqlite3
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.persistence.crashing import (
    TURNS,
    Run,
    check,
    commit_plan,
    copy_save,
    inspect_crashed,
    reference,
    run_player,
)
from tests.persistence.keep_game import script
from tests.support.summary import add_summary


def test_the_reference_tells_every_turn_apart() -> None:
    """A check against the wrong turn's digest, or a world one turn behind
    or ahead, cannot pass by accident."""
    digests = reference()
    assert len(digests) == TURNS + 1
    assert len(set(digests)) == len(digests)


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


def test_sigkill_at_random_moments_loses_no_shown_turn(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
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
    add_summary(request.config, "SIGKILL at random moments", [
        f"{len(outcomes)} crashes, {sum(1 for _, run, _, _ in outcomes if run.played)} "
        f"mid-play: {unshown[1]} committed (or being fsynced) but not shown; "
        f"{sum(1 for *_, r in outcomes if r)} with turns to replay (max "
        f"{max(r for *_, r in outcomes)}); turns reached up to "
        f"{max(t for _, _, t, _ in outcomes)}"
    ])  # fmt: skip
