"""Async work beside the game loop: model requests that never stall a tick.

A system starts an awaitable (an LLM request, any I/O) with
:meth:`TaskRunner.start` and returns at once. The awaitable runs on a private
asyncio event loop in a background thread, so it makes progress while the
simulation ticks and while a turn-based game waits for the player. When it
finishes, its outcome is queued; at the start of the next tick the scheduler
calls :meth:`TaskRunner.collect` on the main thread and publishes it as an
event (:class:`OnTaskDone`, :class:`OnTaskFailed`, :class:`OnTaskTimedOut`),
followed by whatever events the task's ``then`` callback derives from the
result (for a model deciding an NPC's move: an ``OnActionProposed``, which
goes through the same validator as a player's action).

Invariants:
    * the loop thread never touches the World: results cross to the main
      thread only through :meth:`collect`;
    * every task ends in exactly one event (done, failed or timed out), or in
      none if it was cancelled by :meth:`cancel`;
    * timeouts are explicit: ``timeout`` in seconds (enforced on the loop) and
      ``deadline`` in ticks (enforced at :meth:`collect`, deterministic); a
      late result of a timed-out task is dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import queue
import threading
from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from fabula.errors import TaskError
from fabula.events import Event

__all__ = [
    "OnTaskDone",
    "OnTaskFailed",
    "OnTaskTimedOut",
    "TaskHandle",
    "TaskRunner",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class OnTaskDone(Event):
    """An async task finished; published at the start of the next tick."""

    task: str
    task_id: int
    result: Any = None


@dataclass(frozen=True, slots=True)
class OnTaskFailed(Event):
    """An async task raised; ``error`` describes the exception."""

    task: str
    task_id: int
    error: str = ""


@dataclass(frozen=True, slots=True)
class OnTaskTimedOut(Event):
    """An async task ran past its ``timeout`` (seconds) or ``deadline`` (ticks)."""

    task: str
    task_id: int
    after: str = ""


@dataclass(eq=False)
class TaskHandle:
    """A started task. Compare by identity; ``state`` is read-only for callers.

    Attributes:
        id: unique within the runner.
        name: what the task is (for events and logs).
        started_tick: the tick during which it was started.
        deadline_tick: the last tick by whose start it must have finished.
        state: "running", "done", "failed", "timed out" or "cancelled".
    """

    id: int
    name: str
    started_tick: int
    deadline_tick: int | None
    then: Callable[[Any], Iterable[Event] | Event | None] | None = None
    state: str = "running"
    future: Future[Any] | None = field(default=None, repr=False)
    finished: threading.Event = field(default_factory=threading.Event, repr=False)


class TaskRunner:
    """Runs awaitables on a background event loop; hands results back per tick.

    Use as a context manager, or call :meth:`close` when done, so the loop
    thread stops and pending work is cancelled.
    """

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._outcomes: queue.SimpleQueue[tuple[TaskHandle, str, Any]] = queue.SimpleQueue()
        self._running: dict[int, TaskHandle] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._closed = False

    # -- lifecycle ----------------------------------------------------------------

    def _ensure_loop(self) -> asyncio.AbstractEventLoop:
        if self._closed:
            raise TaskError("this TaskRunner is closed; create a new one to start more tasks.")
        if self._loop is None:
            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=loop.run_forever, name="fabula-tasks", daemon=True)
            thread.start()
            self._loop, self._thread = loop, thread
        return self._loop

    def close(self) -> None:
        """Cancel pending tasks and stop the loop thread. Idempotent."""
        if self._closed:
            return
        self._closed = True
        for handle in list(self._running.values()):
            self.cancel(handle)
        loop, thread = self._loop, self._thread
        if loop is not None and thread is not None:
            with contextlib.suppress(Exception):
                asyncio.run_coroutine_threadsafe(_cancel_all(), loop).result(timeout=5)
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout=5)
            loop.close()

    def __enter__(self) -> TaskRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- starting and stopping ----------------------------------------------------

    def start(
        self,
        work: Callable[[], Awaitable[Any]] | Awaitable[Any],
        *,
        name: str,
        tick: int = 0,
        timeout: float | None = None,
        deadline: int | None = None,
        then: Callable[[Any], Iterable[Event] | Event | None] | None = None,
    ) -> TaskHandle:
        """Start ``work`` in the background and return at once.

        Args:
            work: a coroutine function taking no arguments (preferred: it is
                created on the loop thread), or an awaitable.
            name: what the task is, for events and logs.
            tick: the current tick (``ctx.tick``), to anchor ``deadline``.
            timeout: seconds before the task is cancelled and reported timed out.
            deadline: ticks after ``tick`` by which it must be done; checked
                at each :meth:`collect`, so it is deterministic.
            then: called on the main thread with the result when the task is
                collected; the events it returns are published after
                :class:`OnTaskDone`.

        Raises:
            TaskError: the runner is closed, or a bound is not positive.
        """
        if timeout is not None and timeout <= 0:
            raise TaskError(f"task {name!r}: timeout must be positive seconds, got {timeout}.")
        if deadline is not None and deadline < 1:
            raise TaskError(f"task {name!r}: deadline must be at least 1 tick, got {deadline}.")
        loop = self._ensure_loop()
        handle = TaskHandle(
            id=next(self._ids),
            name=name,
            started_tick=tick,
            deadline_tick=None if deadline is None else tick + deadline,
            then=then,
        )
        with self._lock:
            self._running[handle.id] = handle
        handle.future = asyncio.run_coroutine_threadsafe(self._run(handle, work, timeout), loop)
        return handle

    async def _run(
        self,
        handle: TaskHandle,
        work: Callable[[], Awaitable[Any]] | Awaitable[Any],
        timeout: float | None,
    ) -> None:
        try:
            awaitable = work() if callable(work) else work
            result = await asyncio.wait_for(awaitable, timeout)
        except asyncio.CancelledError:
            handle.finished.set()
            raise
        except TimeoutError:
            self._outcomes.put((handle, "timed out", f"{timeout} s"))
        except Exception as exc:
            self._outcomes.put((handle, "failed", f"{type(exc).__name__}: {exc}"))
        else:
            self._outcomes.put((handle, "done", result))
        handle.finished.set()

    def cancel(self, handle: TaskHandle) -> None:
        """Cancel a running task; it produces no event. No-op once it ended."""
        with self._lock:
            if self._running.pop(handle.id, None) is None:
                return
        handle.state = "cancelled"
        if handle.future is not None:
            handle.future.cancel()

    def wait(self, handle: TaskHandle, timeout: float | None = None) -> bool:
        """Block until ``handle``'s work has finished (for tests and shutdown).

        Returns:
            Whether it finished within ``timeout`` seconds.
        """
        return handle.finished.wait(timeout)

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until every running task's work has finished (collected or not).

        Returns:
            Whether that happened within ``timeout`` seconds.
        """
        with self._lock:
            handles = list(self._running.values())
        return all(handle.finished.wait(timeout) for handle in handles)

    @property
    def pending(self) -> int:
        """Tasks started and not yet collected or cancelled."""
        return len(self._running)

    # -- results --------------------------------------------------------------------

    def collect(self, tick: int) -> list[Event]:
        """Events for tasks that ended since the last call, in completion order,
        then for tasks whose tick deadline has passed. Call on the main thread.
        """
        events: list[Event] = []
        while True:
            try:
                handle, state, value = self._outcomes.get_nowait()
            except queue.Empty:
                break
            with self._lock:
                if self._running.pop(handle.id, None) is None:
                    continue  # cancelled or already timed out by deadline
            handle.state = state
            if state == "done":
                events.append(OnTaskDone(task=handle.name, task_id=handle.id, result=value))
                if handle.then is not None:
                    events.extend(self._derive(handle, value))
            elif state == "failed":
                log.warning("task %r (#%d) failed: %s", handle.name, handle.id, value)
                events.append(OnTaskFailed(task=handle.name, task_id=handle.id, error=value))
            else:
                events.append(OnTaskTimedOut(task=handle.name, task_id=handle.id, after=value))
        for handle in list(self._running.values()):
            if handle.deadline_tick is not None and tick > handle.deadline_tick:
                self.cancel(handle)
                handle.state = "timed out"
                ticks = handle.deadline_tick - handle.started_tick
                events.append(
                    OnTaskTimedOut(task=handle.name, task_id=handle.id, after=f"{ticks} ticks")
                )
        return events

    @staticmethod
    def _derive(handle: TaskHandle, result: Any) -> list[Event]:
        assert handle.then is not None
        derived = handle.then(result)
        if derived is None:
            return []
        if isinstance(derived, Event):
            return [derived]
        return list(derived)


async def _cancel_all() -> None:
    """Cancel every task on the running loop but this one, and let them finish."""
    current = asyncio.current_task()
    tasks = [task for task in asyncio.all_tasks() if task is not current]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
