"""The lesser senses: ``listen`` (to X), ``smell`` (X), ``touch X``, ``taste X``.

As in Inform 7, the standard world model has no sounds or smells: listening
and smelling, with or without a thing, find nothing unexpected, and so does
touching a thing (a person "might not like that"; touching oneself achieves
nothing). They change nothing and succeed; a game makes a room's sea audible
by registering its own action under the same id (``replace=True``).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from fabula.actions.action import Action, ActionContext, Refusal, RuleContext, action
from fabula.actions.standard.components import Actor
from fabula.actions.standard.preconditions import alive, in_reach, in_sight
from fabula.actions.standard.senses import Target

__all__ = ["Listen", "MaybeTarget", "Smell", "Taste", "Touch"]


class MaybeTarget(BaseModel):
    """Parameters of an action on one thing, or on the surroundings."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    item: int | None = None


@action(
    "listen",
    description="Listen (to something).",
    verbs=("listen", "hear"),
    syntax=("listen", "hear", "listen to {item}", "hear {item}", "listen {item}"),
)
class Listen(Action):
    Params = MaybeTarget
    requires = (alive, in_sight("item"))

    def execute(self, ctx: ActionContext, params: MaybeTarget) -> None:
        pass  # you hear nothing unexpected


@action(
    "smell",
    description="Smell the air, or something.",
    verbs=("smell", "sniff"),
    syntax=("{verb}", "{verb} {item}"),
)
class Smell(Action):
    Params = MaybeTarget
    requires = (alive, in_reach("item"))

    def execute(self, ctx: ActionContext, params: MaybeTarget) -> None:
        pass  # you smell nothing unexpected


@action(
    "touch",
    description="Touch or feel something.",
    verbs=("touch", "feel", "fondle", "pat", "stroke", "poke"),
)
class Touch(Action):
    """Succeeds, except on another person ("Tamsin might not like that."),
    which Inform's standard rules also stop."""

    Params = Target
    requires = (alive, in_reach("item"))

    def validate(self, ctx: RuleContext, params: Target) -> Refusal | None:
        if params.item != ctx.actor and ctx.world.has(params.item, Actor):
            return Refusal("MIGHT_NOT_LIKE", "they might not like that.", {"item": params.item})
        return None

    def execute(self, ctx: ActionContext, params: Target) -> None:
        pass  # you feel nothing unexpected


@action("taste", description="Taste something.", verbs=("taste", "lick"))
class Taste(Action):
    Params = Target
    requires = (alive, in_reach("item"))

    def execute(self, ctx: ActionContext, params: Target) -> None:
        pass  # you taste nothing unexpected
