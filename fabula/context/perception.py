"""Perception: what the player character perceives, walked out of the world
into a :class:`~fabula.context.StateContext`.

:class:`StateContextBuilder` turns the ECS state around an actor into a
context for a model's prompt; the narrator model is told to mention nothing
else, so this is where the perception rule is enforced:

* **only what the actor perceives** appears, by the standard scope rules
  (:func:`~fabula.actions.standard.visible`): nothing in a closed opaque
  container, in another room, or in the dark. In a dark room the context
  says only that it is dark, and what the actor carries;
* **exits are directions**, with the door on the way and its state where
  there is one, never the room beyond: the template narrator's room
  description does not name it either, so the model must not;
* **scenery is not listed** (the room's text already tells it), but what
  lies on or in it is;
* **things are listed flat**, one line each, with where they are inside the
  room, and each line's detail has a :func:`salience`, the order a budget
  cuts details in.

Invariants:
    * the context is a pure function of the world's components: two builds
      of the same state give the same context, whatever order entities were
      created in (lists are sorted by what they say, never by entity
      handle);
    * every name in the context is the name of the actor's room or of an
      entity in ``visible(world, actor)``, which includes what it carries.

It reads the world and never changes it (nothing is marked changed).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from fabula.actions.standard import (
    DIRECTIONS,
    Actor,
    Container,
    Door,
    Exits,
    Health,
    Hostile,
    LightSource,
    Location,
    Lockable,
    Named,
    Openable,
    Portable,
    Room,
    Score,
    Supporter,
    contents,
    is_lit,
    room_of,
    sees_inside,
    visible,
    way_open,
)
from fabula.content import Variables, current_description, is_scenery
from fabula.context.state import DARK, Seen, StateContext
from fabula.ecs import WorldView
from fabula.errors import ArgumentError

__all__ = ["StateContextBuilder", "salience"]


def salience(world: WorldView, entity: int, focus: frozenset[int] = frozenset()) -> int:
    """How much a thing's detail matters to the story, 0 to 4.

    4: named by this turn's actions (``focus``); 3: a person; 2: something
    that can be carried; 1: something with a state (opens, locks, gives
    light, holds things); 0: scenery.
    """
    if entity in focus:
        return 4
    if world.has(entity, Actor):
        return 3
    if world.has(entity, Portable):
        return 2
    for kind in (Openable, Lockable, LightSource, Container, Supporter):
        if world.has(entity, kind):
            return 1
    return 0


class StateContextBuilder:
    """Builds :class:`StateContext`s (see the module docstring for the rules).

    Args:
        recent: how many of the latest events to keep (the oldest go first).

    Example:
        >>> from fabula.actions.standard import LightSource, Location, Named, Player, Room
        >>> from fabula.ecs import World
        >>> world = World(1)
        >>> hall = world.spawn(Named("hall"), Room())
        >>> me = world.spawn(Named("you"), Player(), Location(hall))
        >>> lamp = world.spawn(Named("brass lamp"), LightSource(lit=True), Location(hall))
        >>> print(StateContextBuilder().build(world, me).text())
        Place: Hall
        You see:
        - a brass lamp (lit)
        You carry: nothing
    """

    def __init__(self, *, recent: int = 3) -> None:
        if recent < 0:
            raise ArgumentError(f"recent must be 0 or more, not {recent}")
        self.recent = recent

    def build(
        self,
        world: WorldView,
        actor: int,
        *,
        events: Sequence[str] = (),
        goals: Sequence[str] = (),
        focus: Iterable[int] = (),
    ) -> StateContext:
        """What ``actor`` perceives now.

        Args:
            world: the world (read only; nothing is marked changed).
            actor: whose perception.
            events: short accounts of recent turns, oldest first; the last
                ``recent`` are kept.
            goals: the actor's active goals, as they should read.
            focus: entities this turn's actions named; their details are cut
                last when a prompt is over budget.
        """
        kept = tuple(events[max(len(events) - self.recent, 0) :]) if self.recent else ()
        status = _status(world, actor)
        room = room_of(world, actor)
        seen = visible(world, actor)
        view = _View(world, actor, seen, frozenset(focus))
        inventory = tuple(line for _, line in view.walk(actor, top=True))
        if room is None or not is_lit(world, room, actor):
            return StateContext(
                location="Nowhere" if room is None else "Darkness",
                description="" if room is None else DARK,
                inventory=inventory,
                status=status,
                goals=tuple(goals),
                events=kept,
                names=view.sorted_names(),
            )
        things: list[Seen] = []
        people: list[Seen] = []
        for entity, line in view.walk(room, top=True):
            (people if world.has(entity, Actor) else things).append(line)
        title = _name(world, room)
        view.names.add(title)
        exits = _exits(world, room, view)  # adds the doors' names
        text = current_description(world, room)  # the text true of its state now
        return StateContext(
            location=title[:1].upper() + title[1:],
            description=" ".join(text.split()) if text else "",
            exits=exits,
            things=tuple(things),
            people=tuple(people),
            inventory=inventory,
            status=status,
            goals=tuple(goals),
            events=kept,
            names=view.sorted_names(),
        )


class _View:
    """One build's walk over what the actor sees, collecting names as it goes."""

    def __init__(
        self, world: WorldView, actor: int, seen: frozenset[int], focus: frozenset[int]
    ) -> None:
        self.world = world
        self.actor = actor
        self.seen = seen
        self.focus = focus
        self.names: set[str] = set()

    def sorted_names(self) -> tuple[str, ...]:
        return tuple(sorted(self.names))

    def walk(self, holder: int, *, top: bool) -> list[tuple[int, Seen]]:
        """Every visible thing under ``holder`` with its line: depth first (a
        thing, then what it holds), siblings sorted by name, then by what
        their lines say, so the order never depends on entity handles."""
        world = self.world
        branches = []
        for thing in contents(world, holder):
            if thing == self.actor or thing not in self.seen:
                continue
            if is_scenery(world, thing):  # the room's own text tells it
                branches += [[pair] for pair in self.walk(thing, top=False)]
                continue
            branch = [(thing, self._line(thing, holder, top))]
            if sees_inside(world, thing):
                branch += self.walk(thing, top=False)
            branches.append(branch)
        branches.sort(
            key=lambda branch: [(s.entity_name.lower(), s.name, s.detail) for _, s in branch]
        )
        return [pair for branch in branches for pair in branch]

    def _line(self, thing: int, holder: int, top: bool) -> Seen:
        world = self.world
        named = world.try_get(thing, Named, readonly=True)
        bare = named.name if named is not None else "something"
        self.names.add(bare)
        parts = _state(world, thing)
        location = world.try_get(thing, Location, readonly=True)
        how = location.how if location is not None else "in"
        if holder == self.actor:
            if how == "worn":
                parts.append("worn")
        elif not top:
            parts.append(_where(world, holder, how))
        return Seen(
            named.indefinite() if named is not None else "something",
            ", ".join(parts),
            salience(world, thing, self.focus),
            bare,
        )


