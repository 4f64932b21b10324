"""The circuit breaker opens after repeated failures, says so once, tries
again after a cooldown, and says when the model is back."""

from __future__ import annotations

from fabula.ai.breaker import CircuitBreaker


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_it_opens_after_repeated_failures_and_says_so_once() -> None:
    clock = Clock()
    breaker = CircuitBreaker("narrator", failures_to_open=3, cooldown=30, clock=clock)
    assert breaker.state == "closed"
    assert breaker.record_failure("timeout") is None
    assert breaker.record_failure("timeout") is None
    notice = breaker.record_failure("timeout")
    assert notice == (
        "The narrator model is not answering (timeout); using the template narrator "
        "until it is back."
    )
    assert breaker.state == "open"
    assert not breaker.allows()
    clock.now = 29.9
    assert not breaker.allows()


def test_after_the_cooldown_one_trial_decides() -> None:
    clock = Clock()
    breaker = CircuitBreaker("parser", failures_to_open=1, cooldown=10, clock=clock)
    assert breaker.record_failure() is not None
    clock.now = 10
    assert breaker.state == "half-open"
    assert breaker.allows()
    assert breaker.record_failure() is None  # a failed trial is quiet
    assert breaker.state == "open"
    clock.now = 25
    assert breaker.allows()
    assert breaker.record_success() == "The parser model is back."
    assert breaker.state == "closed"
    assert breaker.record_success() is None


def test_a_success_resets_the_count() -> None:
    breaker = CircuitBreaker("parser", failures_to_open=2, clock=Clock())
    breaker.record_failure()
    breaker.record_success()
    assert breaker.record_failure() is None
    assert breaker.state == "closed"
