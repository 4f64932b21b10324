"""Two processes and one save: the first holds it, every other is refused.

fabula locks and refuses rather than serving concurrent readers (SQLite's
``locking_mode=EXCLUSIVE``): a second player would fork the game's history,
and a reader between flushes would see a state the player never saw (see
docs/persistence.md). So a second ``SaveFile``, ``fabula replay``, a new game
replacing the file, a ``save_as`` onto it, and even a plain ``sqlite3``
reader all get an error at once, and none of them changes a byte. The
holder, meanwhile, keeps playing, and once it is gone the save opens as it
left it.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from fabula.errors import SaveLockedError
from fabula.persistence import SaveFile, state_digest, verify
from tests.persistence.keep_game import GAME, script

HERE = Path(__file__).parent
SEED = 3


def reference(turns: int) -> str:
    """The digest after ``turns`` turns of the script, played without a save."""
    world = GAME.new_world(SEED)
    simulation = GAME.simulation(world)
    for _, actions in script(turns):
        simulation.play(actions)
    return state_digest(world)


def files(directory: Path) -> dict[str, tuple[bytes, int]]:
    """Every file in ``directory``: its bytes and modification time."""
    return {
        p.name: (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(directory.iterdir())
        if p.is_file()
    }


class Holder:
    """``crash_player.py --hold`` on a save: open, waiting on stdin."""

    def __init__(self, path: Path, turns: int) -> None:
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]),
        }
        command = [sys.executable, str(HERE / "crash_player.py"), str(path), "--hold"]
        self.process = subprocess.Popen(
            [*command, "--turns", str(turns), "--every", "4"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert self.process.stdout is not None
        # Nothing else is printed before it reads stdin, so communicate()
        # later misses nothing the reader could have buffered.
        self.ready = self.process.stdout.readline().strip()

    def finish(self) -> list[str]:
        """Let it play its turns and close the save; return what it printed."""
        out, err = self.process.communicate("go\n", timeout=60)
        assert self.process.returncode == 0, err
        return out.splitlines()

    def kill(self) -> str:
        """Kill it if it still runs; return what it wrote to stderr."""
        if self.process.poll() is None:
            self.process.kill()
        return self.process.communicate(timeout=60)[1] or ""


@pytest.fixture
def save20(tmp_path: Path) -> Path:
    """A closed save at turn 20, in a folder of its own."""
    path = tmp_path / "game" / "game.save"
    path.parent.mkdir()
    with SaveFile.new(path, GAME, seed=SEED) as save:
        for text, actions in script(20):
            save.play(text, actions)
    return path


@pytest.fixture
def held(save20: Path) -> Iterator[tuple[Path, Holder]]:
    """``save20`` held open by another process, which will play on to turn 30."""
    holder = Holder(save20, 30)
    try:
        if holder.ready != "ready 20 0":
            pytest.fail(f"the holder said {holder.ready!r}: {holder.kill()}")
        yield save20, holder
    finally:
        holder.kill()


def finish_and_check(path: Path, holder: Holder) -> None:
    """The holder, undisturbed by what was refused, plays turns 21-30 and
    closes; then this process opens the save and finds exactly that game."""
    out = holder.finish()
    assert out[-2:] == ["shown 30", "done"]
    with SaveFile.open(path, GAME) as save:
        assert (save.turn, save.recovered) == (30, 0)
        assert state_digest(save.world) == reference(30)


def test_the_references_differ() -> None:
    assert reference(20) != reference(30)


def test_a_second_process_cannot_open_a_save_in_use(held: tuple[Path, Holder]) -> None:
    path, holder = held
    before = files(path.parent)
    with pytest.raises(SaveLockedError) as error:
        SaveFile.open(path, GAME)
    message = str(error.value)
    assert message.startswith(f"{path}: is open in another fabula process.")
    assert "Close that game first, or copy the save" in message
    assert error.value.path == path
    assert files(path.parent) == before
    finish_and_check(path, holder)


def test_a_new_game_cannot_replace_a_save_in_use(held: tuple[Path, Holder]) -> None:
    path, holder = held
    before = files(path.parent)
    with pytest.raises(SaveLockedError, match=r"is open in another fabula process"):
        SaveFile.new(path, GAME, seed=9, replace=True)
    assert files(path.parent) == before  # no byte changed, no temporary file left
    finish_and_check(path, holder)


def test_save_as_cannot_overwrite_a_save_in_use(held: tuple[Path, Holder], tmp_path: Path) -> None:
    path, holder = held
    before = files(path.parent)
    other = SaveFile.new(tmp_path / "other.save", GAME, seed=9)
    try:
        with pytest.raises(SaveLockedError, match=r"is open in another fabula process"):
            other.save_as(path)
    finally:
        other.close()
    assert files(path.parent) == before
    finish_and_check(path, holder)


def test_replay_is_refused_too(held: tuple[Path, Holder]) -> None:
    path, holder = held
    with pytest.raises(SaveLockedError):
        verify(path, GAME)
    finish_and_check(path, holder)


def test_no_concurrent_readers_even_plain_sqlite3_is_refused(held: tuple[Path, Holder]) -> None:
    """By design: we lock and refuse, there are no concurrent readers. A
    read-only SQLite connection gets "database is locked" at its first read
    instead of a state between two flushes."""
    path, holder = held
    for uri in (path.as_uri(), f"{path.as_uri()}?mode=ro"):
        conn = sqlite3.connect(uri, uri=True, timeout=0)
        try:
            with pytest.raises(sqlite3.OperationalError, match="database is locked"):
                conn.execute("SELECT count(*) FROM journal").fetchone()
        finally:
            conn.close()
    finish_and_check(path, holder)


def test_the_save_opens_once_the_holder_is_gone(held: tuple[Path, Holder]) -> None:
    path, holder = held
    with pytest.raises(SaveLockedError):
        SaveFile.open(path, GAME)
    finish_and_check(path, holder)
    with SaveFile.open(path, GAME):  # and once this process closes it, again
        pass
    with SaveFile.open(path, GAME) as save:
        assert save.turn == 30


@pytest.mark.parametrize(
    "signum", [signal.SIGKILL, signal.SIGTERM], ids=lambda s: signal.Signals(s).name
)
def test_a_holder_that_dies_releases_the_save(save20: Path, signum: signal.Signals) -> None:
    holder = Holder(save20, 20)
    try:
        assert holder.ready == "ready 20 0"
        with pytest.raises(SaveLockedError):
            SaveFile.open(save20, GAME)
        holder.process.send_signal(signum)
        holder.process.wait(timeout=60)
        expected = -signal.SIGKILL if signum == signal.SIGKILL else 128 + signal.SIGTERM
        assert holder.process.returncode == expected
    finally:
        holder.kill()
    with SaveFile.open(save20, GAME) as save:
        assert (save.turn, save.recovered) == (20, 0)
        assert state_digest(save.world) == reference(20)
