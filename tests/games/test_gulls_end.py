"""The demo game, played through its session: a win, a loss, the puzzle's
refusals; asserting the world's state, not just the words."""

from __future__ import annotations

from pathlib import Path

import pytest

from fabula.actions.standard import Health, LightSource, Location, Score, room_of
from fabula.content import ContentGame
from fabula.games import DEMO
from fabula.session import Session
from tests.support.walkthrough import WALKTHROUGH, commands


@pytest.fixture
def session(tmp_path: Path) -> Session:
    return Session.start(ContentGame.load(DEMO), tmp_path / "demo.save", new=True)


def play(session: Session, text: str) -> list[str]:
    out = []
    for command in commands(text):
        reply = session.turn(command)
        out.append(f"> {command}\n{reply.text}")
        if reply.ended:
            break
    return out


def test_the_demo_is_sound_and_big_enough() -> None:
    game = ContentGame.load(DEMO)
    assert len(game.files.rooms) >= 12
    assert any(room.dark for room in game.files.rooms.values())
    assert any(door.locked for door in game.files.doors.values())
    assert any(item.container for item in game.files.items.values())
    assert any(npc.topics for npc in game.files.npcs.values())
    assert any(npc.hostile for npc in game.files.npcs.values())


def test_the_walkthrough_wins_with_every_point(session: Session) -> None:
    transcript = play(session, WALKTHROUGH)
    world = session.world
    ids = session.game.ids(world)
    me = session.player
    assert session.ended == "won", "\n\n".join(transcript[-6:])
    assert world.get(ids["great-lamp"], LightSource).lit
    assert room_of(world, me) == ids["lantern-room"]
    assert world.get(me, Score) == Score(25, 25)
    assert world.get(ids["coat"], Location) == Location(me, "worn")
    assert "crab" not in ids or world.get(ids["crab"], Health).hp <= 0
    assert "The great lamp wakes" in transcript[-1]


def test_the_crab_drops_the_key_when_it_dies(session: Session) -> None:
    play(session, "w; take lantern; take tinderbox and gaff; light lantern; e; e; n; in")
    ids = session.game.ids(session.world)
    assert session.world.get(ids["lighthouse-key"], Location).holder == ids["crab"]
    while session.world.get(ids["crab"], Health).hp > 0:
        session.turn("hit crab with gaff")
    assert session.world.get(ids["lighthouse-key"], Location) == Location(ids["cave"])


def test_fighting_the_crab_bare_handed_is_a_loss(session: Session) -> None:
    play(session, "w; take lantern; take tinderbox; light lantern; e; e; n; in")
    out = play(session, "; ".join(["attack crab"] * 30))
    assert session.ended == "lost"
    assert session.world.get(session.player, Health).hp <= 0
    assert "The sea keeps what it takes" in out[-1]
    assert session.turn("n").text.startswith("The game is over.")
    session.turn("undo")
    assert session.ended is None


def test_the_lamp_puzzle_has_its_own_rules(session: Session) -> None:
    play(session, "w; take lantern; light lantern")
    assert session.turn("light lantern").text.startswith("You have nothing to light")
    play(session, "take tinderbox; light lantern")
    assert session.world.get(session.game.ids(session.world)["lantern"], LightSource).lit


def test_the_dark_cave_needs_the_lantern(session: Session) -> None:
    out = play(session, "e; n; in; look")
    assert "Darkness" in out[-1]
    assert session.turn("take heap").text == "It is too dark to see."


def test_the_door_is_locked_until_the_key_turns(session: Session) -> None:
    out = play(session, "n; e; n; n")
    assert out[-1].endswith("The lighthouse door is locked.")


def test_fabula_replay_finds_the_installed_demo_by_its_id(session: Session) -> None:
    import subprocess
    import sys

    play(session, "w; take lantern; take tinderbox; light lantern")
    path = session.save.path
    session.close()
    done = subprocess.run(
        [sys.executable, "-m", "fabula", "replay", str(path)],
        capture_output=True, text=True, timeout=120,
        env={"COLUMNS": "160", "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "game gulls-end, 4 turns replayed" in done.stdout
    assert "reproduces this save exactly" in done.stdout
