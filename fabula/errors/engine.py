"""Errors of the engine's core: the ECS, actions, systems and the EventBus."""

from __future__ import annotations

from typing import Any

from fabula.errors.base import FabulaError

# --- ECS --------------------------------------------------------------------


class EcsError(FabulaError):
    """The World was used in a way it does not support."""


class ComponentDeclarationError(EcsError, TypeError):
    """A component class cannot be stored the way it is declared."""

    def __init__(self, component: Any, reason: str) -> None:
        self.component = component
        name = getattr(component, "__qualname__", repr(component))
        super().__init__(f"component {name}: {reason}")


class EntityError(EcsError, KeyError):
    """A handle that names no live entity (never spawned, or not yet applied)."""

    def __init__(self, entity: Any, reason: str | None = None) -> None:
        self.entity = entity
        super().__init__(reason or f"no entity {entity!r} exists in this world.")

    def __str__(self) -> str:
        return str(self.args[0])


class DespawnedEntityError(EntityError):
    """A handle to an entity that was despawned (its slot may since be reused)."""


class MissingComponentError(EcsError, KeyError):
    """An entity does not have the component that was asked for.

    Attributes:
        entity: the entity handle.
        component: the component type asked for.
    """

    def __init__(self, entity: Any, component: Any, entity_label: str, has: list[str]) -> None:
        self.entity, self.component = entity, component
        name = getattr(component, "__qualname__", repr(component))
        have = ", ".join(has) if has else "no components"
        super().__init__(
            f"{entity_label} has no {name} component (it has {have}). "
            f"Use try_get() where absence is expected, or insert a {name} first."
        )

    def __str__(self) -> str:
        return str(self.args[0])


class ReadOnlyError(EcsError, TypeError):
    """A write asked of a read-only view of the world (a validator's, a
    narrator's): change the world in an action's ``execute()`` instead."""


class StructuralChangeError(EcsError):
    """A structural change (spawn, insert, remove, despawn) made where it is not allowed."""


# --- actions ----------------------------------------------------------------


class ActionDeclarationError(FabulaError, TypeError):
    """An action class that cannot be used as declared: its ``requires`` holds
    something that is not a precondition, or names a parameter field the
    action's ``Params`` does not have, or a precondition is bound to
    something other than a field's name. Raised while actions are declared,
    marked with ``@action`` or registered, never during play.

    Attributes:
        action: the action's id (or class name), when one is known.
        field: the parameter field concerned, if any.
    """

    def __init__(
        self, message: str, *, action: str | None = None, field: str | None = None
    ) -> None:
        self.action, self.field = action, field
        super().__init__(message if action is None else f"action {action!r}: {message}")


# --- systems ----------------------------------------------------------------


class ScheduleError(FabulaError):
    """Systems that cannot be ordered (unknown name, cycle, phase conflict)."""


class TaskError(FabulaError):
    """Async work started or awaited in a way the task runner does not support."""


# --- events -----------------------------------------------------------------


class EventError(FabulaError):
    """The event bus was used in a way it does not support."""


class EventTypeError(EventError, TypeError):
    """A value that is not an :class:`~fabula.events.Event` (class or instance)
    was given where one is needed.

    Attributes:
        value: what was given instead.
    """

    def __init__(self, value: Any, message: str) -> None:
        self.value = value
        super().__init__(message)


class SubscriptionError(EventError):
    """A handler could not be subscribed or unsubscribed as asked: it is not
    callable, already subscribed, or not subscribed at all.

    Attributes:
        event_type: the event class of the subscription.
        handler: the handler concerned.
    """

    def __init__(self, event_type: Any, handler: Any, message: str) -> None:
        self.event_type, self.handler = event_type, handler
        super().__init__(message)


class EventCascadeError(EventError):
    """Handlers published more events during one top-level publish than the
    bus allows (``EventBus(max_cascade=...)``); almost always a cycle.

    Attributes:
        event_type: the event class whose publication went over the limit.
        limit: the bus's ``max_cascade``.
    """

    def __init__(self, event_type: Any, limit: int) -> None:
        self.event_type, self.limit = event_type, limit
        name = getattr(event_type, "__qualname__", repr(event_type))
        super().__init__(
            f"handlers published more than {limit} events while one top-level publish was "
            f"being dispatched (refused: {name}). A handler probably publishes in a cycle, "
            f"e.g. a handler of {name} publishing {name} again; break the cycle, or raise "
            "EventBus(max_cascade=...) if this many events per publish is expected."
        )
