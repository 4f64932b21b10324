"""The meta commands a seasoned player expects (issue 13, item 4): score
notices and FULL SCORE, NOTIFY, HINT, TRANSCRIPT, VERBOSE/BRIEF/SUPERBRIEF,
RESTART with its question, and what the game offers once it has ended.
Played on the demo through a real Session and a real save."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fabula.actions.standard import Score
from fabula.content import ContentGame
from fabula.games import DEMO
from fabula.persistence import verify
from fabula.session import Session
from fabula.session.meta import GAME_OVER
from fabula.session.meta.restart import QUESTION
from fabula.session.meta.transcript import transcript_path
from tests.support.walkthrough import WALKTHROUGH, commands

GAME = ContentGame.load(DEMO)
LITTLE = ContentGame.load(Path(__file__).parents[1] / "content" / "games" / "little")
TO_THE_TINDERBOX = ["w", "take lantern", "take tinderbox"]


@pytest.fixture
def session(tmp_path: Path) -> Session:
    return Session.start(GAME, tmp_path / "demo.save", new=True)


def play(session: Session, lines: list[str]) -> list[str]:
    return [session.turn(line).text for line in lines]


# ------------------------------------------------------------------ scoring


def test_points_are_announced_as_they_arrive(session: Session) -> None:
    out = play(session, TO_THE_TINDERBOX)
    assert out[-1].endswith("[Your score has gone up by 5 points.]")
    assert "score" not in out[-2]  # no points, no notice
    assert session.turn("score").text == "Your score is 5 out of 25, in 3 turns."


def test_one_turn_is_singular(session: Session) -> None:
    session.turn("w")
    assert session.turn("score").text == "Your score is 0 out of 25, in 1 turn."


def test_notify_switches_the_notices(session: Session) -> None:
    assert session.turn("notify").text == "Score notification off."
    out = play(session, TO_THE_TINDERBOX)
    assert "Your score has gone up" not in out[-1]
    assert session.world.get(session.player, Score).points == 5  # the points still came
    assert session.turn("notify on").text == "Score notification on."
    assert session.turn("notify off").text == "Score notification off."
    assert session.turn("notify loudly").text == 'Say "notify on" or "notify off".'


def test_full_score_lists_what_earned_the_points(session: Session) -> None:
    assert session.turn("full score").text == "You have scored no points yet, out of a possible 25."
    play(session, TO_THE_TINDERBOX)
    assert session.turn("full").text == (
        "Your score is made up as follows:\n"
        "  5 points for finding the tinderbox\n"
        "In all, 5 points out of a possible 25, in 3 turns."
    )


def test_meta_commands_play_no_turn(session: Session) -> None:
    for line in ("full score", "notify", "hint", "brief", "verbose", "transcript off"):
        assert session.turn(line).turn == 0
    assert session.save.turn == 0


# -------------------------------------------------------------------- hints


def test_hints_come_one_at_a_time(session: Session) -> None:
    menu = session.turn("hints").text
    assert menu.startswith("Hints for where you are stuck:")
    assert "  2. How do I see where it is dark?" in menu
    first = session.turn("hint 2").text
    assert "(1/3) Fishermen keep a light" in first
    assert "(2/3)" not in first
    assert first.endswith("For another, type HINT 2 again.")
    second = session.turn("hint 2").text
    assert "(1/3)" in second
    assert "(2/3) The storm lantern" in second
    last = session.turn("hint 2").text
    assert "(3/3) TAKE LANTERN" in last
    assert last.endswith("That is the last hint for this.")
    assert session.turn("hint 2").text == last  # no further, no error


def test_hints_follow_the_game(session: Session) -> None:
    assert "get past the giant crab" not in session.turn("hint").text  # not before the cave
    play(session, [*TO_THE_TINDERBOX, "light lantern"])
    menu = session.turn("hint").text
    assert "get past the giant crab" in menu
    assert "see where it is dark" not in menu  # solved: the lantern is lit
    assert "Hold the gaff" not in session.turn("hint crab").text
    assert "Ask Tamsin about the crab." in session.turn("hint crab").text


def test_an_unknown_hint_says_so_and_lists_the_topics(session: Session) -> None:
    text = session.turn("hint dragons").text
    assert text.startswith('There is no hint about "dragons" just now.')
    assert "Hints for where you are stuck:" in text
    assert session.turn("hint 99").text.startswith("There is no hint")


def test_a_game_without_hints_says_so(tmp_path: Path) -> None:
    session = Session.start(LITTLE, tmp_path / "little.save", new=True)
    try:
        assert session.turn("hint").text == "Sorry, this game has no hints."
    finally:
        session.close()


# --------------------------------------------------------------- transcript


def test_the_transcript_is_written_beside_the_save(session: Session) -> None:
    path = transcript_path(session.save.path)
    assert path.parent == session.save.path.parent
    started = session.turn("transcript").text
    assert started.startswith("Start of a transcript of The Light at Gull's End")
    assert session.turn("script on").text.startswith("A transcript is already being written")
    play(session, ["w", "take lantern"])
    assert session.turn("script off").text.startswith("End of transcript")
    session.turn("e")  # not written
    text = path.read_text(encoding="utf-8")
    assert "> w\nBoathouse" in text
    assert "> take lantern\nTaken." in text
    assert "> e\n" not in text
    assert text.rstrip().endswith("End of transcript.")
    assert session.turn("unscript").text == "There is no transcript to stop."


def test_closing_the_session_ends_the_transcript(tmp_path: Path) -> None:
    session = Session.start(GAME, tmp_path / "t.save", new=True)
    session.turn("script")
    session.turn("w")
    session.close()
    text = transcript_path(tmp_path / "t.save").read_text(encoding="utf-8")
    assert text.rstrip().endswith("End of transcript.")


# -------------------------------------------------------------- room modes


def test_brief_describes_a_room_in_full_only_the_first_time(session: Session) -> None:
    full = session.turn("w").text
    assert "Tar, rope and old fish." in full
    assert "brief" in session.turn("brief").text
    back = session.turn("e").text  # the harbour, seen at the start
    assert back.startswith("Harbour wall")
    assert "Waves break" not in back
    new = session.turn("n").text  # the square, never seen
    assert "The square is empty" in new
    again = play(session, ["s", "n"])[-1]
    assert again.startswith("Fish square")
    assert "The square is empty" not in again
    assert "Old Tamsin sits under the awning" in again  # what is here is still told
    assert "The square is empty" in session.turn("look").text  # LOOK is always in full


def test_superbrief_never_and_verbose_always(session: Session) -> None:
    session.turn("superbrief")
    assert "Tar, rope" not in session.turn("w").text  # even the first time
    session.turn("verbose")
    assert "Back on the harbour wall" in session.turn("e").text  # its return-visit text
    assert "Tar, rope" in session.turn("w").text


# ------------------------------------------------------------------ restart


def test_restart_asks_first_and_no_keeps_playing(session: Session) -> None:
    play(session, ["w", "take lantern"])
    assert session.turn("restart").text == QUESTION
    assert session.turn("n").text == "Then let's carry on."
    assert session.save.turn == 2


def test_anything_else_answers_no_and_is_played(session: Session) -> None:
    play(session, ["w", "restart"])
    assert session.turn("take lantern").text == "Taken."
    assert session.turn("y").text != QUESTION  # the question is gone
    assert session.save.turn >= 2


def test_restart_starts_again_in_the_same_save_and_keeps_the_old_game(session: Session) -> None:
    play(session, TO_THE_TINDERBOX)
    path = session.save.path
    session.turn("restart")
    text = session.turn("yes").text
    assert text.startswith("Restarted. (The game you left is kept: RESTORE BEFORE-RESTART")
    assert "THE LIGHT AT GULL'S END" in text
    assert "Harbour wall" in text
    assert session.save.path == path
    assert session.save.turn == 0
    assert session.world.get(session.player, Score).points == 0
    assert session.turn("i").text == "You are empty-handed."
    assert session.turn("restore before-restart").text.startswith("Restored.")
    assert session.save.turn == 3
    assert session.world.get(session.player, Score).points == 5


def test_a_restarted_save_replays_to_itself(session: Session) -> None:
    play(session, [*TO_THE_TINDERBOX, "restart", "y", "w", "take lantern"])
    path = session.save.path
    session.close()
    report = verify(path, GAME)
    assert report.ok, report.problem
    assert report.turns == 2


# ----------------------------------------------------------------- the end


def test_after_the_end_every_way_on_is_offered(session: Session) -> None:
    out = play(session, commands(WALKTHROUGH))
    assert session.ended == "won"
    assert out[-1].endswith(GAME_OVER)
    assert "[Your score has gone up by 5 points.]" in out[-1]
    over = session.turn("n").text
    assert over.startswith("The game is over.")
    assert over.endswith(GAME_OVER)
    assert session.turn("full score").text.startswith("The score was made up as follows:")
    assert session.turn("undo").text.startswith("Undone.")
    assert session.ended is None


def test_no_hints_once_the_game_is_over(session: Session) -> None:
    play(session, commands(WALKTHROUGH))
    assert session.turn("hint").text == "The game is over; there is nothing left to hint at."


def test_restart_after_the_end_needs_no_question(session: Session) -> None:
    play(session, commands(WALKTHROUGH))
    assert session.turn("restart").text.startswith("Restarted.")
    assert session.ended is None
    assert session.save.turn == 0


def test_a_finished_save_says_so_when_resumed(tmp_path: Path) -> None:
    path = tmp_path / "done.save"
    session = Session.start(GAME, path, new=True)
    play(session, commands(WALKTHROUGH))
    session.close()
    again = Session.start(GAME, path)
    try:
        opening = again.opening()
        assert opening.startswith("The game is over.")
        assert "The great lamp wakes" in opening
        assert opening.endswith(GAME_OVER)
        assert "Welcome back" not in opening
    finally:
        again.close()


def test_one_point_is_singular(tmp_path: Path) -> None:
    root = tmp_path / "one"
    shutil.copytree(LITTLE.files.root, root)
    with (root / "game.toml").open("a") as manifest:
        manifest.write(
            '\n[awards.hall]\npoints = 1\ntask = "going in"\nwhen = { in_room = "hall" }\n'
        )
    session = Session.start(ContentGame.load(root), tmp_path / "one.save", new=True)
    try:
        session.turn("take key")
        assert session.turn("n").text.endswith("[Your score has gone up by 1 point.]")
        assert "  1 point for going in" in session.turn("full score").text
    finally:
        session.close()
