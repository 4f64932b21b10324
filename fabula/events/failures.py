"""Handler failures: how the bus reports a handler that raised.

A handler that raises an ``Exception`` does not stop the others (rule 5 of
the dispatch contract in :mod:`fabula.events.bus`): :func:`report` logs it on
the ``fabula.events.bus`` logger at ERROR level, naming the handler and the
event, and appends a :class:`HandlerFailure` to ``EventBus.failures`` (a
bounded deque: the most recent ``max_failures``). :func:`must_propagate`
decides what happens next: with ``EventBus(raise_errors=True)`` the exception
propagates, with a note naming the event and the handler; an
:class:`~fabula.errors.EventCascadeError` always propagates (it is not a
failure of the handler that published too many events, so it is not
reported as one). A ``BaseException`` that is not an ``Exception`` never
reaches these functions: the dispatch loops catch only ``Exception``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fabula.errors import EventCascadeError
from fabula.events.event import Event
from fabula.registry import origin_of

if TYPE_CHECKING:
    from fabula.events.bus import EventBus
    from fabula.events.subscriptions import Handler

__all__ = ["HandlerFailure", "must_propagate", "report"]

log = logging.getLogger("fabula.events.bus")
"""The bus's logger; its name is what applications configure, so it stays the bus's."""


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


def must_propagate(bus: EventBus, event: Event, handler: Handler, exc: Exception) -> bool:
    """Report a handler's exception; return whether it must propagate."""
    if isinstance(exc, EventCascadeError):
        exc.add_note(f"published by {origin_of(handler)} while it handled {event!r}")
        return True
    report(bus, event, handler, exc)
    if bus.raise_errors:
        exc.add_note(
            f"raised by {origin_of(handler)} while it handled {event!r} "
            "(EventBus(raise_errors=True) re-raises handler errors)"
        )
        return True
    return False


def report(bus: EventBus, event: Event, handler: Handler, exc: BaseException) -> None:
    """Log a handler's failure and keep it in ``bus.failures``."""
    log.error(
        "event handler %s failed on %r: %s: %s",
        origin_of(handler),
        event,
        type(exc).__name__,
        exc,
        exc_info=exc,
    )
    bus.failures.append(HandlerFailure(event, handler, exc))
