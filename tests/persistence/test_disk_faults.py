"""Disk faults end in a PersistenceError naming the file, never a traceback,
and lose nothing: a full disk when a crashed save is opened (its recovery
must write), in a slot save or a restore, and paths that are no file.

(A full disk in the middle of a game, and read-only folders, are in
``test_badfiles.py``; damaged files in the corpus, ``test_damaged_saves.py``.)
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import fabula.persistence.files as files
import fabula.persistence.slots as slots
from fabula.errors import NotASaveError, SaveWriteError
from fabula.persistence import FlushPolicy, SaveFile, state_digest
from tests.persistence.damage import copy_open
from tests.persistence.keep_game import GAME, script

HERE = Path(__file__).parent


def reference(turns: int) -> str:
    world = GAME.new_world(3)
    simulation = GAME.simulation(world)
    for _, actions in script(turns):
        simulation.play(actions)
    return state_digest(world)


@pytest.fixture
def crashed(tmp_path: Path) -> Path:
    """A save whose last 9 turns are only in its -wal, as a crash left it."""
    play = tmp_path / "play" / "game.save"
    play.parent.mkdir()
    save = SaveFile.new(play, GAME, seed=3, policy=FlushPolicy(every_turns=10))
    for text, actions in script(19):
        save.play(text, actions)
    copy_open(play, tmp_path / "crashed")
    save.close()
    return tmp_path / "crashed" / "game.save"


OPEN_FULL = textwrap.dedent(
    """
    import resource, signal, sys
    from keep_game import GAME
    from fabula.errors import PersistenceError
    from fabula.persistence import SaveFile

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    size = int(sys.argv[2])
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    try:
        SaveFile.open(sys.argv[1], GAME)
    except PersistenceError as exc:
        print(type(exc).__name__, exc)
        sys.exit(3)
    print("opened")
    """
)


def test_a_full_disk_when_a_crashed_save_is_opened(crashed: Path) -> None:
    """Recovery must write the replayed turns; the disk refuses (a file-size
    limit, as a full disk would): a clear error, and the next open, with
    room again, recovers every turn."""
    wal = Path(f"{crashed}-wal")
    limit = max(crashed.stat().st_size, wal.stat().st_size)
    path = os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "PYTHONPATH": path}
    done = subprocess.run(
        [sys.executable, "-c", OPEN_FULL, str(crashed), str(limit)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 3, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout.startswith(f"SaveWriteError {crashed}: ")
    assert "full" in done.stdout
    with SaveFile.open(crashed, GAME) as save:
        assert (save.turn, save.recovered) == (19, 9)
        assert state_digest(save.world) == reference(19)


def disk_full(path: Path) -> None:
    raise OSError(errno.ENOSPC, "No space left on device", str(path))


def test_a_full_disk_in_a_slot_save(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The copy cannot be synced: SaveWriteError naming the slot, the old
    slot untouched, nothing left beside it, and the game plays on."""
    slot = tmp_path / "slot.save"
    with SaveFile.new(tmp_path / "game.save", GAME, seed=3) as save:
        for text, actions in script(4):
            save.play(text, actions)
        save.save_as(slot)
        before = slot.read_bytes()
        save.play(*script(5)[4])
        monkeypatch.setattr(files, "sync_file", disk_full)
        with pytest.raises(SaveWriteError, match=r"slot\.save: the disk is full while writing"):
            save.save_as(slot)
        monkeypatch.undo()
        assert slot.read_bytes() == before
        assert sorted(p.name for p in tmp_path.iterdir()) == [
            "game.save",
            "game.save-wal",
            "game.save.lock",
            "slot.save",
        ]
        save.play(*script(6)[5])
        assert save.turn == 6
    with SaveFile.open(slot, GAME) as copy:
        assert copy.turn == 4


def test_a_full_disk_in_a_restore_keeps_the_game(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The slot cannot be copied over the save: the game in play stays open
    and whole, and plays on."""
    slot = tmp_path / "slot.save"
    save = SaveFile.new(tmp_path / "game.save", GAME, seed=3)
    for text, actions in script(4):
        save.play(text, actions)
    save.save_as(slot)
    save.play(*script(5)[4])
    monkeypatch.setattr(slots, "sync_file", disk_full)  # the copy, before the game closes
    with pytest.raises(SaveWriteError, match=r"game\.save: the disk is full while restoring"):
        save.restore_from(slot)
    monkeypatch.undo()
    assert not save.closed
    save.play(*script(6)[5])
    assert state_digest(save.world) == reference(6)
    save.close()


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda p: p.symlink_to(p.name), "loop"),
        (lambda p: p.mkdir(), "is a folder"),
        (lambda p: os.mkfifo(p), "not a regular file"),
    ],
    ids=["symlink loop", "folder", "named pipe"],
)
def test_a_new_game_on_a_path_that_is_no_file(tmp_path: Path, make: object, says: str) -> None:
    path = tmp_path / "game.save"
    make(path)  # type: ignore[operator]
    for attempt in (
        lambda: SaveFile.new(path, GAME, seed=3, replace=True),
        lambda: SaveFile.open_or_new(path, GAME, seed=3),
    ):
        with pytest.raises(NotASaveError, match=says) as error:
            attempt()
        assert error.value.path == path
    assert sorted(p.name for p in tmp_path.iterdir()) == ["game.save"]


def test_a_new_game_replaces_a_link_to_nothing_and_writes_nothing_where_it_points(
    tmp_path: Path,
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    path = tmp_path / "game.save"
    path.symlink_to(outside / "none.save")
    with pytest.raises(NotASaveError, match="no such save"):
        SaveFile.open(path, GAME)
    with SaveFile.new(path, GAME, seed=3) as save:
        save.play(*script(1)[0])
    assert not path.is_symlink()
    assert list(outside.iterdir()) == []


def test_a_save_in_a_folder_that_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(NotASaveError, match="folder does not exist"):
        SaveFile.new(tmp_path / "nowhere" / "game.save", GAME, seed=3)
