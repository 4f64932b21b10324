"""``exit`` (``leave``, ``get out``): going out, as Inform 7's exiting does.

fabula's actors stand in rooms, never inside furniture, so exiting is Inform's
"convert exit into go out" rule: where the room has a way ``out``, it is
going that way (through a door, opened first, like any going); where it has
none, "But you aren't in anything at the moment." (``out`` alone is the
direction, and says "You can't go that way." where there is none, as in
Inform.)
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from fabula.actions.action import Refusal, RuleContext, action
from fabula.actions.standard.movement import Go, destination
from fabula.actions.standard.scope import room_of

__all__ = ["Exit", "Outward"]


class Outward(BaseModel):
    """Parameters of ``exit``: always the way out."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    direction: Literal["out"] = "out"


@action(
    "exit",
    description="Go out, or get out of where you are.",
    verbs=("exit", "leave", "get out", "go out", "climb out"),
    syntax=("exit", "leave", "get|climb|step out", "get|climb|step outside", "leave here"),
)
class Exit(Go):
    Params = Outward  # type: ignore[assignment]

    def validate(self, ctx: RuleContext, params: Outward) -> Refusal | None:  # type: ignore[override]
        room = room_of(ctx.world, ctx.actor)
        if room is not None and destination(ctx.world, room, "out")[0] is None:
            return Refusal("NOT_INSIDE", "but you aren't in anything at the moment.")
        return super().validate(ctx, params)  # type: ignore[arg-type]
