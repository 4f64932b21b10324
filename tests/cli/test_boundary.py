"""The one boundary every command runs inside: a FabulaError is a message
and exit status 2, anything else a crash report and 70, Ctrl-C 130, and
never a traceback on the screen."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from fabula.cli.boundary import (
    EXIT_BROKEN_PIPE,
    EXIT_CRASH,
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    crash_folder,
    guarded,
    printable,
)
from fabula.content import ContentGame, scaffold
from fabula.errors import SaveWriteError, ScaffoldError
from fabula.session import Session


@pytest.fixture
def crashes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "crashes"
    monkeypatch.setenv("FABULA_CRASH_DIR", str(folder))
    return folder


def test_a_fabula_error_is_one_message_and_status_2(
    capsys: pytest.CaptureFixture[str], crashes: Path
) -> None:
    def fail() -> int:
        raise ScaffoldError("/games/x", "already exists; choose a new folder name.")

    assert guarded("new", fail) == EXIT_ERROR
    err = capsys.readouterr().err
    assert err == "fabula new: /games/x: already exists; choose a new folder name.\n"
    assert not crashes.exists()


def test_an_unexpected_error_writes_a_crash_report_and_exits_70(
    capsys: pytest.CaptureFixture[str], crashes: Path
) -> None:
    def fail() -> int:
        return {}["missing"]  # type: ignore[no-any-return]

    assert guarded("play", fail, ["play", "--new"]) == EXIT_CRASH
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "internal error stopped the command (KeyError)" in err
    (report,) = crashes.iterdir()
    assert str(report) in err
    text = report.read_text()
    assert "command: fabula play --new" in text
    assert "Traceback" in text
    assert "KeyError: 'missing'" in text


def test_a_crash_report_falls_back_to_the_temporary_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("")
    monkeypatch.setenv("FABULA_CRASH_DIR", str(blocked / "crashes"))
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    assert guarded("tour", lambda: 1 // 0) == EXIT_CRASH
    (report,) = (tmp_path / "tmp").iterdir()
    assert str(report) in capsys.readouterr().err


def test_ctrl_c_is_quiet_and_130(capsys: pytest.CaptureFixture[str], crashes: Path) -> None:
    def interrupted() -> int:
        raise KeyboardInterrupt

    assert guarded("replay", interrupted) == EXIT_INTERRUPTED
    assert capsys.readouterr().err.strip() == ""
    assert not crashes.exists()


def test_a_reader_that_went_away_is_quiet(crashes: Path) -> None:
    def broken() -> int:
        raise BrokenPipeError

    saved = os.dup(1)
    try:
        assert guarded("play", broken) == EXIT_BROKEN_PIPE
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    assert not crashes.exists()


def test_the_crash_folder_follows_xdg_state_home(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FABULA_CRASH_DIR", raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", "/state")
    assert crash_folder() == Path("/state/fabula/crashes")


def test_messages_never_carry_escape_sequences() -> None:
    shown = printable("a\x1b[2J\x9bb\ud800\nc\td")
    assert shown == "a\\x1b[2J\\x9bb\\ud800\nc\td"


def test_a_save_folder_that_cannot_be_created_is_named(tmp_path: Path) -> None:
    game = ContentGame.load(scaffold(tmp_path / "g"))
    (tmp_path / "loop-a").symlink_to(tmp_path / "loop-b")
    (tmp_path / "loop-b").symlink_to(tmp_path / "loop-a")
    blocker = tmp_path / "plain-file"
    blocker.write_text("")
    for save in (tmp_path / "loop-a" / "x" / "s.save", blocker / "sub" / "s.save"):
        with pytest.raises(SaveWriteError) as caught:
            Session.start(game, save)
        assert str(save.parent) in str(caught.value)
        assert caught.value.path == save


def test_scaffold_refuses_an_existing_folder_and_an_unwritable_one(tmp_path: Path) -> None:
    (tmp_path / "there").mkdir()
    with pytest.raises(ScaffoldError, match="already exists"):
        scaffold(tmp_path / "there")
    blocker = tmp_path / "plain-file"
    blocker.write_text("")
    with pytest.raises(ScaffoldError, match="cannot be written"):
        scaffold(blocker / "game")


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "fabula", *args],
        capture_output=True, text=True, timeout=120, check=False, env=env,
    )  # fmt: skip


def test_every_command_reports_through_the_boundary(tmp_path: Path) -> None:
    env = {**os.environ, "FABULA_CRASH_DIR": str(tmp_path / "crashes")}
    game = tmp_path / "g"
    assert run("new", str(game), env=env).returncode == 0
    blocker = tmp_path / "plain-file"
    blocker.write_text("")
    cases = [
        (["new", str(game)], "already exists"),
        (["play", str(game), "--save", str(blocker / "s.save")], "cannot be created"),
        (["play", str(game), "--script", str(tmp_path / "nothing.txt")], "nothing.txt"),
        (["validate", str(tmp_path / "absent")], "absent"),
        (["replay", str(tmp_path / "absent.save")], "absent.save"),
    ]
    for argv, said in cases:
        done = run(*argv, env=env)
        assert done.returncode == EXIT_ERROR, (argv, done.stdout, done.stderr)
        assert said in " ".join((done.stdout + done.stderr).split()), argv
        assert "Traceback" not in done.stdout + done.stderr, argv
    assert not (tmp_path / "crashes").exists()
