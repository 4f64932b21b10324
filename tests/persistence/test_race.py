"""Two processes starting on one save at the same moment: exactly one plays.

Each round starts two processes (``race_starter.py``: forked from two
servers that imported fabula once, or, through ``fabula play``, started from
scratch) that wait on a shared barrier, then releases them together: both
try to open the save, create it, or replace it (``--new``) at once. The one
that gets the save holds it until the test has seen what the other did, so
the other's attempt always meets a held save and the outcome never depends
on timing. Then the holder plays and closes, and the save must hold every
turn it showed, in the right state, with SQLite's integrity check passing.
Rounds cover a missing save, an existing one, ``--new`` on either or both,
through ``SaveFile`` (as ``Session.start`` opens saves) and through
``fabula play`` on the demo.
"""

from __future__ import annotations

import fcntl
import functools
import itertools
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from fabula.content import ContentGame
from fabula.games import DEMO
from fabula.persistence import SaveFile, state_digest
from fabula.session import Session
from tests.persistence.keep_game import GAME, script

HERE = Path(__file__).parent
STARTER = HERE / "race_starter.py"


@functools.cache
def reference(turns: int) -> str:
    world = GAME.new_world(3)
    simulation = GAME.simulation(world)
    for _, actions in script(turns):
        simulation.play(actions)
    return state_digest(world)


def integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return ", ".join(row[0] for row in conn.execute("PRAGMA integrity_check"))
    finally:
        conn.close()


def starter(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "COLUMNS": "200", "PYTHONPATH": os.pathsep.join(
        [str(HERE), os.environ.get("PYTHONPATH", "")])}  # fmt: skip
    return subprocess.Popen(
        [sys.executable, str(STARTER), *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


class Barrier:
    """A file the test holds locked until every contender waits on it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.touch()
        self._file = path.open("rb")
        fcntl.flock(self._file, fcntl.LOCK_EX)

    def release(self, contenders: list[subprocess.Popen[str]]) -> list[str]:
        """Release them once all say ``waiting``; return the next line each prints."""
        for process in contenders:
            assert process.stdout is not None
            assert process.stdout.readline().strip() == "waiting"
        fcntl.flock(self._file, fcntl.LOCK_UN)
        self._file.close()
        lines = []
        for process in contenders:
            assert process.stdout is not None
            lines.append(process.stdout.readline().strip())
        return lines


def until_exit(server: subprocess.Popen[str]) -> list[str]:
    """What a server's contender printed until it ended, and its exit status last."""
    assert server.stdout is not None
    lines = []
    while not (line := server.stdout.readline().strip()).startswith("exit"):
        assert line, "the server died"
        lines.append(line)
    return [*lines, line]


def existing_save(path: Path, turns: int) -> None:
    with SaveFile.new(path, GAME, seed=3) as save:
        for text, actions in script(turns):
            save.play(text, actions)


VARIANTS = {
    "no save yet": (False, (False, False)),
    "a save": (True, (False, False)),
    "a save, both --new": (True, (True, True)),
    "no save yet, both --new": (False, (True, True)),
    "a save, one --new": (True, (True, False)),
    "no save yet, one --new": (False, (False, True)),
}
ROUNDS = 10


@pytest.fixture
def servers() -> Iterator[list[subprocess.Popen[str]]]:
    started = [starter("serve"), starter("serve")]
    yield started
    for server in started:
        if server.poll() is None:
            server.kill()
        server.communicate(timeout=60)


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_of_two_starting_together_exactly_one_plays(
    tmp_path: Path, servers: list[subprocess.Popen[str]], variant: str
) -> None:
    exists, news = VARIANTS[variant]
    for round_ in range(ROUNDS):
        folder = tmp_path / f"round{round_}"
        folder.mkdir()
        path = folder / "game.save"
        if exists:
            existing_save(path, 10)
        barrier = Barrier(tmp_path / f"barrier{round_}")
        for server, new in zip(servers, news, strict=True):
            assert server.stdin is not None
            server.stdin.write(f"{barrier.path} {path}{' --new' if new else ''}\n")
            server.stdin.flush()
        firsts = barrier.release(servers)
        winners = [i for i, first in enumerate(firsts) if first.startswith("playing")]
        assert len(winners) == 1, firsts
        (winner,) = winners
        assert firsts[1 - winner] == "refused", firsts
        assert until_exit(servers[1 - winner]) == ["exit 0"]
        stdin = servers[winner].stdin
        assert stdin is not None
        stdin.write("go\n")
        stdin.flush()
        *out, code = until_exit(servers[winner])
        assert code == "exit 0", out
        start = int(firsts[winner].split()[1])
        assert start == (10 if exists and not news[winner] else 0)
        shown = [int(line.split()[1]) for line in out if line.startswith("shown")]
        assert shown == list(range(start + 1, start + 6)), out
        assert integrity(path) == "ok"
        with SaveFile.open(path, GAME) as save:
            assert save.turn == shown[-1]  # no turn that was shown is lost
            assert state_digest(save.world) == reference(save.turn)
        assert [p.name for p in folder.iterdir()] == ["game.save"]


CLI_VARIANTS = list(itertools.product([False, True], [False, True]))


@pytest.mark.parametrize(
    ("exists", "new"), CLI_VARIANTS, ids=[f"save={e}-new={n}" for e, n in CLI_VARIANTS]
)
def test_two_fabula_plays_started_together(tmp_path: Path, exists: bool, new: bool) -> None:
    """The real command on the demo: one plays, the other says the save is in use."""
    path = tmp_path / "demo.save"
    before = 0
    if exists:
        session = Session.start(ContentGame.load(DEMO), path, new=True)
        for command in ("w", "take lantern"):
            session.turn(command)
        before = session.save.turn
        session.close()
    barrier = Barrier(tmp_path / "barrier")
    argv = ["cli", str(barrier.path), "play", "--save", str(path), *(["--new"] if new else [])]
    contenders = [starter(*argv), starter(*argv)]
    try:
        firsts = barrier.release(contenders)
        refused = [i for i, first in enumerate(firsts) if first.startswith("Cannot start")]
        assert len(refused) == 1, firsts
        loser, winner = contenders[refused[0]], contenders[1 - refused[0]]
        out, err = loser.communicate(timeout=120)
        assert loser.returncode == 2
        assert "open in another fabula process" in firsts[refused[0]] + out
        assert "Traceback" not in out + err
        out, err = winner.communicate("look\ne\nlook\n", timeout=120)
        assert winner.returncode == 0, err
    finally:
        for process in contenders:
            if process.poll() is None:
                process.kill()
    assert out.count("\n> ") == 3
    assert integrity(path) == "ok"
    session = Session.start(ContentGame.load(DEMO), path)
    assert session.save.turn == (0 if new else before) + 3
    session.close()
