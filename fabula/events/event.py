"""Events: the typed, immutable facts published on the :class:`~fabula.events.EventBus`.

An event is a frozen, slotted dataclass deriving from :class:`Event`. Game
authors define their own the same way::

    @dataclass(frozen=True, slots=True)
    class OnDoorOpened(Event):
        \"\"\"A door was opened; published by the ``open`` action's executor.\"\"\"

        actor: int
        door: int

Invariants:
    * events are immutable once published: :class:`Event` is a frozen
      dataclass, so a subclass declared with a plain ``@dataclass`` fails at
      class creation ("cannot inherit non-frozen dataclass from a frozen one"),
      and handlers cannot change what other handlers, recordings and the
      narrator see;
    * :class:`Event` declares no fields, so subclasses may declare required
      fields freely;
    * entities are plain ``int`` handles, never World objects, so an event can
      be recorded, logged or narrated after the entity is gone.

Fields holding mutable values (``facts`` dicts, pydantic models) are not
copied; treat them as read-only. Such events are not hashable.

The built-in events below are the ones the turn pipeline publishes, roughly in
the order of a turn: :class:`OnInput`, :class:`OnActionProposed`, then
:class:`OnActionRefused` or the executor's events (:class:`OnMove`,
:class:`OnTake`, :class:`OnDrop`, :class:`OnAttack`, :class:`OnDamage`,
:class:`OnDeath`) followed by :class:`OnActionSuccess`; :class:`OnTick` each
world tick; :class:`OnNarration` once the narrator has spoken. A later issue
may add fields; existing ones keep their meaning.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fabula.errors import EventTypeError

__all__ = [
    "Event",
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
    "OnTick",
]


@dataclass(frozen=True, slots=True)
class Event:
    """Base of every event; subscribing to it receives all events.

    Subclass it with ``@dataclass(frozen=True, slots=True)``. Subscribing to a
    class receives its subclasses too, so an intermediate base (say
    ``CombatEvent``) lets one handler follow a whole family.

    Example:
        >>> @dataclass(frozen=True, slots=True)
        ... class OnSneeze(Event):
        ...     actor: int
        >>> OnSneeze(actor=7)
        OnSneeze(actor=7)
    """


# --- the turn ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OnInput(Event):
    """The player submitted a line of text; published by the session before
    parsing, so handlers see the raw input.

    Attributes:
        text: what the player typed, unchanged.
        actor: the entity the player controls, if known.
        turn: the turn this input starts.
    """

    text: str
    actor: int | None = None
    turn: int = 0


@dataclass(frozen=True, slots=True)
class OnActionProposed(Event):
    """Someone proposed an action: the player's parser, a model, an NPC mind
    or a script. Published before any rule looks at it; the rules decide it.

    Attributes:
        proposal: the proposal as made: an ``ActionProposal``, or a raw mapping
            from a model, which the rules refuse as ``MALFORMED`` if it does
            not fit. Never trusted.
    """

    proposal: Any


@dataclass(frozen=True, slots=True)
class OnActionRefused(Event):
    """The rules refused a proposal; published instead of any change to the
    world. The narrator explains the refusal from ``code`` and ``facts``.

    Attributes:
        actor: who tried to act (``None`` if the proposal named no valid actor).
        action: the action id proposed (``None`` if there was none).
        code: a stable refusal code, e.g. ``"LOCKED"``, ``"UNKNOWN_ACTION"``.
        reason: a short human-readable explanation.
        facts: what the rule saw (entities, values), for the narrator.
    """

    actor: int | None
    action: str | None
    code: str
    reason: str = ""
    facts: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class OnActionSuccess(Event):
    """An action passed its rules and its executor ran; published after the
    executor's own events (``OnMove``, ``OnTake``...), so it closes them.

    Attributes:
        actor: who acted.
        action: the action id.
        params: the validated parameters (the action's pydantic model).
    """

    actor: int
    action: str
    params: Any = None


# --- what actions did --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OnMove(Event):
    """An entity moved from one room to another; published by the executor
    that moved it.

    Attributes:
        actor: the entity that moved.
        from_room: the room it left (``None`` if it was nowhere, e.g. spawned).
        to_room: the room it entered.
    """

    actor: int
    from_room: int | None
    to_room: int


@dataclass(frozen=True, slots=True)
class OnTake(Event):
    """An entity picked an item up; published by the executor that moved the
    item into its inventory.

    Attributes:
        actor: who took it.
        item: the item taken.
        room: where it was taken from, if it lay in a room.
    """

    actor: int
    item: int
    room: int | None = None


@dataclass(frozen=True, slots=True)
class OnDrop(Event):
    """An entity put an item down; published by the executor that moved the
    item out of its inventory.

    Attributes:
        actor: who dropped it.
        item: the item dropped.
        room: where it now lies.
    """

    actor: int
    item: int
    room: int | None = None


@dataclass(frozen=True, slots=True)
class OnAttack(Event):
    """An entity attacked another; published when the attack is made, before
    its outcome (``OnDamage``, ``OnDeath``).

    Attributes:
        actor: the attacker.
        target: the entity attacked.
        weapon: the item used, if any.
    """

    actor: int
    target: int
    weapon: int | None = None


@dataclass(frozen=True, slots=True)
class OnDamage(Event):
    """An entity lost health; published by whatever applied the damage.

    Attributes:
        target: the entity damaged.
        amount: health lost (positive).
        source: who or what caused it, if anyone.
    """

    target: int
    amount: int
    source: int | None = None


@dataclass(frozen=True, slots=True)
class OnDeath(Event):
    """An entity died; published once, when its health reached zero. The
    entity may be despawned right after, so handlers get only its handle.

    Attributes:
        entity: who died.
        killer: who caused it, if anyone.
    """

    entity: int
    killer: int | None = None


@dataclass(frozen=True, slots=True)
class OnTalk(Event):
    """An actor spoke to another, and got an answer from its dialogue topics.

    Attributes:
        actor: who spoke.
        target: who answered.
        topic: what was asked about (``None`` for a greeting).
        reply: the answer, as the game wrote it.
    """

    actor: int
    target: int
    topic: str | None
    reply: str


# --- time and telling --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OnTick(Event):
    """A world tick is running; published by the scheduler after async results
    arrive and before the tick's systems run.

    Attributes:
        tick: the tick's number (the first tick is 1).
    """

    tick: int


@dataclass(frozen=True, slots=True)
class OnNarration(Event):
    """The narrator produced the text shown to the player for a turn;
    published last in the turn.

    Attributes:
        text: the narration, as shown.
        turn: the turn it narrates.
    """

    text: str
    turn: int = 0


@dataclass(frozen=True, slots=True)
class OnMessage(Event):
    """Something the game says in its own words, not as the outcome of an
    action: a timed message (a ship drawing nearer), a scripted happening.
    Published by a system or a handler; the narrator tells ``text`` as
    written, after the turn's outcomes.

    Attributes:
        text: what to say.
        source: where it comes from ("timeline"), for readers that filter.
    """

    text: str
    source: str = ""


# --- checks ------------------------------------------------------------------


def check_event_type(event_type: Any, where: str) -> None:
    """Check that ``event_type`` is an :class:`Event` subclass.

    Raises:
        EventTypeError: it is not; the message names ``where`` it was given.
    """
    if isinstance(event_type, type) and issubclass(event_type, Event):
        return
    shown = event_type.__qualname__ if isinstance(event_type, type) else repr(event_type)
    raise EventTypeError(
        event_type,
        f"{where} needs an Event subclass, got {shown}. Pass the event class itself "
        "(e.g. OnDeath, not OnDeath(...) or 'OnDeath'); custom events subclass "
        "fabula.events.Event as @dataclass(frozen=True, slots=True).",
    )


def check_event(event: Any) -> None:
    """Check that ``event`` is an :class:`Event` instance (what ``publish`` takes).

    Raises:
        EventTypeError: it is not; the message says what to publish instead.
    """
    if isinstance(event, Event):
        return
    if isinstance(event, type):
        hint = (
            f"the class {event.__qualname__} itself; publish an instance: {event.__qualname__}(...)"
        )
    else:
        hint = f"a {type(event).__qualname__} ({event!r}); wrap the data in an Event subclass"
    raise EventTypeError(event, f"publish() needs an Event instance, got {hint}.")
