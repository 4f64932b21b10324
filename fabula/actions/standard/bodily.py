"""What a player does with no object, or only to pass the time: ``jump``,
``sleep``, ``wake up``, ``wake X``, ``think``, ``yes``, ``no``, ``wave``
(hands or a thing held).

These exist because players type them, and a game that says "I don't know
that verb" to JUMP feels unfinished. They keep Inform 7's Standard Rules
behaviour: jumping and waving succeed and change nothing; sleeping, waking,
thinking and answering yes or no are blocked by a standard rule (a refusal
whose template says why, in Inform's words). A game gives any of them
meaning by registering its own action under the same id, ``replace=True``.
"""

from __future__ import annotations

from typing import ClassVar

from fabula.actions.action import Action, ActionContext, NoParams, Refusal, RuleContext, action
from fabula.actions.standard.components import Actor
from fabula.actions.standard.preconditions import alive, held, in_reach, in_sight
from fabula.actions.standard.senses import Target

__all__ = [
    "Blocked",
    "Jump",
    "No",
    "Sleep",
    "Think",
    "WakeOther",
    "WakeUp",
    "Wave",
    "WaveHands",
    "Yes",
]


class Blocked(Action):
    """An action a standard rule always stops, with ``refusal`` (code, reason).

    Subclass and set ``refusal``; the narrator's ``refusals/<CODE>.j2`` says it.
    """

    Params = NoParams
    requires = (alive,)
    refusal: ClassVar[tuple[str, str]]

    def validate(self, ctx: RuleContext, params: NoParams) -> Refusal | None:
        return Refusal(*self.refusal)

    def execute(self, ctx: ActionContext, params: NoParams) -> None:  # pragma: no cover
        raise AssertionError(f"{type(self).__name__} is always refused")


@action("jump", description="Jump on the spot.", verbs=("jump", "hop", "skip"))
class Jump(Action):
    Params = NoParams
    requires = (alive,)

    def execute(self, ctx: ActionContext, params: NoParams) -> None:
        pass


@action("sleep", description="Try to sleep.", verbs=("sleep", "nap", "doze"), syntax=("{verb}",))
class Sleep(Blocked):
    refusal = ("NOT_DROWSY", "you aren't feeling especially drowsy.")


@action(
    "wake_up",
    description="Try to wake up (from a dream, say).",
    verbs=("wake", "awake", "awaken"),
    syntax=("{verb}", "{verb} up"),
)
class WakeUp(Blocked):
    refusal = ("NOT_A_DREAM", "the dreadful truth is, this is not a dream.")


@action(
    "wake",
    description="Wake someone up.",
    verbs=("wake", "awake", "awaken", "rouse"),
    syntax=("{verb} {item}", "{verb} {item} up", "{verb} up {item}"),
)
class WakeOther(Action):
    """Blocked, as Inform's block waking rule does: nobody in the standard
    world model is asleep."""

    Params = Target
    requires = (alive, in_reach("item"))

    def validate(self, ctx: RuleContext, params: Target) -> Refusal | None:
        return Refusal("UNNECESSARY", "that seems unnecessary.", {"item": params.item})

    def execute(self, ctx: ActionContext, params: Target) -> None:  # pragma: no cover
        raise AssertionError("waking is always refused")


@action("think", description="Think hard.", verbs=("think", "ponder", "contemplate"))
class Think(Blocked):
    refusal = ("GOOD_IDEA", "what a good idea.")


@action("yes", description="Say yes.", verbs=("yes", "y", "yeah", "aye"))
class Yes(Blocked):
    refusal = ("RHETORICAL", "that was a rhetorical question.")


@action("no", description="Say no.", verbs=("no", "nope", "nay"))
class No(Blocked):
    refusal = ("RHETORICAL", "that was a rhetorical question.")


@action(
    "wave_hands",
    description="Wave your hands.",
    verbs=("wave",),
    syntax=("wave", "wave hand|hands|arms", "wave your hand|hands|arms"),
)
class WaveHands(Action):
    Params = NoParams
    requires = (alive,)

    def execute(self, ctx: ActionContext, params: NoParams) -> None:
        pass


@action(
    "wave",
    description="Wave something you hold.",
    verbs=("wave", "brandish", "flourish"),
    syntax=("{verb} {item}",),
)
class Wave(Action):
    """Waving a thing needs it in hand, and is not taken first: Inform's
    "can't wave what's not held" rule ("You aren't holding that.")."""

    Params = Target
    requires = (alive, in_sight("item"), held("item", satisfied_by=None))

    def validate(self, ctx: RuleContext, params: Target) -> Refusal | None:
        if ctx.world.has(params.item, Actor):
            return Refusal("NOT_HELD", "you aren't holding that.", {"item": params.item})
        return None

    def execute(self, ctx: ActionContext, params: Target) -> None:
        pass
