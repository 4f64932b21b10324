"""``fabula play GAME`` through a real process with piped input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

GAME = Path(__file__).parents[1] / "content" / "games" / "little"
COMMANDS = (
    "take key", "n", "take lamp", "light it", "unlock trapdoor with key", "open it", "d",
    "kill rat", "g", "g", "g", "open chest", "take crown", "u", "s",
)  # fmt: skip
WIN = "\n".join(COMMANDS) + "\n"


def play(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "fabula", "play", str(GAME), *args],
        input=stdin, capture_output=True, text=True, timeout=120,
        env={"COLUMNS": "120", "PATH": "/usr/bin:/bin"},
    )  # fmt: skip


def test_a_piped_game_is_played_to_the_end(tmp_path: Path) -> None:
    done = play("--save", str(tmp_path / "g.save"), "--new", stdin=WIN)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("A LITTLE TEST")
    assert "> take key\nTaken." in done.stdout
    assert "*** You won. ***" in done.stdout
    assert "Traceback" not in done.stderr


def test_the_game_continues_from_its_save(tmp_path: Path) -> None:
    save = str(tmp_path / "g.save")
    play("--save", save, "--new", stdin="take key\nn\n")
    done = play("--save", save, stdin="score\n")
    assert "Welcome back, at turn 2" in done.stdout
    assert "Your score is 0 out of 10, in 2 turns." in done.stdout


def test_a_script_file_plays_too(tmp_path: Path) -> None:
    script = tmp_path / "walk.txt"
    script.write_text(WIN)
    done = play("--save", str(tmp_path / "g.save"), "--new", "--script", str(script))
    assert "*** You won. ***" in done.stdout


def test_a_broken_game_is_reported(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "fabula", "play", str(tmp_path)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    assert "Cannot start the game" in done.stdout


def test_ctrl_c_at_the_prompt_clears_the_line_and_ctrl_d_leaves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prompt_toolkit import PromptSession

    from fabula.cli.play import _lines
    from fabula.games import demo
    from fabula.session import Session

    typed: list[object] = [KeyboardInterrupt(), "look", KeyboardInterrupt(), "  ", "i", EOFError()]

    def prompt(self: object, *args: object, **kwargs: object) -> str:
        answer = typed.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        assert isinstance(answer, str)
        return answer

    monkeypatch.setattr(PromptSession, "prompt", prompt)
    session = Session.start(demo(), tmp_path / "demo.save", new=True)
    try:
        lines = _lines(None, True, session)
        assert [next(lines), next(lines)] == ["look", "i"]
        with pytest.raises(EOFError):
            next(lines)
    finally:
        session.close()
