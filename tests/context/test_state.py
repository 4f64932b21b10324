"""The state context: what the player character perceives, from small
hand-made worlds, and nothing it does not."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from fabula.actions.standard import (
    Actor,
    Container,
    Description,
    Door,
    Exits,
    Health,
    Hostile,
    LightSource,
    Location,
    Lockable,
    Named,
    Openable,
    Player,
    Portable,
    Room,
    Score,
    Supporter,
    Wearable,
)
from fabula.context import DARK, Seen, StateContext, StateContextBuilder, salience
from fabula.ecs import World

HIDDEN = ("gold coin", "ring", "cellar", "grey rat", "garden")


@dataclass
class Hall:
    world: World
    me: int
    hall: int
    cellar: int
    lamp: int
    chest: int
    troll: int
    cup: int


@pytest.fixture
def hall() -> Hall:
    w = World(3)
    hall = w.spawn(
        Named("great hall"),
        Room(),
        Description("A bare hall. Dust lies everywhere!\n\nIs that a draught?"),
    )
    cellar = w.spawn(Named("cellar"), Room(dark=True))
    garden = w.spawn(Named("garden"), Room())
    trapdoor = w.spawn(Named("trapdoor"), Door((hall, cellar)), Openable(open=True))
    oak = w.spawn(Named("oak door"), Door((hall, garden)), Openable(), Lockable())
    w.insert(hall, Exits({"down": trapdoor, "north": garden, "east": oak}))
    w.insert(cellar, Exits({"up": trapdoor}))
    me = w.spawn(Named("you"), Player(), Actor(), Health(9, 12), Score(5, 25), Location(hall))
    lamp = w.spawn(Named("brass lamp"), Portable(), LightSource(lit=True), Location(me, "held"))
    w.spawn(Named("wool coat"), Portable(), Wearable(), Location(me, "worn"))
    satchel = w.spawn(Named("satchel"), Container(), Openable(open=True), Location(me, "held"))
    w.spawn(Named("flask"), Portable(), Location(satchel))
    pouch = w.spawn(Named("pouch"), Container(), Openable(), Location(me, "held"))
    w.spawn(Named("ring"), Portable(), Location(pouch))
    chest = w.spawn(Named("oak chest"), Container(), Openable(), Lockable(), Location(hall))
    w.spawn(Named("gold coin"), Portable(), Location(chest))
    jar = w.spawn(Named("glass jar"), Container(transparent=True), Openable(), Location(hall))
    w.spawn(Named("bead"), Portable(), Location(jar))
    w.spawn(Named("box"), Container(), Openable(open=True), Location(hall))
    table = w.spawn(Named("table"), Supporter(), Location(hall))
    cup = w.spawn(Named("cup"), Portable(), Location(table, "on"))
    troll = w.spawn(Named("troll"), Actor(), Hostile(), Health(3, 10), Location(hall))
    w.spawn(Named("axe"), Portable(), Location(troll, "held"))
    w.spawn(Named("rat"), Actor(), Health(0, 2), Location(hall))
    w.spawn(Named("Mira", proper=True), Actor(), Health(5, 5), Location(hall))
    w.spawn(Named("grey rat"), Actor(), Location(cellar))
    return Hall(w, me, hall, cellar, lamp, chest, troll, cup)


def test_a_lit_room_as_the_player_perceives_it(hall: Hall) -> None:
    context = StateContextBuilder().build(
        hall.world, hall.me, events=["You came in."], goals=["Find the way out."]
    )
    assert context.text() == (
        "Place: Great hall\n"
        "A bare hall. Dust lies everywhere! Is that a draught?\n"
        "Exits: north, east (through the oak door: closed, locked), "
        "down (through the trapdoor: open)\n"
        "You see:\n"
        "- a box (open, empty)\n"
        "- a glass jar (closed)\n"
        "- a bead (in the glass jar)\n"
        "- an oak chest (closed, locked)\n"
        "- a table\n"
        "- a cup (on the table)\n"
        "- an axe (held by the troll)\n"
        "People here:\n"
        "- Mira\n"
        "- a rat (dead)\n"
        "- a troll (hostile, badly hurt)\n"
        "You carry:\n"
        "- a brass lamp (lit)\n"
        "- a pouch (closed)\n"
        "- a satchel (open)\n"
        "- a flask (in the satchel)\n"
        "- a wool coat (worn)\n"
        "Status: health 9 of 12; score 5 of 25\n"
        "Goals:\n"
        "- Find the way out.\n"
        "Recent events:\n"
        "- You came in."
    )


def test_hidden_things_and_other_rooms_never_appear(hall: Hall) -> None:
    context = StateContextBuilder().build(hall.world, hall.me)
    for name in HIDDEN:
        assert name not in context.text()
        assert name not in context.perceivable_names()


def test_the_names_a_narrator_may_use(hall: Hall) -> None:
    names = StateContextBuilder().build(hall.world, hall.me).perceivable_names()
    assert names == tuple(sorted(names))
    assert {"great hall", "oak door", "trapdoor", "bead", "axe", "Mira", "flask"} <= set(names)
    assert "you" not in names  # the actor itself


def test_in_the_dark_only_the_darkness_and_what_is_carried(hall: Hall) -> None:
    w = hall.world
    w.insert(hall.me, Location(hall.cellar))
    w.insert(hall.lamp, Location(hall.hall))  # left behind
    context = StateContextBuilder().build(w, hall.me, events=["You went down."])
    assert context.location == "Darkness"
    assert context.description == DARK
    assert context.exits == ()
    assert context.things == ()
    assert context.people == ()
    assert [str(s) for s in context.inventory] == [
        "a pouch (closed)",
        "a satchel (open)",
        "a flask (in the satchel)",
        "a wool coat (worn)",
    ]
    assert "cellar" not in context.text()
    assert "grey rat" not in context.text()
    assert "trapdoor" not in context.text()
    assert context.events == ("You went down.",)


def test_a_carried_light_lights_a_dark_room(hall: Hall) -> None:
    hall.world.insert(hall.me, Location(hall.cellar))
    context = StateContextBuilder().build(hall.world, hall.me)
    assert context.location == "Cellar"
    assert context.exits == ("up (through the trapdoor: open)",)
    assert [str(s) for s in context.people] == ["a grey rat"]


def test_nowhere() -> None:
    w = World(1)
    me = w.spawn(Named("you"), Player(), Actor())
    assert StateContextBuilder().build(w, me).text() == "Place: Nowhere\nYou carry: nothing"


def test_only_the_last_few_events_are_kept() -> None:
    w = World(1)
    room = w.spawn(Named("room"), Room())
    me = w.spawn(Named("you"), Player(), Location(room))
    events = [f"event {i}" for i in range(6)]
    assert StateContextBuilder().build(w, me, events=events).events == (
        "event 3",
        "event 4",
        "event 5",
    )
    assert StateContextBuilder(recent=1).build(w, me, events=events).events == ("event 5",)
    assert StateContextBuilder(recent=0).build(w, me, events=events).events == ()
    assert StateContextBuilder(recent=9).build(w, me, events=events[:2]).events == (
        "event 0",
        "event 1",
    )
    with pytest.raises(ValueError, match="recent must be 0 or more"):
        StateContextBuilder(recent=-1)


def test_salience_orders_what_a_budget_keeps(hall: Hall) -> None:
    w = hall.world
    table = next(e for e, (n,) in w.query(Named, readonly=True) if n.name == "table")
    assert salience(w, hall.troll) == 3
    assert salience(w, hall.cup) == 2
    assert salience(w, hall.chest) == 1
    assert salience(w, table) == 1  # it holds things
    assert salience(w, hall.hall) == 0
    assert salience(w, hall.hall, frozenset({hall.hall})) == 4
    context = StateContextBuilder().build(w, hall.me, focus=[hall.chest])
    chest = next(s for s in context.things if s.name == "an oak chest")
    assert chest.salience == 4


def test_building_reads_without_marking_anything_changed(hall: Hall) -> None:
    log = hall.world.track_changes()
    StateContextBuilder().build(hall.world, hall.me)
    changes = log.take()
    assert not changes.spawned
    assert not changes.despawned
    assert not any(changes.written.values())


def test_a_context_in_parts() -> None:
    lamp = Seen("a lamp", "lit", 2, "lamp")
    assert str(lamp) == "a lamp (lit)"
    assert str(lamp.plain()) == "a lamp"
    assert lamp.plain().salience == 2
    context = StateContext("Hall", "One. Two? Three!  Four", things=(lamp,), names=("lamp",))
    assert context.sentences() == ("One.", "Two?", "Three!", "Four")
    assert StateContext("Hall").sentences() == ()
    assert context.perceivable_names() == ("lamp",)
