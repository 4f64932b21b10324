"""Lights and gadgets: ``switch_on``, ``switch_off``, and ``use``.

``use`` is deliberately generic: the standard rule only says nothing happens.
A game gives it meaning by registering its own ``use`` action (same id,
``replace=True``), or better, by adding a precise action ("pull lever", a
:class:`~fabula.actions.standard.Toggle` if it sets one flag).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from fabula.actions.action import Action, ActionContext, Refusal, RuleContext, action
from fabula.actions.standard.components import LightSource
from fabula.actions.standard.preconditions import alive, in_reach
from fabula.actions.standard.toggles import Toggle

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
class SwitchOn(Toggle):
    component, flag, value = LightSource, "lit", True
    missing = ("NOT_A_LIGHT", "that can't be lit.")
    already = ("ALREADY_ON", "it is already lit.")


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
class SwitchOff(Toggle):
    component, flag, value = LightSource, "lit", False
    missing = ("NOT_A_LIGHT", "that isn't a light.")
    already = ("ALREADY_OFF", "it isn't lit.")


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
