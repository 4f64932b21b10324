"""Gull's End: nothing burns without the tinderbox, and the great lamp only
takes a flame once it holds oil and a fresh wick.

This replaces the standard ``switch_on`` action (same id): it keeps every
standard rule and adds the game's own. Its preconditions extend the standard
action's (the actor is alive and can touch the thing) with the flame named
in "light lamp with tinderbox", which must be held: a tinderbox lying within
reach, or in the open satchel you carry, is taken first ("(first taking the
tinderbox)"). Its validator only adds what is particular to Gull's End,
after the standard checks (``super().validate``).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from fabula.actions import Refusal, RuleContext, action
from fabula.actions.standard import SwitchOn, contents, held, in_reach, inventory
from fabula.content import Ident


class Kindling(BaseModel):
    """What to light, and (optionally) what to light it with."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    item: int
    tool: int | None = None


def _ids(ctx: RuleContext, entities: frozenset[int]) -> set[str]:
    return {ident.id for e in entities if (ident := ctx.world.try_get(e, Ident)) is not None}


@action(
    "switch_on",
    description="Light a lamp or a lantern (you will need a flame).",
    verbs=("light", "kindle", "ignite"),
    syntax=(
        "{verb} {item}",
        "{verb} {item} with {tool}",
        "switch|turn on {item}",
        "switch|turn {item} on",
    ),
)
class Kindle(SwitchOn):
    """``switch_on`` that needs the tinderbox, and oil and a wick in the great lamp."""

    overrides = "switch_on"  # replaces the standard action, on purpose

    Params = Kindling
    requires = (*SwitchOn.requires, in_reach("tool"), held("tool"))

    def validate(self, ctx: RuleContext, params: Kindling) -> Refusal | None:
        refusal = super().validate(ctx, params)
        if refusal is not None:
            return refusal
        if params.tool is not None and "tinderbox" not in _ids(ctx, frozenset({params.tool})):
            return Refusal("NOT_A_FLAME", "that won't light anything.", {"item": params.tool})
        if "tinderbox" not in _ids(ctx, inventory(ctx.world, ctx.actor)):
            return Refusal("NO_FLAME", "you have nothing to light it with.", {"item": params.item})
        ident = ctx.world.try_get(params.item, Ident)
        if ident is not None and ident.id == "great-lamp":
            inside = _ids(ctx, contents(ctx.world, params.item))
            missing = [need for need in ("oil", "wick") if need not in inside]
            if missing:
                return Refusal(
                    "LAMP_NOT_READY",
                    f"the great lamp has no {' and no '.join(missing)}.",
                    {"item": params.item, "missing": missing},
                )
        return None
