"""Exits that refuse or follow a condition, light that follows a condition,
and things the room's text tells (``listed = false``): from the world files,
through the standard rules, into what the player reads."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pydantic import ValidationError

from fabula.actions import Outcome
from fabula.actions.standard import DarkWhen, ExitRules, Room, is_lit
from fabula.content import ContentGame, load
from fabula.content.schema import ExitSpec
from fabula.errors import ContentError
from fabula.narration.prose import describe_room
from fabula.persistence import verify
from fabula.session import Session
from fabula.simulation import Simulation

GAME = Path(__file__).parents[1] / "conformance" / "games" / "world_rules"


@pytest.fixture
def game() -> ContentGame:
    return ContentGame.load(GAME)


def _go(game: ContentGame, sim: Simulation, way: str) -> Outcome:
    return sim.rules.attempt(
        {"action": "go", "actor": game.player(sim.world), "params": {"direction": way}}
    )


def test_exits_become_components(game: ContentGame) -> None:
    world = game.new_world(1)
    ids = game.ids(world)
    rules = world.get(ids["foyer"], ExitRules)
    assert rules.refusals["north"].startswith("You've only just arrived")
    assert rules.conditions == {"up": "holding('message')", "east": "turn > 100"}
    assert world.get(ids["bar"], DarkWhen).condition == "within('cloak', 'bar')"
    assert world.get(ids["bar"], Room).dark is False


def test_a_refusing_exit_refuses_with_the_authors_text_and_changes_nothing(
    game: ContentGame,
) -> None:
    world = game.new_world(1)
    sim = game.simulation(world)
    outcome = _go(game, sim, "north")
    assert outcome.refusal is not None
    assert outcome.refusal.code == "EXIT_REFUSED"
    assert "weather outside" in outcome.refusal.reason
    assert "Foyer" in describe_room(world, game.player(world))


def test_a_conditional_exit_opens_only_while_its_condition_holds(game: ContentGame) -> None:
    world = game.new_world(1)
    sim = game.simulation(world)
    closed = _go(game, sim, "up")
    assert closed.refusal is not None
    assert closed.refusal.code == "NO_EXIT"
    painted = _go(game, sim, "east")
    assert painted.refusal is not None
    assert painted.refusal.reason == "The east door is painted on."
    assert _go(game, sim, "south").ok
    me, message = game.player(world), game.ids(world)["message"]
    # darkness: the player wears the cloak in the bar, so nothing can be taken
    assert not is_lit(world, game.ids(world)["bar"], me)
    assert not sim.rules.attempt({"action": "take", "actor": me, "params": {"item": message}}).ok
    assert _go(game, sim, "north").ok
    assert _go(game, sim, "west").ok
    cloak = game.ids(world)["cloak"]
    assert sim.rules.attempt({"action": "drop", "actor": me, "params": {"item": cloak}}).ok
    assert _go(game, sim, "east").ok
    assert _go(game, sim, "south").ok
    assert is_lit(world, game.ids(world)["bar"], me)
    assert sim.rules.attempt({"action": "take", "actor": me, "params": {"item": message}}).ok
    assert _go(game, sim, "north").ok
    assert _go(game, sim, "up").ok


def test_an_unlisted_supporter_is_not_listed_but_what_is_on_it_is(game: ContentGame) -> None:
    world = game.new_world(1)
    sim = game.simulation(world)
    assert _go(game, sim, "west").ok
    me = game.player(world)
    assert "brass hook" not in describe_room(world, me)
    cloak, hook = game.ids(world)["cloak"], game.ids(world)["hook"]
    put = {"action": "put", "actor": me, "params": {"item": cloak, "target": hook, "how": "on"}}
    outcome = sim.rules.attempt(put)
    assert outcome.ok, outcome
    assert "On the small brass hook is a velvet cloak." in describe_room(world, me)


def test_an_unlisted_portable_thing_is_listed_once_taken(tmp_path: Path) -> None:
    root = tmp_path / "game"
    shutil.copytree(GAME, root)
    rooms = root / "world" / "rooms.toml"
    rooms.write_text(rooms.read_text() + '\n[items.pin]\nname = "pin"\nlocation = "foyer"\n'
                     "portable = true\nlisted = false\n")  # fmt: skip
    game = ContentGame.load(root)
    world = game.new_world(1)
    sim = game.simulation(world)
    me, pin = game.player(world), game.ids(world)["pin"]
    assert "pin" not in describe_room(world, me)
    assert sim.rules.attempt({"action": "take", "actor": me, "params": {"item": pin}}).ok
    assert sim.rules.attempt({"action": "drop", "actor": me, "params": {"item": pin}}).ok
    assert "You can see a pin here." in describe_room(world, me)


def test_an_exit_must_lead_somewhere_or_refuse() -> None:
    with pytest.raises(ValidationError, match="needs 'to'"):
        ExitSpec.model_validate({})
    with pytest.raises(ValidationError, match="need 'to'"):
        ExitSpec.model_validate({"refuse": "No.", "if": "turn > 1"})
    assert ExitSpec.model_validate({"to": "hall", "if": "turn > 1"}).if_ == "turn > 1"


@pytest.mark.parametrize(
    ("old", "new", "field", "says"),
    [
        ("\"at('cloak', 'hook')\"", "\"at('cloak', 'peg')\"",
         "items.hook.descriptions.at('cloak', 'peg')", "'peg' is not an id"),
        ("dark = \"within('cloak', 'bar')\"", "dark = \"within('cloak', 'pub')\"",
         "rooms.bar.dark", "'pub' is not an id"),
        ("dark = \"within('cloak', 'bar')\"", 'dark = "within(cloak"', "rooms.bar.dark",
         "is not an expression"),
        ("if = \"holding('message')\"", 'if = "carrying(1)"', "rooms.foyer.exits.up.if",
         "carrying, which is not known"),
    ],
)  # fmt: skip
def test_conditions_in_world_files_are_checked_at_load(
    tmp_path: Path, old: str, new: str, field: str, says: str
) -> None:
    root = tmp_path / "game"
    shutil.copytree(GAME, root)
    rooms = root / "world" / "rooms.toml"
    assert old in rooms.read_text()
    rooms.write_text(rooms.read_text().replace(old, new))
    with pytest.raises(ContentError) as caught:
        load(root)
    assert [(p[1], says in p[2]) for p in caught.value.problems] == [(field, True)]


def test_a_game_of_exits_light_and_conditions_replays_exactly(tmp_path: Path) -> None:
    game = ContentGame.load(GAME)
    path = tmp_path / "game.save"
    session = Session.start(game, path, new=True)
    try:
        lines = "north|up|east|south|take message|north|west|put cloak on hook|examine hook|"
        lines += "east|south|take message|north"
        replies = [session.turn(line).text for line in lines.split("|")]
        assert "weather outside" in replies[0]
        assert "pitch dark" in replies[3]
        assert "with a cloak hanging on it" in replies[8]
        assert "Taken." in replies[11]
        session.save.flush(digest=True)
    finally:
        session.close()
    assert verify(path, game).ok
