"""Holding a signal until a save is between turns.

SIGINT (Ctrl-C) and SIGTERM should close a save cleanly, but closing in the
middle of a turn, a flush or a close would write half of one. So a save
counts how deep it is inside such work (:class:`SignalHold` is entered by
each), and a signal arriving meanwhile is only noted; the outermost piece of
work acts on it when it ends without an error. A signal arriving between
turns is acted on at once.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Callable, Iterator, Sequence

__all__ = ["SignalHold"]


class SignalHold:
    """Signals held while a save is busy.

    Args:
        act: what to do with a signal once the save is idle (close it and
            exit, for a :class:`~fabula.persistence.SaveFile`).
    """

    def __init__(self, act: Callable[[int], None]) -> None:
        self._act = act
        self._depth = 0
        self._pending: int | None = None

    def __enter__(self) -> None:
        self._depth += 1

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        self._depth -= 1
        if kind is None:
            self.release()

    def release(self) -> None:
        """Act on a held signal, unless still busy (the outermost work will)."""
        if self._depth or self._pending is None:
            return
        signum, self._pending = self._pending, None
        self._act(signum)

    @contextlib.contextmanager
    def installed(self, signals: Sequence[int]) -> Iterator[None]:
        """Handle ``signals`` this way while the block runs (main thread only)."""
        previous = {s: signal.getsignal(s) for s in signals}

        def handler(signum: int, frame: object) -> None:
            self._pending = signum
            self.release()

        for s in signals:
            signal.signal(s, handler)
        try:
            yield
        finally:
            for s, old in previous.items():
                signal.signal(s, old)
