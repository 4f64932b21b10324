"""NPCs that decide their next action through a model, while the world ticks.

:class:`NpcMinds` is a system: each tick, every entity with a :class:`Mind`
that is not already waiting on the model gets a request started in the
background (:class:`~fabula.systems.tasks.TaskRunner`). The tick does not
wait. When the answer arrives it is published, at the start of a later tick,
as an ``OnActionProposed`` for that NPC, and :class:`~fabula.actions.Rules`
decides it like any player's action. The model never chooses *who* acts: the
actor is always the NPC whose mind asked.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any, Protocol

from fabula.ecs import WorldView, component
from fabula.errors import TaskError
from fabula.events import OnActionProposed
from fabula.systems import Phase, TaskHandle, TickContext, system

__all__ = ["ActionModel", "Mind", "NpcMinds"]


class ActionModel(Protocol):
    """A model that proposes an action: ``{"action": id, "params": {...}}``."""

    async def propose(self, observation: str, actions: Sequence[str]) -> Mapping[str, Any]:
        """Answer with the action the character takes next."""
        ...


@component
class Mind:
    """Marks an NPC whose next action a model decides.

    Attributes:
        persona: who the character is, for the model's prompt.
    """

    persona: str = ""


@system(name="npc_minds", phase=Phase.UPDATE)
class NpcMinds:
    """Starts a model request for every idle :class:`Mind`; never blocks a tick.

    Args:
        model: what proposes the actions.
        observe: builds what the NPC perceives, as text, from a read-only
            view of the world (model-side code never gets write access).
        actions: action ids the model may choose from (the rules still decide).
        timeout: seconds a request may take.
        deadline: ticks a request may take.
    """

    def __init__(
        self,
        model: ActionModel,
        observe: Callable[[WorldView, int], str],
        actions: Sequence[str] = (),
        *,
        timeout: float | None = None,
        deadline: int | None = None,
    ) -> None:
        self._model = model
        self._observe = observe
        self._actions = tuple(actions)
        self._timeout = timeout
        self._deadline = deadline
        self._pending: dict[int, TaskHandle] = {}

    def run(self, ctx: TickContext) -> None:
        """Start a request for each idle mind (the system's tick)."""
        if ctx.tasks is None:
            raise TaskError("NpcMinds needs a task runner: Scheduler(bus=..., tasks=TaskRunner()).")
        for entity, _ in ctx.world.query(Mind, readonly=True):
            handle = self._pending.get(entity)
            if handle is not None and handle.state == "running":
                continue
            observation = self._observe(ctx.world.view(), entity)
            self._pending[entity] = ctx.tasks.start(
                partial(self._model.propose, observation, self._actions),
                name=f"mind of entity {entity}",
                tick=ctx.tick,
                timeout=self._timeout,
                deadline=self._deadline,
                then=partial(self._proposal, entity),
            )

    @staticmethod
    def _proposal(entity: int, answer: Any) -> OnActionProposed:
        """The model's answer as a proposal for ``entity``; malformed answers
        are passed on as they are, for the rules to refuse as MALFORMED."""
        if isinstance(answer, Mapping):
            proposal: dict[str, Any] = {
                "action": answer.get("action"),
                "params": answer.get("params", {}),
            }
        else:
            proposal = {"action": None, "params": {"answer": repr(answer)[:200]}}
        proposal.update(actor=entity, source="npc")
        return OnActionProposed(proposal=proposal)
