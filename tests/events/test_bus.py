"""The EventBus: who receives an event, in which order, and what happens when
handlers publish, fail, are async, or are recorded."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fabula.errors import EventCascadeError, EventTypeError, SubscriptionError
from fabula.events import Event, EventBus, HandlerFailure, OnDamage, OnDeath, OnTick


@dataclass(frozen=True, slots=True)
class Ping(Event):
    n: int = 0


@dataclass(frozen=True, slots=True)
class Pong(Event):
    n: int = 0


@dataclass(frozen=True, slots=True)
class Combat(Event):
    actor: int = 0


@dataclass(frozen=True, slots=True)
class Strike(Combat):
    target: int = 0


@dataclass(frozen=True, slots=True)
class Parry(Combat):
    pass


def tracer(log: list[str], label: str):
    """A handler that appends ``label`` to ``log``."""

    def handler(event: Event) -> None:
        log.append(label)

    handler.__qualname__ = f"tracer.{label}"
    return handler


# --- ordering ----------------------------------------------------------------


def test_higher_priority_runs_first_then_subscription_order() -> None:
    bus, log = EventBus(), []
    bus.subscribe(Ping, tracer(log, "a"))
    bus.subscribe(Ping, tracer(log, "b"), priority=5)
    bus.subscribe(Ping, tracer(log, "c"))
    bus.subscribe(Ping, tracer(log, "d"), priority=5)
    bus.subscribe(Ping, tracer(log, "e"), priority=-1)
    bus.publish(Ping())
    assert log == ["b", "d", "a", "c", "e"]


@given(st.lists(st.integers(min_value=-3, max_value=3), max_size=12))
def test_delivery_order_is_sorted_by_priority_then_subscription(priorities: list[int]) -> None:
    bus = EventBus()
    seen: list[int] = []
    for index, priority in enumerate(priorities):
        bus.subscribe(Ping, lambda e, i=index: seen.append(i), priority=priority)
    bus.publish(Ping())
    expected = sorted(range(len(priorities)), key=lambda i: (-priorities[i], i))
    assert seen == expected


@given(st.lists(st.tuples(st.sampled_from([Event, Combat, Strike]), st.integers(-2, 2))))
def test_order_across_base_classes_is_one_order(subs: list[tuple[type[Event], int]]) -> None:
    bus = EventBus()
    seen: list[int] = []
    for index, (event_type, priority) in enumerate(subs):
        bus.subscribe(event_type, lambda e, i=index: seen.append(i), priority=priority)
    bus.publish(Strike())
    assert seen == sorted(range(len(subs)), key=lambda i: (-subs[i][1], i))


def test_subscribe_as_decorator_returns_the_function() -> None:
    bus, seen = EventBus(), []

    @bus.subscribe(Ping, priority=3)
    def on_ping(event: Ping) -> None:
        seen.append(event.n)

    bus.publish(Ping(4))
    assert seen == [4]
    assert on_ping.__name__ == "on_ping"
    assert bus.subscribers(Ping) == (on_ping,)


# --- who receives what -------------------------------------------------------


def test_subscribing_to_a_base_class_receives_its_subclasses() -> None:
    bus, seen = EventBus(), []
    bus.subscribe(Combat, lambda e: seen.append(("combat", type(e).__name__)))
    bus.subscribe(Strike, lambda e: seen.append(("strike", type(e).__name__)))
    bus.subscribe(Event, lambda e: seen.append(("any", type(e).__name__)))
    bus.publish(Strike())
    bus.publish(Parry())
    bus.publish(Ping())
    assert seen == [
        ("combat", "Strike"),
        ("strike", "Strike"),
        ("any", "Strike"),
        ("combat", "Parry"),
        ("any", "Parry"),
        ("any", "Ping"),
    ]


def test_an_event_with_no_subscribers_is_a_no_op() -> None:
    bus = EventBus()
    bus.publish(Ping())
    assert bus.subscribers(Ping) == ()


def test_subscribing_after_a_publish_is_seen_by_the_next_one() -> None:
    bus, log = EventBus(), []
    bus.subscribe(Combat, tracer(log, "base"))
    bus.publish(Strike())  # caches Strike's handlers
    bus.subscribe(Strike, tracer(log, "strike"), priority=1)
    bus.publish(Strike())
    assert log == ["base", "strike", "base"]


def test_subscription_changes_inside_a_handler_apply_from_the_next_event() -> None:
    bus, log = EventBus(), []
    late = tracer(log, "late")

    def first(event: Ping) -> None:
        log.append("first")
        bus.subscribe(Ping, late)
        bus.unsubscribe(Ping, second)

    second = tracer(log, "second")
    bus.subscribe(Ping, first, priority=1)
    bus.subscribe(Ping, second)
    bus.publish(Ping())
    assert log == ["first", "second"]
    log.clear()
    bus.unsubscribe(Ping, first)
    bus.publish(Ping())
    assert log == ["late"]


def test_unsubscribe_stops_delivery() -> None:
    bus, log = EventBus(), []
    handler = tracer(log, "h")
    bus.subscribe(Ping, handler)
    bus.publish(Ping())
    bus.unsubscribe(Ping, handler)
    bus.publish(Ping())
    assert log == ["h"]
    assert bus.subscribers(Ping) == ()


def test_unsubscribe_removes_only_the_subscription_to_that_class() -> None:
    bus, log = EventBus(), []
    handler = tracer(log, "h")
    bus.subscribe(Combat, handler)
    bus.subscribe(Strike, handler)
    bus.publish(Strike())
    assert log == ["h", "h"]  # two subscriptions, two calls
    bus.unsubscribe(Strike, handler)
    bus.publish(Strike())
    assert log == ["h", "h", "h"]


def test_bound_methods_unsubscribe_by_equality() -> None:
    class Counter:
        def __init__(self) -> None:
            self.count = 0

        def on_ping(self, event: Ping) -> None:
            self.count += 1

    bus, counter = EventBus(), Counter()
    bus.subscribe(Ping, counter.on_ping)
    bus.publish(Ping())
    bus.unsubscribe(Ping, counter.on_ping)  # a new bound-method object, equal to the first
    bus.publish(Ping())
    assert counter.count == 1


def test_unsubscribing_an_unknown_handler_says_where_it_is() -> None:
    bus = EventBus()
    handler = tracer([], "h")
    bus.subscribe(Combat, handler)
    with pytest.raises(
        SubscriptionError,
        match=r"cannot unsubscribe .*tracer\.h from Strike: it is subscribed to Combat\. "
        r"Pass the event type",
    ):
        bus.unsubscribe(Strike, handler)
    with pytest.raises(SubscriptionError, match="it is not subscribed to anything"):
        bus.unsubscribe(Ping, tracer([], "other"))
    assert bus.try_unsubscribe(Strike, handler) is False
    assert bus.try_unsubscribe(Combat, handler) is True
    assert bus.try_unsubscribe(Combat, handler) is False


def test_subscribing_twice_is_refused() -> None:
    bus = EventBus()
    handler = tracer([], "h")
    bus.subscribe(Ping, handler, priority=2)
    with pytest.raises(
        SubscriptionError,
        match=r"tracer\.h is already subscribed to Ping \(priority 2\).*Unsubscribe it first",
    ):
        bus.subscribe(Ping, handler, priority=5)


def test_subscribe_needs_an_event_class_and_a_callable() -> None:
    bus = EventBus()
    with pytest.raises(EventTypeError, match=r"subscribe\(\) needs an Event subclass, got int"):
        bus.subscribe(int, print)  # type: ignore[arg-type]
    with pytest.raises(EventTypeError, match=r"got Ping\(n=0\)\. Pass the event class itself"):
        bus.subscribe(Ping(), print)  # type: ignore[arg-type]
    with pytest.raises(SubscriptionError, match=r"cannot subscribe 42 to Ping: it is not callable"):
        bus.subscribe(Ping, 42)  # type: ignore[arg-type]


def test_publish_needs_an_event_instance() -> None:
    bus = EventBus()
    with pytest.raises(EventTypeError, match=r"got the class Ping itself; publish an instance"):
        bus.publish(Ping)  # type: ignore[arg-type]
    with pytest.raises(EventTypeError, match=r"got a dict \(\{'n': 1\}\); wrap the data"):
        bus.publish({"n": 1})  # type: ignore[arg-type]


def test_bus_options_are_checked() -> None:
    with pytest.raises(ValueError, match="max_cascade and max_failures must be >= 0"):
        EventBus(max_cascade=-1)


def test_repr_counts_subscriptions() -> None:
    bus = EventBus()
    bus.subscribe(Ping, print)
    bus.subscribe(Pong, print)
    bus.subscribe(Pong, repr)
    assert repr(bus) == "<EventBus: 3 subscription(s) to 2 event type(s)>"


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


def broken(event: Event) -> None:
    raise ValueError("the troll is not in this room")


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
    assert "test_bus.broken" in record.getMessage()
    assert "Ping(n=7)" in record.getMessage()
    assert "ValueError: the troll is not in this room" in record.getMessage()
    assert record.exc_info is not None
    [failure] = bus.failures
    assert isinstance(failure, HandlerFailure)
    assert failure.event == Ping(7)
    assert failure.handler is broken
    assert failure.handler_name.endswith("test_bus.broken")
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
    assert "test_bus.broken" in note
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


# --- async handlers ----------------------------------------------------------


def test_publish_without_a_running_loop_runs_async_handlers_to_completion() -> None:
    bus, log = EventBus(), []

    @bus.subscribe(Ping, priority=1)
    async def slow(event: Ping) -> None:
        await asyncio.sleep(0)
        log.append("async")

    bus.subscribe(Ping, tracer(log, "sync"))
    bus.publish(Ping())
    assert log == ["async", "sync"]


def test_async_handler_failures_are_reported_like_sync_ones(
    caplog: pytest.LogCaptureFixture,
) -> None:
    bus, log = EventBus(), []

    @bus.subscribe(Ping, priority=1)
    async def fails(event: Ping) -> None:
        await asyncio.sleep(0)
        raise ValueError("no such exit")

    bus.subscribe(Ping, tracer(log, "after"))
    with caplog.at_level(logging.ERROR, logger="fabula.events.bus"):
        bus.publish(Ping())
    assert log == ["after"]
    assert "fails" in caplog.records[0].getMessage()
    assert isinstance(bus.failures[0].error, ValueError)
    strict = EventBus(raise_errors=True)
    strict.subscribe(Ping, fails)
    with pytest.raises(ValueError, match="no such exit"):
        strict.publish(Ping())


def test_publish_inside_a_running_loop_schedules_async_handlers_as_tasks() -> None:
    bus, log = EventBus(), []

    @bus.subscribe(Ping)
    async def later(event: Ping) -> None:
        log.append("started")
        await asyncio.sleep(0)
        log.append("finished")

    async def main() -> None:
        bus.publish(Ping())
        log.append("published")
        await bus.join()
        log.append("joined")

    asyncio.run(main())
    assert log == ["published", "started", "finished", "joined"]


def test_failing_tasks_are_reported_and_join_reraises_with_raise_errors(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def fails(event: Ping) -> None:
        await asyncio.sleep(0)
        raise ValueError(f"task {event.n} failed")

    async def main(bus: EventBus) -> None:
        bus.publish(Ping(1))
        bus.publish(Ping(2))
        await bus.join()

    lenient = EventBus()
    lenient.subscribe(Ping, fails)
    with caplog.at_level(logging.ERROR, logger="fabula.events.bus"):
        asyncio.run(main(lenient))
    assert [str(f.error) for f in lenient.failures] == ["task 1 failed", "task 2 failed"]
    assert len(caplog.records) == 2

    strict = EventBus(raise_errors=True)
    strict.subscribe(Ping, fails)
    with pytest.raises(ValueError, match="task 1 failed"):
        asyncio.run(main(strict))
    assert len(strict.failures) == 2


def test_publish_async_awaits_each_handler_in_order() -> None:
    bus, log = EventBus(), []

    @bus.subscribe(Ping, priority=2)
    async def first(event: Ping) -> None:
        log.append("first:start")
        await asyncio.sleep(0.01)
        log.append("first:end")
        await bus.publish_async(Pong())  # from a handler: queued, returns at once
        log.append("first:published")

    bus.subscribe(Ping, tracer(log, "second"), priority=1)

    @bus.subscribe(Pong)
    async def on_pong(event: Pong) -> None:
        await asyncio.sleep(0)
        log.append("pong")

    asyncio.run(bus.publish_async(Ping()))
    assert log == ["first:start", "first:end", "first:published", "second", "pong"]


def test_publish_async_reports_failures_and_honours_raise_errors() -> None:
    async def fails(event: Ping) -> None:
        raise ValueError("bad async")

    bus, log = EventBus(), []
    bus.subscribe(Ping, fails, priority=1)
    bus.subscribe(Ping, broken, priority=1)
    bus.subscribe(Ping, tracer(log, "after"))
    logging.getLogger("fabula.events.bus").disabled = True
    try:
        asyncio.run(bus.publish_async(Ping()))
    finally:
        logging.getLogger("fabula.events.bus").disabled = False
    assert log == ["after"]
    assert [type(f.error) for f in bus.failures] == [ValueError, ValueError]

    strict = EventBus(raise_errors=True)
    strict.subscribe(Ping, fails)
    with pytest.raises(ValueError, match="bad async"):
        asyncio.run(strict.publish_async(Ping()))


def test_events_other_tasks_publish_during_publish_async_are_queued() -> None:
    bus, log = EventBus(), []
    started = asyncio.Event()

    @bus.subscribe(Ping)
    async def slow(event: Ping) -> None:
        started.set()
        await asyncio.sleep(0.01)
        log.append("ping done")

    bus.subscribe(Pong, tracer(log, "pong"))

    async def other_task() -> None:
        await started.wait()
        bus.publish(Pong())  # the bus is mid-dispatch: queued
        log.append("published pong")

    async def main() -> None:
        await asyncio.gather(bus.publish_async(Ping()), other_task())

    asyncio.run(main())
    assert log == ["published pong", "ping done", "pong"]


def test_publish_async_stops_a_runaway_loop() -> None:
    bus = EventBus(max_cascade=5)

    @bus.subscribe(Ping)
    async def forever(event: Ping) -> None:
        await bus.publish_async(Ping(event.n + 1))

    with pytest.raises(EventCascadeError, match="more than 5 events"):
        asyncio.run(bus.publish_async(Ping()))


# --- recording ---------------------------------------------------------------


def test_record_collects_published_and_queued_events_in_order() -> None:
    bus = EventBus()

    @bus.subscribe(OnDamage)
    def die(event: OnDamage) -> None:
        bus.publish(OnDeath(entity=event.target, killer=event.source))

    bus.publish(OnTick(tick=0))  # before recording: not recorded
    with bus.record() as events:
        bus.publish(OnTick(tick=1))
        bus.publish(OnDamage(target=5, amount=3, source=2))
    bus.publish(OnTick(tick=2))  # after: not recorded, and the list is kept
    assert events == [
        OnTick(tick=1),
        OnDamage(target=5, amount=3, source=2),
        OnDeath(entity=5, killer=2),
    ]


def test_recordings_nest() -> None:
    bus = EventBus()
    with bus.record() as outer:
        bus.publish(Ping(1))
        with bus.record() as inner:
            bus.publish(Ping(2))
            with bus.record() as empty:
                pass
        bus.publish(Ping(3))
    assert [e.n for e in outer] == [1, 2, 3]
    assert [e.n for e in inner] == [2]
    assert empty == []


def test_a_recording_opened_in_a_handler_sees_what_it_publishes() -> None:
    bus = EventBus()
    inner: list[list[Event]] = []

    @bus.subscribe(Ping)
    def relay(event: Ping) -> None:
        with bus.record() as events:
            bus.publish(Pong(event.n))
        inner.append(events)

    with bus.record() as outer:
        bus.publish(Ping(1))
    assert inner == [[Pong(1)]]
    assert outer == [Ping(1), Pong(1)]


def test_recording_stops_even_if_the_block_raises() -> None:
    bus = EventBus()
    recorded: list[list[Event]] = []

    def turn() -> None:
        with bus.record() as events:
            recorded.append(events)
            bus.publish(Ping(1))
            raise RuntimeError("the turn failed")

    with pytest.raises(RuntimeError, match="the turn failed"):
        turn()
    bus.publish(Ping(2))
    assert recorded == [[Ping(1)]]


def test_events_refused_by_the_cascade_limit_are_not_recorded() -> None:
    bus = EventBus(max_cascade=2)

    @bus.subscribe(Ping)
    def forever(event: Ping) -> None:
        bus.publish(Ping(event.n + 1))

    with pytest.raises(EventCascadeError), bus.record() as events:
        bus.publish(Ping(0))
    assert [e.n for e in events] == [0, 1, 2]
