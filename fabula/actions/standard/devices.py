"""Lights and gadgets: ``switch_on``, ``switch_off``, and ``use``.

``use`` is deliberately generic: the standard rule only says nothing happens.
A game gives it meaning by registering its own ``use`` action (same id,
``replace=True``), or better, by adding a precise action ("pull lever").
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from fabula.actions.action import Action, ActionContext, Refusal, RuleContext, action
from fabula.actions.standard.components import LightSource
from fabula.actions.standard.preconditions import alive, in_reach
from fabula.actions.standard.senses import Target

__all__ = ["Application", "SwitchOff", "SwitchOn", "Use"]


class Application(BaseModel):
    """Parameters of ``use``: a thing, optionally on another."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    item: int
    target: int | None = None


@action(
    "switch_on",
    description="Light a lamp or switch something on.",
    verbs=("light", "switch on", "turn on"),
    syntax=("light {item}", "switch|turn on {item}", "switch|turn {item} on"),
)
class SwitchOn(Action):
    Params = Target
    requires = (alive, in_reach("item"))

    def validate(self, ctx: RuleContext, params: Target) -> Refusal | None:
        light = ctx.world.try_get(params.item, LightSource)
        if light is None:
            return Refusal("NOT_A_LIGHT", "that can't be lit.", {"item": params.item})
        if light.lit:
            return Refusal("ALREADY_ON", "it is already lit.", {"item": params.item})
        return None

    def execute(self, ctx: ActionContext, params: Target) -> None:
        ctx.world.get(params.item, LightSource).lit = True


@action(
    "switch_off",
    description="Put out a light or switch something off.",
    verbs=("extinguish", "switch off", "turn off", "put out", "douse"),
    syntax=(
        "extinguish|douse {item}",
        "switch|turn|put off|out {item}",
        "switch|turn|put {item} off|out",
    ),
)
class SwitchOff(Action):
    Params = Target
    requires = (alive, in_reach("item"))

    def validate(self, ctx: RuleContext, params: Target) -> Refusal | None:
        light = ctx.world.try_get(params.item, LightSource)
        if light is None:
            return Refusal("NOT_A_LIGHT", "that isn't a light.", {"item": params.item})
        if not light.lit:
            return Refusal("ALREADY_OFF", "it isn't lit.", {"item": params.item})
        return None

    def execute(self, ctx: ActionContext, params: Target) -> None:
        ctx.world.get(params.item, LightSource).lit = False


@action(
    "use",
    description="Use something (on something else).",
    verbs=("use", "apply"),
    syntax=("{verb} {item}", "{verb} {item} on|with {target}"),
)
class Use(Action):
    Params = Application
    requires = (alive, in_reach("item"), in_reach("target"))

    def validate(self, ctx: RuleContext, params: Application) -> Refusal | None:
        facts = {"item": params.item} | ({} if params.target is None else {"target": params.target})
        return Refusal("NOTHING_HAPPENS", "nothing happens.", facts)

    def execute(self, ctx: ActionContext, params: Application) -> None:  # pragma: no cover
        raise AssertionError("the standard use action allows nothing")
