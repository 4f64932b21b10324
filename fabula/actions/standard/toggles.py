"""Actions that set one flag of the thing they act on: the shape shared by
``open``/``close``, ``switch_on``/``switch_off`` and ``lock``/``unlock``.

Each says three things, so each is declared rather than written: which
component and which of its boolean fields it sets, to what, and the two
refusals every such action has (the thing has no such component; the flag
already has that value). A game's own ("pull lever") is declared the same
way; checks of its own go after ``super().validate(...)``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel

from fabula.actions.action import Action, ActionContext, Refusal, RuleContext
from fabula.actions.standard.preconditions import alive, in_reach
from fabula.actions.standard.senses import Target

__all__ = ["Toggle"]


class Toggle(Action):
    """Sets ``component.flag`` of the item to ``value``.

    The validator refuses, in this order: ``missing`` when the item has no
    ``component``, ``already`` when its flag already equals ``value``; each
    is a ``(code, reason)`` pair, told with ``{"item": item}`` as its facts.
    The executor sets the flag. ``requires`` is the standard pair (the actor
    is alive and can touch the item); ``Params`` needs an ``item`` field.

    Example:
        >>> from fabula.actions import action
        >>> from fabula.actions.standard import LightSource
        >>> @action("snuff", description="Snuff a candle.", verbs=("snuff",))
        ... class Snuff(Toggle):
        ...     component, flag, value = LightSource, "lit", False
        ...     missing = ("NOT_A_LIGHT", "that isn't a light.")
        ...     already = ("ALREADY_OFF", "it isn't lit.")
        >>> Snuff.requires
        (alive, in_reach('item'))
    """

    Params: ClassVar[type[BaseModel]] = Target
    requires = (alive, in_reach("item"))
    component: ClassVar[type]
    flag: ClassVar[str]
    value: ClassVar[bool]
    missing: ClassVar[tuple[str, str]]
    already: ClassVar[tuple[str, str]]

    def validate(self, ctx: RuleContext, params: Any) -> Refusal | None:
        state = ctx.world.try_get(params.item, self.component)
        if state is None:
            return Refusal(*self.missing, {"item": params.item})
        if getattr(state, self.flag) == self.value:
            return Refusal(*self.already, {"item": params.item})
        return None

    def execute(self, ctx: ActionContext, params: Any) -> None:
        setattr(ctx.world.get(params.item, self.component), self.flag, self.value)
