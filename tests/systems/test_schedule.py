"""Scheduler ordering, errors and ticking."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fabula.ecs import World
from fabula.errors import EcsError, ScheduleError
from fabula.systems import Phase, Scheduler, SystemRegistry, TickContext, system


def recorder(log: list[str], name: str):
    def run(ctx: TickContext) -> None:
        log.append(name)

    run.__name__ = name
    return run


def test_phases_run_in_order_regardless_of_registration() -> None:
    log: list[str] = []
    scheduler = Scheduler()
    scheduler.add(recorder(log, "late"), phase=Phase.POST_UPDATE)
    scheduler.add(recorder(log, "main"))
    scheduler.add(recorder(log, "early"), phase=Phase.PRE_UPDATE)
    scheduler.tick(World())
    assert log == ["early", "main", "late"]


def test_ties_keep_registration_order() -> None:
    log: list[str] = []
    scheduler = Scheduler()
    for name in "cab":
        scheduler.add(recorder(log, name))
    assert scheduler.order() == ["c", "a", "b"]


def test_before_and_after_constraints() -> None:
    log: list[str] = []
    scheduler = Scheduler()
    scheduler.add(recorder(log, "render"), after=["physics"])
    scheduler.add(recorder(log, "physics"), after=["input"])
    scheduler.add(recorder(log, "input"), before=["render"])
    scheduler.tick(World())
    assert log == ["input", "physics", "render"]


def test_decorated_systems_and_classes() -> None:
    ran: list[str] = []

    @system(phase=Phase.POST_UPDATE)
    def cleanup(ctx: TickContext) -> None:
        ran.append(f"cleanup@{ctx.tick}")

    @system(name="ai", before=("movement",))
    class Brain:
        def run(self, ctx: TickContext) -> None:
            ran.append("ai")

    @system
    def movement(ctx: TickContext) -> None:
        ran.append("movement")

    scheduler = Scheduler()
    for item in (cleanup, movement, Brain):
        scheduler.add(item)
    world = World()
    scheduler.attach(world)
    world.run(ticks=2)
    assert ran == ["ai", "movement", "cleanup@1", "ai", "movement", "cleanup@2"]
    assert world.tick == 2


def test_cycle_is_named() -> None:
    scheduler = Scheduler()
    scheduler.add(recorder([], "a"), before=["b"])
    scheduler.add(recorder([], "b"), before=["c"])
    scheduler.add(recorder([], "c"), before=["a"])
    scheduler.add(recorder([], "d"))
    with pytest.raises(ScheduleError, match=r"cycle: a -> b -> c -> a\. Drop one"):
        scheduler.order()


def test_unknown_reference_suggests_names() -> None:
    scheduler = Scheduler()
    scheduler.add(recorder([], "movement"))
    scheduler.add(recorder([], "render"), after=["movemnt"])
    with pytest.raises(
        ScheduleError, match=r"'movemnt', which is not scheduled\. Did you mean 'movement'"
    ):
        scheduler.order()


def test_constraint_against_phase_order() -> None:
    scheduler = Scheduler()
    scheduler.add(recorder([], "late"), phase=Phase.POST_UPDATE, before=["early"])
    scheduler.add(recorder([], "early"), phase=Phase.PRE_UPDATE)
    with pytest.raises(ScheduleError, match="but PRE_UPDATE runs first"):
        scheduler.order()


def test_duplicate_and_remove() -> None:
    scheduler = Scheduler()
    scheduler.add(recorder([], "a"))
    with pytest.raises(ScheduleError, match="already scheduled"):
        scheduler.add(recorder([], "a"))
    scheduler.remove("a")
    assert "a" not in scheduler
    with pytest.raises(ScheduleError, match="remove\\(\\) names system 'a'"):
        scheduler.remove("a")


def test_world_run_without_schedule() -> None:
    with pytest.raises(EcsError, match="needs a schedule"):
        World().run(ticks=1)


def test_registry_discovers_systems(tmp_path) -> None:
    (tmp_path / "movement.py").write_text(
        "from fabula.systems import system\n"
        "@system\n"
        "def movement(ctx):\n"
        "    ctx.data['moved'] = True\n"
    )
    registry = SystemRegistry()
    registry.discover(tmp_path)
    scheduler = Scheduler()
    scheduler.add_all(registry)
    ctx = scheduler.tick(World())
    assert ctx.data == {"moved": True}


@st.composite
def dags(draw: st.DrawFn) -> tuple[int, list[tuple[int, int]], list[int]]:
    """A random DAG over n systems: edges go from lower to higher rank, then
    the systems are registered in a random order."""
    n = draw(st.integers(1, 12))
    pairs = [(a, b) for a in range(n) for b in range(a + 1, n)]
    edges = draw(st.lists(st.sampled_from(pairs), unique=True)) if pairs else []
    registration = draw(st.permutations(range(n)))
    return n, edges, registration


@settings(max_examples=200, deadline=None)
@given(dags(), st.data())
def test_random_dags_respect_every_constraint(dag, data) -> None:
    n, edges, registration = dag
    before: dict[int, list[str]] = {i: [] for i in range(n)}
    after: dict[int, list[str]] = {i: [] for i in range(n)}
    for a, b in edges:  # a must run before b, declared on either side
        if data.draw(st.booleans()):
            before[a].append(f"s{b}")
        else:
            after[b].append(f"s{a}")
    scheduler = Scheduler()
    for i in registration:
        scheduler.add(recorder([], f"s{i}"), before=before[i], after=after[i])
    order = scheduler.order()
    assert sorted(order) == sorted(f"s{i}" for i in range(n))
    position = {name: k for k, name in enumerate(order)}
    for a, b in edges:
        assert position[f"s{a}"] < position[f"s{b}"]
    assert scheduler.order() == order  # deterministic
