"""The commands each timed turn plays, and the checks that each was played
with its effect.

:data:`CYCLE` is fifteen legal, non-ending commands from the demo's start
room, played in turn; one round leaves the world as it found it, apart from
the clock, so every turn does a whole turn's work. :class:`Checks` runs and
counts a run's checks (a failed one raises
:class:`~benchmarks.ecs.VerificationError`, and no figure is printed);
:func:`check_played` reads what a turn did from the session's journal,
the turn's events and the world, and checks that the command was parsed,
applied and had its effect (found through :class:`Places`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from benchmarks.ecs import VerificationError
from fabula.actions.standard import Actor, Named, Openable, contents, holder_of, room_of
from fabula.content import ContentGame
from fabula.ecs import WorldView
from fabula.events import Event, OnActionRefused, OnActionSuccess
from fabula.persistence import TurnRecord
from fabula.session import Reply, Session

__all__ = ["CYCLE", "Checks", "Places", "Step", "check_played", "step_for"]


@dataclass(frozen=True, slots=True)
class Step:
    """One command of :data:`CYCLE`, the action it must parse to, and what
    must hold after it (checked every time it is played).

    Attributes:
        command: what the player types.
        action: the one action id it must parse to (and be applied).
        thing: the thing the check is about (its name), or ``"player"``;
            empty: nothing to check beyond the action being applied.
        where: where ``thing`` must be after the turn: ``"player"`` (held),
            ``"here"`` (in the player's room), another thing's name, a room's
            id (for the player), or ``"open"`` / ``"closed"``.
    """

    command: str
    action: str
    thing: str = ""
    where: str = ""


CYCLE: tuple[Step, ...] = (
    Step("look", "look"),
    Step("x kettle", "examine"),
    Step("take kettle", "take", "copper kettle", "player"),
    Step("i", "inventory"),
    Step("open chest", "open", "sea chest", "open"),
    Step("x compass", "examine"),
    Step("close chest", "close", "sea chest", "closed"),
    Step("drop kettle", "drop", "copper kettle", "here"),
    Step("take knife", "take", "gutting knife", "player"),
    Step("put knife on crate", "put", "gutting knife", "fish crate"),
    Step("w", "go", "player", "boathouse"),
    Step("x workbench", "examine"),
    Step("e", "go", "player", "harbour"),
    Step("wait", "wait"),
    Step("examine lamp", "examine"),
)
"""Legal, non-ending commands from the demo's start room, played in turn
(turn *t* plays ``CYCLE[(t - 1) % len(CYCLE)]``). One round leaves the
world as it found it, apart from the clock: every command is accepted every
time, so every turn does a whole turn's work."""


def step_for(turn: int) -> Step:
    """The command turn ``turn`` plays."""
    return CYCLE[(turn - 1) % len(CYCLE)]


class Checks:
    """Runs a run's checks and counts them (the tests read the counts)."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.counts: Counter[str] = Counter()

    def __call__(self, name: str, ok: bool, detail: Callable[[], str]) -> None:
        if not ok:
            raise VerificationError(f"{self.where}: {name}: {detail()}; the figure would be void.")
        self.counts[name] += 1


class Places:
    """The start room's things (by name) and the game's rooms (by id)."""

    def __init__(self, game: ContentGame, world: WorldView) -> None:
        self.rooms = game.ids(world)
        start = self.rooms[game.files.game.start]
        self.things: dict[str, int] = {}
        holders = [start]
        while holders:
            for thing in contents(world, holders.pop()):
                named = world.try_get(thing, Named, readonly=True)
                if named is not None and not world.has(thing, Actor):
                    self.things[named.name] = thing
                    holders.append(thing)


def check_played(
    session: Session,
    before: int,
    step: Step,
    reply: Reply,
    events: Sequence[Event],
    places: Places,
    check: Checks,
) -> TurnRecord:
    """``session`` has just played ``step`` from turn ``before``: one turn was
    journalled with the command's one action (*parsed*), the player's action
    succeeded and nothing was refused (*applied*, from the turn's ``events``),
    it had its effect (*effect*), and the game goes on (*not ended*). Only
    the player's actions count.

    Returns:
        The turn's journal row.
    """
    turn = session.save.turn
    check("turn", reply.turn == turn == before + 1, lambda: f"{step.command!r} played no turn")
    (row,) = session.save.records(before, turn)
    world, player = session.view, session.player
    done = [e.action for e in events if isinstance(e, OnActionSuccess) and e.actor == player]
    refused = [e.code for e in events if isinstance(e, OnActionRefused) and e.actor == player]
    check(
        "parsed",
        tuple(a.action for a in row.actions) == (step.action,),
        lambda: f"{step.command!r} was journalled as {row.actions!r}, not {step.action!r}",
    )
    check(
        "applied",
        step.action in done and not refused,
        lambda: f"{step.command!r} was refused: {refused}",
    )
    check("not ended", reply.ended is None, lambda: f"the game ended ({reply.ended})")
    if not step.thing:
        return row
    if step.thing == "player":
        ok = room_of(world, player) == places.rooms[step.where]
    elif step.where in ("open", "closed"):
        door = world.get(places.things[step.thing], Openable, readonly=True)
        ok = door.open == (step.where == "open")
    else:
        holder = holder_of(world, places.things[step.thing])
        want = {"player": player, "here": room_of(world, player)}.get(step.where)
        ok = holder == (want if want is not None else places.things[step.where])
    check("effect", ok, lambda: f"after {step.command!r}, {step.thing} is not {step.where}")
    return row
