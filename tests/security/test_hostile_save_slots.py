"""``save NAME`` and ``restore NAME`` with hostile names: a slot never
escapes the save folder, a file outside it is never read or written, and
whatever is in the folder (a planted file, a link out, the live save
itself) gets a plain answer, never an exception."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fabula.content import ContentGame
from fabula.persistence import SaveFile, verify
from fabula.session import Session
from tests.security.guard import Guard, Sandbox
from tests.security.sessions import Scenes, start

SAVED = re.compile(r"Saved as '([a-z0-9_-]+)'\.")

NAMES = {
    "dot-dot-etc-passwd": "../../etc/passwd",
    "absolute-etc-shadow": "/etc/shadow",
    "dot-dot": "..",
    "dot": ".",
    "home": "~/.bashrc",
    "backslashes": "..\\..\\windows\\system32",
    "dot-dot-in-the-middle": "a/../../b",
    "url-encoded": "%2e%2e%2fetc%2fpasswd",
    "device-name": "CON",
    "glob": "*",
    "question-mark": "?",
    "shell-substitution": "$(touch pwned)",
    "backticks": "`id`",
    "shell-chain": "a; rm -rf /",
    "nul": "\x00",
    "nul-inside": "a\x00b",
    "newline": "first\nsecond",
    "accents": "ünïcödé",
    "rtl-override": "\u202eevas.exe",
    "emoji": "\U0001f480",
    "a-hundred-characters": "x" * 100,
    "sql": "x'; DROP TABLE journal; --",
}


@pytest.mark.parametrize("name", list(NAMES.values()), ids=list(NAMES))
def test_a_slot_stays_in_the_save_folder(
    name: str, game: ContentGame, sandbox: Sandbox, scenes: Scenes
) -> None:
    guard = start(game, sandbox, scenes, "boathouse")
    # a name with ";" or "then" ends the save there; the rest is played on
    saved = guard.play(f"save {name}").reply.text.split("\n\n")[0]
    slot = SAVED.fullmatch(saved)
    assert slot is not None, saved
    files = sorted(p.name for p in sandbox.saves.glob("*.save"))
    assert files == sorted([f"{game.id}.save", f"{game.id}-{slot.group(1)}.save"])
    before = guard.session.world.tick
    guard.play("take lantern")
    assert guard.play(f"restore {name}").reply.text.startswith("Restored.")
    assert guard.session.world.tick == before
    guard.finish(reopen=True)


@pytest.mark.parametrize(
    "name",
    ["../outside/decoy", "../../outside/gulls-end-decoy", "OUTSIDE", "/outside/gulls-end-decoy"],
)
def test_a_save_outside_the_folder_cannot_be_restored(
    name: str, game: ContentGame, sandbox: Sandbox, scenes: Scenes
) -> None:
    outside = sandbox.root / "outside"
    outside.mkdir()
    with SaveFile.new(outside / f"{game.id}-decoy.save", game, seed=7):
        pass
    name = name.replace("OUTSIDE", str(outside / f"{game.id}-decoy"))
    sandbox.before = sandbox.tree()
    guard = start(game, sandbox, scenes, "boathouse")
    reply = guard.play(f"restore {name}").reply.text
    assert reply.startswith("There is no save called"), reply
    guard.finish()


def test_what_is_planted_in_the_folder_gets_a_plain_answer(
    game: ContentGame, sandbox: Sandbox, scenes: Scenes
) -> None:
    outside = sandbox.root / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("precious")
    (sandbox.saves / f"{game.id}-junk.save").write_text("not a save")
    os.symlink(outside / "precious.txt", sandbox.saves / f"{game.id}-link.save")
    os.symlink(outside / "nothing-yet.save", sandbox.saves / f"{game.id}-dangling.save")
    sandbox.before = sandbox.tree()
    guard = start(game, sandbox, scenes, "boathouse")
    for line in ("restore junk", "save junk", "restore link", "save link", "restore dangling"):
        reply = guard.play(line).reply.text
        assert reply.startswith(("Not saved:", "Not restored:", "There is no save")), reply
    assert guard.play("save dangling").reply.text == "Saved as 'dangling'."
    assert sorted(os.listdir(outside)) == ["precious.txt"]  # the link was replaced, not followed
    assert (outside / "precious.txt").read_text() == "precious"
    guard.finish()
    assert verify(sandbox.saves / f"{game.id}-dangling.save", game).ok


def test_the_live_save_cannot_be_a_slot(game: ContentGame, sandbox: Sandbox) -> None:
    session = Session.start(game, sandbox.saves / f"{game.id}-main.save", new=True)
    guard = Guard(session, game, sandbox)
    guard.play("w")
    assert guard.play("save main").reply.text == (
        "That is the game you are playing; it is saved after every turn."
    )
    assert guard.play("restore main").reply.text == (
        "That is the game you are playing; nothing to restore."
    )
    guard.play("take lantern")
    guard.finish(reopen=True)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(name=st.text(st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_any_slot_name_stays_in_the_folder(
    name: str, game: ContentGame, sandbox: Sandbox, scenes: Scenes
) -> None:
    box = sandbox.fresh()
    guard = start(game, box, scenes, "boathouse")
    try:
        saved = guard.play(f"save {name}").reply.text
        assert saved.startswith(("Saved as", "Not saved:")) or guard.turns[-1].played, saved
        guard.play(f"restore {name}")
    finally:
        guard.session.close()
    assert box.strays(game.id) == []
    assert all(p.parent == box.saves for p in Path(box.root).rglob("*.save"))
