"""The lines that tell implicit actions: "(first taking the coat)" before the
action's own text, the refusal alone after a refused one, and the doer
named when it is not the player."""

from __future__ import annotations

from fabula.actions import ActionRegistry, Rules
from fabula.actions.standard import (
    Actor,
    Location,
    Named,
    Player,
    Portable,
    Room,
    Wearable,
)
from fabula.ecs import World
from fabula.narration import TemplateNarrator


def scene() -> tuple[World, Rules, int, int, int, int]:
    w = World(1)
    room = w.spawn(Named("hall"), Room())
    me = w.spawn(Named("you"), Player(), Actor(), Location(room))
    mira = w.spawn(Named("Mira", proper=True), Actor(), Location(room))
    cloak = w.spawn(Named("red cloak", ("cloak",)), Portable(), Wearable(), Location(room))
    cloak_peg = w.spawn(Named("iron peg"), Wearable(), Location(room))
    actions = ActionRegistry()
    actions.discover("fabula.actions.standard")
    return w, Rules(w, actions), me, mira, cloak, cloak_peg


def test_an_implicit_action_gets_a_line_of_its_own() -> None:
    w, rules, me, _, cloak, _ = scene()
    outcome = rules.attempt({"action": "wear", "actor": me, "params": {"item": cloak}})
    told = TemplateNarrator().narrate(w, me, [outcome])
    assert told == "(first taking the red cloak)\nYou put on the red cloak."


def test_a_refused_implicit_action_is_told_once() -> None:
    w, rules, me, _, _, peg = scene()
    outcome = rules.attempt({"action": "wear", "actor": me, "params": {"item": peg}})
    told = TemplateNarrator().narrate(w, me, [outcome])
    assert told == "(first taking the iron peg)\nYou can't take the iron peg."


def test_another_doer_is_named() -> None:
    w, rules, me, mira, cloak, _ = scene()
    outcome = rules.attempt({"action": "wear", "actor": mira, "params": {"item": cloak}})
    told = TemplateNarrator().narrate(w, me, [outcome])
    assert told.startswith("(Mira first taking the red cloak)\n")
