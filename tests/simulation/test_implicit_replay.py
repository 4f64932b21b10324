"""Implicit actions in a turn, and the same turn played again from what the
journal records: the outcomes are the live ones, without deriving anything."""

from __future__ import annotations

from fabula.actions import ActionRegistry
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
from fabula.simulation import Simulation


def cloakroom() -> tuple[Simulation, int, int, int]:
    w = World(1)
    room = w.spawn(Named("cloakroom"), Room())
    me = w.spawn(Named("you"), Player(), Actor(), Location(room))
    coat = w.spawn(Named("coat"), Portable(), Wearable(), Location(room))
    hat = w.spawn(Named("hat"), Wearable(), Location(room))  # nailed to its peg
    actions = ActionRegistry()
    actions.discover("fabula.actions.standard")
    return Simulation(w, actions), me, coat, hat


def test_a_live_turn_and_its_recorded_replay_agree() -> None:
    live, me, coat, hat = cloakroom()
    turn = [
        {"action": "wear", "actor": me, "params": {"item": hat}},
        {"action": "wear", "actor": me, "params": {"item": coat}},
    ]
    outcomes = live.play(turn, stop_at_refusal=False)
    assert [(o.ok, len(o.implicit)) for o in outcomes] == [(False, 1), (True, 1)]
    row = [p for o in outcomes for p in o.proposals]
    assert [(p.action, p.source) for p in row] == [
        ("take", "implicit"),
        ("wear", "player"),
        ("take", "implicit"),
        ("wear", "player"),
    ]
    again, *_ = cloakroom()
    replayed = again.play(row, recorded=True)
    assert [(o.refusal, [i.refusal for i in o.implicit]) for o in replayed] == [
        (o.refusal, [i.refusal for i in o.implicit]) for o in outcomes
    ]
    assert again.world.get(coat, Location, readonly=True) == Location(me, "worn")


def test_replay_does_not_derive_implicit_actions_the_row_lacks() -> None:
    sim, me, coat, _ = cloakroom()
    wear = {"action": "wear", "actor": me, "params": {"item": coat}}
    (outcome,) = sim.play([wear], recorded=True)
    assert outcome.refusal is not None
    assert outcome.refusal.code == "NOT_HELD"
    assert outcome.implicit == ()
