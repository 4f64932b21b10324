"""Declaring systems: functions or classes run once per tick, in a phase.

A system is any callable taking a :class:`TickContext` (the world, the tick
number, the event bus and the task runner), or an object with a ``run(ctx)``
method. Mark it with :func:`system` to give it a stable name, a phase and
ordering constraints; the :class:`~fabula.systems.schedule.Scheduler` orders
all systems from those declarations. Systems are collected with the same
:class:`~fabula.registry.Registry` mechanism as components and actions.

Phases run in this order every tick:

* ``Phase.PRE_UPDATE``: gather input; results of finished async work arrive
  here as events before any game logic runs.
* ``Phase.UPDATE``: game logic.
* ``Phase.POST_UPDATE``: consequences and bookkeeping (deaths, cleanup,
  anything that reacts to what UPDATE did).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import IntEnum
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, overload

from fabula.errors import ArgumentError
from fabula.registry import Registry

if TYPE_CHECKING:
    from fabula.ecs import World
    from fabula.events import EventBus
    from fabula.systems.tasks import TaskRunner

__all__ = [
    "Phase",
    "SystemInfo",
    "SystemRegistry",
    "TickContext",
    "system",
    "system_info",
]

MARKER = "__fabula_system__"

F = TypeVar("F")


class Phase(IntEnum):
    """When in a tick a system runs; phases run in ascending order."""

    PRE_UPDATE = 0
    """Input and the results of async work (task events are published first)."""
    UPDATE = 1
    """Game logic."""
    POST_UPDATE = 2
    """Reactions to what UPDATE did: deaths, cleanup, bookkeeping."""


@dataclass(frozen=True, slots=True)
class SystemInfo:
    """A system's stable name, phase and ordering constraints.

    Attributes:
        name: unique within a scheduler.
        phase: the phase the system runs in.
        before: names of systems this one must run before.
        after: names of systems this one must run after.
    """

    name: str
    phase: Phase = Phase.UPDATE
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()


@dataclass(slots=True)
class TickContext:
    """What a system receives each tick.

    Attributes:
        world: the world to read and change.
        tick: the number of this tick (the first tick is 1).
        bus: the event bus, if the scheduler has one.
        tasks: the task runner for async work, if the scheduler has one.
        data: scratch space shared by the systems of one tick.
    """

    world: World
    tick: int
    bus: EventBus | None = None
    tasks: TaskRunner | None = None
    data: dict[str, Any] = field(default_factory=dict)


class SystemFunction(Protocol):
    """A system: called with the tick's context."""

    def __call__(self, ctx: TickContext, /) -> None: ...


@overload
def system(fn: F, /) -> F: ...
@overload
def system(
    *,
    name: str | None = ...,
    phase: Phase = ...,
    before: tuple[str, ...] | list[str] = ...,
    after: tuple[str, ...] | list[str] = ...,
) -> Callable[[F], F]: ...


def system(
    fn: Any = None,
    /,
    *,
    name: str | None = None,
    phase: Phase = Phase.UPDATE,
    before: tuple[str, ...] | list[str] = (),
    after: tuple[str, ...] | list[str] = (),
) -> Any:
    """Mark a function (or a class with ``run(ctx)``) as a system.

    Args:
        fn: the system, when used bare as ``@system``.
        name: stable name (default: the function or class name).
        phase: when in the tick it runs.
        before: systems it must run before (by name).
        after: systems it must run after (by name).

    Example:
        >>> @system(phase=Phase.UPDATE, after=("gravity",))
        ... def movement(ctx: TickContext) -> None:
        ...     pass
        >>> system_info(movement)
        SystemInfo(name='movement', phase=<Phase.UPDATE: 1>, before=(), after=('gravity',))
    """

    if isinstance(fn, str):
        raise ArgumentError(f"@system({fn!r}): pass the name as a keyword, @system(name={fn!r}).")

    def mark(target: Any) -> Any:
        info = SystemInfo(
            name=name or getattr(target, "__name__", type(target).__name__),
            phase=Phase(phase),
            before=tuple(before),
            after=tuple(after),
        )
        setattr(target, MARKER, info)
        return target

    return mark(fn) if fn is not None else mark


def system_info(obj: Any) -> SystemInfo:
    """The :class:`SystemInfo` of a system; unmarked callables get defaults."""
    info = getattr(obj, MARKER, None)
    if isinstance(info, SystemInfo):
        return info
    return SystemInfo(name=getattr(obj, "__name__", type(obj).__name__))


class SystemRegistry(Registry[Any]):
    """Systems by stable name; ``discover()`` finds every ``@system`` in a
    package or directory."""

    def __init__(self) -> None:
        super().__init__("system", MARKER, rename_hint="@system(name=...)")
