"""Text that follows the world: state variants, initial appearances, scenery
and visits, from the world files through the rules that keep them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pydantic import ValidationError

from fabula.actions.standard import Health, LightSource, Location, Openable, Portable
from fabula.content import (
    Appearance,
    ContentGame,
    Handled,
    Scenery,
    Visits,
    current_description,
    current_listing,
    load,
    state_holds,
)
from fabula.content.schema import ItemSpec, RoomSpec
from fabula.errors import ContentError
from fabula.games import DEMO
from fabula.persistence import state_digest

LITTLE = Path(__file__).parent / "games" / "little"

CANDLE = """
[items.candle]
name = "candle"
description = "A wax candle."
descriptions."lit and held" = "A candle, burning in your hand."
descriptions.lit = "A candle, burning."
listing = "A candle stands on the floor."
listings.lit = "A candle burns on the floor."
initial = "A candle waits in a niche."
location = "porch"
portable = true
light = true
"""

PORCH = """exits = { north = "hall" }
descriptions.visited = "The porch again."

[rooms.porch.scenery]
steps = { plural = true, aliases = ["step"], description = "Worn stone steps." }
railing = "Loose, and rusted."
"""


@pytest.fixture
def game(tmp_path: Path) -> ContentGame:
    """The little game, with a candle and a porch whose text follows the state."""
    root = tmp_path / "little"
    shutil.copytree(LITTLE, root)
    places = root / "world" / "places.toml"
    places.write_text(places.read_text().replace('exits = { north = "hall" }\n', PORCH, 1))
    (root / "world" / "candle.toml").write_text(CANDLE)
    return ContentGame.load(root)


def test_the_schema_refuses_unknown_states_with_the_list_of_known_ones() -> None:
    with pytest.raises(ValidationError, match="'opened' is not a state; use one of alive"):
        ItemSpec(name="box", location="hall", descriptions={"opened": "Open."})
    with pytest.raises(ValidationError, match="'shiny' is not a state"):
        ItemSpec(name="box", location="hall", listings={"open and shiny": "Open."})
    assert RoomSpec(name="hall", descriptions={"unvisited": "New."}).descriptions


def test_a_bad_state_in_a_world_file_is_reported_with_its_field(tmp_path: Path) -> None:
    root = tmp_path / "little"
    shutil.copytree(LITTLE, root)
    (root / "world" / "extra.toml").write_text(
        '[items.box]\nname = "box"\nlocation = "hall"\ndescriptions.opened = "x"\n'
    )
    with pytest.raises(ContentError) as caught:
        load(root)
    assert any(
        path == "items.box.descriptions" and "'opened' is not a state" in message
        for _, path, message in caught.value.problems
    )


def test_the_world_carries_appearance_scenery_and_the_first_visit(game: ContentGame) -> None:
    world = game.new_world(3)
    ids = game.ids(world)
    appearance = world.get(ids["candle"], Appearance)
    assert appearance.descriptions[0] == ("lit and held", "A candle, burning in your hand.")
    assert appearance.initial == "A candle waits in a niche."
    assert world.get(ids["porch"], Visits).count == 1
    steps = ids["porch.scenery.steps"]
    assert world.has(steps, Scenery)
    assert not world.has(steps, Portable)
    assert world.get(steps, Location).holder == ids["porch"]
    assert current_description(world, steps) == "Worn stone steps."
    assert state_digest(game.new_world(3)) == state_digest(world)


def test_the_first_state_that_holds_wins_in_the_order_written(game: ContentGame) -> None:
    world = game.new_world(3)
    candle = game.ids(world)["candle"]
    assert current_description(world, candle) == "A wax candle."
    world.get(candle, LightSource).lit = True
    assert current_description(world, candle) == "A candle, burning."
    world.insert(candle, Location(game.player(world), "held"))
    assert state_holds(world, candle, "lit and held")
    assert current_description(world, candle) == "A candle, burning in your hand."


def test_the_initial_appearance_lasts_until_the_thing_is_taken(game: ContentGame) -> None:
    world = game.new_world(3)
    sim = game.simulation(world)
    me, candle = game.player(world), game.ids(world)["candle"]
    assert current_listing(world, candle) == "A candle waits in a niche."
    assert sim.rules.attempt({"action": "take", "actor": me, "params": {"item": candle}}).ok
    assert world.has(candle, Handled)
    assert sim.rules.attempt({"action": "drop", "actor": me, "params": {"item": candle}}).ok
    assert current_listing(world, candle) == "A candle stands on the floor."
    world.get(candle, LightSource).lit = True
    assert current_listing(world, candle) == "A candle burns on the floor."


def test_arrivals_are_counted_so_a_room_is_visited_on_coming_back(game: ContentGame) -> None:
    world = game.new_world(3)
    sim = game.simulation(world)
    me, porch = game.player(world), game.ids(world)["porch"]
    assert state_holds(world, porch, "unvisited")
    assert current_description(world, porch) == "A creaking porch."
    for way in ("north", "south"):
        assert sim.rules.attempt({"action": "go", "actor": me, "params": {"direction": way}}).ok
    assert world.get(porch, Visits).count == 2
    assert state_holds(world, porch, "visited")
    assert current_description(world, porch) == "The porch again."


def test_scenery_cannot_be_taken(game: ContentGame) -> None:
    world = game.new_world(3)
    sim = game.simulation(world)
    railing = game.ids(world)["porch.scenery.railing"]
    outcome = sim.rules.attempt(
        {"action": "take", "actor": game.player(world), "params": {"item": railing}}
    )
    assert outcome.refusal is not None
    assert outcome.refusal.code == "NOT_PORTABLE"
    assert current_listing(world, railing) == ""


@pytest.mark.parametrize(
    ("ident", "alive", "dead"),
    [
        ("tamsin", "mending a net", "Old Tamsin lies dead under the awning"),
        ("crab", "squats over the heap", "lies upturned among the shells"),
    ],
)
def test_the_demo_tells_its_dead_as_dead(ident: str, alive: str, dead: str) -> None:
    game = ContentGame.load(DEMO)
    world = game.new_world(1)
    who = game.ids(world)[ident]
    assert alive in current_listing(world, who)
    world.get(who, Health).hp = 0
    assert dead in current_listing(world, who)
    assert "lies" in (current_description(world, who) or "")


def test_the_demo_satchel_is_buckled_only_while_shut() -> None:
    game = ContentGame.load(DEMO)
    world = game.new_world(1)
    satchel = game.ids(world)["satchel"]
    assert "buckled shut" in (current_description(world, satchel) or "")
    world.get(satchel, Openable).open = True
    assert "buckled shut" not in (current_description(world, satchel) or "")
