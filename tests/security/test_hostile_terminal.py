"""The last step: what ``fabula play`` writes to the terminal, with both
models hostile. Whatever the models send, the screen gets text and newlines:
no escape sequence, no other control character, no traceback.

Skipped until the model narrator (``fabula.narration.model``) exists, like
test_hostile_narrator.py: the command line needs it to stream.
"""

from __future__ import annotations

import io
import random
import re

from rich.console import Console

from fabula.content import ContentGame
from fabula.games import DEMO
from fabula.persistence import verify
from tests.security.guard import Sandbox
from tests.security.payloads import MODEL_ANSWERS, NARRATIONS, SAID, STREAMS
from tests.support.hostile_model import Answer, HostileModel, Request

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

SCRIPT = [
    "w", "take lantern", SAID, "take tinderbox and gaff", "light lantern", "e",
    "yeet the gaff", "n", "ask tamsin about the crab", "bamboozle tamsin", "save ../../x",
    "undo", "score", "look",
]  # fmt: skip

PAINTERS = (
    "ansi-colours", "ansi-clear-screen", "osc-window-title", "cursor-moves", "c1-csi",
    "carriage-return-overwrite", "backspaces-and-bell", "nul-bytes", "bidi-override",
)  # fmt: skip
"""The narrations that try to paint the terminal, told first."""


def test_the_terminal_gets_only_text(
    game: ContentGame, sandbox: Sandbox, model: HostileModel
) -> None:
    from fabula.cli.play import run_play

    draw = random.Random(25).choice
    parsing = [Answer(content=c.content) for c in MODEL_ANSWERS if c.bug is None]
    telling = [c.answer for c in NARRATIONS if c.bug is None and c.id != "megabytes"]
    telling += [c.answer for c in STREAMS if c.bug is None and not c.answer.delay]
    first = iter([c.answer for c in NARRATIONS if c.id in PAINTERS])

    def answer(request: Request) -> Answer:
        if request.stream:  # every escape sequence first, then anything
            return next(first, None) or draw(telling)
        return draw(parsing)

    model.otherwise = answer
    script = sandbox.root / "script.txt"
    script.write_text("\n".join(SCRIPT) + "\n")
    sandbox.before = sandbox.tree()
    out = io.StringIO()
    console = Console(file=out, force_terminal=False, color_system=None, width=100)
    role = {"base_url": model.url, "retries": 0, "timeout": 0.4}
    status = run_play(
        DEMO,
        save=sandbox.saves / f"{game.id}.save",
        new=True,
        script=script,
        flags={
            "parser": {"model": "hostile", **role},
            "narrator": {"model": "hostile-bard", **role},
            "memory": {"enabled": False},
        },
        console=console,
    )
    shown = out.getvalue()
    assert status == 0, shown[-2000:]
    control = _CONTROL.search(shown)
    near = shown[max(0, control.start() - 80) : control.end() + 80] if control else ""
    assert control is None, f"{control.group()!r} reached the terminal near {near!r}"
    assert "Traceback" not in shown
    assert "SYSTEM:" in shown  # the first telling was the painted one, shown cleaned
    assert {r.stream for r in model.requests} == {True, False}
    assert verify(sandbox.saves / f"{game.id}.save", game).ok
    assert sandbox.strays(game.id) == []
