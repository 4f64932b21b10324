"""What the player character perceives, as compact text for a model's prompt.

:class:`StateContextBuilder` turns the ECS state around an actor into a
:class:`StateContext`: where it is, the ways out, what it sees and carries,
who is there, its health and score, its goals and the last few turns'
events. The narrator model is told to mention nothing else, so this is
where the perception rule is enforced:

* **only what the actor perceives** appears, by the standard scope rules
  (:func:`~fabula.actions.standard.visible`): nothing in a closed opaque
  container, in another room, or in the dark. In a dark room the context
  says only that it is dark, and what the actor carries;
* **exits are directions**, with the door on the way and its state where
  there is one, never the room beyond: the template narrator's room
  description does not name it either, so the model must not;
* **things are listed flat**, one line each, with where they are inside the
  room (``a tinderbox (on the workbench)``), so that cutting a line's detail
  to fit a budget never hides another thing.

Invariants:
    * :meth:`StateContext.text` is a pure function of the context, and the
      context a pure function of the world's components: two builds of the
      same state give the same bytes, whatever order entities were created
      in (lists are sorted by what they say, never by entity handle);
    * every name in the context is the name of the actor's room or of an
      entity in ``visible(world, actor)``, which includes what it carries.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

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
    Portable,
    Room,
    Score,
    Supporter,
    contents,
    is_lit,
    room_of,
    sees_inside,
    visible,
)
from fabula.ecs import WorldView

__all__ = ["DARK", "Seen", "StateContext", "StateContextBuilder", "salience"]

DARK = "It is pitch dark. You can't see a thing."
"""What a dark room's description is replaced with (the template narrator's words)."""

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=\S)")


@dataclass(frozen=True, slots=True)
class Seen:
    """One perceived thing or person, as a line of the context.

    Attributes:
        name: the indefinite name ("a storm lantern", "Tamsin").
        detail: its state and where it is ("lit, on the workbench"); empty if
            there is nothing to say. A prompt over budget loses details first
            (lowest salience first), never names.
        salience: how much the detail matters, 0 to 4 (see :func:`salience`).
        entity_name: the bare name, for :meth:`StateContext.perceivable_names`.

    >>> str(Seen("a storm lantern", "lit"))
    'a storm lantern (lit)'
    """

    name: str
    detail: str = ""
    salience: int = 0
    entity_name: str = ""

    def __str__(self) -> str:
        return f"{self.name} ({self.detail})" if self.detail else self.name

    def plain(self) -> Seen:
        """The same line without its detail."""
        return replace(self, detail="")


@dataclass(frozen=True, slots=True)
class StateContext:
    """What an actor perceives, in parts, and as text (:meth:`text`).

    Attributes:
        location: the room's name, capitalised ("Boathouse"); "Darkness"
            in an unlit room, "Nowhere" outside any room.
        description: the room's description, on one line (:data:`DARK` in
            the dark).
        exits: the ways out in compass order ("east", "north (through the
            lighthouse door: closed, locked)"); none in the dark.
        things: what the actor sees in the room, outside people and its own
            inventory, in a fixed order.
        people: the other actors in the room.
        inventory: what the actor carries or wears, and what is visibly in
            or on those things.
        status: "health 9 of 12", "score 5 of 25".
        goals: the active goals, as given.
        events: the last few turns' events, oldest first, as given.
        names: the bare names of everything above (see
            :meth:`perceivable_names`).
    """

    location: str
    description: str = ""
    exits: tuple[str, ...] = ()
    things: tuple[Seen, ...] = ()
    people: tuple[Seen, ...] = ()
    inventory: tuple[Seen, ...] = ()
    status: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()
    events: tuple[str, ...] = ()
    names: tuple[str, ...] = ()

    def text(self) -> str:
        """The context as sections, in a fixed order; empty sections are left
        out, except what the actor carries (an empty hand is worth saying).

        >>> print(StateContext("Hall", "A bare hall.", ("north",)).text())
        Place: Hall
        A bare hall.
        Exits: north
        You carry: nothing
        """
        out = [f"Place: {self.location}"]
        if self.description:
            out.append(self.description)
        if self.exits:
            out.append("Exits: " + ", ".join(self.exits))
        _section(out, "You see", self.things)
        _section(out, "People here", self.people)
        if self.inventory:
            _section(out, "You carry", self.inventory)
        else:
            out.append("You carry: nothing")
        if self.status:
            out.append("Status: " + "; ".join(self.status))
        _section(out, "Goals", self.goals)
        _section(out, "Recent events", self.events)
        return "\n".join(out)

    def perceivable_names(self) -> tuple[str, ...]:
        """The names a narrator may mention: the room (if lit), the doors on
        the way out, and every thing and person listed, sorted."""
        return self.names

    def sentences(self) -> tuple[str, ...]:
        """The description cut into sentences (how a budget shortens it)."""
        return tuple(_SENTENCE.split(self.description)) if self.description else ()


def _section(out: list[str], title: str, lines: Sequence[object]) -> None:
    if lines:
        out.append(f"{title}:")
        out.extend(f"- {line}" for line in lines)


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
            raise ValueError(f"recent must be 0 or more, not {recent}")
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
        text = world.try_get(room, Description, readonly=True)
        return StateContext(
            location=title[:1].upper() + title[1:],
            description=" ".join(text.text.split()) if text is not None else "",
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
        if target is None:
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
    return tuple(out)


def _name(world: WorldView, entity: int) -> str:
    named = world.try_get(entity, Named, readonly=True)
    return (
        named.name if named is not None else "somewhere" if world.has(entity, Room) else "something"
    )


def _the(world: WorldView, entity: int) -> str:
    named = world.try_get(entity, Named, readonly=True)
    return named.definite() if named is not None else "something"
