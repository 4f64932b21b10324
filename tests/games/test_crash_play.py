"""The crash test, on the real thing: ``fabula play`` on the demo is killed
mid-walkthrough, reopened, and still wins with no turn lost."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from fabula.content import ContentGame
from fabula.games import DEMO
from fabula.persistence import state_digest
from fabula.session import Session
from tests.support.walkthrough import WALKTHROUGH, commands

COMMANDS = commands(WALKTHROUGH)


def reference(turns: int, tmp: Path) -> str:
    session = Session.start(ContentGame.load(DEMO), tmp / "reference.save", new=True)
    for command in COMMANDS[:turns]:
        session.turn(command)
    digest = state_digest(session.world)
    session.close()
    return digest


@pytest.mark.parametrize("kill_at", random.Random(5).sample(range(3, len(COMMANDS) - 2), 4))
def test_killed_mid_walkthrough_then_won_without_a_lost_turn(tmp_path: Path, kill_at: int) -> None:
    save = tmp_path / "demo.save"
    script = tmp_path / "walk.txt"
    script.write_text("\n".join(COMMANDS) + "\n")
    process = subprocess.Popen(
        [sys.executable, "-m", "fabula", "play", "--save", str(save), "--new",
         "--script", str(script)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "COLUMNS": "200"},
    )  # fmt: skip
    assert process.stdout is not None
    echoed = 0
    for line in process.stdout:
        if line.startswith("> "):
            echoed += 1
            if echoed == kill_at:
                process.send_signal(signal.SIGKILL)
                break
    process.communicate(timeout=60)
    shown = echoed - 1  # the reply to the last echoed command may not have been printed

    session = Session.start(ContentGame.load(DEMO), save)
    played = session.save.turn
    assert shown <= played < len(COMMANDS)  # killed mid-play, and nothing shown was lost
    assert state_digest(session.world) == reference(played, tmp_path)
    endings = [session.turn(command).ended for command in COMMANDS[played:]]
    assert endings[-1] == "won"
    session.close()
