"""Two processes and one save: the first holds it, every other is refused.

fabula locks and refuses rather than serving concurrent WAL readers: a second
player would fork the game's history, and a reader between flushes would see
a state the player never saw (see docs/persistence.md).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from keep_game import GAME, script

from fabula.errors import SaveLockedError
from fabula.persistence import SaveFile, state_digest
from fabula.persistence.verify import verify

HERE = Path(__file__).parent


@pytest.fixture
def held(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A save with 20 turns, held open by another process; yields (path, digest)."""
    path = tmp_path / "game.save"
    with SaveFile.new(path, GAME, seed=3) as save:
        for text, actions in script(20):
            save.play(text, actions)
        digest = state_digest(save.world)
    env = {**os.environ, "PYTHONPATH": str(HERE)}
    holder = subprocess.Popen(
        [sys.executable, str(HERE / "crash_player.py"), str(path), "--hold"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().startswith("ready 20")
    yield path, digest
    holder.communicate("\n", timeout=30)
    assert holder.returncode == 0
    with SaveFile.open(path, GAME) as save:  # whatever was refused, the game is intact
        assert save.turn == 20
        assert state_digest(save.world) == digest


def test_a_second_process_cannot_open_a_save_in_use(held: tuple[Path, str]) -> None:
    path, _ = held
    with pytest.raises(SaveLockedError, match=r"game\.save: is open in another fabula process"):
        SaveFile.open(path, GAME)


def test_a_new_game_cannot_replace_a_save_in_use(held: tuple[Path, str]) -> None:
    path, _ = held
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    with pytest.raises(SaveLockedError, match="Close that game first"):
        SaveFile.new(path, GAME, seed=9, replace=True)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_replay_and_plain_sqlite_readers_are_refused_too(held: tuple[Path, str]) -> None:
    path, _ = held
    with pytest.raises(SaveLockedError):
        verify(path)
    conn = sqlite3.connect(path, timeout=0)
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        conn.execute("SELECT count(*) FROM journal").fetchone()
    conn.close()


def test_the_save_opens_once_the_other_process_is_gone(tmp_path: Path) -> None:
    path = tmp_path / "game.save"
    with SaveFile.new(path, GAME, seed=3) as save:
        for text, actions in script(5):
            save.play(text, actions)
        digest = state_digest(save.world)
    env = {**os.environ, "PYTHONPATH": str(HERE)}
    holder = subprocess.Popen(
        [sys.executable, str(HERE / "crash_player.py"), str(path), "--hold"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().startswith("ready 5")
    with pytest.raises(SaveLockedError):
        SaveFile.open(path, GAME)
    holder.communicate("\n", timeout=30)
    assert holder.returncode == 0
    with SaveFile.open(path, GAME) as save:
        assert save.turn == 5
        assert state_digest(save.world) == digest


def test_a_killed_holder_releases_the_lock(tmp_path: Path) -> None:
    path = tmp_path / "game.save"
    SaveFile.new(path, GAME, seed=3).close()
    env = {**os.environ, "PYTHONPATH": str(HERE)}
    holder = subprocess.Popen(
        [sys.executable, str(HERE / "crash_player.py"), str(path), "--hold"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().startswith("ready 0")
    holder.kill()
    holder.communicate(timeout=30)
    with SaveFile.open(path, GAME) as save:
        assert save.turn == 0
