"""``fabula replay SAVE``: re-executes the journal from turn 0 and says whether
it reproduces the save, through the real command in a real process."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import msgspec
import pytest

from fabula.persistence import FlushPolicy, SaveFile
from fabula.persistence.verify import verify
from tests.persistence.keep_game import GAME, script

HERE = Path(__file__).parent


def fabula(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(HERE), "COLUMNS": "160"}
    return subprocess.run(
        [sys.executable, "-m", "fabula", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.fixture
def save_path(tmp_path: Path) -> Path:
    path = tmp_path / "game.save"
    with SaveFile.new(path, GAME, seed=5, policy=FlushPolicy(every_turns=7)) as save:
        for text, actions in script(30):
            save.play(text, actions)
    return path


def test_a_faithful_save_reproduces(save_path: Path) -> None:
    done = fabula("replay", str(save_path), "--game", "keep_game:GAME")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "30 turns replayed" in done.stdout
    assert "reproduces this save exactly" in done.stdout
    assert "DIFFERENT" not in done.stdout


def test_verify_compares_the_start_the_stored_digest_and_the_saved_state(
    save_path: Path,
) -> None:
    report = verify(save_path, GAME)
    assert report.ok
    assert report.turns == 30
    assert [what.split(" at ")[0] for what, _, _ in report.checks] == [
        "start of the game",
        "stored digest",
        "saved state",
    ]


def test_a_tampered_save_does_not_reproduce(save_path: Path) -> None:
    conn = sqlite3.connect(save_path)
    forged = msgspec.msgpack.encode({"items": ["a golden crown"]})
    conn.execute('UPDATE "c:bag" SET data = ? WHERE entity = 0', (forged,))
    conn.commit()
    conn.close()
    done = fabula("replay", str(save_path), "--game", "keep_game:GAME")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "DIFFERENT" in done.stdout
    assert "does not reproduce this save" in done.stdout


def test_a_save_that_cannot_be_read_is_reported_not_crashed_on(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.save"
    bogus.write_text("not a save")
    done = fabula("replay", str(bogus))
    assert done.returncode == 2
    assert "cannot replay" in done.stdout
    assert "not a fabula save" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_a_game_that_is_not_installed_says_how_to_name_it(save_path: Path) -> None:
    done = fabula("replay", str(save_path))
    assert done.returncode == 2
    assert "no installed game has the id 'keep'" in done.stdout
    assert "--game" in done.stdout


def test_a_game_reference_that_does_not_import_is_reported(save_path: Path) -> None:
    done = fabula("replay", str(save_path), "--game", "no_such_module:GAME")
    assert done.returncode == 2
    assert "cannot load game 'no_such_module:GAME'" in done.stdout
