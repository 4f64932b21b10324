"""The gatekeeper: the only path by which anything changes the world.

:meth:`Rules.attempt` takes a proposed action, from the symbolic parser, a
model or a script alike, and decides it in a fixed order:

1. the proposal itself is well-formed (``MALFORMED`` otherwise);
2. the action id is registered (``UNKNOWN_ACTION``);
3. the actor is a live entity (``NO_ACTOR``);
4. the parameters validate against the action's model (``BAD_PARAMS``);
5. an order (``source="order"``: the player told another actor to act) is
   one that actor obeys (``ORDER_REFUSED`` by default; ``obeys`` decides);
   then the action's preconditions (``requires``) hold, checked in the order
   declared; the first refusal is the action's (``DEAD``, ``NOT_HERE``, ...),
   and nothing after it runs;
6. the action's validator allows it (its own codes);
7. only then the executor runs, and the events it emitted are published,
   followed by ``OnActionSuccess``. A refusal at any step publishes
   ``OnActionRefused``.

Steps 5 and 6 see the world only through a read-only
:class:`~fabula.ecs.WorldView`, through one :class:`RuleContext`.
Whatever a model proposes, the worst outcome is a refusal: no step before the
executor can change the world, and the executor runs only for an allowed
action. Exceptions from preconditions, validators and executors are bugs in
the game's rules and propagate; they are not turned into refusals.

*(planned)* Author-written rules and implicit actions slot into this order
the way Inform's action processing places them: ``before`` rules between 4
and 5; at 5, a refused precondition that names an action in its
``satisfied_by`` tries that action first ("(first taking the coat)") and is
checked again; ``instead`` rules between 5 and 6; ``after`` rules once 7 has
applied the change, before ``OnActionSuccess``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from fabula.actions.action import (
    Action,
    ActionContext,
    ActionRegistry,
    Refusal,
    RuleContext,
)
from fabula.errors import ArgumentError
from fabula.events import OnActionProposed, OnActionRefused, OnActionSuccess

if TYPE_CHECKING:
    from fabula.ecs import World
    from fabula.events import Event, EventBus

__all__ = ["ActionProposal", "Outcome", "Rules"]


class ActionProposal(BaseModel):
    """A structured action proposed for an actor: what every parser produces.

    Attributes:
        action: the registered action id.
        actor: the entity that acts.
        params: raw parameters, validated later by the action's model.
        source: who proposed it: the player's parser, a model, an NPC, a
            script; ``order`` for what the player told another actor to do
            ("tamsin, give me the key"), which that actor refuses unless the
            game's :class:`Rules` say it obeys (Inform's persuasion rule).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    action: str
    actor: int
    params: dict[str, Any] = {}
    source: Literal["player", "model", "npc", "script", "system", "order"] = "player"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one proposal.

    Attributes:
        proposal: what was proposed (``None`` if it was malformed).
        refusal: why it was refused, or ``None`` if it was applied.
        params: the validated parameters (``None`` if they never validated).
        events: the events published for it, in order.
    """

    proposal: ActionProposal | None
    refusal: Refusal | None
    params: BaseModel | None = None
    events: tuple[Event, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether the action was applied."""
        return self.refusal is None


class Rules:
    """Decides proposals against the registered actions and applies allowed ones.

    Args:
        world: the world actions apply to.
        actions: the registered actions.
        bus: where events are published (optional; without one, events are
            still returned on each :class:`Outcome`).
    """

    def __init__(
        self,
        world: World,
        actions: ActionRegistry,
        bus: EventBus | None = None,
        *,
        obeys: Callable[[RuleContext, ActionProposal], bool] | None = None,
    ) -> None:
        self.world = world
        self.actions = actions
        self.bus = bus
        self.obeys = obeys
        self._instances: dict[str, Action] = {}
        self._readonly = world.view()

    def listen(self) -> None:
        """Decide every ``OnActionProposed`` published on the bus.

        Raises:
            ArgumentError: the rules have no bus.
        """
        if self.bus is None:
            raise ArgumentError("Rules.listen() needs a bus: Rules(world, actions, bus=...).")
        self.bus.subscribe(OnActionProposed, self._on_proposed)

    def _on_proposed(self, event: OnActionProposed) -> None:
        self.attempt(event.proposal)

    def _instance(self, name: str) -> Action:
        instance = self._instances.get(name)
        cls = self.actions.get(name)
        if instance is None or type(instance) is not cls:
            instance = self._instances[name] = cls()
        return instance

    def attempt(self, proposal: ActionProposal | Mapping[str, Any]) -> Outcome:
        """Decide ``proposal`` and apply it if allowed (see the module docstring)."""
        if not isinstance(proposal, ActionProposal):
            try:
                proposal = ActionProposal.model_validate(proposal)
            except ValidationError as exc:
                refusal = Refusal(
                    "MALFORMED",
                    "the proposal is not a well-formed action.",
                    {"errors": _errors(exc)},
                )
                return self._refuse(None, refusal, None)
        if proposal.action not in self.actions:
            refusal = Refusal(
                "UNKNOWN_ACTION",
                f"there is no action called {proposal.action!r}.",
                {"action": proposal.action},
            )
            return self._refuse(proposal, refusal, None)
        if proposal.actor not in self.world:
            refusal = Refusal(
                "NO_ACTOR", "the actor does not exist (any more).", {"actor": proposal.actor}
            )
            return self._refuse(proposal, refusal, None)
        action = self._instance(proposal.action)
        try:
            params = type(action).Params.model_validate(proposal.params)
        except ValidationError as exc:
            refusal = Refusal(
                "BAD_PARAMS",
                f"the parameters do not fit {proposal.action!r}.",
                {"action": proposal.action, "errors": _errors(exc)},
            )
            return self._refuse(proposal, refusal, None)
        rule_ctx = RuleContext(self._readonly, proposal.actor)
        obeyed = self.obeys is not None and self.obeys(rule_ctx, proposal)
        if proposal.source == "order" and not obeyed:
            refusal = Refusal(
                "ORDER_REFUSED", "they have better things to do.", {"item": proposal.actor}
            )
            return self._refuse(proposal, refusal, params)
        for requirement in action.requires:
            refusal = requirement.check(rule_ctx, params)
            if refusal is not None:
                return self._refuse(proposal, refusal, params)
        refusal = action.validate(rule_ctx, params)
        if refusal is not None:
            return self._refuse(proposal, refusal, params)
        ctx = ActionContext(self.world, proposal.actor, self.bus)
        action.execute(ctx, params)
        events = [
            *ctx.events,
            OnActionSuccess(actor=proposal.actor, action=proposal.action, params=params),
        ]
        self._publish(events)
        return Outcome(proposal, None, params, tuple(events))

    def _refuse(
        self, proposal: ActionProposal | None, refusal: Refusal, params: BaseModel | None
    ) -> Outcome:
        event = OnActionRefused(
            actor=None if proposal is None else proposal.actor,
            action=None if proposal is None else proposal.action,
            code=refusal.code,
            reason=refusal.reason,
            facts=dict(refusal.facts),
        )
        self._publish([event])
        return Outcome(proposal, refusal, params, (event,))

    def _publish(self, events: list[Event]) -> None:
        if self.bus is not None:
            for event in events:
                self.bus.publish(event)


def _errors(exc: ValidationError) -> list[str]:
    """Pydantic errors as short 'field: message' strings (no input values echoed)."""
    return [
        f"{'.'.join(str(p) for p in err['loc']) or '(root)'}: {err['msg']}"
        for err in exc.errors(include_input=False)
    ]
