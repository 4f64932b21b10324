"""Lines as Inform plays them: each command parsed after the one before has
run, meta commands inside a line, the rest of a line dropped at a parser
error, each object of a list tried on its own, and undo taking back a line."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fabula.actions.standard import Named, inventory
from fabula.games import demo, walkthrough
from fabula.persistence import state_digest, verify
from fabula.session import Session
from fabula.session.lines import MAX_COMMANDS, NOT_PLAYED, line_turns

DEATH = [
    "w", "take lantern", "take tinderbox and gaff", "light lantern", "e", "n", "in",
    "take wick", "out", "s", "e", "n", "in", "drop gaff", "attack crab", "attack crab",
    "attack crab",
]  # fmt: skip
"""Into the tide cave, the gaff dropped, the crab fought bare-handed: death."""


@pytest.fixture
def session(tmp_path: Path) -> Session:
    opened = Session.start(demo(), tmp_path / "demo.save", new=True)
    yield opened
    opened.close()


def digest(session: Session) -> str:
    return state_digest(session.world, session.game.components.name_of)


def carried(session: Session) -> set[str]:
    view = session.view
    return {view.get(e, Named).name for e in inventory(view, session.player)}


def test_each_command_of_a_line_is_parsed_after_the_one_before_has_run(session: Session) -> None:
    reply = session.turn("w. take lantern")
    assert "Boathouse" in reply.text
    assert reply.text.endswith("Taken.")
    assert "storm lantern" in carried(session)
    assert reply.turn == 2  # each command is a turn


def test_each_move_of_a_line_reports_its_own_room(session: Session) -> None:
    text = session.turn("w then e").text
    assert text.index("Boathouse") < text.index("Harbour wall")


def test_meta_commands_work_inside_a_line(session: Session, tmp_path: Path) -> None:
    session.turn("w")
    reply = session.turn("take lantern. save foo. i")
    assert reply.text.split("\n\n") == [
        "Taken.",
        "Saved as 'foo'.",
        "You are carrying a storm lantern.",
    ]
    assert (tmp_path / "gulls-end-foo.save").exists()


def test_a_parser_error_stops_the_rest_of_the_line_and_says_so(session: Session) -> None:
    reply = session.turn("w. xyzzy. take lantern")
    assert reply.text.endswith(NOT_PLAYED)
    assert "storm lantern" not in carried(session)
    assert reply.turn == 1


def test_a_refusal_is_told_and_the_line_goes_on(session: Session) -> None:
    session.turn("w. take lantern")
    reply = session.turn("take lantern. e")
    assert reply.text.startswith("You already have the storm lantern.")
    assert "Harbour wall" in reply.text


def test_each_object_of_a_list_is_tried_on_its_own(session: Session) -> None:
    session.turn("w. take lantern")
    text = session.turn("take lantern, tinderbox and gaff").text
    assert text.splitlines()[:3] == [
        "storm lantern: You already have the storm lantern.",
        "tinderbox: Taken.",
        "gaff hook: Taken.",
    ]
    assert {"tinderbox", "gaff hook"} <= carried(session)
    assert session.save.turn == 3  # a list is one turn


def test_a_list_with_refusals_replays_to_the_same_world(session: Session) -> None:
    session.turn("w. take lantern")
    session.turn("take lantern, tinderbox and gaff. drop all")
    session.save.flush(digest=True)
    path = session.save.path
    session.close()
    report = verify(path, demo())
    assert report.problem is None, report.problem
    assert report.turns == 4


def test_undo_takes_back_the_whole_line(session: Session) -> None:
    session.turn("w")
    before = digest(session)
    session.turn("take lantern. take tinderbox. e")
    assert session.save.turn == 4
    assert line_turns(session.save) == 3
    assert session.turn("undo").text.startswith("Undone.")
    assert session.save.turn == 1
    assert digest(session) == before


def test_a_wall_of_commands_is_refused_whole(session: Session) -> None:
    reply = session.turn(". ".join(["z"] * (MAX_COMMANDS + 1)))
    assert reply.text.startswith("That is too much for one line")
    assert session.save.turn == 0


def test_exit_does_not_quit(session: Session) -> None:
    assert not session.turn("exit").quit
    assert session.turn("quit").quit


def test_a_quit_inside_a_line_ends_it(session: Session) -> None:
    reply = session.turn("w. quit. e")
    assert reply.quit
    assert session.save.turn == 1


def test_the_inventory_after_undoing_a_death_is_what_was_carried(session: Session) -> None:
    for command in DEATH:
        session.turn(command)
    assert session.ended == "lost"
    session.turn("undo")
    assert session.ended is None
    reply = session.turn("i")  # the crab kills again, but the list is told first
    assert reply.text.startswith(
        "You are carrying a storm lantern, a tinderbox and a coil of lamp wick."
    )


def test_a_finished_save_says_so_on_resuming(session: Session) -> None:
    for command in DEATH:
        session.turn(command)
    path = session.save.path
    session.close()
    again = Session.start(demo(), path)
    try:
        opening = again.opening()
        assert opening.startswith("The game is over")
        assert "Welcome back" not in opening
    finally:
        again.close()


@pytest.mark.parametrize("path", ["walkthrough", "death"])
def test_undo_restores_the_state_before_every_turn(tmp_path: Path, path: str) -> None:
    """For every turn of the walkthrough and of a death path, the state after
    ``undo`` is the state before that turn, endings included."""
    commands = _spelled_out(walkthrough() if path == "walkthrough" else DEATH)
    session = Session.start(demo(), tmp_path / "undo.save", new=True)
    try:
        for command in commands:
            before = digest(session)
            turn = session.save.turn
            session.turn(command)
            if session.save.turn == turn:
                continue  # nothing was played (a meta command)
            session.turn("undo")
            assert digest(session) == before, command
            assert session.save.turn == turn
            session.turn(command)
        assert session.ended == ("won" if path == "walkthrough" else "lost")
    finally:
        session.close()


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(1, 4), min_size=30, max_size=30))
def test_undo_takes_back_lines_of_any_length(
    tmp_path_factory: pytest.TempPathFactory, sizes: list[int]
) -> None:
    """The walkthrough typed as lines of 1 to 4 commands: undo after each line
    restores the state before the line."""
    commands = _spelled_out(walkthrough())
    session = Session.start(demo(), tmp_path_factory.mktemp("lines") / "undo.save", new=True)
    try:
        start = 0
        for size in sizes:
            if start >= len(commands):
                break
            line = ". ".join(commands[start : start + size])
            before, turn = digest(session), session.save.turn
            session.turn(line)
            if session.save.turn > turn and session.ended is None:
                session.turn("undo")
                assert digest(session) == before, line
                session.turn(line)
            start += size
    finally:
        session.close()


def _spelled_out(commands: list[str]) -> list[str]:
    """``g`` replaced by what it repeats (an undo forgets the last command)."""
    out: list[str] = []
    for command in commands:
        out.append(out[-1] if command in {"g", "again"} and out else command)
    return out
