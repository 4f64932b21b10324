"""What an action is: an id, parameters, a validator and an executor.

Every change to the world is an action. An action declares:

* a stable **id** (what the parser produces, what the journal stores);
* a **description** (feeds the model parser's schema and the help text);
* a **parameter model** (:class:`pydantic.BaseModel`), which validates
  whatever proposed the action: the symbolic parser, a model, a script;
* its **preconditions**, ``requires``: a tuple of
  :class:`~fabula.actions.Precondition` objects (``alive``,
  ``in_reach("item")``), checked in order before the validator; the first
  that refuses is the action's refusal (see :mod:`fabula.actions.precondition`);
* a **validator**, ``validate(ctx, params) -> Refusal | None``: the hard rules
  particular to this action, run only once every precondition holds.
  It sees the world only through a :class:`~fabula.ecs.WorldView` (no structural
  changes, no write access, no RNG) and returns a typed :class:`Refusal`
  (a code such as ``NOT_HERE`` plus the facts needed to narrate it) or
  ``None`` to allow the action;
* an **executor**, ``execute(ctx, params)``: applies the change and emits
  events. It runs only after the validator allowed the action, and only
  through :class:`~fabula.actions.rules.Rules`.

``requires`` is inherited like any class attribute: a subclass that does not
set it keeps its parent's, and one that sets it **replaces** the parent's.
To extend, say so: ``requires = (*SwitchOn.requires, held("tool"))``. A
``requires`` that holds anything but preconditions, or names a field the
action's ``Params`` lacks, is an :class:`~fabula.errors.ActionDeclarationError`
when the class is marked with :func:`action` or registered.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict

from fabula.actions.precondition import Precondition, PreconditionFactory
from fabula.errors import ActionDeclarationError
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
    """Base class of actions. Subclass, set ``Params`` and ``requires``,
    implement the rules.

    Instances must not keep state between uses: one instance serves every
    attempt, and replay must reach the same result.

    Attributes:
        Params: the parameter model.
        requires: the preconditions :class:`~fabula.actions.Rules` checks, in
            order, before :meth:`validate`; inherited, and replaced by a
            subclass that sets it (see the module docstring).
    """

    Params: ClassVar[type[BaseModel]] = NoParams
    requires: ClassVar[tuple[Precondition, ...]] = ()

    def validate(self, ctx: RuleContext, params: Any) -> Refusal | None:
        """Return a :class:`Refusal`, or ``None`` to allow.

        Runs only once every precondition in ``requires`` holds. Must not
        mutate and must not draw random numbers.
        """
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
            raise ActionDeclarationError(f"@action decorates Action subclasses, not {cls!r}.")
        _check_requires(cls, name)
        info = ActionInfo(
            name=name, description=description, verbs=tuple(verbs), syntax=tuple(syntax)
        )
        setattr(cls, MARKER, info)
        return cls

    return mark


def action_info(cls: type[Action]) -> ActionInfo:
    """The :class:`ActionInfo` of an action class.

    Raises:
        ActionDeclarationError: the class is not marked with :func:`action`.
    """
    info = cls.__dict__.get(MARKER)
    if info is None:
        raise ActionDeclarationError(f"{cls.__qualname__} is not marked with @action(...).")
    return info


def _check_requires(cls: type[Action], name: str | None = None) -> None:
    """Check that ``cls.requires`` is a tuple of preconditions on fields its
    ``Params`` has.

    Args:
        cls: the action class.
        name: its id, for the message (default: its class name).

    Raises:
        ActionDeclarationError: it is not; the message names the action and
            the field, and says how to fix it.
    """
    label = name or cls.__qualname__
    requires = cls.requires
    if isinstance(requires, Precondition | PreconditionFactory):
        raise ActionDeclarationError(
            f"requires must be a tuple of preconditions: write requires = ({requires!r},).",
            action=label,
        )
    if not isinstance(requires, tuple):
        raise ActionDeclarationError(
            f"requires must be a tuple of preconditions, not {type(requires).__name__}: "
            "write requires = (alive, in_reach('item'), ...).",
            action=label,
        )
    fields = cls.Params.model_fields
    for entry in requires:
        if isinstance(entry, PreconditionFactory):
            raise ActionDeclarationError(
                f"requires holds {entry.name} without the field it applies to; "
                f"write {entry.name}({next(iter(fields), 'field')!r}).",
                action=label,
            )
        if not isinstance(entry, Precondition):
            raise ActionDeclarationError(
                f"requires holds {entry!r}, which is not a Precondition.", action=label
            )
        if entry.field is not None and entry.field not in fields:
            have = ", ".join(fields) or "none"
            raise ActionDeclarationError(
                f"requires {entry!r}, but its parameters ({cls.Params.__name__}) have no "
                f"field {entry.field!r} (they have: {have}). Name one of those fields, "
                "or add it to Params.",
                action=label,
                field=entry.field,
            )


class ActionRegistry(Registry[type[Action]]):
    """Action classes by id. ``discover()`` loads a game's ``actions/`` folder.

    Registering an id that exists raises unless ``replace=True``: that is how
    a game overrides a built-in action, on purpose.
    """

    def __init__(self) -> None:
        super().__init__("action", MARKER, rename_hint='@action("another_id", ...)')

    def register(
        self, obj: type[Action], name: str | None = None, *, replace: bool = False
    ) -> type[Action]:
        """Register an action class (see :meth:`Registry.register`).

        Raises:
            ActionDeclarationError: its ``requires`` is not a tuple of
                preconditions on fields of its ``Params``.
            DuplicateNameError: the id is taken and ``replace`` is false.
        """
        if isinstance(obj, type) and issubclass(obj, Action):
            info = obj.__dict__.get(MARKER)
            _check_requires(obj, name or (info.name if info is not None else None))
        return super().register(obj, name, replace=replace)


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
