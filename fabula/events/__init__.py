"""Events and the EventBus: how systems, rules and the narrator react to each
other without calling each other.

See :mod:`fabula.events.event` for the event types, :mod:`fabula.events.bus`
for the bus and its dispatch contract (with :mod:`~fabula.events.subscriptions`
for who receives an event and in which order, :mod:`~fabula.events.failures`
for handlers that raise, and :mod:`~fabula.events.async_handlers` for async
handlers), and :mod:`fabula.events.handlers` for declaring handlers in game
code with ``@on``.
"""

from fabula.events.bus import EventBus, HandlerFailure
from fabula.events.event import (
    Event,
    OnActionProposed,
    OnActionRefused,
    OnActionSuccess,
    OnAttack,
    OnDamage,
    OnDeath,
    OnDrop,
    OnInput,
    OnMessage,
    OnMove,
    OnNarration,
    OnTake,
    OnTalk,
    OnTick,
)
from fabula.events.handlers import (
    HandlerInfo,
    HandlerRegistry,
    handler_info,
    on,
    try_handler_info,
)

__all__ = [
    "Event",
    "EventBus",
    "HandlerFailure",
    "HandlerInfo",
    "HandlerRegistry",
    "OnActionProposed",
    "OnActionRefused",
    "OnActionSuccess",
    "OnAttack",
    "OnDamage",
    "OnDeath",
    "OnDrop",
    "OnInput",
    "OnMessage",
    "OnMove",
    "OnNarration",
    "OnTake",
    "OnTalk",
    "OnTick",
    "handler_info",
    "on",
    "try_handler_info",
]
