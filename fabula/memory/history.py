"""History: one memory per committed turn, derived from what the save holds.

An entry is a pure function of the turn's journal row, the plain account the
template narrator gave of it, and the world around it
(:func:`history_entry`). Live play and :meth:`~fabula.memory.MemoryStore.sync`
call the same function with the same inputs, so a store rebuilt from the
journal holds exactly what live play wrote.

What an entry knows:

* ``text``: ``"[turn 7, tide cave] > attack crab with gaff"``, then the
  plain account (:meth:`TemplateNarrator.account
  <fabula.narration.TemplateNarrator.account>`, given by the caller);
* ``place``: the id of the room the actor ended the turn in;
* ``entities``: every entity the turn's actions and events name (the
  ``ENTITY_FIELDS`` of the proposals' parameters and of the events), by id;
* ``witnesses``: the living actors in the actor's room when the turn began
  or when it ended, the actor included. An NPC recalls only what it
  witnessed; the player, only what the player saw;
* ``importance`` (1-10), by :func:`importance_of`;
* ``source``: a fingerprint of the journal row, which tells sync whether the
  entry still belongs to the save's history (after an undo, a restore or a
  crash, see :mod:`fabula.memory.sync`).

Entities are named by their ids in the game's files (``"tamsin"``); one with
no id (spawned during play, or removed by the turn, like a thing eaten) as
``"#<handle>"``: handles are deterministic, so replay names it the same.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from fabula.actions import ActionProposal, Outcome
from fabula.actions.standard import Actor, Health, Named, Score, contents, room_of
from fabula.content import Ident
from fabula.ecs import WorldView
from fabula.events import Event, OnAttack, OnDamage, OnDeath, OnTalk
from fabula.persistence import TurnRecord

__all__ = [
    "ENTITY_FIELDS",
    "HistoryEntry",
    "PlainNarrator",
    "Scene",
    "entity_key",
    "history_entry",
    "importance_of",
    "source_of",
]

ENTITY_FIELDS = frozenset(
    {"actor", "target", "item", "weapon", "key", "source", "entity", "killer", "door",
     "container", "holder", "from_room", "to_room", "room"}
)  # fmt: skip
"""Parameter and event fields that hold an entity (an ``int`` handle).

Other ``int`` fields (``amount``, ``tick``, ``turn``) are numbers, not things.
A game's own actions and events are covered when they use these names."""

_MISUNDERSTOOD = frozenset({"UNKNOWN_ACTION", "MALFORMED", "BAD_PARAMS", "NO_ACTOR"})
"""Refusals that say the proposal made no sense, rather than something
about the world (a locked door, a dark room)."""


class PlainNarrator(Protocol):
    """What sync needs of a narrator to tell a replayed turn as live play
    told it: :class:`~fabula.narration.TemplateNarrator`'s ``prepare``,
    ``narrate`` (before the tick) and ``account`` (memory sits below the
    narration package, so it is handed one rather than importing it)."""

    def prepare(self, world: WorldView, proposals: Sequence[ActionProposal]) -> None: ...

    def narrate(self, world: WorldView, actor: int, outcomes: Sequence[Outcome]) -> str: ...

    def account(
        self,
        world: WorldView,
        actor: int,
        outcomes: Sequence[Outcome],
        events: Sequence[Event],
        *,
        told: str | None = None,
    ) -> str: ...


def entity_key(world: WorldView, entity: int) -> str:
    """How memory names ``entity``: its id in the game's files, else ``#<handle>``."""
    ident = world.try_get(entity, Ident, readonly=True) if entity in world else None
    return ident.id if ident is not None else f"#{entity}"


@dataclass(frozen=True, slots=True)
class Scene:
    """The actor's surroundings at one moment: taken before a turn, and
    compared with after it, it tells who saw the turn and what it changed.

    Attributes:
        room: the actor's room, by id (empty if it is nowhere).
        present: the living actors in that room, the actor included, by id.
        score: the actor's score, if it keeps one.
        hp: the actor's health, if it has any.
    """

    room: str
    present: tuple[str, ...]
    score: int | None
    hp: int | None

    @classmethod
    def of(cls, world: WorldView, actor: int) -> Scene:
        """``actor``'s scene in ``world`` now (reads only; O(things in the room))."""
        room = room_of(world, actor)
        present = {entity_key(world, actor)}
        if room is not None:
            for thing in contents(world, room):
                if world.has(thing, Actor) and _alive(world, thing):
                    present.add(entity_key(world, thing))
        score = world.try_get(actor, Score, readonly=True) if actor in world else None
        health = world.try_get(actor, Health, readonly=True) if actor in world else None
        return cls(
            room=entity_key(world, room) if room is not None else "",
            present=tuple(sorted(present)),
            score=int(score.points) if score is not None else None,
            hp=int(health.hp) if health is not None else None,
        )


