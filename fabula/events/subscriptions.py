"""Subscriptions: which handlers an event reaches, and in which order.

These functions are :class:`~fabula.events.EventBus` methods (``subscribe``,
``unsubscribe``, ``try_unsubscribe``, ``subscribe_registered``,
``unsubscribe_registered``, ``subscribers``), written as functions of the bus
and bound by it, plus :func:`handlers_of`, which dispatch asks for every
event. The state is the bus's::

    EventBus._subscriptions: dict[subscribed class] = [Subscription, ...]  (subscription order)
    EventBus._resolved: dict[concrete event class] = (handler, ...)        (delivery order)
    EventBus._order: itertools.count                                       (the tie-breaker)

``_resolved`` is derived from ``_subscriptions``: for one concrete class, the
subscriptions to it and to every base class, higher ``priority`` first, then
by subscription order across all those classes. It is computed once per class
(:func:`handlers_of`) and emptied on every subscribe and unsubscribe, which are
its only writers besides that computation, so the two always agree. A handler
appears at most once per subscribed class (a second subscription is refused),
but subscribed to a class and to its base it is two subscriptions and
receives the event twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar, overload

from fabula.errors import SubscriptionError
from fabula.events.event import Event, check_event, check_event_type
from fabula.events.handlers import handler_info
from fabula.registry import origin_of

if TYPE_CHECKING:
    from fabula.events.bus import EventBus

__all__ = [
    "Handler",
    "Subscription",
    "handlers_of",
    "subscribe",
    "subscribe_registered",
    "subscribers",
    "try_unsubscribe",
    "unsubscribe",
    "unsubscribe_registered",
]

Handler = Callable[[Any], object]
"""A handler: called with the event; returns ``None`` or an awaitable."""

H = TypeVar("H", bound=Callable[..., object])


class Subscription(NamedTuple):
    """One handler subscribed to one event class."""

    priority: int
    order: int  # the bus's subscription counter: the tie-breaker
    handler: Handler


@overload
def subscribe(bus: EventBus, event_type: type[Event], handler: H, *, priority: int = 0) -> H: ...
@overload
def subscribe(
    bus: EventBus, event_type: type[Event], handler: None = None, *, priority: int = 0
) -> Callable[[H], H]: ...


def subscribe(
    bus: EventBus, event_type: type[Event], handler: Any = None, *, priority: int = 0
) -> Any:
    """Deliver every ``event_type`` event (subclasses included) to ``handler``.

    Without ``handler``, returns a decorator that subscribes the function
    it decorates and returns it unchanged.

    Args:
        event_type: the event class to receive.
        handler: called with each event; may be ``async``.
        priority: higher runs first; ties run in subscription order.

    Returns:
        ``handler`` (or the decorator).

    Raises:
        EventTypeError: ``event_type`` is not an Event subclass.
        SubscriptionError: ``handler`` is not callable, or is already
            subscribed to ``event_type``.
    """
    check_event_type(event_type, "subscribe()")
    if handler is None:

        def decorate(fn: H) -> H:
            _add(bus, event_type, fn, priority)
            return fn

        return decorate
    _add(bus, event_type, handler, priority)
    return handler


def unsubscribe(bus: EventBus, event_type: type[Event], handler: Handler) -> None:
    """Stop delivering ``event_type`` events to ``handler``.

    Only the subscription made with this exact ``event_type`` is removed,
    not one to a base or subclass.

    Raises:
        SubscriptionError: ``handler`` is not subscribed to ``event_type``.
    """
    if not try_unsubscribe(bus, event_type, handler):
        elsewhere = [
            cls.__qualname__
            for cls, subs in bus._subscriptions.items()
            if any(sub.handler == handler for sub in subs)
        ]
        where = (
            f"it is subscribed to {', '.join(elsewhere)}"
            if elsewhere
            else "it is not subscribed to anything"
        )
        raise SubscriptionError(
            event_type,
            handler,
            f"cannot unsubscribe {origin_of(handler)} from {event_type.__qualname__}: "
            f"{where}. Pass the event type it was subscribed with, or use "
            "try_unsubscribe() where it may be absent.",
        )


def try_unsubscribe(bus: EventBus, event_type: type[Event], handler: Handler) -> bool:
    """Like :meth:`unsubscribe`; returns whether there was a subscription to remove."""
    subs = bus._subscriptions.get(event_type, [])
    for i, sub in enumerate(subs):
        if sub.handler == handler:
            del subs[i]
            if not subs:
                del bus._subscriptions[event_type]
            bus._resolved.clear()
            return True
    return False


def subscribe_registered(bus: EventBus, handlers: Iterable[Handler]) -> list[Handler]:
    """Subscribe every ``@on``-marked handler, e.g. a whole
    :class:`~fabula.events.HandlerRegistry`, with its marked event type and
    priority. All or nothing: if one fails, none stays subscribed.

    Returns:
        The handlers subscribed, in order.

    Raises:
        SubscriptionError: a handler is not marked with ``@on``, or is
            already subscribed to its event type.
    """
    done: list[tuple[type[Event], Handler]] = []
    try:
        for handler in handlers:
            info = handler_info(handler)
            subscribe(bus, info.event_type, handler, priority=info.priority)
            done.append((info.event_type, handler))
    except BaseException:
        for event_type, handler in done:
            unsubscribe(bus, event_type, handler)
        raise
    return [handler for _, handler in done]


def unsubscribe_registered(bus: EventBus, handlers: Iterable[Handler]) -> None:
    """Undo :meth:`subscribe_registered` for these ``@on``-marked handlers.

    Raises:
        SubscriptionError: a handler is not marked, or not subscribed to
            its marked event type.
    """
    for handler in handlers:
        unsubscribe(bus, handler_info(handler).event_type, handler)


def subscribers(bus: EventBus, event_type: type[Event]) -> tuple[Handler, ...]:
    """The handlers an ``event_type`` event is delivered to, in delivery order.

    Raises:
        EventTypeError: ``event_type`` is not an Event subclass.
    """
    check_event_type(event_type, "subscribers()")
    return bus._resolved.get(event_type) or _resolve(bus, event_type)


def handlers_of(bus: EventBus, event: Event) -> tuple[Handler, ...]:
    """The handlers of ``event``, in delivery order, from the cache when possible.

    Raises:
        EventTypeError: ``event`` is not an Event instance.
    """
    try:
        return bus._resolved[event.__class__]
    except KeyError:
        check_event(event)
        return _resolve(bus, event.__class__)


def _add(bus: EventBus, event_type: type[Event], handler: Any, priority: int) -> None:
    if not callable(handler):
        raise SubscriptionError(
            event_type,
            handler,
            f"cannot subscribe {handler!r} to {event_type.__qualname__}: it is not "
            "callable. Pass a function (or async function) that takes the event.",
        )
    subs = bus._subscriptions.setdefault(event_type, [])
    for sub in subs:
        if sub.handler == handler:
            raise SubscriptionError(
                event_type,
                handler,
                f"{origin_of(handler)} is already subscribed to "
                f"{event_type.__qualname__} (priority {sub.priority}); subscribing it "
                "again would deliver every event to it twice. Unsubscribe it first "
                "to change its priority.",
            )
    subs.append(Subscription(priority, next(bus._order), handler))
    bus._resolved.clear()


def _resolve(bus: EventBus, event_type: type) -> tuple[Handler, ...]:
    """Compute and cache the delivery order for one concrete event class."""
    subs = [sub for cls in event_type.__mro__ for sub in bus._subscriptions.get(cls, ())]
    subs.sort(key=lambda sub: (-sub.priority, sub.order))
    handlers = tuple(sub.handler for sub in subs)
    bus._resolved[event_type] = handlers
    return handlers
