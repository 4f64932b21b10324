"""One turn of the neurosymbolic pipeline: how often the parser model is
needed, and what the engine itself costs per turn, model time excluded.

1. **Share of the walkthrough read without the parser model.** The demo's
   walkthrough is played with the symbolic parser; at each step, every
   phrasing in :mod:`benchmarks.phrasings` (how people type that step) is
   parsed against the world as it is at that point. Each is counted as
   *parsed* (structured actions, or a meta command), *answered* (a
   symbolic answer such as "you can't see any such thing" or a question —
   no model would be asked) or *model* (the errors
   :class:`~fabula.parsing.TieredParser` sends to the parser model: unknown verb,
   not understood, unknown noun). Parsed phrasings are also checked against
   the terse command's actions: *same* means the same action ids.
2. **Engine overhead per turn** (:func:`run_overhead`), against the issue's
   target: under :data:`TARGET_MS` per turn, model time excluded, at 1k and
   100k entities with 10k memories. The demo is grown to N entities
   (:class:`FilledGame`); a journal of ``memories`` turns is played first,
   and a real Chroma folder holds the history entries those turns make, plus
   the demo's lore. Then ``turns`` turns of :data:`CYCLE` are played as
   :class:`~fabula.session.Session` plays a turn with a brain, each stage
   timed apart:

   * *parse*: the symbolic parser;
   * *session*: what the session does around the rules: the game's ending
     judged before and after the turn, the scene memory needs, the names the
     verdict needs, the template narrator's preparation;
   * *rules*: :meth:`~fabula.persistence.SaveFile.play` (validation,
     execution, one tick, the journal append and, every 20 turns, the
     write-behind flush), fsynced per turn as saves are by default. The same
     turn is also played on a copy of the save opened with
     ``durability="process"`` and timed apart: the difference is the disk's
     fsync;
   * *account*: the template narrator's telling;
   * *context*: :meth:`~fabula.narration.Brain.brief` (state
     context, memory recall, prompt assembly), and its three parts called
     apart;
   * *annotate*: the narrator's accounting added to the turn's journal row
     (:meth:`~fabula.persistence.SaveFile.annotate`, a second commit), on
     both saves;
   * *memory*: :meth:`~fabula.narration.Brain.remember`: the history
     entry is made on the turn's path; its embedding and Chroma upsert are
     written behind on memory's own thread. A player's reading time covers
     that write; back-to-back turns would make the next turn's fsync queue
     behind its disk writes, so after each turn it is waited for
     (:meth:`~fabula.narration.Brain.settle`) and shown apart, outside
     the total.

   The total adds these up per turn (with the fsynced saves' rules and
   annotate, and again with the copy's). The first timed turn is shown
   apart too: it pays one-time costs (field indexes built on first use,
   Chroma settling after the bulk write of the memories).

   Embedding is model time. Memory embeds with :class:`HashEmbedder`, which
   stands in for the model so that Chroma does its real 384-d work; the real
   :class:`~fabula.memory.LocalEmbedder` is timed apart on the same texts
   and printed beside the totals, not in them.

Method: :func:`time.perf_counter_ns` per stage, median and 95th percentile
over the turns. The heap is frozen after setup (:func:`gc.freeze`), and
garbage is collected before, and collection paused during, every timed
section. Every measurement checks its own work: each command parses to its
action and is applied with its effect (the kettle is held after "take
kettle"), the game never ends, both saves journal every turn and end in the
same state, memory holds ``memories + turns`` entries and agrees with the
journal (``sync`` finds nothing to do), recall returns ``k`` memories, the
prompt fits its budget and equals what the three parts build, the journal
row holds the accounting, and memory never turned itself off. A failed
check raises :class:`~benchmarks.ecs.VerificationError` and no figure is
printed.

Run it with::

    python -m benchmarks.turn [--only share|overhead] [--sizes 1000,100000]
        [--memories 10000] [--turns 200] [--no-model] [--quick] [--markdown]
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import gc
import hashlib
import math
import os
import platform
import random
import shutil
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any, TypeVar

import chromadb
import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.config import Settings
from chromadb.utils.embedding_functions import register_embedding_function
from rich.console import Console
from rich.table import Table

from benchmarks.ecs import VerificationError, parse_sizes
from benchmarks.phrasings import STEPS
from fabula.actions import ActionProposal, Outcome
from fabula.actions.standard import (
    Actor,
    Container,
    Description,
    Exits,
    Goals,
    Health,
    LightSource,
    Location,
    Named,
    Openable,
    Portable,
    Room,
    Supporter,
    contents,
    holder_of,
    room_of,
)
from fabula.ai import ModelConfig, ModelUse
from fabula.content import ContentGame, GameFiles, Ident
from fabula.context import BuiltPrompt, describe_outcomes, focus_of, names_before
from fabula.ecs import World
from fabula.events import Event
from fabula.games import DEMO
from fabula.memory import (
    HistoryEntry,
    LocalEmbedder,
    MemoryStore,
    Scene,
    SyncReport,
    history_entry,
)
from fabula.narration import Brain, Telling, TemplateNarrator
from fabula.parsing import FOR_THE_MODEL, Meta, Parsed, ParseError, ParseResult, SymbolicParser
from fabula.persistence import SaveFile, state_digest
from fabula.session import Session

__all__ = [
    "CYCLE",
    "STAGES",
    "TARGET_MS",
    "FilledGame",
    "HashEmbedder",
    "Overhead",
    "Share",
    "Step",
    "main",
    "markdown_overhead",
    "report_share",
    "run_overhead",
    "share_of_walkthrough",
    "tables_overhead",
]


# -- 1. the share of phrasings read without the parser model -------------------------


@dataclass(frozen=True, slots=True)
class Share:
    """How the phrasings of the walkthrough were read."""

    steps: int
    phrasings: int
    parsed: int
    same: int
    answered: int
    model: int
    needing_model: tuple[str, ...]

    @property
    def without_model(self) -> float:
        return 1 - self.model / self.phrasings


def _actions(result: object) -> tuple[str, ...]:
    if isinstance(result, Parsed):
        return tuple(p.action for p in result.proposals)
    return ()


def share_of_walkthrough(steps: Sequence[tuple[str, list[str]]] = STEPS) -> Share:
    """Parse every phrasing at its point of the walkthrough (see the module doc)."""
    game = ContentGame.load(DEMO)
    parsed = same = answered = model = total = 0
    needing: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        session = Session.start(game, Path(tmp) / "share.save", new=True)
        assert isinstance(session.parser, SymbolicParser)
        for command, phrasings in steps:
            world = session.world.view()
            expected = _actions(copy.copy(session.parser).parse(command, world, session.player))
            for phrasing in phrasings:
                total += 1
                result = copy.copy(session.parser).parse(phrasing, world, session.player)
                if isinstance(result, Parsed | Meta):
                    parsed += 1
                    same += _actions(result) == expected
                elif isinstance(result, ParseError) and result.code in FOR_THE_MODEL:
                    model += 1
                    needing.append(phrasing)
                else:
                    answered += 1
            reply = session.turn(command)
            if reply.ended:
                break
        ended = session.ended
        session.close()
    if ended != "won":
        raise AssertionError(f"the walkthrough did not win the demo (ended: {ended})")
    return Share(len(steps), total, parsed, same, answered, model, tuple(needing))


def report_share(share: Share, *, markdown: bool = False) -> str:
    lines = [
        "Walkthrough phrasings read without the parser model "
        f"({share.steps} steps, {share.phrasings} phrasings)",
        "",
    ]
    rows = [
        ("parsed into actions", share.parsed),
        ("  ... the same actions as the terse command", share.same),
        ("answered symbolically (not here, which one?)", share.answered),
        ("sent to the parser model", share.model),
    ]
    if markdown:
        lines += ["| outcome | phrasings | share |", "|---|---:|---:|"]
        lines += [f"| {name.strip()} | {n} | {n / share.phrasings:.0%} |" for name, n in rows]
    else:
        lines += [f"{name:<48}{n:>5}{n / share.phrasings:>8.0%}" for name, n in rows]
    lines += ["", f"Resolved without the model: {share.without_model:.0%}"]
    if share.needing_model:
        lines += ["Needed the model: " + "; ".join(share.needing_model)]
    return "\n".join(lines)


# -- 2. engine overhead per turn: the stand-in embedder ------------------------------

TARGET_MS = 10.0
"""The issue's target: the engine's own time per turn, model time excluded."""


@register_embedding_function
class HashEmbedder(EmbeddingFunction[Documents]):
    """Stands in for the embedding model: each text gets a unit 384-d float32
    vector drawn from a generator seeded by a hash of the text.

    Chroma does all of its real work with it (384-d vectors in a cosine HNSW
    index, documents, metadata, queries), but no model runs, so what a turn
    costs the engine is measured apart from model time (the real
    :class:`~fabula.memory.LocalEmbedder` is timed on its own). The same text
    always gets the same vector; nearness between vectors means nothing.

    Attributes:
        calls, texts: as for :class:`~fabula.memory.LocalEmbedder`.
        ns: nanoseconds spent in it, so its own share of a stage can be told.
    """

    dimensions = 384

    def __init__(self) -> None:
        self.calls = 0
        self.texts = 0
        self.ns = 0

    def __call__(self, input: Documents) -> Embeddings:
        start = time.perf_counter_ns()
        vectors = []
        for text in input:
            digest = hashlib.blake2b(text.encode(), digest_size=8).digest()
            rng = np.random.default_rng(int.from_bytes(digest, "little"))
            vector = rng.standard_normal(self.dimensions, dtype=np.float32)
            vectors.append(vector / np.linalg.norm(vector))
        self.calls += 1
        self.texts += len(input)
        self.ns += time.perf_counter_ns() - start
        return vectors

    @staticmethod
    def name() -> str:
        return "fabula-bench-hash"

    def get_config(self) -> dict[str, Any]:
        return {}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> HashEmbedder:
        return HashEmbedder()

    def default_space(self) -> Space:
        return "cosine"


# -- the large world ------------------------------------------------------------------

ROOM_THINGS = 9
"""Things in each filler room: a chest holding two, a lamp, five loose."""

ROOMS_PER_PERSON = 250
"""One filler person per this many filler rooms (at least one)."""

_PLACES = ("loft", "cellar", "net store", "yard", "alley", "cottage", "stair", "shed")
_MOODS = ("windy", "quiet", "flooded", "narrow", "crooked", "low", "salt-white", "empty")
_NOUNS = ("bucket", "rope", "net", "oar", "knife", "hook", "bottle", "boot", "chain", "sack")
_KINDS = ("rusty", "tarred", "cracked", "brass", "oak", "tin", "worn", "heavy", "small")
_CHESTS = ("oak chest", "tin box", "sea trunk", "bread bin")
_LIGHTS = ("oil lamp", "candle stub", "lantern")
_PEOPLE = ("fisherman", "net-mender", "old sailor", "ferry boy")
_DESCRIPTIONS = (
    "Damp walls, a low beam, and the smell of the sea.",
    "Rain drums on the roof. Nobody has swept here for a long time.",
    "A narrow room, its window boarded against the storm.",
)


class FilledGame(ContentGame):
    """The demo game, its turn-0 world grown to ``entities`` entities.

    Everything but :meth:`new_world` and the deadline is the demo's own (id, files,
    components, actions, simulation, player, ending), so saves, the session
    and memory treat it as the demo. It is a subclass rather than a wrapper
    because :meth:`~fabula.memory.MemoryStore.record_turn` judges the ending
    only for a :class:`~fabula.content.ContentGame`: a wrapper would skip
    that work and understate the memory stage.

    The filler, built by :func:`random.Random` seeded with the game's seed
    (never ``world.rng``, which is the game's), so the same seed gives the
    same world handle for handle, as saves require:

    * rooms (``Ident``, ``Named``, ``Room``, one in ten dark,
      ``Description``, ``Exits`` to their neighbours in a square grid apart
      from the demo's map), each holding :data:`ROOM_THINGS` portable
      things: a chest (``Container``, ``Openable``, open or shut) with two
      things in it, a lamp (``LightSource``, one in three lit) and five
      loose things;
    * one person per :data:`ROOMS_PER_PERSON` rooms (``Actor``, ``Health``);
    * a few loose things more in random rooms, to make up the exact count;
    * in the start room, the twelve things :data:`CYCLE` handles and looks
      at (a kettle, a chest with a compass and a chart in it, a crate with a
      knife on it...), so the player's scope has real work.

    Raises:
        ValueError: (from :meth:`new_world`) ``entities`` cannot hold the
            demo, the start room's things, one filler room and one person.
    """

    def __init__(self, files: GameFiles, entities: int) -> None:
        # The demo's deadline (the ship on the reef at turn 120) is left out:
        # a benchmark plays hundreds of turns, and the game must go on for
        # all of them. Its timeline still runs, so its cost is measured.
        endings = [e for e in files.endings if e.turns_at_least is None]
        super().__init__(dataclasses.replace(files, endings=endings))
        self.entities = entities

    def new_world(self, seed: int) -> World:
        """The demo's world at turn 0 plus the filler (a pure function of ``seed``)."""
        world = super().new_world(seed)
        _furnish_start(world, self.ids(world)[self.files.game.start])
        least = len(world) + 2 + ROOM_THINGS  # one room and one person
        if self.entities < least:
            raise ValueError(f"a filled demo needs at least {least} entities, not {self.entities}")
        _fill(world, self.entities, random.Random(seed))
        return world


def _furnish_start(world: World, room: int) -> None:
    """The start room's things, which the cycle's commands name."""

    def thing(name: str, *parts: object, holder: int = room, how: str = "in") -> int:
        return world.spawn(
            Named(name), Description(f"An ordinary {name}."), *parts, Location(holder, how)
        )

    for name in ("copper kettle", "coil of tarred rope", "lobster pot", "wooden oar", "cork float"):
        thing(name, Portable())
    thing("hurricane lamp", Portable(), LightSource(lit=True))
    thing("mooring bollard")
    chest = thing("sea chest", Container(10, False), Openable(False))
    thing("brass compass", Portable(), holder=chest)
    thing("oilskin chart", Portable(), holder=chest)
    crate = thing("fish crate", Supporter(10))
    thing("gutting knife", Portable(), holder=crate, how="on")


def _fill(world: World, total: int, rng: random.Random) -> None:
    """Filler rooms, their things and people, up to ``total`` entities."""
    spare = total - len(world)
    rooms = (spare - 1) // (1 + ROOM_THINGS)
    people = max(1, rooms // ROOMS_PER_PERSON)
    rooms = (spare - people) // (1 + ROOM_THINGS)
    handles = []

    def thing(holder: int, *parts: object) -> int:
        return world.spawn(
            Named(f"{rng.choice(_KINDS)} {rng.choice(_NOUNS)}"), Portable(), *parts,
            Location(holder),
        )  # fmt: skip

    for i in range(rooms):
        room = world.spawn(
            Ident(f"filler-room-{i}"),
            Named(f"{rng.choice(_MOODS)} {rng.choice(_PLACES)}"),
            Room(dark=rng.random() < 0.1),
            Description(rng.choice(_DESCRIPTIONS)),
        )
        handles.append(room)
        chest = world.spawn(
            Named(rng.choice(_CHESTS)), Container(10, False),
            Openable(rng.random() < 0.5), Location(room),
        )  # fmt: skip
        thing(chest)
        thing(chest)
        world.spawn(
            Named(rng.choice(_LIGHTS)), Portable(), LightSource(lit=rng.random() < 1 / 3),
            Location(room),
        )  # fmt: skip
        for _ in range(ROOM_THINGS - 4):
            thing(room)
    width = math.isqrt(rooms - 1) + 1  # a square grid, row by row
    for i, room in enumerate(handles):
        ways = {}
        if i % width:
            ways["west"] = handles[i - 1]
        if i % width < width - 1 and i + 1 < rooms:
            ways["east"] = handles[i + 1]
        if i >= width:
            ways["north"] = handles[i - width]
        if i + width < rooms:
            ways["south"] = handles[i + width]
        world.insert(room, Exits(ways))
    for i in range(people):
        name = rng.choice(_PEOPLE)
        world.spawn(
            Ident(f"filler-person-{i}"), Named(name),
            Description(f"A {name}, hurrying out of the rain."), Actor(), Health(8, 8),
            Location(rng.choice(handles)),
        )  # fmt: skip
    while len(world) < total:
        thing(rng.choice(handles))


# -- the commands played ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Step:
    """One command of :data:`CYCLE`, the action it must parse to, and what
    must hold after it (checked every time it is played).

    Attributes:
        command: what the player types.
        action: the one action id it must parse to (and be applied).
        thing: the thing the check is about (its name), or ``"player"``;
            empty: nothing to check beyond the action being applied.
        where: where ``thing`` must be after the turn: ``"player"`` (held),
            ``"here"`` (in the player's room), another thing's name, a room's
            id (for the player), or ``"open"`` / ``"closed"``.
    """

    command: str
    action: str
    thing: str = ""
    where: str = ""


CYCLE: tuple[Step, ...] = (
    Step("look", "look"),
    Step("x kettle", "examine"),
    Step("take kettle", "take", "copper kettle", "player"),
    Step("i", "inventory"),
    Step("open chest", "open", "sea chest", "open"),
    Step("x compass", "examine"),
    Step("close chest", "close", "sea chest", "closed"),
    Step("drop kettle", "drop", "copper kettle", "here"),
    Step("take knife", "take", "gutting knife", "player"),
    Step("put knife on crate", "put", "gutting knife", "fish crate"),
    Step("w", "go", "player", "boathouse"),
    Step("x workbench", "examine"),
    Step("e", "go", "player", "harbour"),
    Step("wait", "wait"),
    Step("examine lamp", "examine"),
)
"""Legal, non-ending commands from the demo's start room, played in turn
(turn *t* plays ``CYCLE[(t - 1) % len(CYCLE)]``). One round leaves the
world as it found it, apart from the clock: every command is accepted every
time, so every turn does a whole turn's work."""


def _step(turn: int) -> Step:
    return CYCLE[(turn - 1) % len(CYCLE)]


class _Checks:
    """Runs a run's checks and counts them (the tests read the counts)."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.counts: Counter[str] = Counter()

    def __call__(self, name: str, ok: bool, detail: Callable[[], str]) -> None:
        if not ok:
            raise VerificationError(f"{self.where}: {name}: {detail()}; the figure would be void.")
        self.counts[name] += 1


class _Places:
    """The start room's things (by name) and the game's rooms (by id)."""

    def __init__(self, game: ContentGame, world: World) -> None:
        self.rooms = game.ids(world)
        start = self.rooms[game.files.game.start]
        self.things: dict[str, int] = {}
        holders = [start]
        while holders:
            for thing in contents(world, holders.pop()):
                named = world.try_get(thing, Named, readonly=True)
                if named is not None and not world.has(thing, Actor):
                    self.things[named.name] = thing
                    holders.append(thing)


def _proposals(result: ParseResult, step: Step, check: _Checks) -> tuple[ActionProposal, ...]:
    check(
        "parsed",
        isinstance(result, Parsed) and _actions(result) == (step.action,),
        lambda: f"{step.command!r} gave {result!r}, not the action {step.action!r}",
    )
    assert isinstance(result, Parsed)
    return result.proposals


def _check_turn(
    world: World,
    player: int,
    step: Step,
    outcomes: Sequence[Outcome],
    places: _Places,
    check: _Checks,
) -> None:
    """The command was applied, and had its effect."""
    check(
        "applied",
        len(outcomes) == 1 and outcomes[0].ok,
        lambda: f"{step.command!r} was refused: {[o.refusal for o in outcomes]}",
    )
    if not step.thing:
        return
    if step.thing == "player":
        ok = room_of(world, player) == places.rooms[step.where]
    elif step.where in ("open", "closed"):
        door = world.get(places.things[step.thing], Openable, readonly=True)
        ok = door.open == (step.where == "open")
    else:
        holder = holder_of(world, places.things[step.thing])
        want = {"player": player, "here": room_of(world, player)}.get(step.where)
        ok = holder == (want if want is not None else places.things[step.where])
    check("effect", ok, lambda: f"after {step.command!r}, {step.thing} is not {step.where}")


# -- timing -------------------------------------------------------------------------------

T = TypeVar("T")


def _timed(times: dict[str, list[int]], stage: str, work: Callable[[], T]) -> T:
    """Run ``work``, appending its nanoseconds to ``times[stage]``; garbage is
    collected before (the heap is frozen: only what was made since is
    scanned) and collection paused during."""
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter_ns()
        value = work()
        times[stage].append(time.perf_counter_ns() - start)
    finally:
        gc.enable()
    return value


@contextmanager
def _frozen_heap() -> Iterator[None]:
    """Collect once, then keep everything alive now out of later collections
    (more may be frozen inside with :func:`gc.freeze`; all of it is thawed
    at the end)."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _seconds(work: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    value = work()
    return value, time.perf_counter() - start


# -- results --------------------------------------------------------------------------------

STAGES: tuple[tuple[str, str], ...] = (
    ("parse", "parse: symbolic parser"),
    ("session", "session: ending before and after, scene, names, prepare"),
    ("rules", "rules: SaveFile.play, fsync per turn (default)"),
    ("rules_nofsync", 'rules: the same, durability="process" (no fsync)'),
    ("account", "account: template narrator"),
    ("context", "context: Brain.brief"),
    ("state", "  apart: state context"),
    ("recall", "  apart: memory recall (Chroma query, rescoring)"),
    ("assembly", "  apart: verdict and prompt assembly"),
    ("annotate", "annotate: narrator accounting journalled, fsync"),
    ("annotate_nofsync", 'annotate: the same, durability="process"'),
    ("memory", "memory write: Brain.remember (the entry; its write goes behind)"),
    ("writebehind", "  behind the turn: embed and upsert, waited for"),
    ("total", "total, fsync per turn"),
    ("total_nofsync", "total, no fsync"),
    ("hash", "of the rows above: the stand-in embedder"),
    ("query_embedding", "model, excluded: LocalEmbedder, recall query"),
    ("entry_embedding", "model, excluded: LocalEmbedder, history entry"),
)
"""Every figure a run reports, by key, with its label, in report order."""

_TOTAL = ("parse", "session", "rules", "account", "context", "annotate", "memory")
"""The stages a turn's total adds up (the three parts of the context are in it once)."""


@dataclass(frozen=True, slots=True)
class Overhead:
    """The per-turn figures of one world size.

    Attributes:
        entities: the world's size.
        memories: history entries stored before the timed turns.
        turns: turns timed.
        times: nanoseconds per turn, in turn order, by :data:`STAGES` key
            (the model's rows only when the real embedder was run). The
            first turn pays one-time costs, so the report shows it apart.
        setup: seconds: ``world`` (building the world), ``save`` (a new save
            with it), ``journal`` (playing and telling the ``memories``
            turns), ``memory`` (indexing the lore and writing the history),
            ``open`` (reopening the save and its copy), ``embedder`` (loading
            the real embedder, once per run; absent without it).
        checks: how many times each check passed.
    """

    entities: int
    memories: int
    turns: int
    times: dict[str, tuple[int, ...]]
    setup: dict[str, float]
    checks: dict[str, int]

    def median_ms(self, stage: str) -> float:
        return statistics.median(self.times[stage]) / 1e6

    def p95_ms(self, stage: str) -> float:
        values = self.times[stage]
        return (statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]) / 1e6


# -- one size ---------------------------------------------------------------------------------

RECORD_ONE_BY_ONE = 1_000
"""Up to this many memories are written with ``record``, one Chroma upsert
each; more go through the store's batch write, ``record_many`` (see
:func:`_write_memory`)."""


@dataclass
class _Rig:
    """What one size's timed turns play with."""

    game: FilledGame
    save: SaveFile
    twin: SaveFile
    store: MemoryStore
    embedder: HashEmbedder
    brain: Brain
    parser: SymbolicParser
    narrator: TemplateNarrator
    places: _Places


def _journal(
    game: FilledGame, save: SaveFile, turns: int, places: _Places, check: _Checks
) -> list[HistoryEntry]:
    """Play ``turns`` turns of the cycle and return the history entries live
    play would have recorded for them (the same ``history_entry`` call as
    :meth:`~fabula.memory.MemoryStore.record_turn`; the ending, which it
    would judge, is checked once at the end)."""
    parser = SymbolicParser(game.actions)
    narrator = TemplateNarrator(game.files.templates)
    entries = []
    for _ in range(turns):
        step = _step(save.turn + 1)
        world = save.world
        player = game.player(world)
        proposals = _proposals(parser.parse(step.command, world.view(), player), step, check)
        narrator.prepare(world, proposals)
        before = Scene.of(world, player)
        with save.simulation.bus.record() as events:
            outcomes = save.play(step.command, proposals)
        _check_turn(world, player, step, outcomes, places, check)
        account = narrator.account(world, player, outcomes, events)
        (record,) = save.records(save.turn - 1, save.turn)
        entries.append(history_entry(record, account, before, world, player, outcomes, events))
    check(
        "not ended", game.ending(save.world) is None, lambda: "the journal's turns ended the game"
    )
    return entries


def _write_memory(store: MemoryStore, entries: list[HistoryEntry]) -> None:
    """Store ``entries``: ``record`` embeds and upserts one entry per Chroma
    call, fine for a few hundred. For more, ``record_many``, the batch write
    ``sync`` rebuilds history with (256 entries per embedding call and
    upsert)."""
    if len(entries) <= RECORD_ONE_BY_ONE:
        for entry in entries:
            store.record(entry)
    else:
        store.record_many(entries)


def _rig(
    base: ContentGame,
    entities: int,
    memories: int,
    folder: Path,
    check: _Checks,
    closing: ExitStack,
) -> tuple[_Rig, dict[str, float]]:
    """Build the world, the save and its copy, the journal and the memory;
    whatever is opened is closed by ``closing``."""
    game = FilledGame(base.files, entities)
    seed = game.files.game.seed
    setup: dict[str, float] = {}
    world, setup["world"] = _seconds(lambda: game.new_world(seed))
    size = len(world)
    check("entities", size == entities, lambda: f"the world has {size} entities")
    del world
    path, copy_path = folder / "turn.save", folder / "turn-process.save"
    save, setup["save"] = _seconds(
        lambda: SaveFile.new(path, game, seed=seed, durability="process")
    )
    closing.callback(save.close)
    places = _Places(game, save.world)
    entries, setup["journal"] = _seconds(lambda: _journal(game, save, memories, places, check))
    save.close()  # flushed and checkpointed: one complete file to copy
    shutil.copyfile(path, copy_path)

    def reopen() -> tuple[SaveFile, SaveFile]:
        return SaveFile.open(path, game), SaveFile.open(copy_path, game, durability="process")

    (save, twin), setup["open"] = _seconds(reopen)
    closing.callback(save.close)
    closing.callback(twin.close)
    embedder = HashEmbedder()
    client = chromadb.PersistentClient(
        str(folder / "memory"), settings=Settings(anonymized_telemetry=False)
    )
    closing.callback(client.close)
    store = MemoryStore.connect(client, game.id, embedder, where=str(folder / "memory"))
    closing.callback(store.close)

    def fill() -> None:
        store.index_lore(game)
        _write_memory(store, entries)

    _, setup["memory"] = _seconds(fill)
    check("lore", store.count("lore") > 0, lambda: "no lore was indexed")
    check(
        "memories stored",
        store.count("history") == memories,
        lambda: f"the store holds {store.count('history')} entries, not {memories}",
    )
    narrator = TemplateNarrator(game.files.templates)
    report = store.sync(save, game, narrator)
    check("memory agrees", report == SyncReport(0, 0), lambda: f"sync had to change {report}")
    rig = _Rig(
        game=game,
        save=save,
        twin=twin,
        store=store,
        embedder=embedder,
        brain=Brain(game, ModelConfig(), memory=store),
        parser=SymbolicParser(game.actions),
        narrator=narrator,
        places=places,
    )
    return rig, setup


def _turn(rig: _Rig, times: dict[str, list[int]], check: _Checks, split_first: bool) -> str:
    """Play and time one turn as the session does with a brain; return the
    recall query (for the real embedder)."""
    game, save, brain = rig.game, rig.save, rig.brain
    world = save.world
    step = _step(save.turn + 1)
    text = step.command
    result = _timed(
        times, "parse", lambda: rig.parser.parse(text, world.view(), game.player(world))
    )
    proposals = _proposals(result, step, check)

    def before_turn() -> tuple[int, str | None, dict[int, str], Scene | None]:
        player = game.player(world)
        ended = game.ending(world)  # the session plays nothing once the game is over
        rig.narrator.prepare(world, proposals)
        return player, ended, names_before(world, proposals), brain.scene(world, player)

    player, ended, names, before = _timed(times, "session_before", before_turn)
    check("not ended", ended is None, lambda: f"the game ended ({ended})")

    def play(target: SaveFile) -> tuple[list[Outcome], list[Event]]:
        with target.simulation.bus.record() as events:
            outcomes = target.play(text, proposals, models={})
        return outcomes, events

    outcomes, events = _timed(times, "rules", lambda: play(save))
    twin, _ = _timed(times, "rules_nofsync", lambda: play(rig.twin))
    _check_turn(world, player, step, outcomes, rig.places, check)
    check("twin", [o.ok for o in twin] == [True], lambda: f"the copy refused {text!r}")

    account = _timed(
        times, "account", lambda: rig.narrator.account(world, player, outcomes, events)
    )
    query, k = f"{text}\n{account}", brain.config.memory.recall
    notices: list[str | None] = []  # memory's, if it failed (it must not)

    def whole() -> BuiltPrompt:
        spent = rig.embedder.ns
        briefing = _timed(
            times, "context", lambda: brain.brief(
                world, player, turn=save.turn, text=text, outcomes=outcomes, account=account,
                names=names,
            ),
        )  # fmt: skip
        times["hash"].append(rig.embedder.ns - spent)
        notices.append(briefing.notice)
        return briefing.prompt

    def apart() -> BuiltPrompt:
        state = _timed(
            times, "state",
            lambda: brain.state.build(world, player, events=list(brain.recent),
                                      focus=focus_of(outcomes), goals=_goals(world, player)),
        )  # fmt: skip
        memories = _timed(
            times, "recall",
            lambda: rig.store.recall(query, world=world, actor=player, now=save.turn, k=k),
        )  # fmt: skip
        check("recall", len(memories) == k, lambda: f"recall returned {len(memories)}, not {k}")
        return _timed(
            times, "assembly", lambda: brain.assembler.build(
                brain.prompt, budget=brain.config.narrator.context_tokens, state=state,
                memories=memories, verdict=describe_outcomes(world, outcomes, names=names),
                account=account, player_input=text, title=game.files.game.title,
            ),
        )  # fmt: skip

    # the part called second finds Chroma's pages warm: alternate which it is
    if split_first:
        pieces = apart()
        built = whole()
    else:
        built = whole()
        pieces = apart()
    check(
        "prompt",
        not built.over_budget and built.tokens <= built.budget,
        lambda: f"the prompt takes {built.tokens} tokens of {built.budget}",
    )
    check(
        "parts",
        pieces.messages == built.messages,
        lambda: "the three parts built another prompt than Brain.brief",
    )
    info = _accounting(built, account)
    _timed(times, "annotate", lambda: save.annotate(info))
    _timed(times, "annotate_nofsync", lambda: rig.twin.annotate(info))
    (row,) = save.records(save.turn - 1)
    check("annotated", row.models == info, lambda: f"the journal row holds {row.models}")
    spent = rig.embedder.ns
    notices.append(
        _timed(
            times, "memory", lambda: brain.remember(
                save, text=text, account=account, before=before, actor=player,
                outcomes=outcomes, events=events,
            ),
        )
    )  # fmt: skip
    # The entry's embedding and upsert run behind, on memory's own thread, while
    # a player reads and types; here the next turn would otherwise start at
    # once and share the disk with it, so it is waited for, and shown apart.
    notices.append(_timed(times, "writebehind", brain.settle))
    times["hash"][-1] += rig.embedder.ns - spent
    failed = [notice for notice in notices if notice]
    check(
        "memory kept",
        brain.memory is not None and not failed,
        lambda: f"memory turned itself off: {failed}",
    )
    ended = _timed(times, "session_after", lambda: game.ending(world))
    check("not ended", ended is None, lambda: f"the game ended ({ended})")
    return query


def _goals(world: World, player: int) -> tuple[str, ...]:
    """The player's goals, as :meth:`Brain.brief` reads them."""
    goals = world.try_get(player, Goals, readonly=True)
    return goals.active if goals is not None else ()


def _accounting(built: BuiltPrompt, account: str) -> dict[str, str]:
    """What :class:`~fabula.session.Session` journals after the narrator
    model told a turn (:meth:`~fabula.persistence.SaveFile.annotate`); the
    model's own figures are placeholders, since no model runs."""
    use = ModelUse("narrator", "stand-in", str(built.ref), prompt_tokens=built.tokens)
    return Telling(account, "model", use).journal(built)


def _model_times(
    rig: _Rig,
    embedder: LocalEmbedder,
    queries: list[str],
    times: dict[str, list[int]],
    check: _Checks,
) -> None:
    """The real embedder on each turn's recall query and history entry."""
    first = rig.save.turn - len(queries)
    entries = rig.store.history(after=first)
    check(
        "entries",
        [e.turn for e in entries] == list(range(first + 1, rig.save.turn + 1)),
        lambda: f"the timed turns' entries are {[e.turn for e in entries]}",
    )
    for query, entry in zip(queries, entries, strict=True):
        _timed(times, "query_embedding", lambda q=query: embedder.embed_query([q]))
        _timed(times, "entry_embedding", lambda e=entry: embedder([e.text]))


def _overhead(
    base: ContentGame,
    entities: int,
    memories: int,
    turns: int,
    embedder: LocalEmbedder | None,
) -> Overhead:
    """One world size: set up, play and time ``turns`` turns, check, tear down."""
    check = _Checks(f"turn overhead, N = {entities:,}")
    times: dict[str, list[int]] = {key: [] for key, _ in STAGES}
    times.update(session_before=[], session_after=[])
    # frozen first with the loaded model and the game, then again with the
    # world and the store, so collections scan only what was made since
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as closing, _frozen_heap():
        rig, setup = _rig(base, entities, memories, Path(tmp), check, closing)
        gc.collect()
        gc.freeze()
        queries = [_turn(rig, times, check, split_first=bool(i % 2)) for i in range(turns)]
        save, twin, store = rig.save, rig.twin, rig.store
        end = memories + turns
        for name, s in (("journal", save), ("journal, no fsync", twin)):
            rows = len(s.records(memories))
            check(name, s.turn == end and rows == turns, lambda r=rows: f"{r} new rows")
        name_of = rig.game.components.name_of
        check(
            "same world",
            state_digest(save.world, name_of) == state_digest(twin.world, name_of),
            lambda: "the save and its copy played into different worlds",
        )
        stored = store.count("history")
        check("memories", stored == end, lambda: f"the store holds {stored}, not {end}")
        report = store.sync(save, rig.game, rig.narrator)
        check("memory agrees", report == SyncReport(0, 0), lambda: f"sync changed {report}")
        if embedder is not None:
            _model_times(rig, embedder, queries, times, check)
    times["session"] = [a + b for a, b in zip(times.pop("session_before"),
                                              times.pop("session_after"), strict=True)]  # fmt: skip
    per_turn = list(zip(*(times[stage] for stage in _TOTAL), strict=True))
    times["total"] = [sum(t) for t in per_turn]
    fsynced = zip(times["rules"], times["annotate"], strict=True)
    not_fsynced = zip(times["rules_nofsync"], times["annotate_nofsync"], strict=True)
    times["total_nofsync"] = [
        total - sum(slow) + sum(fast)
        for total, slow, fast in zip(times["total"], fsynced, not_fsynced, strict=True)
    ]
    return Overhead(
        entities=entities,
        memories=memories,
        turns=turns,
        times={key: tuple(values) for key, values in times.items() if values},
        setup=setup,
        checks=dict(check.counts),
    )


def run_overhead(
    sizes: Sequence[int] = (1_000, 100_000),
    memories: int = 10_000,
    turns: int = 200,
    *,
    model: bool = True,
) -> list[Overhead]:
    """Time the engine's own work per turn, for each world size (see the module doc).

    Args:
        sizes: the worlds' sizes, in entities.
        memories: history entries in memory before the timed turns (as many
            turns are played first, so the journal holds them too).
        turns: turns timed per size.
        model: also time the real embedder on each turn's texts (it loads
            once, about 4 s); without it the model's rows are absent.

    Raises:
        ValueError: a count below 1, or a size too small for the filler.
        VerificationError: a check failed (the message says which).
    """
    if not sizes or min(sizes) < 1 or memories < 1 or turns < 1:
        raise ValueError(
            f"run_overhead needs sizes, memories and turns >= 1, got {list(sizes)}, "
            f"{memories} and {turns}."
        )
    base = ContentGame.load(DEMO)
    embedder, loaded = None, 0.0
    if model:
        embedder = LocalEmbedder()
        _, loaded = _seconds(embedder.load)
    results = []
    for entities in sizes:
        result = _overhead(base, entities, memories, turns, embedder)
        if embedder is not None:
            result.setup["embedder"] = loaded
        results.append(result)
    return results


# -- the report --------------------------------------------------------------------------------


def _ms(value: float) -> str:
    return f"{value:.3f}" if value < 1 else f"{value:.2f}"


def _sections(results: Sequence[Overhead]) -> list[tuple[str, list[str], list[list[str]]]]:
    """``(title, header, rows of cells)`` per table."""
    out = []
    for r in results:
        rows = []
        for key, label in STAGES:
            if key not in r.times:
                continue
            median = r.median_ms(key)
            met = ""
            if key in ("total", "total_nofsync"):
                met = "yes" if median < TARGET_MS else "NO"
            first = r.times[key][0] / 1e6
            ratio = f"{median / TARGET_MS:.2f}x"
            rows.append([label, _ms(median), _ms(r.p95_ms(key)), _ms(first), ratio, met])
        title = (
            f"Per turn, N = {r.entities:,} entities, {r.memories:,} memories, {r.turns} turns (ms)"
        )
        header = ["stage", "median", "p95", "first turn", f"median / {TARGET_MS:g} ms", "met"]
        out.append((title, header, rows))
    setup = [
        [
            f"{r.entities:,}",
            f"{r.memories:,}",
            f"{r.setup['world']:.2f} s",
            f"{r.setup['save']:.2f} s",
            f"{r.setup['journal']:.1f} s",
            f"{r.setup['memory']:.1f} s",
            f"{r.setup['open']:.2f} s",
            f"{r.setup['embedder']:.1f} s" if "embedder" in r.setup else "",
        ]
        for r in results
    ]
    header = [
        "N",
        "memories",
        "world build",
        "new save",
        "journal (play and tell)",
        "memory fill",
        "reopen both saves",
        "LocalEmbedder load",
    ]
    out.append(("Setup", header, setup))
    return out


def tables_overhead(results: Sequence[Overhead]) -> list[Table]:
    """The results of :func:`run_overhead` as rich tables; missed targets in red."""
    out = []
    for title, header, rows in _sections(results):
        table = Table(title=title)
        for i, column in enumerate(header):
            table.add_column(column, justify="left" if i == 0 else "right")
        for cells in rows:
            table.add_row(*cells, style="bold red" if cells[-1] == "NO" else None)
        out.append(table)
    return out


def markdown_overhead(results: Sequence[Overhead]) -> str:
    """The same tables in Markdown, for ``docs/benchmarks.md``."""
    out: list[str] = []
    for title, header, rows in _sections(results):
        out += [f"{title}:", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        out += ["| " + " | ".join(cells) + " |" for cells in rows] + [""]
    return "\n".join(out)


def environment() -> str:
    """One line naming the interpreter, the libraries and the machine."""
    libs = ", ".join(f"{d} {version(d)}" for d in ("chromadb", "numpy", "pydantic", "torch"))
    return (
        f"Python {platform.python_version()}, {libs}; {platform.machine()}, "
        f"{os.cpu_count()} cores; fsync is disk time; gc paused while timing"
    )


# -- command line ---------------------------------------------------------------------------

QUICK = ([300], 200, 10)
"""``--quick``: sizes, memories and turns of a smoke run."""


def main(argv: Sequence[str] | None = None) -> None:
    """Run both parts (or one, with ``--only``) and print their reports."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.turn",
        description="One turn of the pipeline: the share of typed phrasings read without "
        "the parser model, and the engine's own time per turn, model time excluded.",
    )
    parser.add_argument("--only", choices=("share", "overhead"), help="run one part")
    parser.add_argument(
        "--sizes", type=parse_sizes, help="world sizes, comma-separated (default 1000,100000)"
    )
    parser.add_argument("--memories", type=int, help="memories stored (default 10000)")
    parser.add_argument("--turns", type=int, help="turns timed per size (default 200)")
    parser.add_argument(
        "--no-model", action="store_true", help="do not time the real embedder (saves ~5 s)"
    )
    parser.add_argument(
        "--quick", action="store_true", help="a smoke run: N = 300, 200 memories, 10 turns"
    )
    parser.add_argument("--markdown", action="store_true", help="also print Markdown tables")
    args = parser.parse_args(argv)
    if args.only in (None, "share"):
        print(report_share(share_of_walkthrough(), markdown=args.markdown))
    if args.only in (None, "overhead"):
        sizes, memories, turns = QUICK if args.quick else ([1_000, 100_000], 10_000, 200)
        results = run_overhead(
            args.sizes or sizes,
            args.memories or memories,
            args.turns or turns,
            model=not args.no_model,
        )
        console = Console(width=max(Console().width, 120))
        for table in tables_overhead(results):
            console.print(table)
        console.print(environment(), highlight=False)
        if args.markdown:
            print(markdown_overhead(results))


if __name__ == "__main__":
    main()
