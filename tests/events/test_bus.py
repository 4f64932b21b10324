"""The EventBus: who receives an event, and in which order."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fabula.errors import EventTypeError, SubscriptionError
from fabula.events import Event, EventBus
from tests.events.samples import Combat, Parry, Ping, Pong, Strike, tracer

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
