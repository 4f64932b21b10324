"""On random worlds, the declared preconditions of every standard action
refuse exactly as the hand-written validators they replaced did."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from fabula.actions import Refusal, RuleContext, Rules
from fabula.actions import standard as std
from fabula.actions.standard import (
    is_lit,
    reachable,
    room_of,
    visible,
)
from fabula.ecs import World
from tests.actions.standard_registry import nothing_changed, standard

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
        assert nothing_changed(log.take())
