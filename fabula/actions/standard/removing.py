"""``take X from Y`` (``remove X from Y``, ``get X out of Y``): taking, said
with where the thing is.

As in Inform 7, removing is not an action in its own right: once the thing
is known to be where the player says, it is taking (the same rules, the
same ``OnTake``, the same points). It only adds the replies to impossible
requests: "But it isn't there now." when the thing is elsewhere, and "That
seems to belong to Tamsin." for what a person carries.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from fabula.actions.action import ActionContext, Refusal, RuleContext, action
from fabula.actions.standard.components import Actor
from fabula.actions.standard.handling import Take
from fabula.actions.standard.preconditions import alive, in_reach, in_sight
from fabula.actions.standard.scope import holder_of
from fabula.actions.standard.senses import Target

__all__ = ["RemoveFrom", "Source"]


class Source(BaseModel):
    """Parameters of ``remove_from``: the thing, and where it is taken from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    item: int
    source: int


@action(
    "remove_from",
    description="Take something out of a container or off a surface.",
    verbs=("take", "get", "remove", "pick"),
    syntax=(
        "take|get|remove|grab {item} from {source}",
        "take|get|remove|grab {item} out of {source}",
        "take|get|remove|grab {item} off {source}",
        "take|get|remove|grab {item} off of {source}",
        "take|get|remove|grab {item} in|inside|on {source}",
        "pick {item} up from|off {source}",
        "pick up {item} from|off {source}",
    ),
)
class RemoveFrom(Take):
    Params = Source
    requires = (alive, in_sight("source"), in_sight("item"))

    def validate(self, ctx: RuleContext, params: Source) -> Refusal | None:  # type: ignore[override]
        holder = holder_of(ctx.world, params.item)
        facts = {"item": params.item, "source": params.source}
        if holder == ctx.actor:
            return Refusal("ALREADY_HELD", "you already have it.", {"item": params.item})
        if holder != params.source:
            return Refusal("NOT_THERE", "but it isn't there now.", facts)
        if ctx.world.has(params.source, Actor) and params.source != ctx.actor:
            return Refusal("BELONGS_TO", "that seems to belong to someone.", facts)
        return in_reach.test(ctx, params.item) or super().validate(ctx, Target(item=params.item))

    def execute(self, ctx: ActionContext, params: Source) -> None:  # type: ignore[override]
        super().execute(ctx, Target(item=params.item))
