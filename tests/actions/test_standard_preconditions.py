"""The standard preconditions (``alive``, ``in_sight``, ``in_reach``, ``held``):
each one's refusal, what each standard action declares, that checking them
never marks the world changed, and, on random worlds, that the declared form
refuses exactly as the hand-written validators did."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fabula.actions import ActionRegistry, Refusal, RuleContext, Rules
from fabula.actions import standard as std
from fabula.actions.standard import (
    alive,
    held,
    in_reach,
    in_sight,
    is_lit,
    reachable,
    room_of,
    visible,
)
from fabula.ecs import ChangeSet, World


def _nothing_changed(changes: ChangeSet) -> bool:
    return not (
        changes.spawned
        or changes.despawned
        or any(changes.written.values())
        or any(changes.removed.values())
    )


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


def standard() -> ActionRegistry:
    actions = ActionRegistry()
    actions.discover("fabula.actions.standard")
    return actions


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
    assert _nothing_changed(log.take())


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
    assert _nothing_changed(log.take())


# ------------------------------------------------------------ against the hand-written form
# The oracle is the validators' preamble as it was written before preconditions were
# declared: the same four checks, called by hand, in each action's order.


def _old_alive(ctx: RuleContext) -> Refusal | None:
    health = ctx.world.try_get(ctx.actor, std.Health)
    if health is not None and health.hp <= 0:
        return Refusal("DEAD", "you are dead.")
    return None


def _old_unseen(ctx: RuleContext) -> Refusal:
    room = room_of(ctx.world, ctx.actor)
    if room is not None and not is_lit(ctx.world, room, ctx.actor):
        return Refusal("TOO_DARK", "it is too dark to see.")
    return Refusal("NOT_HERE", "you can't see any such thing.")


def _old_in_sight(ctx: RuleContext, entity: int) -> Refusal | None:
    if entity == ctx.actor or entity in visible(ctx.world, ctx.actor):
        return None
    return _old_unseen(ctx)


def _old_in_reach(ctx: RuleContext, entity: int) -> Refusal | None:
    refusal = _old_in_sight(ctx, entity)
    if refusal is not None:
        return refusal
    if entity == ctx.actor or entity in reachable(ctx.world, ctx.actor):
        return None
    return Refusal("OUT_OF_REACH", "you can't reach it.", {"item": entity})


def _old_held(ctx: RuleContext, entity: int) -> Refusal | None:
    location = ctx.world.try_get(entity, std.Location) if entity in ctx.world else None
    if location is not None and location.holder == ctx.actor:
        return None
    seen = entity in visible(ctx.world, ctx.actor)
    return Refusal("NOT_HELD", "you aren't holding that.", {"item": entity} if seen else {})


def _old_not_worn(ctx: RuleContext, entity: int) -> Refusal | None:
    location = ctx.world.try_get(entity, std.Location)
    if location is not None and location.holder == ctx.actor and location.how == "worn":
        return Refusal("WORN", "you are wearing it; take it off first.", {"item": entity})
    return None


def _old_in_hand(ctx: RuleContext, entity: int) -> Refusal | None:
    return _old_held(ctx, entity) if ctx.world.has(entity, std.Portable) else None


def _old_edible(ctx: RuleContext, entity: int) -> Refusal | None:
    if ctx.world.has(entity, std.Edible):
        return None
    return Refusal("NOT_EDIBLE", "that's not something you can eat.", {"item": entity})


def _old_door(ctx: RuleContext, direction: str) -> Refusal | None:
    room = room_of(ctx.world, ctx.actor)
    if room is None:
        return None
    _, door = std.destination(ctx.world, room, direction)
    if door is None:
        return None
    facts = {"item": door, "direction": direction}
    lock = ctx.world.try_get(door, std.Lockable)
    if lock is not None and lock.locked:
        return Refusal("LOCKED", "it is locked.", facts)
    opening = ctx.world.try_get(door, std.Openable)
    if opening is not None and not opening.open:
        return Refusal("CLOSED", "it is closed.", facts)
    return None


def _old_use(ctx: RuleContext, p: Any) -> Refusal | None:
    refusal = _old_alive(ctx) or _old_in_reach(ctx, p.item)
    if refusal is None and p.target is not None:
        refusal = _old_in_reach(ctx, p.target)
    return refusal


def _maybe(check: Any) -> Any:
    """``check``, passing a left-out optional field (``listen`` with no object)."""
    return lambda ctx, entity: None if entity is None else check(ctx, entity)


def _by_hand(*checks: tuple[Any, str]) -> Any:
    """``alive(ctx) or check(ctx, params.field) or ...``, as the validators read."""

    def preamble(ctx: RuleContext, params: Any) -> Refusal | None:
        refusal = _old_alive(ctx)
        for check, field in checks:
            refusal = refusal or check(ctx, getattr(params, field))
        return refusal

    return preamble


OLD_PREAMBLE: dict[str, Any] = {
    "take": _by_hand((_old_in_reach, "item")),
    "drop": _by_hand((_old_held, "item"), (_old_not_worn, "item")),
    "put": _by_hand(
        (_old_in_reach, "item"),
        (_old_held, "item"),
        (_old_not_worn, "item"),
        (_old_in_reach, "target"),
    ),
    "wear": _by_hand((_old_in_reach, "item"), (_old_held, "item")),
    "take_off": _by_hand((_old_held, "item")),
    "eat": _by_hand((_old_in_reach, "item"), (_old_edible, "item"), (_old_in_hand, "item")),
    "drink": _by_hand((_old_in_reach, "item")),
    "examine": _by_hand((_old_in_sight, "item")),
    "open": _by_hand((_old_in_reach, "item")),
    "close": _by_hand((_old_in_reach, "item")),
    "switch_on": _by_hand((_old_in_reach, "item")),
    "switch_off": _by_hand((_old_in_reach, "item")),
    "lock": _by_hand((_old_in_reach, "item"), (_old_in_reach, "key"), (_old_held, "key")),
    "unlock": _by_hand((_old_in_reach, "item"), (_old_in_reach, "key"), (_old_held, "key")),
    "use": _old_use,
    "attack": _by_hand((_old_in_reach, "target")),
    "talk": _by_hand((_old_in_sight, "target")),
    "give": _by_hand(
        (_old_in_reach, "item"),
        (_old_held, "item"),
        (_old_not_worn, "item"),
        (_old_in_reach, "target"),
    ),
    "go": _by_hand((_old_door, "direction")),
    "wait": _by_hand(),
    "remove_from": _by_hand((_old_in_sight, "source"), (_old_in_sight, "item")),
    "look_under": _by_hand((_old_in_sight, "item")),
    "search": _by_hand((_old_in_sight, "item")),
    "listen": _by_hand((_maybe(_old_in_sight), "item")),
    "smell": _by_hand((_maybe(_old_in_reach), "item")),
    "touch": _by_hand((_old_in_reach, "item")),
    "taste": _by_hand((_old_in_reach, "item")),
    "push": _by_hand((_old_in_reach, "item")),
    "pull": _by_hand((_old_in_reach, "item")),
    "turn": _by_hand((_old_in_reach, "item")),
    "wave": _by_hand((_old_in_sight, "item"), (_old_held, "item")),
    "wake": _by_hand((_old_in_reach, "item")),
    "wave_hands": _by_hand(),
    "jump": _by_hand(),
    "sleep": _by_hand(),
    "wake_up": _by_hand(),
    "think": _by_hand(),
    "yes": _by_hand(),
    "no": _by_hand(),
    "exit": _by_hand((_old_door, "direction")),
    "look": lambda ctx, params: None,
    "inventory": lambda ctx, params: None,
}

ACTIONS = standard()


def test_the_oracle_covers_every_standard_action() -> None:
    assert set(OLD_PREAMBLE) == set(ACTIONS.names())


KINDS = [std.Portable, std.Container, std.Supporter, std.Openable, std.Lockable, std.Actor]
KINDS += [std.LightSource, std.Wearable, std.Edible, std.Drinkable, std.Weapon]
THINGS = st.lists(
    st.tuples(
        st.lists(st.sampled_from(KINDS), max_size=3, unique=True),  # what it is
        st.integers(0, 10),  # who holds it: a room, the player or an earlier thing
        st.sampled_from(["in", "on", "held", "worn"]),
        st.booleans(),  # open, transparent, lit: whichever it has
    ),
    max_size=7,
)


@st.composite
def worlds(draw: st.DrawFn) -> tuple[World, int, list[int]]:
    """Two rooms (either may be dark) joined by a door, the player (maybe
    dead), up to seven things of random kinds held anywhere, any way, and
    maybe a guard."""
    dark, door_open, dead, guard = draw(st.tuples(*[st.booleans()] * 4))
    w = World(1)
    rooms = [
        w.spawn(std.Named("room"), std.Room(dark=dark)),
        w.spawn(std.Named("room"), std.Room()),
    ]
    door = w.spawn(std.Named("door"), std.Door((rooms[0], rooms[1])), std.Openable(door_open))
    w.insert(rooms[0], std.Exits({"north": door}))
    w.insert(rooms[1], std.Exits({"south": door}))
    player = w.spawn(
        std.Named("you"),
        std.Player(),
        std.Actor(),
        std.Health(0 if dead else 3),
        std.Location(rooms[0]),
    )
    if guard:
        w.spawn(std.Named("guard"), std.Actor(), std.Persona(), std.Location(rooms[1]))
    holders = [*rooms, player]
    for kinds, holder, how, flag in draw(THINGS):
        thing = w.spawn(std.Named("thing"), std.Location(holders[holder % len(holders)], how))
        for kind in kinds:
            if kind is std.Openable:
                w.insert(thing, std.Openable(open=flag))
            elif kind is std.Container:
                w.insert(thing, std.Container(transparent=flag))
            elif kind is std.LightSource:
                w.insert(thing, std.LightSource(lit=flag))
            else:
                w.insert(thing, kind())
        holders.append(thing)  # holders only ever precede what they hold: no cycles
    return w, player, [*holders[:2], door, *holders[2:], 999]


@settings(max_examples=200, deadline=None)
@given(scene=worlds(), data=st.data())
def test_declared_preconditions_refuse_exactly_as_the_hand_written_ones(
    scene: tuple[World, int, list[int]], data: st.DataObject
) -> None:
    world, player, entities = scene
    name = data.draw(st.sampled_from(ACTIONS.names()), label="action")
    cls = ACTIONS.get(name)
    fields = cls.Params.model_fields
    params: dict[str, Any] = {}
    for field in ("item", "target", "key", "weapon", "source"):
        if field in fields:
            choices = [*entities, None] if not fields[field].is_required() else entities
            params[field] = data.draw(st.sampled_from(choices), label=field)
    if "direction" in fields:
        ways = ["out"] if name == "exit" else ["north", "south", "up"]  # exit only goes out
        params["direction"] = data.draw(st.sampled_from(ways))
    typed = cls.Params.model_validate(params)
    ctx = RuleContext(world.view(), player)
    expected = OLD_PREAMBLE[name](ctx, typed)
    if expected is None:  # the preamble passed: the action's own rules decide
        expected = cls().validate(ctx, typed)
    log = world.track_changes()
    proposal = {"action": name, "actor": player, "params": params}
    outcome = Rules(world, ACTIONS).attempt(proposal, implicit=False)  # as declared, no more
    assert outcome.refusal == expected
    if not outcome.ok:
        assert _nothing_changed(log.take())
