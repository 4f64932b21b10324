"""Gull's End: nobody takes what you will need for the light.

This replaces the standard ``give`` action (same id), keeping its rules
(``super().validate``). Inform blocks giving by default ("Tamsin doesn't
seem interested."); here Tamsin hands it back kindly and the crab snaps at
the offering, so a gift can never leave the game unwinnable in silence.
"""

from __future__ import annotations

from fabula.actions import Refusal, RuleContext, action, action_info
from fabula.actions.standard import Give, Handover, Hostile
from fabula.content import Ident

_STANDARD = action_info(Give)  # the standard action's words, whatever they become


@action(
    "give",
    description=_STANDARD.description,
    verbs=_STANDARD.verbs,
    syntax=_STANDARD.syntax,
)
class Offer(Give):
    """``give``, declined: the people of Gull's End want you to keep your things."""

    overrides = "give"  # replaces the standard action, on purpose

    def validate(self, ctx: RuleContext, params: Handover) -> Refusal | None:
        refusal = super().validate(ctx, params)
        if refusal is not None:
            return refusal
        facts = {"item": params.item, "target": params.target}
        if ctx.world.has(params.target, Hostile):
            return Refusal("GIFT_SNAPPED", "it would take your hand with it.", facts)
        ident = ctx.world.try_get(params.target, Ident)
        if ident is not None and ident.id == "tamsin":
            return Refusal("GIFT_DECLINED", "Tamsin wants you to keep it.", facts)
        return None
