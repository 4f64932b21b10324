"""``fabula play`` with a narrator model, through a real process and a real
HTTP server on loopback: the telling streams to the terminal, ``--debug``
shows where the time went, and a model that dies mid-game costs only prose."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from scripted_server import Script, chunks

GAME = Path(__file__).parents[1] / "content" / "games" / "little"


def play(url: str, tmp_path: Path, *commands: str) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "walk.txt"
    script.write_text("\n".join(commands) + "\n")
    return subprocess.run(
        [sys.executable, "-m", "fabula", "play", str(GAME), "--save", str(tmp_path / "g.save"),
         "--new", "--script", str(script), "--narrator-model", "bard", "--narrator-url", url,
         "--debug"],
        capture_output=True, text=True, timeout=120,
        env={"COLUMNS": "60", "PATH": "/usr/bin:/bin", "FABULA_MEMORY_ENABLED": "false",
             "FABULA_NARRATOR_RETRIES": "0", "FABULA_NARRATOR_FAILURES_TO_OPEN": "1"},
    )  # fmt: skip


def test_the_telling_streams_wrapped_and_the_debug_line_follows(
    server: tuple[str, Script], tmp_path: Path
) -> None:
    url, script = server
    words = "The key is small and cold, and it fits your palm as if it had waited for it."
    script.answers = [(200, chunks([w + " " for w in words.split()])), (500, None)]
    done = play(url, tmp_path, "take key", "n", "score")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    told = out.split("> take key\n", 1)[1].split("\nparse ", 1)[0]
    lines = told.splitlines()
    assert " ".join(lines[:3]).startswith("The key is small and cold")
    assert all(len(line) <= 60 for line in lines)  # wrapped at words, to the terminal
    assert "narrator bard source=model tokens=9+18 ms=" in out  # one line, however long
    assert "source=template tokens=0+0" in out  # the failed call's own (no) tokens
    # the model then fails: the account is shown, and the outage is said once
    after, last = out.split("> n\n", 1)[1].split("> score", 1)
    assert "using the template narrator until it is back" in " ".join(after.split())
    assert "Hall" in after
    assert "[The narrator" not in last
    assert "Your score is" in out
    assert "Traceback" not in done.stderr
