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
executor can change the world (save an implicit action, itself an action
decided by these same steps), and the executor runs only for an allowed
action. Exceptions from preconditions, validators and executors are bugs in
the game's rules and propagate; they are not turned into refusals.

**Implicit actions** happen at step 5, as in Inform's action processing: a
precondition that refuses, names an action in its ``satisfied_by``, and
whose refusal names a thing the actor perceives (``facts["item"]``), gets
that action tried first on that thing ("(first taking the coat)", "(first
opening the door)"); if it succeeds, the precondition is checked again and
the action goes on. If the implicit action is refused, the whole action is
refused with the implicit action's refusal, and nothing else runs. (An
implicit action that succeeded stays done even if the action is then
refused by a later check: "(first taking the helm)", then "You can't put
things in that.", as in Inform.) Implicit
attempts are one level deep (they never try implicit actions themselves),
and their outcomes are kept on the action's :attr:`Outcome.implicit`, so a
narrator can tell them and the journal record them (as proposals with
``source="implicit"``). Replay passes those recorded proposals back as
``attempt(..., implicit=[...])``: the same code path runs, without deriving
anything again, so a replayed turn is told byte for byte as it was played.

**Author-written rules** (:class:`RuleHooks`, set as :attr:`Rules.hooks`)
slot into this order the way Inform places them: ``before`` rules between 4
and 5; ``instead`` rules between 5 and 6; ``after`` rules once 7 has applied
the change, before ``OnActionSuccess``. A rule may change the world even when
it refuses the action (counting disturbances in the dark): it runs inside the
attempt, so the journal's proposal replays it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol

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

__all__ = ["ActionProposal", "Outcome", "RuleHooks", "Rules"]


class ActionProposal(BaseModel):
    """A structured action proposed for an actor: what every parser produces.

    Attributes:
        action: the registered action id.
        actor: the entity that acts.
        params: raw parameters, validated later by the action's model.
        source: who proposed it: the player's parser, a model, an NPC, a
            script; ``order`` for what the player told another actor to do
            ("tamsin, give me the key"), which that actor refuses unless the
            game's :class:`Rules` say it obeys (Inform's persuasion rule);
            ``implicit`` for an action :class:`Rules` tried first to
            make another one possible (as the journal records it: Rules
            alone sets it, and replay reads it as "tried for the next one").
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    action: str
    actor: int
    params: dict[str, Any] = {}
    source: Literal["player", "model", "npc", "script", "system", "order", "implicit"] = "player"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one proposal.

    Attributes:
        proposal: what was proposed (``None`` if it was malformed).
        refusal: why it was refused, or ``None`` if it was applied.
        params: the validated parameters (``None`` if they never validated).
        events: the events published for it, in order.
        implicit: the implicit actions tried first to make it possible, in
            order ("(first taking the coat)"); when the last of them was
            refused, this outcome carries that same refusal.
    """

    proposal: ActionProposal | None
    refusal: Refusal | None
    params: BaseModel | None = None
    events: tuple[Event, ...] = ()
    implicit: tuple[Outcome, ...] = ()

    @property
    def proposals(self) -> tuple[ActionProposal, ...]:
        """What the journal records for it: its implicit actions' proposals,
        then its own (none if it was malformed)."""
        mine = () if self.proposal is None else (self.proposal,)
        return (*(o.proposal for o in self.implicit if o.proposal is not None), *mine)

    @property
    def ok(self) -> bool:
        """Whether the action was applied."""
        return self.refusal is None


class RuleHooks(Protocol):
    """Rules a game adds around every action (its rulebooks), consulted by
    :meth:`Rules.attempt` at fixed points. Each may change the world through
    ``rules.world`` (that is what lets a refusal count something)."""

    def before(self, rules: Rules, proposal: ActionProposal, params: BaseModel) -> Refusal | None:
        """Before the preconditions: a refusal stops the action."""
        ...

    def instead(self, rules: Rules, proposal: ActionProposal, params: BaseModel) -> Refusal | None:
        """After the preconditions, before the validator: a refusal replaces it."""
        ...

    def after(self, rules: Rules, proposal: ActionProposal, params: BaseModel) -> list[Event]:
        """After the executor: events to publish before ``OnActionSuccess``."""
        ...


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
        self.hooks: RuleHooks | None = None
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

    def attempt(
        self,
        proposal: ActionProposal | Mapping[str, Any],
        *,
        implicit: bool | Sequence[ActionProposal] = True,
    ) -> Outcome:
        """Decide ``proposal`` and apply it if allowed (see the module docstring).

        Args:
            proposal: the action proposed.
            implicit: ``True`` to try implicit actions where a precondition
                names one; ``False`` never to; or the implicit proposals a
                journal recorded for it, tried in order where a precondition
                fails, instead of deriving them again (replay).
        """
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
        hooks = self.hooks
        if hooks is not None and (refusal := hooks.before(self, proposal, params)) is not None:
            return self._refuse(proposal, refusal, params)
        recorded = None if isinstance(implicit, bool) else list(implicit)
        tried: list[Outcome] = []
        for requirement in action.requires:
            refusal = requirement.check(rule_ctx, params)
            if refusal is None:
                continue
            first = self._first(proposal, requirement.satisfied_by, refusal, implicit, recorded)
            if first is not None:
                tried.append(first)
                if not first.ok:
                    assert first.refusal is not None
                    return self._refuse(proposal, first.refusal, params, tried)
                refusal = requirement.check(rule_ctx, params)
            if refusal is not None:
                return self._refuse(proposal, refusal, params, tried)
        if hooks is not None and (refusal := hooks.instead(self, proposal, params)) is not None:
            return self._refuse(proposal, refusal, params, tried)
        refusal = action.validate(rule_ctx, params)
        if refusal is not None:
            return self._refuse(proposal, refusal, params, tried)
        ctx = ActionContext(self.world, proposal.actor, self.bus)
        action.execute(ctx, params)
        events = [
            *ctx.events,
            *(hooks.after(self, proposal, params) if hooks is not None else ()),
            OnActionSuccess(actor=proposal.actor, action=proposal.action, params=params),
        ]
        self._publish(events)
        return Outcome(proposal, None, params, tuple(events), tuple(tried))

    def _first(
        self,
        proposal: ActionProposal,
        action: str | None,
        refusal: Refusal,
        implicit: bool | Sequence[ActionProposal],
        recorded: list[ActionProposal] | None,
    ) -> Outcome | None:
        """The implicit action tried for a refused precondition, or ``None``
        when there is none to try (see the module docstring)."""
        if recorded is not None:
            if action not in self.actions or not recorded:
                return None
            return self.attempt(recorded.pop(0), implicit=False)
        item = refusal.facts.get("item")
        if not implicit or action not in self.actions or not isinstance(item, int):
            return None
        first = ActionProposal(
            action=action, actor=proposal.actor, params={"item": item}, source="implicit"
        )
        return self.attempt(first, implicit=False)

    def _refuse(
        self,
        proposal: ActionProposal | None,
        refusal: Refusal,
        params: BaseModel | None,
        tried: Sequence[Outcome] = (),
    ) -> Outcome:
        event = OnActionRefused(
            actor=None if proposal is None else proposal.actor,
            action=None if proposal is None else proposal.action,
            code=refusal.code,
            reason=refusal.reason,
            facts=dict(refusal.facts),
        )
        self._publish([event])
        return Outcome(proposal, refusal, params, (event,), tuple(tried))

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
