"""The standard preconditions (``alive``, ``in_sight``, ``in_reach``, ``held``):
each one's refusal, what each standard action declares, and that checking
them never marks the world changed (the declared form against the
hand-written validators is ``test_standard_preconditions_oracle.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from fabula.actions import Refusal, RuleContext, Rules
from fabula.actions import standard as std
from fabula.actions.standard import (
    alive,
    held,
    in_reach,
    in_sight,
    is_lit,
)
from fabula.ecs import World
from tests.actions.standard_registry import nothing_changed, standard


@dataclass
class Scene:
    world: World
    hall: int
    cellar: int
    player: int
    coin: int
    jar: int
    gem: int
    guard: int
    sword: int
    hidden: int


@pytest.fixture
def scene() -> Scene:
    w = World(1)
    hall = w.spawn(std.Named("hall"), std.Room())
    cellar = w.spawn(std.Named("cellar"), std.Room(dark=True))
    player = w.spawn(std.Named("you"), std.Player(), std.Actor(), std.Health(5), std.Location(hall))
    coin = w.spawn(std.Named("coin"), std.Portable(), std.Location(player))
    jar = w.spawn(
        std.Named("jar"), std.Container(transparent=True), std.Openable(), std.Location(hall)
    )
    gem = w.spawn(std.Named("gem"), std.Portable(), std.Location(jar))
    guard = w.spawn(std.Named("guard"), std.Actor(), std.Location(hall))
    sword = w.spawn(std.Named("sword"), std.Portable(), std.Location(guard, "held"))
    hidden = w.spawn(std.Named("rat"), std.Location(cellar))
    return Scene(w, hall, cellar, player, coin, jar, gem, guard, sword, hidden)


def check(scene: Scene, precondition: Any, **params: int) -> Refusal | None:
    from pydantic import create_model

    model = create_model("P", **dict.fromkeys(params, (int | None, None)))
    ctx = RuleContext(scene.world.view(), scene.player)
    return precondition.check(ctx, model(**params))


# ------------------------------------------------------------ each refusal


def test_alive_refuses_a_dead_actor(scene: Scene) -> None:
    assert check(scene, alive) is None
    scene.world.get(scene.player, std.Health).hp = 0
    assert check(scene, alive) == Refusal("DEAD", "you are dead.")


def test_an_actor_without_health_is_alive(scene: Scene) -> None:
    scene.world.remove(scene.player, std.Health)
    assert check(scene, alive) is None


def test_in_sight(scene: Scene) -> None:
    for seen in (scene.coin, scene.gem, scene.sword, scene.guard, scene.player):
        assert check(scene, in_sight("item"), item=seen) is None
    unseen = Refusal("NOT_HERE", "you can't see any such thing.")
    assert check(scene, in_sight("item"), item=scene.hidden) == unseen
    assert check(scene, in_sight("item"), item=12345) == unseen  # no such entity


def test_in_sight_in_the_dark_says_it_is_dark_and_names_nothing(scene: Scene) -> None:
    scene.world.insert(scene.player, std.Location(scene.cellar))
    assert not is_lit(scene.world, scene.cellar, scene.player)
    dark = Refusal("TOO_DARK", "it is too dark to see.")
    assert check(scene, in_sight("item"), item=scene.hidden) == dark
    assert check(scene, in_reach("item"), item=scene.hidden) == dark
    assert check(scene, in_sight("item"), item=scene.coin) is None  # carried: felt


def test_in_reach(scene: Scene) -> None:
    assert check(scene, in_reach("item"), item=scene.coin) is None
    assert check(scene, in_reach("item"), item=scene.jar) is None
    assert check(scene, in_reach("item"), item=scene.player) is None
    for seen_not_touched in (scene.gem, scene.sword):  # behind glass; in another's hand
        assert check(scene, in_reach("item"), item=seen_not_touched) == Refusal(
            "OUT_OF_REACH", "you can't reach it.", {"item": seen_not_touched}
        )
    assert check(scene, in_reach("item"), item=scene.hidden) == Refusal(
        "NOT_HERE", "you can't see any such thing."
    )


def test_held_names_the_thing_only_if_it_is_seen(scene: Scene) -> None:
    assert check(scene, held("item"), item=scene.coin) is None
    scene.world.insert(scene.coin, std.Location(scene.player, "worn"))
    assert check(scene, held("item"), item=scene.coin) is None
    not_held = "you aren't holding that."
    assert check(scene, held("item"), item=scene.gem) == Refusal(
        "NOT_HELD", not_held, {"item": scene.gem}
    )
    assert check(scene, held("item"), item=scene.hidden) == Refusal("NOT_HELD", not_held, {})
    assert check(scene, held("item"), item=12345) == Refusal("NOT_HELD", not_held, {})


def test_a_left_out_optional_field_passes(scene: Scene) -> None:
    for precondition in (in_sight, in_reach, held):
        assert check(scene, precondition("weapon"), weapon=None) is None


# ------------------------------------------------------------ as declared

DECLARED = {
    "look": "()",
    "inventory": "()",
    "wait": "(alive,)",
    "go": "(alive, exit_allowed('direction'), door_open('direction'))",
    "examine": "(alive, in_sight('item'))",
    "take": "(alive, in_reach('item'))",
    "drop": "(alive, held('item'), not_worn('item'))",
    "put": "(alive, in_reach('item'), held('item'), not_worn('item'), in_reach('target'))",
    "wear": "(alive, in_reach('item'), held('item'))",
    "take_off": "(alive, held('item'))",
    "eat": "(alive, in_reach('item'), edible('item'), in_hand('item'))",
    "drink": "(alive, in_reach('item'))",
    "open": "(alive, in_reach('item'))",
    "close": "(alive, in_reach('item'))",
    "lock": "(alive, in_reach('item'), in_reach('key'), held('key'))",
    "unlock": "(alive, in_reach('item'), in_reach('key'), held('key'))",
    "switch_on": "(alive, in_reach('item'))",
    "switch_off": "(alive, in_reach('item'))",
    "use": "(alive, in_reach('item'), in_reach('target'))",
    "attack": "(alive, in_reach('target'))",
    "talk": "(alive, in_sight('target'))",
    "give": "(alive, in_reach('item'), held('item'), not_worn('item'), in_reach('target'))",
    "remove_from": "(alive, in_sight('source'), in_sight('item'))",
    "look_under": "(alive, in_sight('item'))",
    "search": "(alive, in_sight('item'))",
    "listen": "(alive, in_sight('item'))",
    "smell": "(alive, in_reach('item'))",
    "touch": "(alive, in_reach('item'))",
    "taste": "(alive, in_reach('item'))",
    "push": "(alive, in_reach('item'))",
    "pull": "(alive, in_reach('item'))",
    "turn": "(alive, in_reach('item'))",
    "wave": "(alive, in_sight('item'), held('item'))",
    "wake": "(alive, in_reach('item'))",
    "wave_hands": "(alive,)",
    "jump": "(alive,)",
    "sleep": "(alive,)",
    "wake_up": "(alive,)",
    "think": "(alive,)",
    "yes": "(alive,)",
    "no": "(alive,)",
    "exit": "(alive, exit_allowed('direction'), door_open('direction'))",
}


def test_what_each_standard_action_requires() -> None:
    declared = {name: repr(cls.requires) for name, cls in standard().items()}
    assert declared == DECLARED


def test_the_standard_preconditions_describe_themselves() -> None:
    assert alive.describe() == "the actor is alive"
    assert in_sight("target").describe() == "the actor can see the target"
    assert in_reach("item").describe() == "the actor can touch the item"
    assert held("key").describe() == "the actor holds the key (take may make it so)"
    assert held("key").satisfied_by == "take"
    assert in_reach("item").satisfied_by is None


def test_checking_never_marks_the_world_changed(scene: Scene) -> None:
    """Even handed the World itself rather than the read-only view."""
    log = scene.world.track_changes()
    ctx = RuleContext(scene.world, scene.player)
    things = (scene.coin, scene.jar, scene.gem, scene.sword, scene.hidden, scene.player, 999)
    for thing in things:
        for precondition in (in_sight("item"), in_reach("item"), held("item")):
            precondition.test(ctx, thing)
    alive.test(ctx, scene.player)
    assert nothing_changed(log.take())


def test_refusals_by_preconditions_change_nothing(scene: Scene) -> None:
    rules = Rules(scene.world, standard())
    log = scene.world.track_changes()
    for action, params in [
        ("take", {"item": scene.gem}),
        ("drop", {"item": scene.gem}),
        ("lock", {"item": scene.jar, "key": scene.sword}),
        ("attack", {"target": scene.hidden}),
    ]:
        outcome = rules.attempt({"action": action, "actor": scene.player, "params": params})
        assert not outcome.ok
    scene.world.get(scene.player, std.Health).hp = 0
    log.take()
    assert rules.attempt({"action": "wait", "actor": scene.player}).refusal == Refusal(
        "DEAD", "you are dead."
    )
    assert nothing_changed(log.take())
