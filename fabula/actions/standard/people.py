"""Dealing with people: ``talk to X (about Z)``, ``give X to Y``.

A reply comes from the listener's :class:`Topics` (matched on the topic's
words, case-insensitively), else its :class:`Persona`'s default reply; a
greeting (no topic) is the persona's greeting. Replies are the game's own
text, chosen deterministically: a model narrator may retell them, never
invent facts in their place.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from fabula.actions.action import Action, ActionContext, Refusal, RuleContext, action
from fabula.actions.standard.components import Actor, Health, Location, Persona, Topics
from fabula.actions.standard.preconditions import alive, held, in_reach, in_sight, not_worn
from fabula.ecs import WorldView
from fabula.events import OnTalk

__all__ = ["Give", "Handover", "Speech", "Talk", "reply_to"]


class Speech(BaseModel):
    """Parameters of ``talk``: whom to, and optionally about what."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    target: int
    topic: str | None = None


class Handover(BaseModel):
    """Parameters of ``give``: what, and to whom."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    item: int
    target: int


def reply_to(world: WorldView, target: int, topic: str | None) -> str | None:
    """What ``target`` answers about ``topic`` (``None``: it cannot talk)."""
    persona = world.try_get(target, Persona, readonly=True)
    topics = world.try_get(target, Topics, readonly=True)
    if persona is None and topics is None:
        return None
    if topic is None:
        return persona.greeting if persona is not None and persona.greeting else "..."
    asked = set(topic.lower().split())
    if topics is not None:
        for key in sorted(topics.replies):
            if key.lower() == topic.lower() or asked & set(key.lower().split()):
                return topics.replies[key]
    return persona.default_reply if persona is not None else "..."


def _dead(ctx: RuleContext, target: int) -> bool:
    health = ctx.world.try_get(target, Health)
    return health is not None and health.hp <= 0


@action(
    "talk",
    description="Talk to someone, or ask them about a topic.",
    verbs=("talk", "ask", "speak", "greet", "tell"),
    syntax=(
        "talk|speak to|with {target}",
        "talk|speak to|with {target} about {topic}",
        "ask|tell {target} about {topic}",
        "greet {target}",
    ),
)
class Talk(Action):
    Params = Speech
    requires = (alive, in_sight("target"))

    def validate(self, ctx: RuleContext, params: Speech) -> Refusal | None:
        if _dead(ctx, params.target) or reply_to(ctx.world, params.target, None) is None:
            return Refusal("NO_REPLY", "there is no answer.", {"item": params.target})
        return None

    def execute(self, ctx: ActionContext, params: Speech) -> None:
        reply = reply_to(ctx.world, params.target, params.topic) or "..."
        ctx.emit(OnTalk(actor=ctx.actor, target=params.target, topic=params.topic, reply=reply))


@action(
    "give",
    description="Give something you hold to someone.",
    verbs=("give", "offer", "hand"),
    syntax=("{verb} {item} to {target}", "{verb} {target} {item}"),
)
class Give(Action):
    Params = Handover
    requires = (alive, in_reach("item"), held("item"), not_worn("item"), in_reach("target"))

    def validate(self, ctx: RuleContext, params: Handover) -> Refusal | None:
        if not ctx.world.has(params.target, Actor) or params.target == ctx.actor:
            return Refusal(
                "NOT_A_PERSON", "you can only give things to someone.", {"item": params.target}
            )
        if _dead(ctx, params.target):
            return Refusal(
                "ALREADY_DEAD", "they are in no state to take it.", {"item": params.target}
            )
        return None

    def execute(self, ctx: ActionContext, params: Handover) -> None:
        ctx.world.insert(params.item, Location(params.target, "held"))
