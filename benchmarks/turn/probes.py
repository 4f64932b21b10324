"""Timing calls the turn makes where the session records no stage of its own.

The session times its stages itself (``Reply.trace.stages``: ``parse``,
``rules``, ``account``, ``context``, ``narrate``, ``memory``). A few of the
figures the benchmark reports lie inside or between them: the state context
and the memory recall inside ``context``, the narrator's accounting
journalled after ``narrate``. A :class:`Probe` wraps one method of one
object, on that instance only, so each call the turn makes to it is timed
where and as it happens: nothing of the turn is done again, or done
differently. The wrapper costs a function call per call, well under a
microsecond.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["Call", "Probe"]


@dataclass(frozen=True, slots=True)
class Call:
    """One call a probe saw: its positional arguments, what it returned and
    the nanoseconds it took."""

    args: tuple[Any, ...]
    result: Any
    ns: int


class Probe:
    """Times every call of ``owner``'s method ``name``, on that instance only.

    The method is replaced by a wrapper on the instance (an attribute of the
    same name, which shadows the class's method); other instances are
    untouched. A call that raises is not recorded.

    Raises:
        AttributeError: ``owner`` has no such method.
    """

    def __init__(self, owner: object, name: str) -> None:
        method: Callable[..., Any] = getattr(owner, name)
        self.name = name
        self._calls: list[Call] = []

        def probed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter_ns()
            result = method(*args, **kwargs)
            self._calls.append(Call(args, result, time.perf_counter_ns() - start))
            return result

        setattr(owner, name, probed)

    def take(self) -> list[Call]:
        """The calls made since the last :meth:`take`, in order."""
        calls, self._calls = self._calls, []
        return calls
