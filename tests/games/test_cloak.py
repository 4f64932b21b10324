"""Cloak of Darkness (Roger Firth's specification), written as data only:
the walkthrough wins, blundering in the dark loses, replay reproduces both,
and the whole game stays within a hundred lines of TOML and text."""

from __future__ import annotations

from pathlib import Path

import pytest

from fabula.actions.standard import Score
from fabula.content import ContentGame, holds
from fabula.content.schema import Condition
from fabula.games import CLOAK, walkthrough
from fabula.persistence import verify
from fabula.session import Session


@pytest.fixture(scope="module")
def game() -> ContentGame:
    return ContentGame.load(CLOAK)


@pytest.fixture
def session(game: ContentGame, tmp_path: Path) -> Session:
    return Session.start(game, tmp_path / "cloak.save", new=True)


def play(session: Session, commands: list[str]) -> str:
    out = []
    for command in commands:
        reply = session.turn(command)
        out.append(f"> {command}\n{reply.text}")
        if reply.ended:
            break
    return "\n\n".join(out)


def test_the_game_is_data_only_and_short() -> None:
    files = [p for p in CLOAK.rglob("*") if p.is_file()]
    assert not [p for p in files if p.suffix == ".py"]
    lines = sum(
        1
        for p in files
        if p.suffix in (".toml", ".txt", ".j2", ".md")
        for line in p.read_text(encoding="utf-8").splitlines()
        if line.strip()
    )
    assert lines <= 100, f"{lines} non-blank lines"


def test_the_walkthrough_wins_with_full_score(game: ContentGame, session: Session) -> None:
    transcript = play(session, walkthrough(CLOAK))
    assert session.ended == "won", transcript
    assert "neatly marked in the sawdust" in transcript
    assert session.world.get(session.player, Score) == Score(2, 2)
    path = session.save.path
    session.close()
    report = verify(path, game)
    assert report.ok, report.problem


def test_blundering_in_the_dark_twice_loses(game: ContentGame, session: Session) -> None:
    commands = ["s", "look", "inventory", "n", "w", "hang cloak on hook", "e", "s", "read message"]
    transcript = play(session, commands)
    assert transcript.count("In the dark? You could easily disturb something.") == 2
    assert session.ended == "lost", transcript
    assert "carelessly trampled" in transcript
    path = session.save.path
    session.close()
    report = verify(path, game)
    assert report.ok, report.problem


def test_one_blunder_still_wins(session: Session) -> None:
    transcript = play(session, ["s", "look", "n", "w", "put cloak on hook", "e", "s", "x message"])
    assert session.ended == "won", transcript


def test_the_bar_is_lit_once_the_cloak_leaves_it(session: Session) -> None:
    transcript = play(session, ["s", "n", "w", "drop cloak", "e", "s"])
    assert transcript.endswith("Exits: north."), transcript
    assert "some sort of message" in transcript


def test_dark_follows_the_rooms_condition(session: Session) -> None:
    """``dark('bar')`` sees the bar's ``dark = "within('cloak', 'bar')"``."""
    dark = Condition.model_validate({"if": "dark('bar')"})

    def judged() -> bool:
        world = session.world
        return holds(world, dark, session.game.ids(world), session.player)

    assert not judged()  # the cloak is in the foyer, on the player
    play(session, ["s"])
    assert judged()
    play(session, ["n", "w", "drop cloak"])
    assert not judged()
