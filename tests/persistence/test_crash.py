"""Crash safety with real processes: SIGKILL at random moments loses no turn
whose result was shown, and never corrupts the file.

Each trial runs ``crash_player.py`` with write-behind on, kills it after a
random delay (the delays are seeded, so a failure reproduces), then opens the
save in this process, as a player restarting the game would, and checks it
against an uninterrupted run.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from keep_game import GAME, script

from fabula.persistence import SaveFile, state_digest

HERE = Path(__file__).parent
PLAYER = HERE / "crash_player.py"
TURNS = 4000
SEED = 3


def reference_digests(turns: int) -> list[str]:
    world = GAME.new_world(SEED)
    simulation = GAME.simulation(world)
    digests = [state_digest(world)]
    for _, actions in script(turns):
        simulation.play(actions)
        digests.append(state_digest(world))
    return digests


REFERENCE = reference_digests(TURNS)


def start(path: Path, every: int, *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(HERE)}
    return subprocess.Popen(
        [
            sys.executable,
            str(PLAYER),
            str(path),
            "--seed",
            str(SEED),
            "--turns",
            str(TURNS),
            "--every",
            str(every),
            *extra,
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def play_and_signal(path: Path, every: int, delay: float, signum: int) -> tuple[int, str, str]:
    """Run the player, send ``signum`` after ``delay`` s of play; return
    (last turn shown, stdout, stderr)."""
    process = start(path, every)
    assert process.stdout is not None
    first = process.stdout.readline()
    assert first.startswith("ready"), first + process.stderr.read()  # type: ignore[union-attr]
    # Count the delay from the first turn shown, so that a slow start (a busy
    # machine) does not turn the kill into one before play began.
    seen = process.stdout.readline()
    time.sleep(delay)
    process.send_signal(signum)
    out, err = process.communicate(timeout=60)
    lines = (first + seen + out).splitlines()
    shown = [int(line.split()[1]) for line in lines if line.startswith("shown")]
    return (shown[-1] if shown else 0), out, err


def check(path: Path, last_shown: int) -> int:
    """The file is sound and holds every turn shown, in the right state."""
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    with SaveFile.open(path, GAME) as save:
        assert save.turn >= last_shown, f"lost turns {last_shown - save.turn}"
        assert state_digest(save.world) == REFERENCE[save.turn], f"wrong state at {save.turn}"
        return save.turn


def test_the_reference_tells_turns_apart() -> None:
    assert len(set(REFERENCE)) > TURNS * 0.9


def trial(number: int, delays: list[float], every: int, tmp: Path) -> list[tuple[int, int]]:
    """One save, crashed once per delay; returns (shown, recovered) per crash."""
    path = tmp / f"trial{number}.save"
    results = []
    for delay in delays:
        shown, _, err = play_and_signal(path, every, delay, signal.SIGKILL)
        recovered = check(path, shown)
        assert "Traceback" not in err, err
        results.append((shown, recovered))
    return results


def test_sigkill_at_random_moments_loses_no_shown_turn(tmp_path: Path) -> None:
    rng = random.Random(1234)
    plans = []
    for number in range(30):
        every = rng.choice([1, 5, 5, 20, 50])
        crashes = 2 if number % 3 == 0 else 1  # every third save is crashed twice
        plans.append((number, [rng.uniform(0.0, 0.6) for _ in range(crashes)], every))
    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(lambda p: trial(*p, tmp_path), plans))
    crashes = [r for result in outcomes for r in result]
    assert len(crashes) == 40
    # The kills landed in the middle of play, not only before or after it.
    assert sum(1 for shown, _ in crashes if 0 < shown < TURNS) >= 30
    assert max(shown for shown, _ in crashes) > 100


@pytest.mark.parametrize(
    ("signum", "status"),
    # An unhandled KeyboardInterrupt makes Python exit "killed by SIGINT" (-2).
    [(signal.SIGTERM, 128 + signal.SIGTERM), (signal.SIGINT, -signal.SIGINT)],
    ids=["SIGTERM", "SIGINT"],
)
def test_sigterm_and_sigint_close_the_save_cleanly(
    tmp_path: Path, signum: int, status: int
) -> None:
    path = tmp_path / "game.save"
    process = start(path, 50)
    assert process.stdout is not None
    assert process.stdout.readline().startswith("ready")
    first = process.stdout.readline()  # play has begun
    time.sleep(0.2)
    process.send_signal(signum)
    out, err = process.communicate(timeout=60)
    out = first + out
    assert process.returncode == status, err
    shown = [int(line.split()[1]) for line in out.splitlines() if line.startswith("shown")]
    assert shown, "no turn was played before the signal"
    with SaveFile.open(path, GAME) as save:
        assert save.recovered == 0  # closed cleanly: the snapshot is current
        assert save.turn >= shown[-1]
        assert state_digest(save.world) == REFERENCE[save.turn]
