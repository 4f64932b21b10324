"""The circuit breaker: stop asking a model that is down, and say so once.

Each role (parser, narrator) has one. While **closed**, requests go to the
model; after ``failures_to_open`` failed turns in a row it **opens**: the
turn goes straight to the offline fallback (symbolic parser, template
narrator) without waiting on timeouts. After ``cooldown`` seconds it lets
one trial request through (**half-open**); success closes it, failure opens
it again. :meth:`CircuitBreaker.record_failure` and
:meth:`~CircuitBreaker.record_success` return a notice only when the state
changes, so the UI says "the narrator model is unreachable" once, not every
turn.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Literal

__all__ = ["CircuitBreaker", "State"]

State = Literal["closed", "open", "half-open"]


class CircuitBreaker:
    """Tracks one role's model health.

    Args:
        role: "parser" or "narrator" (for notices).
        failures_to_open: consecutive failures that open the circuit.
        cooldown: seconds before an open circuit allows a trial.
        clock: a monotonic clock (tests pass a fake one).
    """

    def __init__(
        self,
        role: str,
        failures_to_open: int = 3,
        cooldown: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.role = role
        self.failures_to_open = failures_to_open
        self.cooldown = cooldown
        self._clock = clock
        self._failures = 0
        self._opened_at: float | None = None

    @property
    def state(self) -> State:
        """``closed``, ``open`` or ``half-open`` (a trial is allowed now)."""
        if self._opened_at is None:
            return "closed"
        if self._clock() - self._opened_at >= self.cooldown:
            return "half-open"
        return "open"

    def allows(self) -> bool:
        """Whether to try the model this turn."""
        return self.state != "open"

    def record_success(self) -> str | None:
        """The model answered; return a notice if it had been given up on."""
        recovered = self._opened_at is not None
        self._failures = 0
        self._opened_at = None
        return f"The {self.role} model is back." if recovered else None

    def record_failure(self, reason: str = "") -> str | None:
        """The model failed (after its retries); return a notice if the
        circuit opens now."""
        self._failures += 1
        if self._opened_at is not None:  # a failed trial: stay open, quietly
            self._opened_at = self._clock()
            return None
        if self._failures >= self.failures_to_open:
            self._opened_at = self._clock()
            detail = f" ({reason})" if reason else ""
            fallback = "symbolic parser" if self.role == "parser" else "template narrator"
            return (
                f"The {self.role} model is not answering{detail}; using the {fallback} "
                f"until it is back."
            )
        return None
