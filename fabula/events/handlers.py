"""Declaring event handlers in game code: the :func:`on` decorator and its registry.

A game module marks plain functions with ``@on(EventType, priority=...)``; a
:class:`HandlerRegistry` collects them by stable name, one by one with
``register()`` or in bulk with ``discover()`` (the one auto-loader of
:mod:`fabula.registry`); :meth:`EventBus.subscribe_registered
<fabula.events.EventBus.subscribe_registered>` then subscribes them all::

    # game/handlers/deaths.py
    @on(OnDeath, priority=10)
    def drop_loot(event: OnDeath) -> None: ...

    registry = HandlerRegistry()
    registry.discover(Path("game/handlers"))
    bus.subscribe_registered(registry)

Marking does not subscribe anything: a marked function is an ordinary
function until a bus subscribes it, so importing a module has no side effect
on any bus.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from fabula.errors import SubscriptionError
from fabula.events.event import Event, check_event_type
from fabula.registry import Registry

__all__ = ["MARKER", "HandlerInfo", "HandlerRegistry", "handler_info", "on", "try_handler_info"]

MARKER = "__fabula_handler__"
"""The attribute :func:`on` sets on a handler; holds its :class:`HandlerInfo`."""

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True, slots=True)
class HandlerInfo:
    """How a marked handler is to be subscribed.

    Attributes:
        name: the handler's stable name in a :class:`HandlerRegistry`.
        event_type: the event class it receives (with its subclasses).
        priority: higher runs first; ties run in subscription order.
    """

    name: str
    event_type: type[Event]
    priority: int = 0


def on(event_type: type[Event], *, priority: int = 0, name: str | None = None) -> Callable[[F], F]:
    """Mark a function as a handler of ``event_type``, for a registry to collect.

    The function is returned unchanged apart from the marker attribute.

    Args:
        event_type: the event class to receive (subclasses included).
        priority: higher runs first; ties run in subscription order.
        name: stable name in a :class:`HandlerRegistry` (default: the
            function's ``__name__``).

    Raises:
        EventTypeError: ``event_type`` is not an :class:`Event` subclass.
        SubscriptionError: the decorated object is not callable.

    Example:
        >>> from fabula.events import OnDeath
        >>> @on(OnDeath, priority=10)
        ... def drop_loot(event: OnDeath) -> None:
        ...     pass
        >>> handler_info(drop_loot)
        HandlerInfo(name='drop_loot', event_type=<class 'fabula.events.event.OnDeath'>, priority=10)
    """
    check_event_type(event_type, "@on()")

    def mark(fn: F) -> F:
        if not callable(fn):
            raise SubscriptionError(
                event_type,
                fn,
                f"@on({event_type.__qualname__}) decorates {fn!r}, which is not callable; "
                "decorate a function that takes the event.",
            )
        stable = name or getattr(fn, "__name__", None) or type(fn).__name__
        info = HandlerInfo(name=stable, event_type=event_type, priority=priority)
        setattr(fn, MARKER, info)
        return fn

    return mark


def handler_info(obj: Any) -> HandlerInfo:
    """The :class:`HandlerInfo` that :func:`on` attached to ``obj``.

    Raises:
        SubscriptionError: ``obj`` was not marked with :func:`on`.
    """
    info = getattr(obj, MARKER, None)
    if not isinstance(info, HandlerInfo):
        raise SubscriptionError(
            None,
            obj,
            f"{obj!r} is not marked as an event handler; decorate it with "
            "@on(EventType), or subscribe it directly with bus.subscribe(EventType, handler).",
        )
    return info


def try_handler_info(obj: Any) -> HandlerInfo | None:
    """The :class:`HandlerInfo` of ``obj``, or ``None`` if it is not marked."""
    info = getattr(obj, MARKER, None)
    return info if isinstance(info, HandlerInfo) else None


class HandlerRegistry(Registry[Callable[..., Any]]):
    """Event handlers by stable name; ``discover()`` finds every ``@on``
    function in a package or directory.

    Example:
        >>> from fabula.events import OnTick
        >>> @on(OnTick)
        ... def count_ticks(event: OnTick) -> None:
        ...     pass
        >>> registry = HandlerRegistry()
        >>> registry.register(count_ticks) is count_ticks
        True
        >>> registry.names()
        ['count_ticks']
    """

    def __init__(self) -> None:
        super().__init__("handler", MARKER, accept=callable, rename_hint="@on(..., name=...)")
