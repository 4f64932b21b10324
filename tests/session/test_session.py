"""The session: text in, narration out, state saved, through the little game."""

from __future__ import annotations

from pathlib import Path

import pytest

from fabula.actions.standard import Health
from fabula.content import ContentGame
from fabula.persistence import SaveFile, state_digest
from fabula.session import Session

LITTLE = Path(__file__).parents[1] / "content" / "games" / "little"
WIN = [
    "take key", "n", "take lamp", "light lamp", "unlock trapdoor with key", "open trapdoor",
    "d", "kill rat", "g", "g", "g", "open chest", "take crown", "u", "s",
]  # fmt: skip


@pytest.fixture
def session(tmp_path: Path) -> Session:
    return Session.start(ContentGame.load(LITTLE), tmp_path / "little.save", new=True)


def play(session: Session, commands: list[str]) -> list[str]:
    out = []
    for command in commands:
        reply = session.turn(command)
        out.append(reply.text)
        if reply.ended:
            break
    return out


def test_a_new_game_opens_with_the_intro_and_the_room(session: Session) -> None:
    text = session.opening()
    assert text.startswith("A LITTLE TEST\n\nYou stand on a porch.\n\nPorch\nA creaking porch.")
    assert "Exits: north." in text


def test_the_little_game_can_be_won(session: Session) -> None:
    out = play(session, WIN)
    assert session.ended == "won", "\n".join(out)
    assert "*** You won. ***" in out[-1]
    assert "Your score is 10 out of 10" in out[-1]
    assert session.turn("n").text.startswith("The game is over.")


def test_the_rat_bites_back(session: Session) -> None:
    out = play(session, WIN[:7])
    assert "Darkness" not in out[-1]  # the lamp is lit
    reply = session.turn("wait")
    assert "The rat attacks you" in reply.text
    assert "(health " in reply.text  # told as prose, with the figure (issue 13, item 7)


def test_undo_and_save_slots(session: Session, tmp_path: Path) -> None:
    play(session, ["take key", "n"])
    assert session.turn("save before-cellar").text == "Saved as 'before-cellar'."
    assert session.save.turn == 2
    reply = session.turn("undo")
    assert reply.text.startswith("Undone.\n\nPorch")
    assert session.save.turn == 1
    reply = session.turn("restore before-cellar")
    assert reply.text.startswith("Restored.\n\nHall")
    assert session.save.turn == 2
    assert session.turn("restore nope").text == "There is no save called 'nope'."


def test_meta_commands_do_not_take_turns(session: Session) -> None:
    assert session.turn("score").text == "Your score is 0 out of 10, in 0 turns."
    assert "take" in session.turn("help").text
    assert session.turn("xyzzy").text.startswith('I don\'t know the word "xyzzy"')
    assert session.turn("take").text == "What do you want to take?"
    assert session.turn("key").text == "Taken."
    assert session.save.turn == 1
    assert session.turn("quit").quit


def test_every_turn_is_saved_as_it_is_played(session: Session, tmp_path: Path) -> None:
    play(session, WIN[:5])
    digest = state_digest(session.world)
    session.save._db().close()  # a crash: no flush, no close
    session.save._conn = None
    again = Session.start(ContentGame.load(LITTLE), tmp_path / "little.save")
    assert again.save.turn == 5
    assert state_digest(again.world) == digest
    assert again.opening().startswith("Welcome back, at turn 5")


def test_losing(session: Session) -> None:
    play(session, WIN[:7])
    session.world.get(session.player, Health).hp = 1
    out = play(session, ["wait"] * 10)
    assert session.ended == "lost"
    assert "*** You died. ***" in out[-1]


def test_the_save_belongs_to_the_game(session: Session, tmp_path: Path) -> None:
    session.close()
    with SaveFile.open(tmp_path / "little.save", ContentGame.load(LITTLE)) as save:
        assert save.turn == 0


def test_restoring_the_game_being_played_says_so(tmp_path: Path) -> None:
    game = ContentGame.load(LITTLE)
    session = Session.start(game, tmp_path / f"{game.id}-mine.save", new=True)
    session.turn("take key")
    reply = session.turn("restore mine")
    assert reply.text == "That is the game you are playing; nothing to restore."
    assert session.save.turn == 1
    session.close()


def test_what_the_player_typed_is_kept_as_valid_text(session: Session) -> None:
    session.turn("take key" + chr(0xDCFF) + "\x00")  # a terminal's undecodable byte
    session.close()
    with SaveFile.open(session.save.path, session.game) as save:
        assert save.records()[-1].input == "take key\N{REPLACEMENT CHARACTER}"
