"""Declaring handlers with @on, collecting them with a HandlerRegistry (the
project's one auto-loader), and subscribing them all to a bus."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from fabula.errors import DuplicateNameError, EventTypeError, SubscriptionError
from fabula.events import (
    EventBus,
    HandlerInfo,
    HandlerRegistry,
    OnDeath,
    OnTick,
    handler_info,
    on,
    try_handler_info,
)


def write(directory: Path, name: str, source: str) -> None:
    (directory / name).write_text(textwrap.dedent(source))


def test_on_marks_the_function_and_returns_it_unchanged() -> None:
    def loot(event: OnDeath) -> None:
        pass

    assert on(OnDeath, priority=10)(loot) is loot
    assert handler_info(loot) == HandlerInfo(name="loot", event_type=OnDeath, priority=10)
    assert try_handler_info(loot) == handler_info(loot)


def test_on_takes_a_stable_name() -> None:
    @on(OnTick, name="clock.count")
    def count(event: OnTick) -> None:
        pass

    assert handler_info(count).name == "clock.count"


def test_on_needs_an_event_class_and_a_callable() -> None:
    with pytest.raises(EventTypeError, match=r"@on\(\) needs an Event subclass, got 'OnDeath'"):
        on("OnDeath")  # type: ignore[arg-type]
    with pytest.raises(SubscriptionError, match=r"@on\(OnDeath\) decorates 3, which is not"):
        on(OnDeath)(3)  # type: ignore[type-var]


def test_unmarked_functions_have_no_handler_info() -> None:
    assert try_handler_info(print) is None
    with pytest.raises(SubscriptionError, match=r"is not marked as an event handler; decorate"):
        handler_info(print)


def test_discover_collects_handlers_from_a_directory_and_the_bus_subscribes_them(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        "deaths.py",
        """
        from fabula.events import OnDeath, on

        SEEN = []

        @on(OnDeath, priority=10)
        def drop_loot(event):
            SEEN.append(("loot", event.entity))

        @on(OnDeath)
        def mourn(event):
            SEEN.append(("mourn", event.entity))

        def not_a_handler(event):
            raise AssertionError("never subscribed")
        """,
    )
    write(
        tmp_path,
        "ticks.py",
        """
        from fabula.events import OnTick, on

        @on(OnTick, priority=1)
        def tick(event):
            pass
        """,
    )
    write(tmp_path, "_private.py", "raise AssertionError('skipped: starts with _')\n")
    registry = HandlerRegistry()
    found = registry.discover(tmp_path)
    assert registry.names() == ["drop_loot", "mourn", "tick"]
    assert found == list(registry)

    bus = EventBus(raise_errors=True)
    assert bus.subscribe_registered(registry) == found
    bus.publish(OnDeath(entity=4))
    deaths = found[0].__globals__  # the discovered module's namespace
    assert deaths["SEEN"] == [("loot", 4), ("mourn", 4)]
    assert bus.subscribers(OnTick) == (registry.get("tick"),)

    bus.unsubscribe_registered(registry)
    bus.publish(OnDeath(entity=5))
    assert deaths["SEEN"] == [("loot", 4), ("mourn", 4)]
    assert bus.subscribers(OnTick) == ()


def test_two_handlers_claiming_one_name_are_refused(tmp_path: Path) -> None:
    for module in ("a.py", "b.py"):
        write(
            tmp_path,
            module,
            """
            from fabula.events import OnDeath, on

            @on(OnDeath)
            def on_death(event):
                pass
            """,
        )
    with pytest.raises(DuplicateNameError, match="handler name 'on_death' is registered twice"):
        HandlerRegistry().discover(tmp_path)


def test_subscribe_registered_is_all_or_nothing() -> None:
    @on(OnTick)
    def first(event: OnTick) -> None:
        pass

    @on(OnDeath)
    def second(event: OnDeath) -> None:
        pass

    bus = EventBus()
    bus.subscribe(OnDeath, second)
    with pytest.raises(SubscriptionError, match="already subscribed to OnDeath"):
        bus.subscribe_registered([first, second])
    assert bus.subscribers(OnTick) == ()  # first was subscribed, then rolled back

    def unmarked(event: OnTick) -> None:
        pass

    with pytest.raises(SubscriptionError, match="is not marked as an event handler"):
        bus.subscribe_registered([first, unmarked])
    assert bus.subscribers(OnTick) == ()


def test_a_duplicate_handler_name_says_how_handlers_are_renamed() -> None:
    from fabula.events import HandlerRegistry, OnDeath, on

    @on(OnDeath, name="mourn")
    def first(event: OnDeath) -> None: ...

    @on(OnDeath, name="mourn")
    def second(event: OnDeath) -> None: ...

    registry = HandlerRegistry()
    registry.register(first)
    with pytest.raises(
        DuplicateNameError, match=r"Rename one of them \(e\.g\. @on\(\.\.\., name=\.\.\.\)\)"
    ):
        registry.register(second)
