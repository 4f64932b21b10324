"""Simulation: one turn is the proposals in order, stopping at the first
refusal, then exactly one tick."""

from __future__ import annotations

from pydantic import BaseModel

from fabula.actions import Action, ActionContext, ActionRegistry, Refusal, RuleContext, action
from fabula.ecs import World, component
from fabula.simulation import Simulation
from fabula.systems import TickContext, system


@component
class Counter:
    value: int = 0


@action("bump", description="Add one.")
class Bump(Action):
    def validate(self, ctx: RuleContext, params: BaseModel) -> Refusal | None:
        if ctx.world.get(ctx.actor, Counter).value >= 2:
            return Refusal("FULL", "the counter is full.")
        return None

    def execute(self, ctx: ActionContext, params: BaseModel) -> None:
        ctx.world.get(ctx.actor, Counter).value += 1


ticks: list[int] = []


@system
def record(ctx: TickContext) -> None:
    ticks.append(ctx.tick)


def make() -> tuple[Simulation, int]:
    world = World(1)
    actor = world.spawn(Counter())
    actions = ActionRegistry()
    actions.register(Bump)
    return Simulation(world, actions, [record]), actor


def test_a_turn_applies_actions_in_order_until_a_refusal_then_ticks_once() -> None:
    ticks.clear()
    simulation, actor = make()
    bump = {"action": "bump", "actor": actor}
    outcomes = simulation.play([bump, bump, bump, bump])
    assert [o.ok for o in outcomes] == [True, True, False]
    assert outcomes[-1].refusal is not None
    assert outcomes[-1].refusal.code == "FULL"
    assert simulation.world.get(actor, Counter).value == 2
    assert ticks == [1]


def test_a_turn_without_actions_still_ticks() -> None:
    ticks.clear()
    simulation, _ = make()
    assert simulation.play([]) == []
    simulation.play([])
    assert ticks == [1, 2]
    assert simulation.world.tick == 2


def test_without_stop_at_refusal_each_action_is_tried_on_its_own() -> None:
    simulation, actor = make()
    bump = {"action": "bump", "actor": actor}
    outcomes = simulation.play([bump, bump, bump, bump], stop_at_refusal=False)
    assert [o.ok for o in outcomes] == [True, True, False, False]
    assert simulation.world.get(actor, Counter).value == 2


def test_an_action_the_game_lacks_ends_the_turn_even_without_stopping_at_refusals() -> None:
    simulation, actor = make()
    bump = {"action": "bump", "actor": actor}
    dance = {"action": "dance", "actor": actor}
    outcomes = simulation.play([bump, dance, bump], stop_at_refusal=False)
    assert [o.ok for o in outcomes] == [True, False]
    assert simulation.world.get(actor, Counter).value == 1


def test_recorded_actions_are_all_played() -> None:
    simulation, actor = make()
    bump = {"action": "bump", "actor": actor}
    outcomes = simulation.play([bump, bump, bump, bump], recorded=True)
    assert [o.ok for o in outcomes] == [True, True, False, False]
