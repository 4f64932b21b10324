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
   class is computed once and cached; every subscribe and unsubscribe empties
   the cache. A subscription changed by a handler takes
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

Where each rule is kept: rules 3, 4 and 7 here (:class:`EventBus` holds the
queue, the cascade count and the open recordings), rules 1 and 2 in
:mod:`fabula.events.subscriptions`, rule 5 in :mod:`fabula.events.failures`,
rule 6 in :mod:`fabula.events.async_handlers` (``publish_async`` is here,
beside the ``publish`` it mirrors). Those modules hold functions of the bus
that :class:`EventBus` binds as its methods, so a call costs what a method
written here would; the bus declares all the state they share.

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

import inspect
import itertools
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from fabula.errors import ArgumentError, EventCascadeError
from fabula.events import async_handlers as _async
from fabula.events import subscriptions as _subscriptions
from fabula.events.async_handlers import run_awaitable
from fabula.events.event import Event, check_event
from fabula.events.failures import HandlerFailure, must_propagate
from fabula.events.subscriptions import Handler, Subscription, handlers_of

if TYPE_CHECKING:
    import asyncio

__all__ = ["EventBus", "HandlerFailure"]


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
        ArgumentError: ``max_cascade`` or ``max_failures`` is negative.
    """

    def __init__(
        self, *, raise_errors: bool = False, max_cascade: int = 10_000, max_failures: int = 100
    ) -> None:
        if max_cascade < 0 or max_failures < 0:
            raise ArgumentError(
                f"max_cascade and max_failures must be >= 0, got {max_cascade} and {max_failures}."
            )
        self.raise_errors = raise_errors
        self.max_cascade = max_cascade
        self.failures: deque[HandlerFailure] = deque(maxlen=max_failures)
        # Subscriptions and the delivery order per concrete event class, derived
        # from them and emptied on every change (fabula.events.subscriptions).
        self._subscriptions: dict[type[Event], list[Subscription]] = {}
        self._resolved: dict[type, tuple[Handler, ...]] = {}
        self._order = itertools.count()
        # The outermost publish: events handlers published, queued FIFO; how
        # many were queued or refused; a cascade error a handler swallowed.
        self._queue: deque[Event] = deque()
        self._dispatching = False
        self._cascade = 0
        self._runaway: EventCascadeError | None = None
        # Open recordings, outermost first (record()).
        self._recordings: list[list[Event]] = []
        # Async handler tasks still running, and what they raised for join()
        # (fabula.events.async_handlers).
        self._tasks: set[asyncio.Task[Any]] = set()
        self._task_errors: list[BaseException] = []

    # -- subscriptions (fabula.events.subscriptions) ---------------------------

    subscribe = _subscriptions.subscribe
    unsubscribe = _subscriptions.unsubscribe
    try_unsubscribe = _subscriptions.try_unsubscribe
    subscribe_registered = _subscriptions.subscribe_registered
    unsubscribe_registered = _subscriptions.unsubscribe_registered
    subscribers = _subscriptions.subscribers

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

    join = _async.join

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

    def _deliver(self, event: Event) -> None:
        for handler in handlers_of(self, event):
            try:
                result = handler(event)
            except Exception as exc:
                if must_propagate(self, event, handler, exc):
                    raise
            else:
                if result is not None and inspect.isawaitable(result):
                    run_awaitable(self, event, handler, result)

    async def _deliver_async(self, event: Event) -> None:
        for handler in handlers_of(self, event):
            try:
                result = handler(event)
                if result is not None and inspect.isawaitable(result):
                    await result
            except Exception as exc:
                if must_propagate(self, event, handler, exc):
                    raise

    def _enqueue(self, event: Event) -> None:
        """Queue an event published from a handler.

        Raises:
            EventTypeError: ``event`` is not an Event instance.
            EventCascadeError: the cascade went past ``max_cascade``.
        """
        check_event(event)
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
        check_event(event)
        for events in self._recordings:
            events.append(event)
