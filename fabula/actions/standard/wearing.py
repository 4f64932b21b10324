"""Clothes and armour: ``wear``, ``take_off``; food and drink: ``eat``, ``drink``."""

from __future__ import annotations

from typing import ClassVar

from fabula.actions.action import Action, ActionContext, Refusal, RuleContext, action
from fabula.actions.precondition import precondition
from fabula.actions.standard.components import (
    Drinkable,
    Edible,
    Health,
    Location,
    Portable,
    Wearable,
)
from fabula.actions.standard.preconditions import alive, held, in_reach
from fabula.actions.standard.senses import Target

__all__ = ["Drink", "Eat", "TakeOff", "Wear", "edible", "in_hand"]


@action(
    "wear",
    description="Put on something you hold.",
    verbs=("wear", "put on", "don"),
    syntax=("{verb} {item}", "put {item} on"),
)
class Wear(Action):
    Params = Target
    requires = (alive, in_reach("item"), held("item"))

    def validate(self, ctx: RuleContext, params: Target) -> Refusal | None:
        if not ctx.world.has(params.item, Wearable):
            return Refusal("NOT_WEARABLE", "you can't wear that.", {"item": params.item})
        if ctx.world.get(params.item, Location).how == "worn":
            return Refusal("ALREADY_WORN", "you are already wearing it.", {"item": params.item})
        return None

    def execute(self, ctx: ActionContext, params: Target) -> None:
        ctx.world.insert(params.item, Location(ctx.actor, "worn"))


@action(
    "take_off",
    description="Take off something you wear.",
    verbs=("take off", "remove", "doff"),
    syntax=("{verb} {item}", "take {item} off"),
)
class TakeOff(Action):
    Params = Target
    requires = (alive, held("item", satisfied_by=None))

    def validate(self, ctx: RuleContext, params: Target) -> Refusal | None:
        if ctx.world.get(params.item, Location).how != "worn":
            return Refusal("NOT_WORN", "you aren't wearing it.", {"item": params.item})
        return None

    def execute(self, ctx: ActionContext, params: Target) -> None:
        ctx.world.insert(params.item, Location(ctx.actor, "held"))


class _Consume(Action):
    """``eat`` and ``drink``: the item must be ``food`` (a component with a
    ``heals`` field), else ``missing``; consuming it heals the actor that
    much, up to its maximum, and the item is gone."""

    Params = Target
    requires = (alive, in_reach("item"))
    food: ClassVar[type[Edible] | type[Drinkable]]
    missing: ClassVar[tuple[str, str]]

    def validate(self, ctx: RuleContext, params: Target) -> Refusal | None:
        if not ctx.world.has(params.item, self.food):
            return Refusal(*self.missing, {"item": params.item})
        return None

    def execute(self, ctx: ActionContext, params: Target) -> None:
        heals = ctx.world.get(params.item, self.food, readonly=True).heals
        health = ctx.world.try_get(ctx.actor, Health)
        if health is not None and heals:
            health.hp = min(health.max_hp, health.hp + heals)
        ctx.world.despawn(params.item)


@precondition("the {field} is food")
def edible(ctx: RuleContext, entity: int) -> Refusal | None:
    """``NOT_EDIBLE`` unless ``entity`` is :class:`Edible` (checked before
    ``held``, so nobody picks up a door to find it is not food)."""
    if ctx.world.has(entity, Edible):
        return None
    return Refusal("NOT_EDIBLE", "that's not something you can eat.", {"item": entity})


@precondition("the actor holds the {field}, if it can be carried", satisfied_by="take")
def in_hand(ctx: RuleContext, entity: int) -> Refusal | None:
    """:data:`held` for what can be carried; what cannot (berries on a bush)
    is eaten where it is, as Inform's "can't eat portable food without
    carrying it" rule has it."""
    if not ctx.world.has(entity, Portable):
        return None
    return held.test(ctx, entity)


@action("eat", description="Eat something (you pick it up first).", verbs=("eat", "consume"))
class Eat(_Consume):
    """``eat``: food that can be carried must be held, as in Inform and
    TextWorld; food within reach is taken first ("(first taking the bread)")."""

    requires = (alive, in_reach("item"), edible("item"), in_hand("item"))
    food = Edible
    missing = ("NOT_EDIBLE", "that's not something you can eat.")


@action("drink", description="Drink something.", verbs=("drink", "sip", "quaff"))
class Drink(_Consume):
    food = Drinkable
    missing = ("NOT_DRINKABLE", "you can't drink that.")
