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
from fabula.actions.standard.components import (
    Direction,
    Door,
    Exits,
    Location,
    Lockable,
    Openable,
)
from fabula.actions.standard.preconditions import alive
from fabula.actions.standard.scope import room_of
from fabula.ecs import WorldView
from fabula.events import OnMove

__all__ = ["Go", "Heading", "Wait", "destination"]


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


@action(
    "go",
    description="Walk through an exit: north, south, east, west, the diagonals, up, down, in, out.",
    verbs=("go", "walk", "run", "head", "climb"),
    syntax=(
        "{verb} {direction}",
        "{direction}",
        "go|walk|head to|towards {direction}",
        "enter -> direction=in",
        "leave -> direction=out",
        "climb -> direction=up",
    ),
)
class Go(Action):
    Params = Heading
    requires = (alive,)

    def validate(self, ctx: RuleContext, params: Heading) -> Refusal | None:
        room = room_of(ctx.world, ctx.actor)
        if room is None:
            return Refusal("NOWHERE", "you are nowhere.")
        beyond, door = destination(ctx.world, room, params.direction)
        if beyond is None:
            return Refusal(
                "NO_EXIT",
                f"you can't go {params.direction} from here.",
                {"direction": params.direction},
            )
        if door is not None:
            lock = ctx.world.try_get(door, Lockable)
            if lock is not None and lock.locked:
                return Refusal(
                    "LOCKED", "it is locked.", {"item": door, "direction": params.direction}
                )
            opening = ctx.world.try_get(door, Openable)
            if opening is not None and not opening.open:
                return Refusal(
                    "CLOSED", "it is closed.", {"item": door, "direction": params.direction}
                )
        return None

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
