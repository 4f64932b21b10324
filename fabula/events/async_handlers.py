"""Async handlers: how the bus runs a handler whose call returns an awaitable.

A handler is async when calling it returns an awaitable (an ``async def``
function does); rule 6 of the dispatch contract in :mod:`fabula.events.bus`:

* :meth:`EventBus.publish` is synchronous. If an asyncio loop runs in this
  thread, the awaitable is scheduled as a task on it (:func:`run_awaitable`);
  otherwise it is run to completion on the spot with ``asyncio.run``.
* :func:`join` waits for the tasks ``publish`` scheduled.
* ``EventBus.publish_async`` (beside ``publish`` in :mod:`fabula.events.bus`,
  which it mirrors) awaits each async handler before calling the next, so it
  leaves nothing running and needs nothing from this module.

The state is the bus's: ``EventBus._tasks``, the tasks still running (the bus
holds them so they are not garbage-collected mid-flight; each removes itself
when done), and ``EventBus._task_errors``, what those tasks raised since the
last :func:`join` when ``raise_errors=True`` (a task's failure is reported like
any other when it ends; :func:`join` re-raises the first).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from functools import partial
from typing import TYPE_CHECKING, Any

from fabula.events.failures import must_propagate, report

if TYPE_CHECKING:
    from fabula.events.bus import EventBus
    from fabula.events.event import Event
    from fabula.events.subscriptions import Handler

__all__ = ["join", "run_awaitable"]


async def join(bus: EventBus) -> None:
    """Wait until every async handler task that :meth:`publish` scheduled
    on the running loop has finished, including tasks scheduled meanwhile.

    Raises:
        Exception: with ``raise_errors=True``, the first exception such a
            task raised since the last ``join`` (all are in :attr:`failures`).
    """
    while bus._tasks:
        await asyncio.wait(set(bus._tasks))
    if bus._task_errors:
        first = bus._task_errors[0]
        bus._task_errors.clear()
        raise first


def run_awaitable(bus: EventBus, event: Event, handler: Handler, awaitable: Awaitable[Any]) -> None:
    """Run an async handler's awaitable from the synchronous ``publish``."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        try:
            asyncio.run(_awaited(awaitable))
        except Exception as exc:
            if must_propagate(bus, event, handler, exc):
                raise
        return
    task = loop.create_task(_awaited(awaitable))
    bus._tasks.add(task)
    task.add_done_callback(partial(_task_done, bus, event, handler))


def _task_done(bus: EventBus, event: Event, handler: Handler, task: asyncio.Task[Any]) -> None:
    bus._tasks.discard(task)
    if task.cancelled():
        return
    exc = task.exception()
    if exc is not None:
        report(bus, event, handler, exc)
        if bus.raise_errors:
            bus._task_errors.append(exc)


async def _awaited(awaitable: Awaitable[Any]) -> Any:
    """A coroutine awaiting ``awaitable`` (tasks and ``asyncio.run`` need coroutines)."""
    return await awaitable
