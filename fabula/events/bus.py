"""The EventBus: typed events published once, delivered to every subscribed handler.

Systems, rules and the narrator never call each other; they publish
:class:`~fabula.events.Event` objects and subscribe handlers. What a publish
guarantees:

1. **Who receives an event.** Every handler subscribed to the event's class
   or to one of its base classes (subscribing to ``Event`` receives
   everything). A handler subscribed both to a class and to its base is two
   subscriptions and is called twice.
2. **Order.** Higher ``priority`` first; equal priorities in subscription
   order, across all the classes involved. The order for each concrete event
   class is computed once and cached (``_resolved``); every subscribe and
   unsubscribe empties the cache. A subscription changed by a handler takes
   effect from the next event delivered: the event being delivered keeps the
   handler list it started with.
3. **Re-entrancy.** An event published while another is being dispatched
   (from a handler) is not delivered at once: it is queued, and delivered
   after the current event has reached all of its handlers, first in first
   out. The outermost ``publish`` returns once the queue is empty. The call
   stack therefore never grows with a chain of events, and every handler of
   an event runs before any consequence of it is handled. This holds across
   asyncio tasks too: while a ``publish_async`` waits on a handler, events
   other tasks publish are queued and delivered by it.
4. **Runaway cascades.** One outermost publish may lead to at most
   ``max_cascade`` further publications. The next one raises
   :class:`~fabula.errors.EventCascadeError` inside the handler that
   published, and the error propagates out of the outermost publish (even if
   that handler caught it); events still queued are dropped.
5. **Failures.** A handler that raises an ``Exception`` does not stop the
   others: the failure is logged on the ``fabula.events.bus`` logger at ERROR
   level, naming the handler and the event, and appended to
   :attr:`EventBus.failures`. With ``EventBus(raise_errors=True)`` (for tests)
   the exception is re-raised instead, with a note naming the event and the
   handler: it propagates out of the outermost publish, later handlers do not
   run and queued events are dropped. A ``BaseException`` that is not an
   ``Exception`` (``KeyboardInterrupt``, cancellation) always propagates.
6. **Async handlers.** A handler is async when calling it returns an
   awaitable (an ``async def`` function does). :meth:`EventBus.publish` is
   synchronous: if an asyncio loop runs in this thread, the awaitable is
   scheduled as a task on it (the bus keeps it alive; its failure is reported
   like any other when it ends; ``await bus.join()`` waits for such tasks),
   otherwise it is run to completion on the spot with ``asyncio.run``.
   ``await bus.publish_async(event)`` follows the same order but awaits each
   async handler before calling the next; nothing is left running.
7. **Recording.** ``with bus.record() as events:`` collects every event
   published while the block is open, including those published by handlers
   and delivered from the queue, in publication order (which, the queue being
   FIFO, is delivery order). Recordings nest: each open one sees every event.

A bus is not thread-safe: publish from one thread. (The task runner hands the
results of background work to the main thread, which publishes them.)

Example:
    >>> from fabula.events import OnDamage, OnDeath
    >>> bus = EventBus()
    >>> @bus.subscribe(OnDamage)
    ... def die(event: OnDamage) -> None:
    ...     if event.amount >= 10:
    ...         bus.publish(OnDeath(entity=event.target))
    >>> with bus.record() as events:
    ...     bus.publish(OnDamage(target=3, amount=12))
    >>> events
    [OnDamage(target=3, amount=12, source=None), OnDeath(entity=3, killer=None)]
"""

from __future__ import annotations

import asyncio
import inspect
import itertools
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any, NamedTuple, TypeVar, overload

from fabula.errors import EventCascadeError, EventTypeError, SubscriptionError
from fabula.events.event import Event, check_event_type
from fabula.events.handlers import handler_info
from fabula.registry import origin_of

__all__ = ["EventBus", "HandlerFailure"]

log = logging.getLogger(__name__)

Handler = Callable[[Any], object]
"""A handler: called with the event; returns ``None`` or an awaitable."""

H = TypeVar("H", bound=Callable[..., object])


