"""What the player character perceives, as a record and as compact text for
a model's prompt.

A :class:`StateContext` holds, in parts, where the actor is, the ways out,
what it sees and carries, who is there, its health and score, its goals and
the last few turns' events; :meth:`StateContext.text` lays it out in a
fixed order of sections, and a prompt over its budget cuts it line by line
(:mod:`fabula.context.assemble`). What goes *into* it, and the perception
rule that decides that, is :mod:`fabula.context.perception`; this module is
only the record and how it reads, so that a builder, the prompt assembly and
tests share one shape.

Invariants:
    * :meth:`StateContext.text` is a pure function of the context: the same
      context gives the same bytes;
    * **things are listed flat**, one :class:`Seen` line each, with where
      they are inside the room (``a tinderbox (on the workbench)``), so that
      cutting a line's detail to fit a budget never hides another thing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

__all__ = ["DARK", "Seen", "StateContext"]

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
        salience: how much the detail matters, 0 to 4 (see
            :func:`~fabula.context.salience`).
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
