"""The EventBus when handlers publish (queued, bounded) or fail."""

from __future__ import annotations

import contextlib
import logging
import sys

import pytest

from fabula.errors import EventCascadeError
from fabula.events import EventBus, HandlerFailure
from tests.events.samples import Ping, Pong, broken, tracer

# --- re-entrancy -------------------------------------------------------------


def test_events_published_by_handlers_are_queued_fifo() -> None:
    bus, log = EventBus(), []

    def on_ping(event: Ping) -> None:
        log.append(f"ping{event.n}:a")
        if event.n == 0:
            bus.publish(Pong(1))
            bus.publish(Ping(2))
            log.append("ping0:a done")

    def on_pong(event: Pong) -> None:
        log.append(f"pong{event.n}")
        if event.n < 10:
            bus.publish(Pong(event.n + 10))

    bus.subscribe(Ping, on_ping)
    bus.subscribe(Ping, lambda e: log.append(f"ping{e.n}:b"))
    bus.subscribe(Pong, on_pong)
    bus.publish(Ping(0))
    assert log == [
        "ping0:a",
        "ping0:a done",  # publish from a handler returns at once
        "ping0:b",  # every handler of an event runs before its consequences
        "pong1",
        "ping2:a",
        "ping2:b",
        "pong11",
    ]


def test_a_long_chain_of_events_does_not_grow_the_stack() -> None:
    bus, seen = EventBus(), []
    length = sys.getrecursionlimit() * 3

    @bus.subscribe(Ping)
    def next_ping(event: Ping) -> None:
        seen.append(event.n)
        if event.n < length:
            bus.publish(Ping(event.n + 1))

    bus.publish(Ping(1))
    assert len(seen) == length


def test_a_runaway_publish_loop_is_stopped_with_a_clear_error() -> None:
    bus, seen = EventBus(max_cascade=50), []
    bystander = tracer(seen, "bystander")

    @bus.subscribe(Ping)
    def forever(event: Ping) -> None:
        bus.publish(Ping(event.n + 1))

    bus.subscribe(Pong, bystander)
    with pytest.raises(
        EventCascadeError,
        match=r"handlers published more than 50 events while one top-level publish .*"
        r"\(refused: Ping\).*a handler of Ping publishing Ping again.*max_cascade",
    ) as caught:
        bus.publish(Ping(0))
    assert caught.value.limit == 50
    assert caught.value.event_type is Ping
    assert any("forever" in note and "Ping(n=50)" in note for note in caught.value.__notes__)
    assert not bus.failures  # a runaway is not a handler failure
    bus.unsubscribe(Ping, forever)
    bus.publish(Pong())  # the bus is usable again, with nothing left queued
    assert seen == ["bystander"]


def test_a_runaway_loop_is_stopped_even_if_a_handler_swallows_the_error() -> None:
    bus, calls = EventBus(max_cascade=10), []

    @bus.subscribe(Ping)
    def forever(event: Ping) -> None:
        calls.append(event.n)
        with contextlib.suppress(EventCascadeError):
            bus.publish(Ping(event.n + 1))

    with pytest.raises(EventCascadeError, match="more than 10 events"):
        bus.publish(Ping(0))
    assert len(calls) == 11  # the outermost event and the 10 allowed


def test_the_cascade_limit_counts_per_outermost_publish() -> None:
    bus = EventBus(max_cascade=3)

    @bus.subscribe(Ping)
    def three(event: Ping) -> None:
        for n in range(3):
            bus.publish(Pong(n))

    for _ in range(5):
        bus.publish(Ping())  # 3 each time: never over the limit


# --- failures ----------------------------------------------------------------


def test_a_failing_handler_does_not_stop_the_others_and_is_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    bus, log = EventBus(), []
    bus.subscribe(Ping, tracer(log, "before"), priority=1)
    bus.subscribe(Ping, broken)
    bus.subscribe(Ping, tracer(log, "after"), priority=-1)
    with caplog.at_level(logging.ERROR, logger="fabula.events.bus"):
        bus.publish(Ping(7))
    assert log == ["before", "after"]
    [record] = caplog.records
    assert record.name == "fabula.events.bus"
    assert "samples.broken" in record.getMessage()
    assert "Ping(n=7)" in record.getMessage()
    assert "ValueError: the troll is not in this room" in record.getMessage()
    assert record.exc_info is not None
    [failure] = bus.failures
    assert isinstance(failure, HandlerFailure)
    assert failure.event == Ping(7)
    assert failure.handler is broken
    assert failure.handler_name.endswith("samples.broken")
    assert isinstance(failure.error, ValueError)


def test_failures_keep_only_the_most_recent() -> None:
    bus = EventBus(max_failures=2)
    bus.subscribe(Ping, broken)
    logging.getLogger("fabula.events.bus").disabled = True
    try:
        for n in range(5):
            bus.publish(Ping(n))
    finally:
        logging.getLogger("fabula.events.bus").disabled = False
    assert [f.event.n for f in bus.failures] == [3, 4]


def test_raise_errors_reraises_the_handlers_exception_with_a_note() -> None:
    bus, log = EventBus(raise_errors=True), []

    @bus.subscribe(Ping, priority=1)
    def queue_more(event: Ping) -> None:
        bus.publish(Pong())

    bus.subscribe(Ping, broken)
    bus.subscribe(Ping, tracer(log, "after"), priority=-1)
    bus.subscribe(Pong, tracer(log, "pong"))
    with pytest.raises(ValueError, match="the troll is not in this room") as caught:
        bus.publish(Ping(3))
    assert log == []  # later handlers did not run; the queued Pong was dropped
    [note] = caught.value.__notes__
    assert "samples.broken" in note
    assert "Ping(n=3)" in note
    assert "raise_errors=True" in note
    assert len(bus.failures) == 1  # still reported
    bus.unsubscribe(Ping, broken)
    bus.publish(Ping(4))  # the bus recovered
    assert log == ["after", "pong"]


def test_a_base_exception_always_propagates() -> None:
    class Stop(BaseException):
        pass

    bus, log = EventBus(), []

    @bus.subscribe(Ping)
    def stop(event: Ping) -> None:
        bus.publish(Pong())
        raise Stop

    bus.subscribe(Pong, tracer(log, "pong"))
    with pytest.raises(Stop):
        bus.publish(Ping())
    assert not bus.failures
    bus.unsubscribe(Ping, stop)
    bus.publish(Ping())
    assert log == []  # the Pong queued before the interruption was dropped
