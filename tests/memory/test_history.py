"""History entries: what one committed turn becomes, derived only from the
save's data (text, place, entities, witnesses, importance)."""

from __future__ import annotations

from fabula.actions.standard import Location
from fabula.content import ContentGame
from fabula.ecs import World
from fabula.memory import MemoryStore, Scene, entity_key, history_entry, source_of
from fabula.persistence import SaveFile, TurnRecord
from tests.memory.driver import Driver


def test_an_entry_tells_the_turn(driver: Driver, store: MemoryStore) -> None:
    driver.play("w")
    account = driver.play("take lantern")
    entry = driver.entries[-1]
    assert entry.id == "turn-2"
    assert entry.text == f"[turn 2, boathouse] > take lantern\n{account}"
    assert account == "Taken."
    assert (entry.place, entry.entities, entry.witnesses) == (
        "boathouse", ("boathouse", "lantern", "player"), ("player",),
    )  # fmt: skip
    assert store.history() == driver.entries


def test_importance_follows_what_happened(driver: Driver) -> None:
    driver.play_all(
        "w; take lantern; take tinderbox and gaff; light lantern; e; n; talk to tamsin; "
        "ask tamsin about the crab; in; take wick; out; s; e; n; in; attack crab with gaff; g; g"
    )
    importance = {e.turn: e.importance for e in driver.entries}
    assert importance[2] == 3  # take lantern: an ordinary success
    assert importance[1] == importance[5] == 4  # walking to another room
    assert importance[3] == importance[10] == 6  # taking things that score
    assert importance[8] == 5  # asking Tamsin
    assert importance[15] == 7  # into the cave: the crab attacks and hurts
    assert importance[17] == 8  # the crab dies
    assert importance[18] == 2  # "the crab is already dead": a refusal


def test_a_proposal_that_makes_no_sense_matters_least(
    save: SaveFile, game: ContentGame, store: MemoryStore
) -> None:
    player = game.player(save.world)
    before = Scene.of(save.world, player)
    with save.simulation.bus.record() as events:
        outcomes = save.play("dance", [{"action": "dance", "actor": player}])
    entry = store.record_turn(save, "", before, player, outcomes, events)
    assert outcomes[0].refusal is not None
    assert outcomes[0].refusal.code == "UNKNOWN_ACTION"
    assert entry.importance == 1
    assert entry.text == "[turn 1, harbour wall] > dance"


def test_witnesses_are_the_actors_present(driver: Driver) -> None:
    driver.play_all("e; n; in; out; s; w; n; talk to tamsin; in; out; s")
    witnessed = {e.turn: e.witnesses for e in driver.entries}
    assert witnessed[2] == ("player",)
    assert witnessed[3] == ("crab", "player")  # into the cave, where the crab is
    assert witnessed[4] == ("crab", "player")  # leaving it, seen as it began
    assert witnessed[5] == ("player",)
    assert witnessed[7] == ("player", "tamsin")  # into the square
    assert witnessed[8] == ("player", "tamsin")
    assert witnessed[9] == ("player", "tamsin")  # into the chandlery, seen leaving
    assert witnessed[11] == ("player", "tamsin")  # back to the harbour, seen leaving


def test_scene_and_entity_keys(game: ContentGame) -> None:
    world = game.new_world(1801)
    ids = game.ids(world)
    player = ids["player"]
    world.insert(player, Location(ids["square"]))
    assert Scene.of(world, player) == Scene("square", ("player", "tamsin"), 0, 12)
    nameless = world.spawn()
    assert entity_key(world, nameless) == f"#{nameless}"
    assert entity_key(world, ids["tamsin"]) == "tamsin"
    assert Scene.of(World(), 5) == Scene("", ("#5",), None, None)


def test_an_entry_is_a_pure_function_of_the_turn(driver: Driver, save: SaveFile) -> None:
    driver.play("w")
    record = TurnRecord(turn=1, input="w", tick=0, rng="r", started_at=1.5)
    before = Scene("harbour", ("player",), 0, 12)
    player = driver.player
    one = history_entry(record, "Boathouse.", before, save.world, player, [], [])
    two = history_entry(record, "Boathouse.", before, save.world, player, [], [])
    assert one == two
    assert one.importance == 2  # nothing applied; moved
    assert history_entry(record, "", before, save.world, player, [], [], "won").importance == 10
    later = record.model_copy(update={"started_at": 2.5})
    assert source_of(later) != source_of(record)
    annotated = record.model_copy(update={"models": {"narrator": "m"}})
    assert source_of(annotated) == source_of(record)
