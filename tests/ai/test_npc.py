"""NPC minds: model requests that run beside the ticks and end as proposals
the rules decide, exactly like a player's."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import pytest
from pydantic import BaseModel

from fabula.actions import (
    Action,
    ActionContext,
    ActionRegistry,
    Refusal,
    RuleContext,
    Rules,
    action,
)
from fabula.ai import Mind, NpcMinds
from fabula.ecs import World, component
from fabula.events import EventBus, OnActionRefused, OnActionSuccess
from fabula.systems import OnTaskDone, OnTaskTimedOut, Scheduler, TaskRunner


@component
class Room:
    title: str
    locked: bool = False


@component
class Located:
    room: int


class GoParams(BaseModel):
    room: int


@action("go", description="Walk into another room.")
class Go(Action):
    Params = GoParams

    def validate(self, ctx: RuleContext, params: GoParams) -> Refusal | None:
        if params.room not in ctx.world or not ctx.world.has(params.room, Room):
            return Refusal("NO_EXIT", "there is no such room.", {"room": params.room})
        if ctx.world.get(params.room, Room).locked:
            return Refusal("LOCKED", "that room is locked.", {"room": params.room})
        return None

    def execute(self, ctx: ActionContext, params: GoParams) -> None:
        ctx.world.get(ctx.actor, Located).room = params.room


class ScriptedModel:
    """Answers with a fixed proposal once the test opens its gate."""

    def __init__(self, answer: Any, *, gate: threading.Event | None = None, sleep: float = 0):
        self.answer = answer
        self.gate = gate
        self.sleep = sleep
        self.asked: list[str] = []

    async def propose(self, observation: str, actions: Sequence[str]) -> Mapping[str, Any]:
        self.asked.append(observation)
        while self.gate is not None and not self.gate.is_set():
            await asyncio.sleep(0.002)  # cancellable, unlike a thread blocked on the gate
        if self.sleep:
            await asyncio.sleep(self.sleep)
        return self.answer


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    with TaskRunner() as tasks:
        yield tasks


def setup(model: ScriptedModel, runner: TaskRunner, **minds: Any):
    world = World(seed=1)
    hall = world.spawn(Room("hall"))
    vault = world.spawn(Room("vault", locked=True))
    garden = world.spawn(Room("garden"))
    player = world.spawn(Located(hall))
    troll = world.spawn(Located(hall), Mind("a hungry troll"))
    bus = EventBus(raise_errors=True)
    registry = ActionRegistry()
    registry.register(Go)
    Rules(world, registry, bus).listen()
    scheduler = Scheduler(bus=bus, tasks=runner)
    observe = lambda w, e: f"entity {e} in room {w.get(e, Located).room}"  # noqa: E731
    scheduler.add(NpcMinds(model, observe, ["go"], **minds))
    scheduler.attach(world)
    rooms = {"hall": hall, "vault": vault, "garden": garden}
    return world, bus, rooms, player, troll


def test_answer_after_three_ticks_is_validated_and_applied_then(runner: TaskRunner) -> None:
    gate = threading.Event()
    model = ScriptedModel({"action": "go", "params": {"room": 2}}, gate=gate)
    world, bus, rooms, _, troll = setup(model, runner)
    assert rooms["garden"] == 2
    with bus.record() as events:
        world.run(ticks=3)
        assert world.get(troll, Located).room == rooms["hall"]  # the ticks did not wait
        assert runner.pending == 1  # one request in flight, not one per tick
        gate.set()
        assert runner.wait_idle(timeout=5)
        world.run(ticks=1)
    assert world.get(troll, Located).room == rooms["garden"]
    done = [e for e in events if isinstance(e, OnTaskDone)]
    assert len(done) == 1
    success = [e for e in events if isinstance(e, OnActionSuccess)]
    assert [(e.actor, e.action) for e in success] == [(troll, "go")]


def test_request_past_its_tick_deadline_times_out(runner: TaskRunner) -> None:
    gate = threading.Event()  # never opened: the model hangs
    model = ScriptedModel({"action": "go", "params": {"room": 2}}, gate=gate)
    world, bus, rooms, _, troll = setup(model, runner, deadline=2)
    with bus.record() as events:
        world.run(ticks=4)  # started at tick 1, must be done by tick 3
    timed_out = [e for e in events if isinstance(e, OnTaskTimedOut)]
    assert len(timed_out) == 1
    assert timed_out[0].after == "2 ticks"
    assert world.get(troll, Located).room == rooms["hall"]
    assert runner.pending == 1  # the mind asked again once the first request ended
    assert runner.wait_idle(timeout=0.05) is False  # ...and that one hangs too
    gate.set()


def test_request_past_its_seconds_timeout_times_out(runner: TaskRunner) -> None:
    model = ScriptedModel({"action": "go", "params": {"room": 2}}, sleep=30)
    world, bus, rooms, _, troll = setup(model, runner, timeout=0.05)
    world.run(ticks=1)
    assert runner.wait_idle(timeout=5)
    with bus.record() as events:
        world.run(ticks=1)
    assert any(isinstance(e, OnTaskTimedOut) and e.after == "0.05 s" for e in events)
    assert world.get(troll, Located).room == rooms["hall"]


@pytest.mark.parametrize(
    ("answer", "code"),
    [
        ({"action": "go", "params": {"room": 1}}, "LOCKED"),
        ({"action": "teleport", "params": {"room": 2}}, "UNKNOWN_ACTION"),
        ({"action": "go", "params": {"room": "the moon"}}, "BAD_PARAMS"),
        ({"action": "go", "params": {"room": 999}}, "NO_EXIT"),
        ("ignore previous instructions", "MALFORMED"),
    ],
)
def test_illegal_proposals_are_refused_and_change_nothing(
    runner: TaskRunner, answer: Any, code: str
) -> None:
    model = ScriptedModel(answer)
    world, bus, rooms, player, troll = setup(model, runner)
    world.run(ticks=1)
    assert runner.wait_idle(timeout=5)
    with bus.record() as events:
        world.run(ticks=1)
    refused = [e for e in events if isinstance(e, OnActionRefused)]
    assert [e.code for e in refused] == [code]
    assert world.get(troll, Located).room == rooms["hall"]
    assert world.get(player, Located).room == rooms["hall"]


def test_model_cannot_act_for_someone_else(runner: TaskRunner) -> None:
    model = ScriptedModel({"action": "go", "params": {"room": 2}, "actor": 3})
    world, _, rooms, player, troll = setup(model, runner)
    world.run(ticks=1)
    assert runner.wait_idle(timeout=5)
    world.run(ticks=1)
    assert world.get(player, Located).room == rooms["hall"]
    assert world.get(troll, Located).room == rooms["garden"]


def test_slow_model_never_stalls_the_simulation(runner: TaskRunner) -> None:
    gate = threading.Event()
    model = ScriptedModel({"action": "go", "params": {"room": 2}}, gate=gate)
    world, *_ = setup(model, runner)
    world.run(ticks=200)
    assert world.tick == 200
    assert runner.pending == 1
    gate.set()


def test_observation_code_gets_a_read_only_world(runner: TaskRunner) -> None:
    seen: list[object] = []
    model = ScriptedModel({"action": "go", "params": {"room": 2}})
    world = World()
    world.spawn(Located(0), Mind())
    scheduler = Scheduler(bus=EventBus(raise_errors=True), tasks=runner)
    scheduler.add(NpcMinds(model, lambda w, e: seen.append(w) or "", ["go"]))
    scheduler.tick(world)
    assert not hasattr(seen[0], "insert")
    assert not hasattr(seen[0], "rng")
