"""Properties of the state context over random worlds: it names nothing the
player cannot perceive, everything it can, and the same bytes every time,
whatever order the entities were created in."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from random import Random

from hypothesis import given, settings
from hypothesis import strategies as st

from fabula.actions.standard import (
    DIRECTIONS,
    Actor,
    Container,
    Description,
    Door,
    Exits,
    Health,
    Hostile,
    LightSource,
    Location,
    Lockable,
    Named,
    Openable,
    Player,
    Portable,
    Room,
    Supporter,
    Wearable,
    is_lit,
    room_of,
    visible,
)
from fabula.context import StateContextBuilder
from fabula.ecs import World

KINDS = ("thing", "container", "supporter", "person")


@dataclass(frozen=True)
class Thing:
    kind: str  # one of KINDS
    holder: tuple[str, int]  # ("room", i), ("player", 0) or ("thing", j) with j earlier
    how: str  # in, on, held, worn
    openable: bool = False
    open: bool = False
    transparent: bool = False
    locked: bool = False
    lit: bool | None = None
    hp: int = 5
    hostile: bool = False
    portable: bool = False


@dataclass
class Spec:
    """A world, described without handles so it can be built in any order.

    Entities are numbered: rooms first, then things, then doors."""

    names: list[str]
    rooms: list[bool]  # dark?
    exits: list[tuple[int, str, int, str | None]]  # room, direction, room, door state
    things: list[Thing] = field(default_factory=list)
    player_room: int = 0

    @property
    def doors(self) -> list[tuple[int, str, int, str | None]]:
        return [x for x in self.exits if x[3] is not None]

    @property
    def count(self) -> int:
        return len(self.rooms) + len(self.things) + len(self.doors)


@st.composite
def specs(draw: st.DrawFn, unique: bool = True) -> Spec:
    n_rooms = draw(st.integers(1, 3))
    n_things = draw(st.integers(0, 14))
    n_doors = draw(st.integers(0, 2))
    size = n_rooms + n_things + n_doors
    if unique:  # random tokens that no template word contains
        token = st.text("bcdfghjkmpqvwxz", min_size=6, max_size=6).map(lambda t: "zy" + t)
        names = draw(st.lists(token, min_size=size, max_size=size, unique=True))
    else:  # few names, many repeats
        pool = st.sampled_from(["box", "coin", "box of coins", "troll"])
        names = draw(st.lists(pool, min_size=size, max_size=size))
    rooms = draw(st.lists(st.booleans(), min_size=n_rooms, max_size=n_rooms))
    exits: list[tuple[int, str, int, str | None]] = []
    for i in range(n_rooms - 1 + n_doors):
        a, b = draw(st.integers(0, n_rooms - 1)), draw(st.integers(0, n_rooms - 1))
        door = None
        if i >= n_rooms - 1:
            door = draw(st.sampled_from(["open", "closed", "locked"]))
        exits.append((a, DIRECTIONS[i % len(DIRECTIONS)], b, door))
    things: list[Thing] = []
    for _ in range(n_things):
        holders = [("room", r) for r in range(n_rooms)] + [("player", 0)]
        holders += [("thing", j) for j, t in enumerate(things) if t.kind != "thing"]
        holder = draw(st.sampled_from(holders))
        held_by = {"player": "person", "room": "room"}.get(holder[0]) or things[holder[1]].kind
        if held_by == "person":
            how = draw(st.sampled_from(["held", "worn"]))
        else:
            how = "on" if held_by == "supporter" else "in"
        things.append(
            Thing(
                kind=draw(st.sampled_from(KINDS)),
                holder=holder,
                how=how,
                openable=draw(st.booleans()),
                open=draw(st.booleans()),
                transparent=draw(st.booleans()),
                locked=draw(st.booleans()),
                lit=draw(st.sampled_from([None, False, True])),
                hp=draw(st.integers(0, 5)),
                hostile=draw(st.booleans()),
                portable=draw(st.booleans()),
            )
        )
    return Spec(names, rooms, exits, things, draw(st.integers(0, n_rooms - 1)))


def build(spec: Spec, order: list[int] | None = None) -> tuple[World, int, dict[int, str]]:
    """The world of ``spec``, its entities spawned, then placed, in ``order``
    (of the spec's entity numbers); returns the world, the player, and each
    entity's name."""
    order = list(range(spec.count)) if order is None else order
    n_rooms, n_things = len(spec.rooms), len(spec.things)
    w = World(7)
    handles: dict[int, int] = {}
    for index in order:
        name = Named(spec.names[index])
        if index < n_rooms:
            handles[index] = w.spawn(name, Room(dark=spec.rooms[index]), Description("A place."))
        elif index < n_rooms + n_things:
            handles[index] = w.spawn(name, *_parts(spec.things[index - n_rooms]))
        else:
            state = spec.doors[index - n_rooms - n_things][3]
            lock = [Lockable()] if state == "locked" else []
            handles[index] = w.spawn(name, Openable(open=state == "open"), *lock)
    player = w.spawn(Named("you"), Player(), Actor(), Health(5, 5))
    w.insert(player, Location(handles[spec.player_room]))
    ways: dict[int, dict[str, int]] = {r: {} for r in range(n_rooms)}
    door = n_rooms + n_things
    for a, direction, b, state in spec.exits:
        if state is None:
            ways[a][direction] = handles[b]
        else:
            w.insert(handles[door], Door((handles[a], handles[b])))
            ways[a][direction] = handles[door]
            door += 1
    for index in order:
        if index < n_rooms:
            w.insert(handles[index], Exits(ways[index]))
        elif index < n_rooms + n_things:
            thing = spec.things[index - n_rooms]
            kind, at = thing.holder
            number = at if kind == "room" else n_rooms + at
            holder = player if kind == "player" else handles[number]
            w.insert(handles[index], Location(holder, thing.how))  # type: ignore[arg-type]
    return w, player, {handles[i]: spec.names[i] for i in range(spec.count)}


def _parts(thing: Thing) -> list[object]:
    parts: list[object] = []
    if thing.portable:
        parts.append(Portable())
    if thing.how == "worn":
        parts.append(Wearable())
    if thing.lit is not None:
        parts.append(LightSource(lit=thing.lit))
    if thing.kind == "container":
        parts.append(Container(transparent=thing.transparent))
        if thing.openable:
            parts.append(Openable(open=thing.open))
            if thing.locked and not thing.open:
                parts.append(Lockable())
    elif thing.kind == "supporter":
        parts.append(Supporter())
    elif thing.kind == "person":
        parts += [Actor(), Health(thing.hp, 5)]
        if thing.hostile:
            parts.append(Hostile())
    return parts


def mentioned(text: str, name: str) -> bool:
    return re.search(rf"\b{re.escape(name)}\b", text, re.IGNORECASE) is not None


@settings(max_examples=150, deadline=None)
@given(specs())
def test_nothing_outside_what_the_player_perceives_is_ever_named(spec: Spec) -> None:
    world, player, names = build(spec)
    context = StateContextBuilder().build(world, player)
    text = context.text()
    allowed = set(visible(world, player))
    room = room_of(world, player)
    if room is not None and is_lit(world, room, player):
        allowed.add(room)
    for entity, name in names.items():
        if mentioned(text, name):
            assert entity in allowed, f"{name} is named but not perceived:\n{text}"
        if name in context.perceivable_names():
            assert entity in allowed
    # and everything perceived is named, so nothing is lost either
    for entity in allowed:
        name = names[entity]
        assert mentioned(text, name), f"{name} is perceived but not named:\n{text}"


@settings(max_examples=100, deadline=None)
@given(specs(unique=False), st.randoms(use_true_random=False))
def test_the_same_bytes_whatever_the_creation_order(spec: Spec, random: Random) -> None:
    world, player, _ = build(spec)
    first = StateContextBuilder().build(world, player, events=["a", "b"], goals=["g"])
    again = StateContextBuilder().build(world, player, events=["a", "b"], goals=["g"])
    assert first == again
    assert first.text() == again.text()
    order = list(range(spec.count))
    random.shuffle(order)
    shuffled, other, _ = build(spec, order)
    rebuilt = StateContextBuilder().build(shuffled, other, events=["a", "b"], goals=["g"])
    assert rebuilt.text() == first.text()
