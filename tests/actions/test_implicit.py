"""Implicit actions: a precondition that names the action that would satisfy
it gets that action tried first ("(first taking the coat)"), through Rules,
and a refused implicit action refuses the whole action cleanly."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from fabula.actions import ActionProposal, ActionRegistry, Outcome, Rules
from fabula.actions.standard import (
    Actor,
    Container,
    Door,
    Edible,
    Exits,
    Health,
    Location,
    Lockable,
    Named,
    Openable,
    Player,
    Portable,
    Room,
    Wearable,
    room_of,
)
from fabula.ecs import World
from fabula.events import EventBus, OnActionSuccess


@dataclass
class Cottage:
    world: World
    rules: Rules
    bus: EventBus
    kitchen: int
    yard: int
    cellar: int
    door: int
    trapdoor: int
    me: int
    coat: int
    statue: int
    bread: int
    bag: int
    key: int
    ghost: int

    def do(self, action: str, implicit: Any = True, **params: Any) -> Outcome:
        proposal = {"action": action, "actor": self.me, "params": params}
        return self.rules.attempt(proposal, implicit=implicit)


@pytest.fixture
def cottage() -> Cottage:
    w = World(1)
    kitchen = w.spawn(Named("kitchen"), Room())
    yard = w.spawn(Named("yard"), Room())
    cellar = w.spawn(Named("cellar"), Room())
    door = w.spawn(Named("green door"), Door((kitchen, yard)), Openable())
    trapdoor = w.spawn(Named("trapdoor"), Door((kitchen, cellar)), Openable(), Lockable())
    w.insert(kitchen, Exits({"north": door, "down": trapdoor}))
    w.insert(yard, Exits({"south": door}))
    w.insert(cellar, Exits({"up": trapdoor}))
    me = w.spawn(Named("you"), Player(), Actor(), Health(5, 10), Location(kitchen))
    coat = w.spawn(Named("wool coat", ("coat",)), Portable(), Wearable(), Location(kitchen))
    statue = w.spawn(Named("stone cloak"), Wearable(), Location(kitchen))  # not portable
    bread = w.spawn(Named("loaf"), Portable(), Edible(heals=2), Location(kitchen))
    bag = w.spawn(Named("bag"), Portable(), Container(), Openable(open=True), Location(me, "held"))
    key = w.spawn(Named("brass key"), Portable(), Location(bag))
    ghost = w.spawn(Named("ghost coat"), Portable(), Wearable(), Location(yard))  # unseen
    w.get(trapdoor, Lockable).key = key
    actions = ActionRegistry()
    actions.discover("fabula.actions.standard")
    bus = EventBus()
    rules = Rules(w, actions, bus)
    return Cottage(
        w, rules, bus, kitchen, yard, cellar, door, trapdoor, me, coat, statue, bread, bag, key,
        ghost,
    )  # fmt: skip


def tried(outcome: Outcome) -> list[tuple[str, dict[str, Any], str, bool]]:
    return [
        (o.proposal.action, o.proposal.params, o.proposal.source, o.ok)
        for o in outcome.implicit
        if o.proposal is not None
    ]


def test_wearing_what_lies_here_takes_it_first(cottage: Cottage) -> None:
    c = cottage
    with c.bus.record() as events:
        outcome = c.do("wear", item=c.coat)
    assert outcome.ok
    assert tried(outcome) == [("take", {"item": c.coat}, "implicit", True)]
    assert c.world.get(c.coat, Location) == Location(c.me, "worn")
    assert [e.action for e in events if isinstance(e, OnActionSuccess)] == ["take", "wear"]


def test_a_refused_implicit_action_refuses_the_whole_action_cleanly(cottage: Cottage) -> None:
    c = cottage
    log = c.world.track_changes()
    outcome = c.do("wear", item=c.statue)
    assert outcome.refusal is not None
    assert outcome.refusal.code == "NOT_PORTABLE"
    assert outcome.refusal is outcome.implicit[0].refusal  # the take's own refusal
    assert tried(outcome) == [("take", {"item": c.statue}, "implicit", False)]
    assert not log.take()  # nothing changed
    assert c.world.get(c.statue, Location) == Location(c.kitchen)


def test_nothing_unseen_is_taken_implicitly(cottage: Cottage) -> None:
    outcome = cottage.do("wear", item=cottage.ghost)
    assert outcome.refusal is not None
    assert outcome.refusal.code == "NOT_HERE"
    assert outcome.implicit == ()


def test_what_sits_in_a_carried_container_is_taken_out_first(cottage: Cottage) -> None:
    c = cottage
    outcome = c.do("unlock", item=c.trapdoor, key=c.key)
    assert outcome.ok, outcome.refusal
    assert tried(outcome) == [("take", {"item": c.key}, "implicit", True)]
    assert c.world.get(c.key, Location) == Location(c.me, "held")


def test_going_through_a_closed_door_opens_it_first(cottage: Cottage) -> None:
    c = cottage
    outcome = c.do("go", direction="north")
    assert outcome.ok
    assert tried(outcome) == [("open", {"item": c.door}, "implicit", True)]
    assert room_of(c.world, c.me) == c.yard


def test_a_locked_door_refuses_the_opening_and_the_going(cottage: Cottage) -> None:
    c = cottage
    outcome = c.do("go", direction="down")
    assert outcome.refusal is not None
    assert outcome.refusal.code == "LOCKED"
    assert tried(outcome) == [("open", {"item": c.trapdoor}, "implicit", False)]
    assert room_of(c.world, c.me) == c.kitchen


def test_eating_takes_the_food_first_but_never_what_is_not_food(cottage: Cottage) -> None:
    c = cottage
    refused = c.do("eat", item=c.coat)
    assert refused.refusal is not None
    assert refused.refusal.code == "NOT_EDIBLE"
    assert refused.implicit == ()  # not picked up to find out
    eaten = c.do("eat", item=c.bread)
    assert eaten.ok
    assert tried(eaten) == [("take", {"item": c.bread}, "implicit", True)]
    assert c.bread not in c.world
    assert c.world.get(c.me, Health).hp == 7
    berries = c.world.spawn(Named("berries", plural=True), Edible(heals=1), Location(c.kitchen))
    eaten = c.do("eat", item=berries)  # cannot be carried: eaten where they grow
    assert eaten.ok
    assert eaten.implicit == ()


def test_dropping_or_taking_off_never_takes_first(cottage: Cottage) -> None:
    c = cottage
    for action in ("drop", "take_off"):
        outcome = c.do(action, item=c.coat)
        assert outcome.refusal is not None
        assert outcome.refusal.code == "NOT_HELD"
        assert outcome.implicit == ()


def test_implicit_false_tries_nothing(cottage: Cottage) -> None:
    c = cottage
    outcome = c.do("wear", implicit=False, item=c.coat)
    assert outcome.refusal is not None
    assert outcome.refusal.code == "NOT_HELD"
    assert outcome.implicit == ()
    assert c.world.get(c.coat, Location) == Location(c.kitchen)


def test_recorded_implicit_actions_are_played_not_derived(cottage: Cottage) -> None:
    c = cottage
    take = ActionProposal(action="take", actor=c.me, params={"item": c.coat}, source="implicit")
    outcome = c.do("wear", implicit=[take], item=c.coat)
    assert outcome.ok
    assert outcome.implicit[0].proposal == take
    # a recorded list with nothing left in it derives nothing
    outcome = c.do("eat", implicit=[], item=c.bread)
    assert outcome.refusal is not None
    assert outcome.refusal.code == "NOT_HELD"


def test_outcome_proposals_list_the_implicit_ones_first(cottage: Cottage) -> None:
    c = cottage
    outcome = c.do("wear", item=c.coat)
    assert [(p.action, p.source) for p in outcome.proposals] == [
        ("take", "implicit"),
        ("wear", "player"),
    ]


def test_a_game_without_the_satisfying_action_tries_none() -> None:
    w = World(1)
    room = w.spawn(Named("room"), Room())
    me = w.spawn(Named("you"), Actor(), Location(room))
    coat = w.spawn(Named("coat"), Portable(), Wearable(), Location(room))
    actions = ActionRegistry()
    actions.discover("fabula.actions.standard")
    only_wear = ActionRegistry()  # no "take" to satisfy held("item")
    only_wear.register(actions.get("wear"))
    outcome = Rules(w, only_wear).attempt({"action": "wear", "actor": me, "params": {"item": coat}})
    assert outcome.refusal is not None
    assert outcome.refusal.code == "NOT_HELD"
    assert outcome.implicit == ()


def test_dropping_putting_or_giving_what_is_worn_takes_it_off_first(cottage: Cottage) -> None:
    c = cottage
    assert c.do("wear", item=c.coat).ok
    dropped = c.do("drop", item=c.coat)
    assert dropped.ok
    assert tried(dropped) == [("take_off", {"item": c.coat}, "implicit", True)]
    assert c.world.get(c.coat, Location) == Location(c.kitchen)
    assert c.do("wear", item=c.coat).ok
    put = c.do("put", item=c.coat, target=c.bag)
    assert put.ok
    assert tried(put) == [("take_off", {"item": c.coat}, "implicit", True)]
    assert c.world.get(c.coat, Location) == Location(c.bag, "in")