@dataclass(frozen=True, slots=True)
class HandlerFailure:
    """A handler that raised, as the bus reported it.

    Attributes:
        event: the event being handled.
        handler: the handler that raised.
        error: what it raised.
    """

    event: Event
    handler: Handler
    error: BaseException

    @property
    def handler_name(self) -> str:
        """The handler as ``module.qualname``."""
        return origin_of(self.handler)


class _Subscription(NamedTuple):
    priority: int
    order: int  # global subscription counter: the tie-breaker
    handler: Handler


class EventBus:
    """Delivers published events to subscribed handlers (see the module docstring).

    Args:
        raise_errors: re-raise a handler's exception out of ``publish`` instead
            of logging it and going on (for tests).
        max_cascade: the most events handlers may publish during one outermost
            publish before :class:`~fabula.errors.EventCascadeError` stops them.
        max_failures: how many recent failures :attr:`failures` keeps.

    Attributes:
        failures: the most recent handler failures, oldest first; clear it at
            will.

    Raises:
        ValueError: ``max_cascade`` or ``max_failures`` is negative.
    """

    def __init__(
        self, *, raise_errors: bool = False, max_cascade: int = 10_000, max_failures: int = 100
    ) -> None:
        if max_cascade < 0 or max_failures < 0:
            raise ValueError(
                f"max_cascade and max_failures must be >= 0, got {max_cascade} and {max_failures}."
            )
        self.raise_errors = raise_errors
        self.max_cascade = max_cascade
        self.failures: deque[HandlerFailure] = deque(maxlen=max_failures)
        # dict[subscribed class] = [subscriptions, in subscription order]
        self._subscriptions: dict[type[Event], list[_Subscription]] = {}
        # dict[concrete event class] = (handlers in delivery order); emptied on every change
        self._resolved: dict[type, tuple[Handler, ...]] = {}
        self._order = itertools.count()
        self._queue: deque[Event] = deque()
        self._dispatching = False
        self._cascade = 0  # publications refused or queued during this outermost publish
        self._runaway: EventCascadeError | None = None
        self._recordings: list[list[Event]] = []
        self._tasks: set[asyncio.Task[Any]] = set()
        self._task_errors: list[BaseException] = []

    # -- subscriptions --------------------------------------------------------

    @overload
    def subscribe(self, event_type: type[Event], handler: H, *, priority: int = 0) -> H: ...
    @overload
    def subscribe(
        self, event_type: type[Event], handler: None = None, *, priority: int = 0
    ) -> Callable[[H], H]: ...

    def subscribe(self, event_type: type[Event], handler: Any = None, *, priority: int = 0) -> Any:
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
                self._add(event_type, fn, priority)
                return fn

            return decorate
        self._add(event_type, handler, priority)
        return handler

    def unsubscribe(self, event_type: type[Event], handler: Handler) -> None:
        """Stop delivering ``event_type`` events to ``handler``.

        Only the subscription made with this exact ``event_type`` is removed,
        not one to a base or subclass.

        Raises:
            SubscriptionError: ``handler`` is not subscribed to ``event_type``.
        """
        if not self.try_unsubscribe(event_type, handler):
            elsewhere = [
                cls.__qualname__
                for cls, subs in self._subscriptions.items()
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

    def try_unsubscribe(self, event_type: type[Event], handler: Handler) -> bool:
        """Like :meth:`unsubscribe`; returns whether there was a subscription to remove."""
        subs = self._subscriptions.get(event_type, [])
        for i, sub in enumerate(subs):
            if sub.handler == handler:
                del subs[i]
                if not subs:
                    del self._subscriptions[event_type]
                self._resolved.clear()
                return True
        return False

    def subscribe_registered(self, handlers: Iterable[Handler]) -> list[Handler]:
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
                self.subscribe(info.event_type, handler, priority=info.priority)
                done.append((info.event_type, handler))
        except BaseException:
            for event_type, handler in done:
                self.unsubscribe(event_type, handler)
            raise
        return [handler for _, handler in done]

    def unsubscribe_registered(self, handlers: Iterable[Handler]) -> None:
        """Undo :meth:`subscribe_registered` for these ``@on``-marked handlers.

        Raises:
            SubscriptionError: a handler is not marked, or not subscribed to
                its marked event type.
        """
        for handler in handlers:
            self.unsubscribe(handler_info(handler).event_type, handler)

    def subscribers(self, event_type: type[Event]) -> tuple[Handler, ...]:
        """The handlers an ``event_type`` event is delivered to, in delivery order.

        Raises:
            EventTypeError: ``event_type`` is not an Event subclass.
        """
        check_event_type(event_type, "subscribers()")
        return self._resolved.get(event_type) or self._resolve(event_type)

    # -- publishing -------------------------------------------------------------

    def publish(self, event: Event) -> None:
        """Deliver ``event`` to its handlers now, or after the current event
        if called from a handler (see the module docstring).

        Raises:
            EventTypeError: ``event`` is not an Event instance.
            EventCascadeError: handlers published more than ``max_cascade``
                events during this publish.
            Exception: with ``raise_errors=True``, the first exception a
                handler raised.
        """
        if self._dispatching:
            self._enqueue(event)
            return
        if self._recordings:
            self._record(event)
        self._dispatching = True
        try:
            self._deliver(event)
            if self._cascade:
                queue = self._queue
                while queue:
                    self._deliver(queue.popleft())
                self._end_cascade()
        except BaseException:
            self._abandon()
            raise
        finally:
            self._dispatching = False

    async def publish_async(self, event: Event) -> None:
        """Like :meth:`publish`, but await each async handler before calling
        the next one. Called from a handler, it queues ``event`` and returns
        at once, like :meth:`publish`.

        Raises:
            EventTypeError: ``event`` is not an Event instance.
            EventCascadeError: handlers published more than ``max_cascade``
                events during this publish.
            Exception: with ``raise_errors=True``, the first exception a
                handler raised.
        """
        if self._dispatching:
            self._enqueue(event)
            return
        if self._recordings:
            self._record(event)
        self._dispatching = True
        try:
            await self._deliver_async(event)
            if self._cascade:
                queue = self._queue
                while queue:
                    await self._deliver_async(queue.popleft())
                self._end_cascade()
        except BaseException:
            self._abandon()
            raise
        finally:
            self._dispatching = False

    async def join(self) -> None:
        """Wait until every async handler task that :meth:`publish` scheduled
        on the running loop has finished, including tasks scheduled meanwhile.

        Raises:
            Exception: with ``raise_errors=True``, the first exception such a
                task raised since the last ``join`` (all are in :attr:`failures`).
        """
        while self._tasks:
            await asyncio.wait(set(self._tasks))
        if self._task_errors:
            first = self._task_errors[0]
            self._task_errors.clear()
            raise first

    @contextmanager
    def record(self) -> Iterator[list[Event]]:
        """Collect every event published while the block is open, in order.

        Yields:
            The list the events are appended to; it stays valid after the block.

        Example:
            >>> from fabula.events import OnTick
            >>> bus = EventBus()
            >>> with bus.record() as outer:
            ...     bus.publish(OnTick(tick=1))
            ...     with bus.record() as inner:
            ...         bus.publish(OnTick(tick=2))
            >>> [e.tick for e in outer], [e.tick for e in inner]
            ([1, 2], [2])
        """
        events: list[Event] = []
        self._recordings.append(events)
        try:
            yield events
        finally:
            # by identity: two recordings holding equal lists are still two
            for i, recording in enumerate(self._recordings):
                if recording is events:
                    del self._recordings[i]
                    break

    def __repr__(self) -> str:
        count = sum(len(subs) for subs in self._subscriptions.values())
        return f"<EventBus: {count} subscription(s) to {len(self._subscriptions)} event type(s)>"

    # -- internals ----------------------------------------------------------------

    def _add(self, event_type: type[Event], handler: Any, priority: int) -> None:
        if not callable(handler):
            raise SubscriptionError(
                event_type,
                handler,
                f"cannot subscribe {handler!r} to {event_type.__qualname__}: it is not "
                "callable. Pass a function (or async function) that takes the event.",
            )
        subs = self._subscriptions.setdefault(event_type, [])
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
        subs.append(_Subscription(priority, next(self._order), handler))
        self._resolved.clear()

    def _resolve(self, event_type: type) -> tuple[Handler, ...]:
        """Compute and cache the delivery order for one concrete event class."""
        subs = [sub for cls in event_type.__mro__ for sub in self._subscriptions.get(cls, ())]
        subs.sort(key=lambda sub: (-sub.priority, sub.order))
        handlers = tuple(sub.handler for sub in subs)
        self._resolved[event_type] = handlers
        return handlers

    def _handlers(self, event: Event) -> tuple[Handler, ...]:
        """The handlers of ``event``, from the cache when possible.

        Raises:
            EventTypeError: ``event`` is not an Event instance.
        """
        try:
            return self._resolved[event.__class__]
        except KeyError:
            _check_event(event)
            return self._resolve(event.__class__)

    def _deliver(self, event: Event) -> None:
        for handler in self._handlers(event):
            try:
                result = handler(event)
            except Exception as exc:
                if self._failed(event, handler, exc):
                    raise
            else:
                if result is not None and inspect.isawaitable(result):
                    self._run_awaitable(event, handler, result)

    async def _deliver_async(self, event: Event) -> None:
        for handler in self._handlers(event):
            try:
                result = handler(event)
                if result is not None and inspect.isawaitable(result):
                    await result
            except Exception as exc:
                if self._failed(event, handler, exc):
                    raise

    def _run_awaitable(self, event: Event, handler: Handler, awaitable: Awaitable[Any]) -> None:
        """Run an async handler's awaitable from the synchronous ``publish``."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            try:
                asyncio.run(_awaited(awaitable))
            except Exception as exc:
                if self._failed(event, handler, exc):
                    raise
            return
        task = loop.create_task(_awaited(awaitable))
        self._tasks.add(task)
        task.add_done_callback(partial(self._task_done, event, handler))

    def _task_done(self, event: Event, handler: Handler, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None:
            self._report(event, handler, exc)
            if self.raise_errors:
                self._task_errors.append(exc)

    def _enqueue(self, event: Event) -> None:
        """Queue an event published from a handler.

        Raises:
            EventTypeError: ``event`` is not an Event instance.
            EventCascadeError: the cascade went past ``max_cascade``.
        """
        _check_event(event)
        self._cascade += 1
        if self._cascade > self.max_cascade:
            error = EventCascadeError(type(event), self.max_cascade)
            if self._runaway is None:
                self._runaway = error
            raise error
        if self._recordings:
            self._record(event)
        self._queue.append(event)

    def _end_cascade(self) -> None:
        """Close a drained cascade; raise its runaway error if one was swallowed."""
        runaway, self._runaway, self._cascade = self._runaway, None, 0
        if runaway is not None:
            raise runaway

    def _abandon(self) -> None:
        """Forget the queued cascade after an exception left the outermost publish."""
        self._queue.clear()
        self._cascade = 0
        self._runaway = None

    def _record(self, event: Event) -> None:
        _check_event(event)
        for events in self._recordings:
            events.append(event)

    def _failed(self, event: Event, handler: Handler, exc: Exception) -> bool:
        """Report a handler's exception; return whether it must propagate."""
        if isinstance(exc, EventCascadeError):
            exc.add_note(f"published by {origin_of(handler)} while it handled {event!r}")
            return True
        self._report(event, handler, exc)
        if self.raise_errors:
            exc.add_note(
                f"raised by {origin_of(handler)} while it handled {event!r} "
                "(EventBus(raise_errors=True) re-raises handler errors)"
            )
            return True
        return False

    def _report(self, event: Event, handler: Handler, exc: BaseException) -> None:
        log.error(
            "event handler %s failed on %r: %s: %s",
            origin_of(handler),
            event,
            type(exc).__name__,
            exc,
            exc_info=exc,
        )
        self.failures.append(HandlerFailure(event, handler, exc))


def _check_event(event: Any) -> None:
    """Raise :class:`EventTypeError` unless ``event`` is an Event instance."""
    if isinstance(event, Event):
        return
    if isinstance(event, type):
        hint = (
            f"the class {event.__qualname__} itself; publish an instance: {event.__qualname__}(...)"
        )
    else:
        hint = f"a {type(event).__qualname__} ({event!r}); wrap the data in an Event subclass"
    raise EventTypeError(event, f"publish() needs an Event instance, got {hint}.")


async def _awaited(awaitable: Awaitable[Any]) -> Any:
    """A coroutine awaiting ``awaitable`` (tasks and ``asyncio.run`` need coroutines)."""
    return await awaitable