def _alive(world: WorldView, entity: int) -> bool:
    health = world.try_get(entity, Health, readonly=True)
    return health is None or int(health.hp) > 0


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One turn, remembered (see the module docstring for each field).

    Attributes:
        turn: the turn number (from 1).
        text: what is embedded and recalled.
        place: the actor's room at the end of the turn, by id.
        entities: ids of the things the turn named, sorted.
        witnesses: ids of the actors who saw it, sorted.
        importance: 1-10.
        source: fingerprint of the journal row it derives from.
    """

    turn: int
    text: str
    place: str
    entities: tuple[str, ...]
    witnesses: tuple[str, ...]
    importance: int
    source: str

    @property
    def id(self) -> str:
        """Its id in the store: ``"turn-<n>"``."""
        return f"turn-{self.turn}"

    def metadata(self) -> dict[str, Any]:
        """Its fields as Chroma metadata (empty lists left out: Chroma
        stores no empty arrays)."""
        data: dict[str, Any] = {
            "kind": "history",
            "turn": self.turn,
            "place": self.place,
            "importance": self.importance,
            "source": self.source,
        }
        if self.entities:
            data["entities"] = list(self.entities)
        if self.witnesses:
            data["witnesses"] = list(self.witnesses)
        return data

    @classmethod
    def from_stored(cls, text: str, metadata: Mapping[str, Any]) -> HistoryEntry:
        """The entry back from a stored document and its metadata."""
        return cls(
            turn=int(metadata["turn"]),
            text=text,
            place=str(metadata.get("place", "")),
            entities=tuple(metadata.get("entities") or ()),
            witnesses=tuple(metadata.get("witnesses") or ()),
            importance=int(metadata["importance"]),
            source=str(metadata.get("source", "")),
        )


def source_of(record: TurnRecord) -> str:
    """A fingerprint of a journal row: what was played, when, from what state.

    Two rows share it only if they are the same row: a turn undone and played
    again, or the other branch of a restored save, was played at another
    moment. Model accounting (``models``, annotated after the turn) is left
    out, so it may change without making the entry stale.
    """
    payload = json.dumps(
        [
            record.turn,
            record.input,
            [a.model_dump(mode="json") for a in record.actions],
            record.tick,
            record.rng,
            repr(record.started_at),
        ],
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.blake2b(payload.encode(), digest_size=12).hexdigest()


def history_entry(
    record: TurnRecord,
    account: str,
    before: Scene,
    world: WorldView,
    actor: int,
    outcomes: Sequence[Outcome],
    events: Sequence[Event],
    ending: str | None = None,
) -> HistoryEntry:
    """The memory of one committed turn (a pure function of its arguments).

    Args:
        record: the turn's journal row (its number, input and fingerprint).
        account: the turn's plain account (``TemplateNarrator.account``).
        before: ``Scene.of(world, actor)`` taken before the turn was played.
        world: the world after the turn.
        actor: who played it (the player).
        outcomes: what :meth:`~fabula.persistence.SaveFile.play` returned.
        events: every event published during the turn, in order.
        ending: ``"won"`` or ``"lost"`` if the turn ended the game.
    """
    after = Scene.of(world, actor)
    room = room_of(world, actor)
    named = world.try_get(room, Named, readonly=True) if room is not None else None
    place = named.name if named is not None else "nowhere"
    head = f"[turn {record.turn}, {place}]"
    if record.input:
        head += f" > {record.input}"
    return HistoryEntry(
        turn=record.turn,
        text=f"{head}\n{account}" if account else head,
        place=after.room,
        entities=_entities(world, actor, outcomes, events),
        witnesses=tuple(sorted(set(before.present) | set(after.present))),
        importance=importance_of(before, after, outcomes, events, actor, ending),
        source=source_of(record),
    )


def _entities(
    world: WorldView, actor: int, outcomes: Sequence[Outcome], events: Sequence[Event]
) -> tuple[str, ...]:
    handles: set[int] = {actor}
    for outcome in outcomes:
        proposal = outcome.proposal
        if proposal is None:
            continue
        for field, value in proposal.params.items():
            # A refused proposal may name anything (a model's guess): only
            # live entities count. An applied one named real things, even if
            # the turn removed them.
            if field in ENTITY_FIELDS and type(value) is int and (outcome.ok or value in world):
                handles.add(value)
    for event in events:
        if not dataclasses.is_dataclass(event):
            continue
        for field in dataclasses.fields(event):
            value = getattr(event, field.name)
            if field.name in ENTITY_FIELDS and type(value) is int:
                handles.add(value)
    return tuple(sorted({entity_key(world, h) for h in handles}))


def importance_of(
    before: Scene,
    after: Scene,
    outcomes: Sequence[Outcome],
    events: Sequence[Event],
    actor: int,
    ending: str | None = None,
) -> int:
    """How much a turn matters, 1-10, by fixed rules (so replay agrees).

    * The base: 1 if nothing was applied and the refusal said the proposal
      made no sense (unknown action, malformed, bad parameters); 2 for any
      other refusal (a locked door still teaches something); 3 when an
      action was applied.
    * Plus: +1 moved to another room; +2 talked with someone; +3 the score
      rose; +2 fought (the actor attacked or was attacked); +1 was hurt;
      +3 someone else died.
    * The actor's own death, and a turn that ends the game, are 10.

    The result is clamped to 1-10. So ``look`` is 3, a refused ``open door``
    2, walking 4, asking Tamsin 5, taking a scoring item 6, killing the crab
    8 or 9.
    """
    if ending is not None:
        return 10
    if after.hp is not None and after.hp <= 0 and (before.hp is None or before.hp > 0):
        return 10
    if any(o.ok for o in outcomes):
        value = 3
    else:
        codes = {o.refusal.code for o in outcomes if o.refusal is not None}
        value = 1 if not codes or codes & _MISUNDERSTOOD else 2
    if after.room != before.room:
        value += 1
    if any(isinstance(e, OnTalk) and actor in (e.actor, e.target) for e in events):
        value += 2
    if before.score is not None and after.score is not None and after.score > before.score:
        value += 3
    if any(
        (isinstance(e, OnAttack) and actor in (e.actor, e.target))
        or (isinstance(e, OnDamage) and actor in (e.target, e.source))
        for e in events
    ):
        value += 2
    if before.hp is not None and after.hp is not None and after.hp < before.hp:
        value += 1
    if any(isinstance(e, OnDeath) and e.entity != actor for e in events):
        value += 3
    return max(1, min(10, value))
