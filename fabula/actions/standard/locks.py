"""Doors, lids and locks: ``open``, ``close``, ``lock X with Y``, ``unlock X with Y``."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from fabula.actions.action import Refusal, RuleContext, action
from fabula.actions.standard.components import Lockable, Openable
from fabula.actions.standard.preconditions import alive, held, in_reach
from fabula.actions.standard.senses import Target
from fabula.actions.standard.toggles import Toggle

__all__ = ["Close", "Lock", "Open", "Unlock", "WithKey"]


class WithKey(BaseModel):
    """Parameters of ``lock`` and ``unlock``: the thing, and the key used."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    item: int
    key: int


def _is(ctx: RuleContext, item: int, component: type, flag: str) -> bool:
    """Whether ``item`` has ``component`` and its ``flag`` is set."""
    state = ctx.world.try_get(item, component)
    return state is not None and bool(getattr(state, flag))


@action("open", description="Open a door, a lid, a container.", verbs=("open",))
class Open(Toggle):
    component, flag, value = Openable, "open", True
    missing = ("NOT_OPENABLE", "that doesn't open.")
    already = ("ALREADY_OPEN", "it is already open.")

    def validate(self, ctx: RuleContext, params: Target) -> Refusal | None:
        refusal = super().validate(ctx, params)
        if refusal is None and _is(ctx, params.item, Lockable, "locked"):
            return Refusal("LOCKED", "it is locked.", {"item": params.item})
        return refusal


@action("close", description="Close a door, a lid, a container.", verbs=("close", "shut"))
class Close(Toggle):
    component, flag, value = Openable, "open", False
    missing = ("NOT_OPENABLE", "that doesn't close.")
    already = ("ALREADY_CLOSED", "it is already closed.")


class _KeyToggle(Toggle):
    """``lock`` and ``unlock``: a toggle of the lock that needs a key held,
    which must fit the lock (``WRONG_KEY``, checked before ``already``)."""

    Params = WithKey
    requires = (alive, in_reach("item"), in_reach("key"), held("key"))
    component, flag = Lockable, "locked"
    missing = ("NOT_LOCKABLE", "it has no lock.")

    def validate(self, ctx: RuleContext, params: WithKey) -> Refusal | None:
        lock = ctx.world.try_get(params.item, Lockable)
        if lock is not None and lock.key is not None and lock.key != params.key:
            return Refusal(
                "WRONG_KEY", "that doesn't fit the lock.", {"item": params.item, "key": params.key}
            )
        return super().validate(ctx, params)


@action(
    "lock",
    description="Lock something with a key you hold.",
    verbs=("lock",),
    syntax=("lock {item} with {key}",),
)
class Lock(_KeyToggle):
    value = True
    already = ("ALREADY_LOCKED", "it is already locked.")

    def validate(self, ctx: RuleContext, params: WithKey) -> Refusal | None:
        refusal = super().validate(ctx, params)
        if refusal is None and _is(ctx, params.item, Openable, "open"):
            return Refusal("OPEN", "close it first.", {"item": params.item})
        return refusal


@action(
    "unlock",
    description="Unlock something with a key you hold.",
    verbs=("unlock",),
    syntax=("unlock {item} with {key}",),
)
class Unlock(_KeyToggle):
    value = False
    already = ("ALREADY_UNLOCKED", "it is already unlocked.")
