"""Verdict lines: what the rules decided, naming only what the actor may know."""

from __future__ import annotations

import pytest

from fabula.actions import ActionProposal, ActionRegistry, Outcome, Refusal, Rules
from fabula.actions.standard import (
    Actor,
    Container,
    Edible,
    Location,
    Named,
    Openable,
    Player,
    Portable,
    Room,
)
from fabula.context import describe_outcomes, focus_of, names_before
from fabula.ecs import World

Small = tuple[World, int, dict[str, int]]

ACTIONS = ActionRegistry()
ACTIONS.discover("fabula.actions.standard")


@pytest.fixture
def world() -> tuple[World, int, dict[str, int]]:
    w = World(2)
    hall = w.spawn(Named("hall"), Room())
    me = w.spawn(Named("you"), Player(), Actor(), Location(hall))
    lamp = w.spawn(Named("brass lamp"), Portable(), Location(hall))
    chest = w.spawn(Named("chest"), Container(), Openable(), Location(hall))
    coin = w.spawn(Named("gold coin"), Portable(), Location(chest))
    apple = w.spawn(Named("apple"), Portable(), Edible(), Location(me, "held"))
    return w, me, {"hall": hall, "lamp": lamp, "chest": chest, "coin": coin, "apple": apple}


def attempt(w: World, me: int, action: str, **params: object) -> Outcome:
    return Rules(w, ACTIONS).attempt(ActionProposal(action=action, actor=me, params=params))


def test_a_success_names_its_parameters(world: Small) -> None:
    w, me, ids = world
    outcomes = [attempt(w, me, "take", item=ids["lamp"]), attempt(w, me, "go", direction="up")]
    assert describe_outcomes(w, outcomes) == (
        "take (item: the brass lamp): done",
        "go: refused, NO_EXIT (you can't go up from here.); facts: direction = up",
    )


def test_a_refusal_names_only_its_facts(world: Small) -> None:
    w, me, ids = world
    hidden = attempt(w, me, "take", item=ids["coin"])  # in the closed chest
    assert hidden.refusal is not None
    line = "take: refused, NOT_HERE (you can't see any such thing.)"
    assert describe_outcomes(w, [hidden]) == (line,)
    assert "gold coin" not in describe_outcomes(w, [hidden])[0]


def test_things_the_turn_destroyed_keep_their_names(world: Small) -> None:
    w, me, ids = world
    eaten = attempt(w, me, "eat", item=ids["apple"])
    assert eaten.ok
    assert ids["apple"] not in w
    assert describe_outcomes(w, [eaten]) == ("eat (item: something): done",)
    assert describe_outcomes(w, [eaten], names={ids["apple"]: "the apple"}) == (
        "eat (item: the apple): done",
    )


def test_names_are_taken_from_the_proposals_before_the_turn(world: Small) -> None:
    w, me, ids = world
    proposal = ActionProposal(action="eat", actor=me, params={"item": ids["apple"]})
    names = names_before(w, [proposal])
    assert names == {ids["apple"]: "the apple"}
    eaten = Rules(w, ACTIONS).attempt(proposal)
    assert describe_outcomes(w, [eaten], names=names) == ("eat (item: the apple): done",)


def test_malformed_and_odd_values() -> None:
    w = World(1)
    refusal = Refusal("MALFORMED", "the proposal is not well-formed.", {"errors": ["x"]})
    refused = Outcome(None, refusal)
    listed = Outcome(
        ActionProposal(action="sing", actor=0),
        Refusal("ODD", "", {"notes": ["la", 3], "loud": True}),
    )
    assert describe_outcomes(w, [refused, listed]) == (
        "a malformed action: refused, MALFORMED (the proposal is not well-formed.)",
        "sing: refused, ODD; facts: loud = True, notes = [la, something]",
    )


def test_the_focus_is_what_the_verdict_names(world: Small) -> None:
    w, me, ids = world
    took = attempt(w, me, "take", item=ids["lamp"])
    opened = attempt(w, me, "open", item=ids["lamp"])  # not openable: its facts name it
    hidden = attempt(w, me, "take", item=ids["coin"])
    assert focus_of([took]) == {ids["lamp"]}
    assert focus_of([opened]) == {ids["lamp"]}
    assert focus_of([hidden]) == frozenset()
    assert focus_of([Outcome(None, Refusal("MALFORMED", ""))]) == frozenset()


def test_implicit_actions_get_a_line_of_their_own_first(world: Small) -> None:
    w, me, ids = world
    outcome = attempt(w, me, "put", item=ids["lamp"], target=ids["chest"])  # closed
    assert describe_outcomes(w, [outcome]) == (
        "take (item: the brass lamp): done, implicitly, first",
        "put: refused, CLOSED (it is closed.); facts: item = the chest",
    )
    assert ids["lamp"] in focus_of([outcome])