def _where(world: WorldView, holder: int, how: str) -> str:
    """Where a thing is, from its holder: "in the satchel", "held by Tamsin"."""
    owner = _the(world, holder)
    if world.has(holder, Actor):
        return f"{'worn' if how == 'worn' else 'held'} by {owner}"
    return f"{'on' if how == 'on' else 'in'} {owner}"


def _state(world: WorldView, thing: int) -> list[str]:
    """What can be seen of a thing's state, as words."""
    parts: list[str] = []
    health = world.try_get(thing, Health, readonly=True) if world.has(thing, Actor) else None
    if health is not None:
        if health.hp <= 0:
            parts.append("dead")
        else:
            if world.has(thing, Hostile):
                parts.append("hostile")
            if health.hp * 3 <= health.max_hp:
                parts.append("badly hurt")
            elif health.hp < health.max_hp:
                parts.append("hurt")
    opening = world.try_get(thing, Openable, readonly=True)
    if opening is not None:
        parts.append("open" if opening.open else "closed")
        lock = world.try_get(thing, Lockable, readonly=True)
        if not opening.open and lock is not None and lock.locked:
            parts.append("locked")
    light = world.try_get(thing, LightSource, readonly=True)
    if light is not None and light.lit:
        parts.append("lit")
    if world.has(thing, Container) and sees_inside(world, thing) and not contents(world, thing):
        parts.append("empty")
    return parts


def _exits(world: WorldView, room: int, view: _View) -> tuple[str, ...]:
    """The room's ways out, in compass order, with the door on each way."""
    exits = world.try_get(room, Exits, readonly=True)
    if exits is None:
        return ()
    out = []
    for direction in DIRECTIONS:
        target = exits.ways.get(direction)
        if target is None or not way_open(world, room, direction):
            continue
        if target in world and world.has(target, Door) and target in view.seen:
            view.names.add(_name(world, target))
            state = _state(world, target)
            door = _the(world, target)
            out.append(f"{direction} (through {door}: {', '.join(state)})" if state else
                       f"{direction} (through {door})")  # fmt: skip
        else:
            out.append(direction)
    return tuple(out)


def _status(world: WorldView, actor: int) -> tuple[str, ...]:
    out = []
    health = world.try_get(actor, Health, readonly=True)
    if health is not None:
        out.append(f"health {health.hp} of {health.max_hp}" + (" (dead)" if health.hp <= 0 else ""))
    score = world.try_get(actor, Score, readonly=True)
    if score is not None:
        out.append(f"score {score.points} of {score.possible}")
    found = world.try_get(actor, Variables, readonly=True)
    if found is not None:  # only what the author lets the narrator see
        out.extend(f"{name} {found.values[name]}" for name in found.shown if name in found.values)
    return tuple(out)


def _name(world: WorldView, entity: int) -> str:
    named = world.try_get(entity, Named, readonly=True)
    return (
        named.name if named is not None else "somewhere" if world.has(entity, Room) else "something"
    )


def _the(world: WorldView, entity: int) -> str:
    named = world.try_get(entity, Named, readonly=True)
    return named.definite() if named is not None else "something"
