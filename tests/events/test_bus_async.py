"""The EventBus with async handlers, and recording what a block publishes."""

from __future__ import annotations

import asyncio
import logging

import pytest

from fabula.errors import EventCascadeError
from fabula.events import Event, EventBus, OnDamage, OnDeath, OnTick
from tests.events.samples import Ping, Pong, broken, tracer

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
