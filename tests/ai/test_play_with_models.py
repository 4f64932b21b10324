"""``fabula play`` with a narrator model, through a real process and a real
HTTP server on loopback: the telling streams to the terminal, ``--debug``
shows where the time went, and a model that dies mid-game costs only prose."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.support.scripted_model import Script, chunks, completion

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


def test_the_games_own_parser_prompt_is_the_one_sent(
    server: tuple[str, Script], tmp_path: Path
) -> None:
    url, script = server
    game = tmp_path / "little"
    shutil.copytree(GAME, game)
    (game / "prompts").mkdir()
    (game / "prompts" / "parser-9.j2").write_text(
        '+++\nid = "parser"\nversion = "9"\nrole = "parser"\n'
        'description = "A game\'s own parser prompt."\n+++\n'
        "{% block system %}Read commands in this little house. {{ things | join(', ') }}"
        "{% endblock %}\n{% block user %}{{ player_input }}{% endblock %}\n"
    )
    script.answers = [(200, completion('{"actions": [{"action": "take", "item": "iron key"}]}'))]
    walk = tmp_path / "walk.txt"
    walk.write_text("pocket the key\n")
    done = subprocess.run(
        [sys.executable, "-m", "fabula", "play", str(game), "--save", str(tmp_path / "g.save"),
         "--new", "--script", str(walk), "--parser-model", "tiny", "--parser-url", url],
        capture_output=True, text=True, timeout=120,
        env={"COLUMNS": "80", "PATH": "/usr/bin:/bin", "FABULA_PARSER_RETRIES": "0"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    system = script.requests[0]["messages"][0]["content"]
    assert system.startswith("Read commands in this little house.")  # the newest: the game's v9
    assert "Taken." in done.stdout
