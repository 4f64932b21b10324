"""The standard actions through Rules: each one's effect, events and refusals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from fabula.actions import ActionRegistry, Outcome, Refusal, Rules
from fabula.actions.standard import (
    Actor,
    Container,
    Door,
    Exits,
    Health,
    LightSource,
    Location,
    Lockable,
    Named,
    Openable,
    Player,
    Portable,
    Room,
    inventory,
    room_of,
)
from fabula.ecs import World
from fabula.events import EventBus, OnDrop, OnMove, OnTake


@dataclass
class House:
    world: World
    rules: Rules
    bus: EventBus
    hall: int
    cellar: int
    garden: int
    door: int
    player: int
    key: int
    pin: int
    lamp: int
    box: int
    statue: int
    guard: int

    def do(self, action: str, **params: Any) -> Outcome:
        return self.rules.attempt({"action": action, "actor": self.player, "params": params})

    def code(self, action: str, **params: Any) -> str | None:
        outcome = self.do(action, **params)
        return None if outcome.refusal is None else outcome.refusal.code


@pytest.fixture
def house() -> House:
    w = World(1)
    hall = w.spawn(Named("hall"), Room())
    cellar = w.spawn(Named("cellar"), Room(dark=True))
    garden = w.spawn(Named("garden"), Room())
    door = w.spawn(Named("oak door"), Door((hall, cellar)), Openable(), Lockable(locked=True))
    w.insert(hall, Exits({"down": door, "north": garden}))
    w.insert(cellar, Exits({"up": door}))
    w.insert(garden, Exits({"south": hall}))
    w.get(door, Lockable).key = key = w.spawn(Named("iron key"), Portable(), Location(hall))
    player = w.spawn(Named("you"), Player(), Actor(), Health(10), Location(hall))
    pin = w.spawn(Named("hairpin"), Portable(), Location(hall))
    lamp = w.spawn(Named("lamp"), Portable(), LightSource(), Location(garden))
    box = w.spawn(Named("box"), Container(), Openable(), Lockable(locked=False), Location(hall))
    statue = w.spawn(Named("statue"), Location(hall))
    guard = w.spawn(Named("guard"), Actor(), Location(hall))
    actions = ActionRegistry()
    actions.discover("fabula.actions.standard")
    bus = EventBus()
    rules = Rules(w, actions, bus)
    return House(
        w, rules, bus, hall, cellar, garden, door, player, key, pin, lamp, box, statue, guard
    )


def test_take_and_drop_move_things_and_say_so(house: House) -> None:
    h = house
    with h.bus.record() as events:
        assert h.do("take", item=h.key).ok
    assert inventory(h.world, h.player) == {h.key}
    assert any(isinstance(e, OnTake) and e.item == h.key and e.room == h.hall for e in events)
    assert h.code("take", item=h.key) == "ALREADY_HELD"
    h.do("go", direction="north")
    with h.bus.record() as events:
        assert h.do("drop", item=h.key).ok
    assert h.world.get(h.key, Location) == Location(h.garden)
    assert any(isinstance(e, OnDrop) and e.room == h.garden for e in events)


def test_take_refuses_what_cannot_be_carried(house: House) -> None:
    h = house
    assert h.code("take", item=h.statue) == "NOT_PORTABLE"
    assert h.code("take", item=h.guard) == "NOT_PORTABLE"
    assert h.code("take", item=h.player) == "NOT_PORTABLE"


def test_things_elsewhere_are_not_here_and_the_refusal_names_nothing(house: House) -> None:
    h = house
    outcome = h.do("take", item=h.lamp)  # in the garden
    assert outcome.refusal is not None
    assert outcome.refusal.code == "NOT_HERE"
    assert outcome.refusal.facts == {}
    assert h.code("examine", item=h.lamp) == "NOT_HERE"
    assert h.code("drop", item=h.lamp) == "NOT_HELD"
    assert h.do("drop", item=h.lamp).refusal.facts == {}  # type: ignore[union-attr]


def test_going_through_a_locked_door_takes_the_key(house: House) -> None:
    h = house
    assert h.code("go", direction="west") == "NO_EXIT"
    assert h.code("go", direction="down") == "LOCKED"
    assert h.code("open", item=h.door) == "LOCKED"
    h.do("take", item=h.pin)
    assert h.code("unlock", item=h.door, key=h.pin) == "WRONG_KEY"
    unlocked = h.do("unlock", item=h.door, key=h.key)  # the key lies here: taken first
    assert unlocked.ok
    assert [(o.proposal.action, o.ok) for o in unlocked.implicit] == [("take", True)]
    assert h.code("unlock", item=h.door, key=h.key) == "ALREADY_UNLOCKED"
    assert h.rules.attempt(
        {"action": "go", "actor": h.player, "params": {"direction": "down"}}, implicit=False
    ).refusal == Refusal("CLOSED", "it is closed.", {"item": h.door, "direction": "down"})
    assert h.do("open", item=h.door).ok
    assert h.code("open", item=h.door) == "ALREADY_OPEN"
    assert h.code("lock", item=h.door, key=h.key) == "OPEN"
    with h.bus.record() as events:
        assert h.do("go", direction="down").ok
    assert room_of(h.world, h.player) == h.cellar
    assert [e for e in events if isinstance(e, OnMove)] == [
        OnMove(actor=h.player, from_room=h.hall, to_room=h.cellar)
    ]
    assert h.do("go", direction="up").ok
    assert h.do("close", item=h.door).ok
    assert h.code("close", item=h.door) == "ALREADY_CLOSED"
    assert h.do("lock", item=h.door, key=h.key).ok
    assert h.code("lock", item=h.door, key=h.key) == "ALREADY_LOCKED"


def test_open_and_lock_need_something_that_opens_and_locks(house: House) -> None:
    h = house
    h.do("take", item=h.key)
    assert h.code("open", item=h.statue) == "NOT_OPENABLE"
    assert h.code("close", item=h.statue) == "NOT_OPENABLE"
    assert h.code("lock", item=h.statue, key=h.key) == "NOT_LOCKABLE"
    assert h.do("lock", item=h.box, key=h.key).ok  # a lock with no key set: any key


def test_in_the_dark_things_are_too_dark_to_see(house: House) -> None:
    h = house
    w = h.world
    w.insert(h.player, Location(h.cellar))
    w.insert(h.pin, Location(h.cellar))
    assert h.code("take", item=h.pin) == "TOO_DARK"
    w.insert(h.lamp, Location(h.player, "held"))
    w.get(h.lamp, LightSource).lit = True
    assert h.do("take", item=h.pin).ok


def test_out_of_reach_behind_closed_lids_and_in_other_hands(house: House) -> None:
    h = house
    w = h.world
    w.insert(h.pin, Location(h.guard, "held"))
    assert h.code("take", item=h.pin) == "OUT_OF_REACH"
    w.insert(h.box, Container(transparent=True))
    w.insert(h.pin, Location(h.box))
    assert h.code("take", item=h.pin) == "OUT_OF_REACH"
    assert h.do("open", item=h.box).ok
    assert h.do("take", item=h.pin).ok


def test_the_dead_do_nothing(house: House) -> None:
    h = house
    h.world.get(h.player, Health).hp = 0
    assert h.code("take", item=h.key) == "DEAD"
    assert h.code("go", direction="north") == "DEAD"
    assert h.code("wait") == "DEAD"
    assert h.do("inventory").ok  # out-of-body bookkeeping is still allowed


def test_look_marks_the_room_visited(house: House) -> None:
    h = house
    assert not h.world.get(h.hall, Room, readonly=True).visited
    assert h.do("look").ok
    assert h.world.get(h.hall, Room, readonly=True).visited
    assert h.do("examine", item=h.statue).ok
    assert h.do("wait").ok


def test_validators_see_a_world_that_cannot_be_written() -> None:
    world = World()
    thing = world.spawn(Named("thing"))
    with pytest.raises(TypeError, match="read-only"):
        world.view().get(thing, Named, readonly=False)
