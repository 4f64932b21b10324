"""SIGTERM and SIGINT, at random moments and at exact points of a turn, a
flush and a close, close the save cleanly (the player process and the
checks are ``crashing.py``'s; SIGKILL is ``test_crash.py``'s)."""

from __future__ import annotations

import random
import signal
import sqlite3
from pathlib import Path

import pytest

from fabula.persistence import SaveFile, state_digest
from tests.persistence.crashing import Run, commit_plan, integrity, reference, run_player
from tests.persistence.keep_game import GAME

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
