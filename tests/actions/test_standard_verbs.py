"""The standard verbs Inform players expect, through Rules on a real world:
removing from, looking under, searching, pushing, the senses, the bodily
verbs, exiting, and attacking with the best weapon to hand."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from fabula.actions import ActionRegistry, Outcome, Rules
from fabula.actions.standard import (
    Actor,
    Container,
    Exits,
    Health,
    Location,
    Named,
    Openable,
    Player,
    Portable,
    Room,
    Supporter,
    Weapon,
    best_weapon,
    room_of,
)
from fabula.ecs import World
from fabula.events import EventBus, OnAttack, OnTake


@dataclass
class Yard:
    world: World
    rules: Rules
    bus: EventBus
    shed: int
    yard: int
    me: int
    bench: int
    saw: int
    crate: int
    nails: int
    cask: int
    smith: int
    hammer: int
    rat: int

    def do(self, action: str, **params: Any) -> Outcome:
        return self.rules.attempt({"action": action, "actor": self.me, "params": params})

    def code(self, action: str, **params: Any) -> str | None:
        refusal = self.do(action, **params).refusal
        return None if refusal is None else refusal.code


@pytest.fixture
def yard() -> Yard:
    w = World(3)
    shed = w.spawn(Named("shed"), Room())
    yard = w.spawn(Named("yard"), Room())
    w.insert(shed, Exits({"out": yard}))
    me = w.spawn(Named("you"), Player(), Actor(), Health(10), Location(shed))
    bench = w.spawn(Named("bench"), Supporter(), Location(shed))
    saw = w.spawn(Named("saw"), Portable(), Weapon(2, 0), Location(bench, "on"))
    crate = w.spawn(Named("crate"), Container(), Openable(), Portable(), Location(shed))
    nails = w.spawn(Named("nails", plural=True), Portable(), Location(crate))
    cask = w.spawn(Named("cask"), Container(), Location(shed))  # open, empty, fixed
    smith = w.spawn(Named("Brann", proper=True), Actor(), Health(5), Location(shed))
    hammer = w.spawn(Named("hammer"), Portable(), Weapon(4, 2), Location(smith, "held"))
    rat = w.spawn(Named("rat"), Actor(), Health(30), Weapon(1, 0), Location(shed))
    actions = ActionRegistry()
    actions.discover("fabula.actions.standard")
    bus = EventBus()
    return Yard(
        w, Rules(w, actions, bus), bus, shed, yard, me, bench, saw, crate, nails, cask, smith,
        hammer, rat,
    )  # fmt: skip


def test_taking_from_where_it_is_is_taking(yard: Yard) -> None:
    y = yard
    with y.bus.record() as events:
        assert y.do("remove_from", item=y.saw, source=y.bench).ok
    assert y.world.get(y.saw, Location, readonly=True) == Location(y.me, "held")
    assert [e.item for e in events if isinstance(e, OnTake)] == [y.saw]
    assert y.code("remove_from", item=y.saw, source=y.bench) == "ALREADY_HELD"


def test_taking_from_the_wrong_place_or_a_person_is_refused(yard: Yard) -> None:
    y = yard
    assert y.code("remove_from", item=y.saw, source=y.cask) == "NOT_THERE"
    assert y.code("remove_from", item=y.hammer, source=y.smith) == "BELONGS_TO"
    assert y.code("remove_from", item=y.nails, source=y.crate) == "NOT_HERE"  # closed crate
    assert y.do("open", item=y.crate).ok
    assert y.do("remove_from", item=y.nails, source=y.crate).ok


def test_searching_and_looking_under(yard: Yard) -> None:
    y = yard
    assert y.do("look_under", item=y.bench).ok
    assert y.do("search", item=y.bench).ok
    assert y.do("search", item=y.cask).ok
    assert y.code("search", item=y.saw) == "NOTHING_OF_INTEREST"
    assert y.code("search", item=y.crate) == "CANT_SEE_INSIDE"
    assert y.do("open", item=y.crate).ok
    assert y.do("search", item=y.crate).ok


def test_pushing_pulling_and_turning(yard: Yard) -> None:
    y = yard
    for verb in ("push", "pull", "turn"):
        assert y.code(verb, item=y.bench) == "FIXED_IN_PLACE"
        assert y.code(verb, item=y.smith) == "MIGHT_NOT_LIKE"
        assert y.code(verb, item=y.me) == "UNABLE"
        assert y.do(verb, item=y.crate).ok
    assert y.world.get(y.crate, Location, readonly=True) == Location(y.shed)  # nothing moved


def test_the_senses_find_nothing_unexpected(yard: Yard) -> None:
    y = yard
    assert y.do("listen").ok
    assert y.do("listen", item=y.smith).ok
    assert y.do("smell").ok
    assert y.do("smell", item=y.cask).ok
    assert y.do("touch", item=y.bench).ok
    assert y.do("touch", item=y.me).ok
    assert y.code("touch", item=y.smith) == "MIGHT_NOT_LIKE"
    assert y.do("taste", item=y.saw).ok
    y.world.insert(y.me, Location(y.yard))
    assert y.code("touch", item=y.bench) == "NOT_HERE"


def test_bodily_verbs_succeed_or_are_blocked_as_in_inform(yard: Yard) -> None:
    y = yard
    assert y.do("jump").ok
    assert y.do("wave_hands").ok
    blocked = {"sleep": "NOT_DROWSY", "wake_up": "NOT_A_DREAM", "think": "GOOD_IDEA"}
    blocked |= {"yes": "RHETORICAL", "no": "RHETORICAL"}
    for verb, code in blocked.items():
        assert y.code(verb) == code
    assert y.code("wake", item=y.smith) == "UNNECESSARY"


def test_waving_a_thing_needs_it_in_hand_and_never_takes_it(yard: Yard) -> None:
    y = yard
    outcome = y.do("wave", item=y.saw)
    assert outcome.refusal is not None
    assert outcome.refusal.code == "NOT_HELD"
    assert outcome.implicit == ()
    y.do("take", item=y.saw)
    assert y.do("wave", item=y.saw).ok


def test_exiting_goes_out_where_there_is_an_out(yard: Yard) -> None:
    y = yard
    assert y.do("exit").ok
    assert room_of(y.world, y.me) == y.yard
    assert y.code("exit") == "NOT_INSIDE"


def test_the_best_weapon_to_hand_is_used(yard: Yard) -> None:
    y = yard
    assert best_weapon(y.world, y.me) is None  # bare hands
    assert best_weapon(y.world, y.smith) == y.hammer
    assert best_weapon(y.world, y.rat) == y.rat  # its own teeth
    y.do("take", item=y.saw)
    assert best_weapon(y.world, y.me) == y.saw
    with y.bus.record() as events:
        assert y.do("attack", target=y.rat).ok
    assert [e.weapon for e in events if isinstance(e, OnAttack)] == [y.saw]
    assert y.world.get(y.rat, Health, readonly=True).hp == 28  # the saw's 2, not 1 + a roll
    y.world.insert(y.saw, Location(y.me, "worn"))  # a weapon worn is not to hand
    assert best_weapon(y.world, y.me) is None
