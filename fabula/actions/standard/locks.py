"""Doors, lids and locks: ``open``, ``close``, ``lock X with Y``, ``unlock X with Y``."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from fabula.actions.action import Action, ActionContext, Refusal, RuleContext, action
from fabula.actions.standard.components import Lockable, Openable
from fabula.actions.standard.preconditions import alive, held, in_reach
from fabula.actions.standard.senses import Target

__all__ = ["Close", "Lock", "Open", "Unlock", "WithKey"]


class WithKey(BaseModel):
    """Parameters of ``lock`` and ``unlock``: the thing, and the key used."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    item: int
    key: int


@action("open", description="Open a door, a lid, a container.", verbs=("open",))
class Open(Action):
    Params = Target
    requires = (alive, in_reach("item"))

    def validate(self, ctx: RuleContext, params: Target) -> Refusal | None:
        opening = ctx.world.try_get(params.item, Openable)
        if opening is None:
            return Refusal("NOT_OPENABLE", "that doesn't open.", {"item": params.item})
        if opening.open:
            return Refusal("ALREADY_OPEN", "it is already open.", {"item": params.item})
        lock = ctx.world.try_get(params.item, Lockable)
        if lock is not None and lock.locked:
            return Refusal("LOCKED", "it is locked.", {"item": params.item})
        return None

    def execute(self, ctx: ActionContext, params: Target) -> None:
        ctx.world.get(params.item, Openable).open = True


@action("close", description="Close a door, a lid, a container.", verbs=("close", "shut"))
class Close(Action):
    Params = Target
    requires = (alive, in_reach("item"))

    def validate(self, ctx: RuleContext, params: Target) -> Refusal | None:
        opening = ctx.world.try_get(params.item, Openable)
        if opening is None:
            return Refusal("NOT_OPENABLE", "that doesn't close.", {"item": params.item})
        if not opening.open:
            return Refusal("ALREADY_CLOSED", "it is already closed.", {"item": params.item})
        return None

    def execute(self, ctx: ActionContext, params: Target) -> None:
        ctx.world.get(params.item, Openable).open = False


def _key_checks(ctx: RuleContext, params: WithKey) -> Refusal | None:
    lock = ctx.world.try_get(params.item, Lockable)
    if lock is None:
        return Refusal("NOT_LOCKABLE", "it has no lock.", {"item": params.item})
    if lock.key is not None and lock.key != params.key:
        return Refusal(
            "WRONG_KEY", "that doesn't fit the lock.", {"item": params.item, "key": params.key}
        )
    return None


@action(
    "lock",
    description="Lock something with a key you hold.",
    verbs=("lock",),
    syntax=("lock {item} with {key}",),
)
class Lock(Action):
    Params = WithKey
    requires = (alive, in_reach("item"), held("key"))

    def validate(self, ctx: RuleContext, params: WithKey) -> Refusal | None:
        refusal = _key_checks(ctx, params)
        if refusal is not None:
            return refusal
        if ctx.world.get(params.item, Lockable).locked:
            return Refusal("ALREADY_LOCKED", "it is already locked.", {"item": params.item})
        opening = ctx.world.try_get(params.item, Openable)
        if opening is not None and opening.open:
            return Refusal("OPEN", "close it first.", {"item": params.item})
        return None

    def execute(self, ctx: ActionContext, params: WithKey) -> None:
        ctx.world.get(params.item, Lockable).locked = True


@action(
    "unlock",
    description="Unlock something with a key you hold.",
    verbs=("unlock",),
    syntax=("unlock {item} with {key}",),
)
class Unlock(Action):
    Params = WithKey
    requires = (alive, in_reach("item"), held("key"))

    def validate(self, ctx: RuleContext, params: WithKey) -> Refusal | None:
        refusal = _key_checks(ctx, params)
        if refusal is not None:
            return refusal
        if not ctx.world.get(params.item, Lockable).locked:
            return Refusal("ALREADY_UNLOCKED", "it is already unlocked.", {"item": params.item})
        return None

    def execute(self, ctx: ActionContext, params: WithKey) -> None:
        ctx.world.get(params.item, Lockable).locked = False
