"""attack (with damage, armour, death and loot), wear/take off, eat/drink, put."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from fabula.actions import ActionRegistry, Outcome, Rules
from fabula.actions.standard import (
    Actor,
    Armour,
    Container,
    Drinkable,
    Edible,
    Health,
    Location,
    Named,
    Openable,
    Player,
    Portable,
    Room,
    Supporter,
    Weapon,
    Wearable,
    drop_loot,
)
from fabula.ecs import World
from fabula.events import EventBus, OnDamage, OnDeath


@dataclass
class Arena:
    world: World
    rules: Rules
    bus: EventBus
    room: int
    player: int
    sword: int
    helm: int
    bread: int
    wine: int
    chest: int
    shelf: int
    wolf: int
    fang: int

    def do(self, action: str, **params: Any) -> Outcome:
        return self.rules.attempt({"action": action, "actor": self.player, "params": params})

    def code(self, action: str, **params: Any) -> str | None:
        refusal = self.do(action, **params).refusal
        return None if refusal is None else refusal.code


@pytest.fixture
def arena() -> Arena:
    w = World(7)
    room = w.spawn(Named("clearing"), Room())
    player = w.spawn(Named("you"), Player(), Actor(), Health(6, 10), Location(room))
    sword = w.spawn(Named("sword"), Portable(), Weapon(3, 2), Location(player, "held"))
    helm = w.spawn(Named("helm"), Portable(), Wearable(), Armour(1), Location(player, "held"))
    bread = w.spawn(Named("bread"), Portable(), Edible(heals=3), Location(room))
    wine = w.spawn(Named("wine"), Portable(), Drinkable(heals=10), Location(room))
    chest = w.spawn(Named("chest"), Container(capacity=1), Openable(), Location(room))
    shelf = w.spawn(Named("shelf"), Supporter(), Location(room))
    wolf = w.spawn(Named("wolf"), Actor(), Health(7, 7), Location(room))
    fang = w.spawn(Named("fang"), Portable(), Location(wolf, "held"))
    actions = ActionRegistry()
    actions.discover("fabula.actions.standard")
    bus = EventBus()
    bus.subscribe(OnDeath, drop_loot(w))
    return Arena(
        w,
        Rules(w, actions, bus),
        bus,
        room,
        player,
        sword,
        helm,
        bread,
        wine,
        chest,
        shelf,
        wolf,
        fang,
    )


def test_a_fight_to_the_death_drops_the_loot(arena: Arena) -> None:
    a = arena
    dealt = []
    with a.bus.record() as events:
        while a.world.get(a.wolf, Health).hp > 0:
            assert a.do("attack", target=a.wolf, weapon=a.sword).ok
    dealt = [e.amount for e in events if isinstance(e, OnDamage)]
    assert all(3 <= d <= 5 for d in dealt[:-1])  # damage 3 + a roll of 0..2
    assert sum(dealt) == 7
    assert [e for e in events if isinstance(e, OnDeath)] == [
        OnDeath(entity=a.wolf, killer=a.player)
    ]
    assert a.world.get(a.fang, Location) == Location(a.room)
    assert a.code("attack", target=a.wolf) == "ALREADY_DEAD"


def test_the_same_seed_gives_the_same_fight(arena: Arena) -> None:
    a = arena
    a.do("attack", target=a.wolf, weapon=a.sword)
    first = a.world.get(a.wolf, Health).hp
    again = World(7)
    assert again.rng.randint(0, 2) + 3 == 7 - first


def test_attack_refuses_what_makes_no_sense(arena: Arena) -> None:
    a = arena
    assert a.code("attack", target=a.bread) == "NOT_A_TARGET"
    assert a.code("attack", target=a.player) == "NOT_A_TARGET"
    assert a.code("attack", target=a.wolf, weapon=a.helm) == "NOT_A_WEAPON"
    assert a.code("attack", target=a.wolf, weapon=a.bread) == "NOT_HELD"


def test_armour_is_worn_and_softens_blows(arena: Arena) -> None:
    a = arena
    assert a.code("take_off", item=a.helm) == "NOT_WORN"
    assert a.do("wear", item=a.helm).ok
    assert a.code("wear", item=a.helm) == "ALREADY_WORN"
    assert a.code("wear", item=a.sword) == "NOT_WEARABLE"
    dropped = a.do("drop", item=a.helm)  # Inform: "(first taking the helm off)"
    assert dropped.ok
    assert [o.proposal.action for o in dropped.implicit if o.proposal] == ["take_off"]
    assert a.do("wear", item=a.helm).ok  # taken first, and worn again
    from fabula.actions.standard import protection

    assert protection(a.world, a.player) == 1
    assert a.do("take_off", item=a.helm).ok
    assert protection(a.world, a.player) == 0


def test_eating_and_drinking_heal_up_to_the_maximum_and_use_up(arena: Arena) -> None:
    a = arena
    assert a.do("eat", item=a.bread).ok
    assert a.world.get(a.player, Health).hp == 9
    assert a.bread not in a.world
    assert a.code("eat", item=a.wine) == "NOT_EDIBLE"
    assert a.do("drink", item=a.wine).ok
    assert a.world.get(a.player, Health).hp == 10
    assert a.code("drink", item=a.sword) == "NOT_DRINKABLE"


def test_put_in_and_on_with_their_rules(arena: Arena) -> None:
    a = arena
    assert a.code("put", item=a.sword, target=a.chest) == "CLOSED"
    assert a.do("open", item=a.chest).ok
    assert a.do("put", item=a.sword, target=a.chest).ok
    assert a.world.get(a.sword, Location) == Location(a.chest, "in")
    assert a.code("put", item=a.helm, target=a.chest) == "FULL"
    assert a.code("put", item=a.helm, target=a.shelf) == "NOT_A_CONTAINER"
    assert a.do("put", item=a.helm, target=a.shelf, how="on").ok
    put = a.do("put", item=a.helm, target=a.shelf)  # on the shelf: taken first
    assert [o.proposal.action for o in put.implicit] == ["take"]
    assert put.refusal is not None
    assert put.refusal.code == "NOT_A_CONTAINER"
    assert a.code("put", item=a.helm, target=a.chest, how="on") == "NOT_A_SUPPORTER"
    assert a.code("put", item=a.helm, target=a.helm) == "IMPOSSIBLE"
