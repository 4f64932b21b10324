"""Putting things in containers and on supporters: ``put X in Y``, ``put X on Y``."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from fabula.actions.action import Action, ActionContext, Refusal, RuleContext, action
from fabula.actions.standard.components import Container, Location, Openable, Supporter
from fabula.actions.standard.preconditions import alive, held, in_reach, not_worn
from fabula.actions.standard.scope import contents, holder_of

__all__ = ["Placement", "Put"]


class Placement(BaseModel):
    """Parameters of ``put``: what, where, and whether in or on it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    item: int
    target: int
    how: Literal["in", "on"] = "in"


@action(
    "put",
    description="Put something you hold in a container or on a surface.",
    verbs=("put", "place", "insert"),
    syntax=("{verb} {item} in|into|inside {target}", "{verb} {item} on|onto {target} -> how=on"),
)
class Put(Action):
    Params = Placement
    requires = (alive, in_reach("item"), held("item"), not_worn("item"), in_reach("target"))

    def validate(self, ctx: RuleContext, params: Placement) -> Refusal | None:
        facts = {"item": params.item, "target": params.target}
        if params.item == params.target or _inside(ctx, params.target, params.item):
            return Refusal("IMPOSSIBLE", "you can't put something inside itself.", facts)
        if params.how == "in":
            container = ctx.world.try_get(params.target, Container)
            if container is None:
                return Refusal("NOT_A_CONTAINER", "you can't put things in that.", facts)
            opening = ctx.world.try_get(params.target, Openable)
            if opening is not None and not opening.open:
                return Refusal("CLOSED", "it is closed.", {"item": params.target})
            capacity = container.capacity
        else:
            supporter = ctx.world.try_get(params.target, Supporter)
            if supporter is None:
                return Refusal("NOT_A_SUPPORTER", "you can't put things on that.", facts)
            capacity = supporter.capacity
        if len(contents(ctx.world, params.target)) >= capacity:
            return Refusal("FULL", "there is no more room.", facts)
        return None

    def execute(self, ctx: ActionContext, params: Placement) -> None:
        ctx.world.insert(params.item, Location(params.target, params.how))


def _inside(ctx: RuleContext, entity: int, outer: int) -> bool:
    """Whether ``entity`` is (recursively) held by ``outer``."""
    current = holder_of(ctx.world, entity)
    for _ in range(64):
        if current is None:
            return False
        if current == outer:
            return True
        current = holder_of(ctx.world, current)
    return False
