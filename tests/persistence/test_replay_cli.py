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

from fabula.persistence import FlushPolicy, SaveFile, verify
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


def test_recover_to_rebuilds_a_damaged_save_from_its_journal(save_path: Path) -> None:
    """A damaged snapshot: fabula replay refuses it and names the command;
    --recover-to rebuilds every turn into a new save and changes nothing."""
    conn = sqlite3.connect(save_path)
    conn.execute('UPDATE "c:pos" SET x = substr(x, 1, length(x) - 3)')
    conn.commit()
    conn.close()
    before = save_path.read_bytes()
    refused = fabula("replay", str(save_path), "--game", "keep_game:GAME")
    assert refused.returncode == 2
    assert "table 'c:pos', chunk 0, field 'x'" in refused.stdout
    assert "--recover-to" in refused.stdout
    target = save_path.with_name("rebuilt.save")
    done = fabula("replay", str(save_path), "--game", "keep_game:GAME", "--recover-to", str(target))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Recovered 30 turns" in done.stdout
    assert "was not changed" in done.stdout
    assert save_path.read_bytes() == before
    assert fabula("replay", str(target), "--game", "keep_game:GAME").returncode == 0
    with SaveFile.open(target, GAME) as save:
        assert save.turn == 30


def test_recover_to_says_what_could_not_be_recovered(save_path: Path) -> None:
    conn = sqlite3.connect(save_path)
    conn.execute(
        """UPDATE journal SET actions = '[{"action": "fly", "actor": 0}]' WHERE turn = 12"""
    )
    conn.commit()
    conn.close()
    target = save_path.with_name("rebuilt.save")
    done = fabula("replay", str(save_path), "--game", "keep_game:GAME", "--recover-to", str(target))
    assert done.returncode == 1, done.stdout + done.stderr
    said = " ".join(done.stdout.split())  # as wrapped for the terminal, unwrapped
    assert "Recovered 11 turns" in said
    assert "names action 'fly'" in said
    assert "Traceback" not in done.stdout + done.stderr
    again = fabula(
        "replay", str(save_path), "--game", "keep_game:GAME", "--recover-to", str(target)
    )
    assert again.returncode == 2
    assert "already exists" in " ".join(again.stdout.split())


def test_replay_of_another_games_save_names_the_file(save_path: Path) -> None:
    from fabula.games import DEMO

    done = fabula("replay", str(save_path), "--game", str(DEMO))
    assert done.returncode == 2
    assert f"{save_path}: belongs to game 'keep'" in done.stdout.replace("\n", "")
    assert "Traceback" not in done.stdout + done.stderr
