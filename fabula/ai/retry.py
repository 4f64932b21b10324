"""The one retry policy for every model request, and the translation of the
``openai`` SDK's errors into :class:`~fabula.errors.ModelError`.

Every request a :class:`~fabula.ai.ModelClient` makes (a chat completion,
the opening of a stream, a batch of embeddings) goes through
:meth:`RetryPolicy.call`:

* what may pass if asked again is retried: a connection error, a timeout,
  HTTP 429 (rate limited) and 5xx, up to ``retries`` more times, waiting a
  random time between 0 and ``backoff * 2 ** (attempt - 1)`` seconds before
  each (exponential backoff with *full jitter*, so clients that failed
  together do not come back together);
* what will not pass is never retried: any other 4xx (a wrong model name, a
  rejected request) and a 200 whose body is not the answer asked for.

The SDK's own retries are turned off where its client is made, so this is the
only policy. Its errors are translated here, at the boundary, into
``ModelError(role, reason, retryable=...)``; the reason is short, because it
is shown to the player in a notice ("The parser model is not answering
(timed out); ...").

``openai`` is imported only when a request is made, so code that merely
imports :mod:`fabula.ai` (a game played with no model) does not pay for it.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from fabula.errors import ModelError

__all__ = ["RetryPolicy"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often, and after how long, a failed request is tried again.

    Attributes:
        retries: further attempts after the first (0: none).
        backoff: the first wait's ceiling in seconds; each later one doubles.
        sleep: how to wait (tests pass a recorder).
        rng: the jitter's randomness (never the world's: this is I/O, not game).
    """

    retries: int = 2
    backoff: float = 0.5
    sleep: Callable[[float], None] = field(default=time.sleep)
    rng: random.Random = field(default_factory=random.Random)

    def wait(self, attempt: int) -> float:
        """The seconds to wait after failed attempt number ``attempt`` (from
        1): uniform in ``[0, backoff * 2 ** (attempt - 1)]``."""
        return self.rng.uniform(0, self.backoff * 2 ** (attempt - 1))

    def call(
        self, role: str, request: Callable[[], T], *, endpoint: str, garbled: str
    ) -> tuple[T, int]:
        """Make ``request`` until it succeeds or may not be retried; return
        its result and the attempts it took.

        Args:
            role: whose request (for the error).
            request: one attempt; raises the SDK's errors.
            endpoint: the server's URL (named when it cannot be reached).
            garbled: the reason to give when the server answered something
                that is not what was asked ("the answer is not a chat completion").

        Raises:
            ModelError: every attempt failed (``retryable``), or the request
                was rejected or answered with garbage (not ``retryable``).
        """
        attempts = 0
        while True:
            attempts += 1
            try:
                return request(), attempts
            except Exception as exc:
                error = _model_error(role, exc, endpoint=endpoint, garbled=garbled)
                if error is None:
                    raise
                if not error.retryable or attempts > self.retries:
                    raise error from exc
                self.sleep(self.wait(attempts))


def _model_error(
    role: str, exc: BaseException, *, endpoint: str, garbled: str
) -> ModelError | None:
    """``exc`` (raised by the ``openai`` SDK while making a request) as a
    :class:`ModelError` for ``role``, or ``None`` if it is not a request's
    failure (a bug, which must propagate as it is)."""
    import openai

    if isinstance(exc, openai.APITimeoutError):  # before its base, APIConnectionError
        return ModelError(role, "timed out")
    if isinstance(exc, openai.APIConnectionError):
        return ModelError(role, f"cannot connect: cannot reach {endpoint}")
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        return ModelError(role, f"HTTP {status}", retryable=status == 429 or status >= 500)
    if isinstance(exc, openai.OpenAIError | ValueError | TypeError | AttributeError):
        # a 200 whose body the SDK cannot read as the answer asked for
        return ModelError(role, garbled, retryable=False)
    return None
