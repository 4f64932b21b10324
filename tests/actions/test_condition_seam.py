"""The seam between stated conditions and the standard rules: darkness and
exits that follow a condition are judged by whatever judge is registered,
never by the actions layer itself."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fabula.actions import ActionRegistry, Rules
from fabula.actions.standard import (
    Actor,
    DarkWhen,
    ExitRules,
    Exits,
    Location,
    Player,
    Room,
    is_lit,
    set_condition_judge,
    way_open,
)
from fabula.actions.standard import conditions as seam
from fabula.ecs import World, WorldView
from fabula.errors import ArgumentError

TRUE: set[str] = set()


def _judge(world: WorldView, source: str) -> bool:
    return source in TRUE


@pytest.fixture
def judged() -> Iterator[None]:
    """Our own judge for the test, the registered one restored after it."""
    saved = list(seam._judge)
    set_condition_judge(_judge)
    TRUE.clear()
    try:
        yield
    finally:
        seam._judge[:] = saved


def _world() -> tuple[World, int, int, int]:
    world = World(1)
    hall = world.spawn(Room(), DarkWhen("night"))
    yard = world.spawn(Room())
    world.insert(hall, Exits({"north": yard, "east": yard}))
    world.insert(hall, ExitRules({"north": "gate open"}, {"east": "A wall."}))
    player = world.spawn(Player(), Actor(), Location(hall))
    return world, hall, yard, player


def test_no_judge_is_an_error_not_a_guess() -> None:
    saved = list(seam._judge)
    seam._judge.clear()
    try:
        with pytest.raises(ArgumentError, match="no judge of conditions"):
            seam.condition_holds(World(1).view(), "night")
    finally:
        seam._judge[:] = saved


@pytest.mark.usefixtures("judged")
def test_darkness_follows_the_judged_condition() -> None:
    world, hall, _, player = _world()
    assert is_lit(world.view(), hall, player)
    TRUE.add("night")
    assert not is_lit(world.view(), hall, player)


@pytest.mark.usefixtures("judged")
def test_go_follows_exit_rules() -> None:
    world, hall, yard, player = _world()
    actions = ActionRegistry()
    actions.discover("fabula.actions.standard")
    rules = Rules(world, actions)
    assert not way_open(world.view(), hall, "north")
    closed = rules.attempt({"action": "go", "actor": player, "params": {"direction": "north"}})
    assert closed.refusal is not None
    assert closed.refusal.code == "NO_EXIT"
    wall = rules.attempt({"action": "go", "actor": player, "params": {"direction": "east"}})
    assert wall.refusal is not None
    assert (wall.refusal.code, wall.refusal.reason) == ("EXIT_REFUSED", "A wall.")
    assert world.get(player, Location).holder == hall
    TRUE.add("gate open")
    assert rules.attempt({"action": "go", "actor": player, "params": {"direction": "north"}}).ok
    assert world.get(player, Location).holder == yard
