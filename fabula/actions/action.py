"""What an action is: an id, parameters, a validator and an executor.

Every change to the world is an action. An action declares:

* a stable **id** (what the parser produces, what the journal stores);
* a **description** (feeds the model parser's schema and the help text);
* a **parameter model** (:class:`pydantic.BaseModel`), which validates
  whatever proposed the action: the symbolic parser, a model, a script;
* a **validator**, ``validate(ctx, params) -> Refusal | None``: the hard rules.
  It sees the world only through a :class:`~fabula.ecs.ReadOnlyWorld` (no structural
  changes, no write access, no RNG) and returns a typed :class:`Refusal`
  (a code such as ``NOT_HERE`` plus the facts needed to narrate it) or
  ``None`` to allow the action;
* an **executor**, ``execute(ctx, params)``: applies the change and emits
  events. It runs only after the validator allowed the action, and only
  through :class:`~fabula.actions.rules.Rules`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict

from fabula.registry import Registry

if TYPE_CHECKING:
    from fabula.ecs import World, WorldView
    from fabula.events import Event, EventBus

__all__ = [
    "Action",
    "ActionContext",
    "ActionInfo",
    "ActionRegistry",
    "NoParams",
    "Refusal",
    "RuleContext",
    "action",
    "action_info",
]

MARKER = "__fabula_action__"

A = TypeVar("A", bound=type)


class NoParams(BaseModel):
    """Parameters of an action that takes none."""

    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why an action was not allowed.

    Attributes:
        code: a stable, upper-case code (``NOT_HERE``, ``LOCKED``, ...);
            narrators pick their template by it.
        reason: the refusal in plain words, for logs and the fallback narrator.
        facts: what a narrator needs to tell it (entity names, the door, ...);
            never anything the actor could not perceive.
    """

    code: str
    reason: str
    facts: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ActionInfo:
    """A registered action's id, description and how players phrase it.

    Attributes:
        name: the stable id.
        description: one line for help texts and the model parser's schema.
        verbs: the words that name it ("take", "get", "pick up").
        syntax: phrasing patterns for the symbolic parser, e.g.
            ``"{verb} {item} in|into {target}"`` or
            ``"{verb} {item} on {target} -> how=on"`` (see
            :mod:`fabula.parsing.grammar`); when empty the parser derives
            ``"{verb}"`` or ``"{verb} {field}"`` from the parameters.
    """

    name: str
    description: str
    verbs: tuple[str, ...] = ()
    syntax: tuple[str, ...] = ()


class Action:
    """Base class of actions. Subclass, set ``Params``, implement the rules.

    Instances must not keep state between uses: one instance serves every
    attempt, and replay must reach the same result.
    """

    Params: ClassVar[type[BaseModel]] = NoParams

    def validate(self, ctx: RuleContext, params: Any) -> Refusal | None:
        """Return a :class:`Refusal`, or ``None`` to allow. Must not mutate."""
        return None

    def execute(self, ctx: ActionContext, params: Any) -> None:
        """Apply the action. Runs only after :meth:`validate` allowed it."""
        raise NotImplementedError(f"{type(self).__name__} does not implement execute().")


def action(
    name: str,
    *,
    description: str,
    verbs: tuple[str, ...] | list[str] = (),
    syntax: tuple[str, ...] | list[str] = (),
) -> Callable[[A], A]:
    """Mark an :class:`Action` subclass with its stable id and description.

    Example:
        >>> @action("wait", description="Let time pass.", verbs=("wait", "z"))
        ... class Wait(Action):
        ...     def execute(self, ctx, params):
        ...         pass
        >>> ActionRegistry().register(Wait) is Wait
        True
    """

    def mark(cls: A) -> A:
        if not (isinstance(cls, type) and issubclass(cls, Action)):
            raise TypeError(f"@action decorates Action subclasses, not {cls!r}.")
        info = ActionInfo(
            name=name, description=description, verbs=tuple(verbs), syntax=tuple(syntax)
        )
        setattr(cls, MARKER, info)
        return cls

    return mark


def action_info(cls: type[Action]) -> ActionInfo:
    """The :class:`ActionInfo` of an action class.

    Raises:
        TypeError: the class is not marked with :func:`action`.
    """
    info = cls.__dict__.get(MARKER)
    if info is None:
        raise TypeError(f"{cls.__qualname__} is not marked with @action(...).")
    return info


class ActionRegistry(Registry[type[Action]]):
    """Action classes by id. ``discover()`` loads a game's ``actions/`` folder.

    Registering an id that exists raises unless ``replace=True``: that is how
    a game overrides a built-in action, on purpose.
    """

    def __init__(self) -> None:
        super().__init__("action", MARKER, rename_hint='@action("another_id", ...)')


@dataclass(slots=True)
class RuleContext:
    """What a validator sees: who acts, and a read-only world."""

    world: WorldView
    actor: int


@dataclass(slots=True)
class ActionContext:
    """What an executor gets: the real world, who acts, and where events go.

    Events emitted here are published after the executor returns, in order,
    and recorded on the attempt's :class:`~fabula.actions.rules.Outcome`.
    """

    world: World
    actor: int
    bus: EventBus | None = None
    events: list[Event] = field(default_factory=list)

    def emit(self, event: Event) -> None:
        """Queue ``event`` for publication once the action has been applied."""
        self.events.append(event)
