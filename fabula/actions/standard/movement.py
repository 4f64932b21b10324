"""Moving between rooms: ``go`` (and ``wait``, which lets time pass in place)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from fabula.actions.action import (
    Action,
    ActionContext,
    NoParams,
    Refusal,
    RuleContext,
    action,
)
from fabula.actions.precondition import precondition
from fabula.actions.standard.components import (
    Direction,
    Door,
    ExitRules,
    Exits,
    Location,
    Lockable,
    Openable,
)
from fabula.actions.standard.conditions import condition_holds
from fabula.actions.standard.preconditions import alive
from fabula.actions.standard.scope import room_of
from fabula.ecs import WorldView
from fabula.events import OnMove

__all__ = ["Go", "Heading", "Wait", "destination", "door_open", "exit_allowed", "way_open"]


class Heading(BaseModel):
    """Parameters of ``go``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    direction: Direction


def destination(world: WorldView, room: int, direction: str) -> tuple[int | None, int | None]:
    """Where ``direction`` leads from ``room``: ``(room beyond, door on the way)``.

    ``(None, None)`` when there is no exit that way.
    """
    exits = world.try_get(room, Exits, readonly=True)
    target = None if exits is None else exits.ways.get(direction)
    if target is None or target not in world:
        return None, None
    door = world.try_get(target, Door, readonly=True)
    if door is None:
        return target, None
    a, b = door.sides
    return (b if room == a else a), target


def way_open(world: WorldView, room: int, direction: str) -> bool:
    """Whether the room's author lets anyone go ``direction`` now: not an exit
    that only refuses, nor a conditional one whose condition fails. (Where it
    leads, and any door on the way, are :func:`destination`'s.)"""
    rules = world.try_get(room, ExitRules, readonly=True)
    if rules is None:
        return True
    condition = rules.conditions.get(direction)
    if condition is not None:
        return condition_holds(world, condition)
    return direction not in rules.refusals


@precondition("the author lets the actor go {field}")
def exit_allowed(ctx: RuleContext, direction: str) -> Refusal | None:
    """Refuse a way its room's author closed (:class:`ExitRules`): an exit
    that only refuses, with the author's words (``EXIT_REFUSED``, told as
    written), or a conditional exit whose condition does not hold now (with
    the author's words, else as no exit at all, ``NO_EXIT``). Checked before
    any door, so a closed way is never opened first."""
    room = room_of(ctx.world, ctx.actor)
    if room is None:
        return None
    if way_open(ctx.world, room, direction):
        return None
    rules = ctx.world.get(room, ExitRules, readonly=True)
    text = rules.refusals.get(direction)
    if text:
        return Refusal("EXIT_REFUSED", text, {"direction": direction})
    return Refusal("NO_EXIT", f"you can't go {direction} from here.", {"direction": direction})


@precondition("the way {field} is not shut by a closed door", satisfied_by="open")
def door_open(ctx: RuleContext, direction: str) -> Refusal | None:
    """``LOCKED`` or ``CLOSED`` when the way ``direction`` leads through a
    closed door. The refusal names the door, so Rules tries opening it first
    ("(first opening the door)"), as Inform and TADS 3 do; a locked door then
    refuses the opening, and the going with it. No room or no exit passes:
    the validator says so."""
    room = room_of(ctx.world, ctx.actor)
    if room is None:
        return None
    _, door = destination(ctx.world, room, direction)
    if door is None:
        return None
    facts = {"item": door, "direction": direction}
    lock = ctx.world.try_get(door, Lockable, readonly=True)
    if lock is not None and lock.locked:
        return Refusal("LOCKED", "it is locked.", facts)
    opening = ctx.world.try_get(door, Openable, readonly=True)
    if opening is not None and not opening.open:
        return Refusal("CLOSED", "it is closed.", facts)
    return None


@action(
    "go",
    description="Walk through an exit: north, south, east, west, the diagonals, up, down, in, out.",
    verbs=("go", "walk", "run", "head", "climb"),
    syntax=(
        "{verb} {direction}",
        "{direction}",
        "go|walk|head to|towards {direction}",
        "enter -> direction=in",
        "climb -> direction=up",
    ),
)
class Go(Action):
    Params = Heading
    requires = (alive, exit_allowed("direction"), door_open("direction"))

    def validate(self, ctx: RuleContext, params: Heading) -> Refusal | None:
        room = room_of(ctx.world, ctx.actor)
        if room is None:
            return Refusal("NOWHERE", "you are nowhere.")
        beyond, _ = destination(ctx.world, room, params.direction)
        if beyond is None:
            return Refusal(
                "NO_EXIT",
                f"you can't go {params.direction} from here.",
                {"direction": params.direction},
            )
        return None  # a closed door on the way: see door_open

    def execute(self, ctx: ActionContext, params: Heading) -> None:
        room = room_of(ctx.world, ctx.actor)
        assert room is not None  # the validator checked
        beyond, _ = destination(ctx.world, room, params.direction)
        assert beyond is not None
        ctx.world.insert(ctx.actor, Location(beyond))
        ctx.emit(OnMove(actor=ctx.actor, from_room=room, to_room=beyond))


@action("wait", description="Let a moment pass.", verbs=("wait", "z"))
class Wait(Action):
    Params = NoParams
    requires = (alive,)

    def execute(self, ctx: ActionContext, params: NoParams) -> None:
        pass
