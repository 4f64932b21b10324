"""Events and handlers the EventBus tests share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fabula.events import Event


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


def tracer(log: list[str], label: str) -> Callable[[Event], None]:
    """A handler that appends ``label`` to ``log``."""

    def handler(event: Event) -> None:
        log.append(label)

    handler.__qualname__ = f"tracer.{label}"
    return handler


def broken(event: Event) -> None:
    raise ValueError("the troll is not in this room")
