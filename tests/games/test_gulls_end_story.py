"""The demo keeps its own promise (issue 13, item 7): the ship reaches the
reef if the light is not lit in time, killing Tamsin has a consequence, no
gift makes the game silently unwinnable, fights are told as prose, and the
last points come with the light."""

from __future__ import annotations

from pathlib import Path

import pytest

from fabula.actions.standard import Health, Location, Score
from fabula.content import Achievements, ContentGame
from fabula.games import DEMO
from fabula.persistence import verify
from fabula.session import Session
from tests.support.walkthrough import WALKTHROUGH, commands

GAME = ContentGame.load(DEMO)
DEADLINE = 120


@pytest.fixture
def session(tmp_path: Path) -> Session:
    return Session.start(GAME, tmp_path / "demo.save", new=True)


def play(session: Session, lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        reply = session.turn(line)
        out.append(reply.text)
        if reply.ended:
            break
    return out


def test_the_deadline_is_in_the_files_and_well_beyond_the_walkthrough() -> None:
    deadlines = [e.turns_at_least for e in GAME.files.endings if e.turns_at_least]
    assert deadlines == [DEADLINE]
    assert len(commands(WALKTHROUGH)) * 2 < DEADLINE


def test_waiting_lets_the_ship_reach_the_reef(session: Session) -> None:
    out = play(session, ["wait"] * (DEADLINE + 5))
    assert len(out) == DEADLINE
    assert session.ended == "lost"
    told = "\n".join(out)
    for warning in ("feeling her way home", "A gun booms", "clang of a ship's bell"):
        assert warning in told
    assert told.index("feeling her way home") < told.index("A gun booms")
    assert "Too late. Out on the Teeth" in out[-1]
    path = session.save.path
    session.close()
    report = verify(path, GAME)  # the clock replays from the journal
    assert report.ok, report.problem
    assert report.turns == DEADLINE


def test_the_ship_is_announced_at_its_turns_only(session: Session) -> None:
    out = play(session, ["wait"] * 21)
    assert [n + 1 for n, text in enumerate(out) if "Morwenna" in text] == [20]


def test_the_walkthrough_wins_before_the_ship_arrives(session: Session) -> None:
    out = play(session, commands(WALKTHROUGH))
    assert session.ended == "won"
    assert session.save.turn < DEADLINE
    assert "Too late" not in out[-1]


def test_the_last_points_come_with_the_light(session: Session) -> None:
    lines = commands(WALKTHROUGH)
    play(session, lines[:-1])
    assert session.world.get(session.player, Score) == Score(20, 25)
    assert session.ended is None
    final = session.turn(lines[-1]).text
    assert "[Your score has gone up by 5 points.]" in final
    assert session.world.get(session.player, Score) == Score(25, 25)
    earned = session.world.get(session.player, Achievements)
    assert earned.tasks[-1] == "relighting the great lamp"
    assert sum(earned.points) == 25
    assert len(set(earned.keys)) == len(earned.keys)


def test_killing_tamsin_loses_the_game(session: Session) -> None:
    play(session, ["w", "take gaff", "e", "n"])
    out = play(session, ["attack tamsin with gaff"] * 10)
    assert session.ended == "lost"
    assert "Tamsin lies still among her nets" in out[-1]
    ids = GAME.ids(session.view)
    assert session.world.get(ids["tamsin"], Health).hp <= 0
    assert session.turn("undo").text.startswith("Undone.")
    assert session.ended is None


def test_tamsin_hands_gifts_back(session: Session) -> None:
    play(session, ["w", "take lantern", "e", "n"])
    text = session.turn("give lantern to tamsin").text
    assert "you'll want that more than I will" in text
    ids = GAME.ids(session.view)
    assert session.world.get(ids["lantern"], Location) == Location(session.player, "held")


def test_fights_are_told_as_prose(session: Session) -> None:
    play(session, ["w", "take lantern", "take tinderbox", "light lantern", "e", "e", "n", "in"])
    told = "\n".join(play(session, ["wait"] * 6))
    assert "The giant crab attacks you" in told
    assert "(Health:" not in told
    assert any(
        phrase in told
        for phrase in ("You are bruised, but steady", "You are hurt", "You are badly hurt")
    )
    assert "(health " in told  # the figure is still there, inside the prose
