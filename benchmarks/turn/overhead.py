"""Engine overhead per turn, model time excluded: the timed turns at each
world size (see :mod:`benchmarks.turn`)."""

from __future__ import annotations

import gc
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import chromadb
from chromadb.config import Settings

from benchmarks.timing import frozen_heap, timed
from benchmarks.turn.cycle import Checks, Places, Step, check_turn, step_for
from benchmarks.turn.filled import FilledGame
from benchmarks.turn.results import STAGES, TOTAL, Overhead
from benchmarks.turn.share import actions_of
from benchmarks.turn.stand_ins import HashEmbedder
from fabula.actions import ActionProposal, Outcome
from fabula.actions.standard import Goals
from fabula.ai import ModelConfig, ModelUse
from fabula.content import ContentGame
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
from fabula.parsing import Parsed, ParseResult, SymbolicParser
from fabula.persistence import SaveFile, state_digest

__all__ = ["run_overhead"]

T = TypeVar("T")


def _timed(times: dict[str, list[int]], stage: str, work: Callable[[], T]) -> T:
    """Run ``work``, appending its nanoseconds to ``times[stage]``."""
    value, ns = timed(work)
    times[stage].append(ns)
    return value


def _seconds(work: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    value = work()
    return value, time.perf_counter() - start


def _proposals(result: ParseResult, step: Step, check: Checks) -> tuple[ActionProposal, ...]:
    check(
        "parsed",
        isinstance(result, Parsed) and actions_of(result) == (step.action,),
        lambda: f"{step.command!r} gave {result!r}, not the action {step.action!r}",
    )
    assert isinstance(result, Parsed)
    return result.proposals


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
    places: Places


def _journal(
    game: FilledGame, save: SaveFile, turns: int, places: Places, check: Checks
) -> list[HistoryEntry]:
    """Play ``turns`` turns of the cycle and return the history entries live
    play would have recorded for them (the same ``history_entry`` call as
    :meth:`~fabula.memory.MemoryStore.record_turn`; the ending, which it
    would judge, is checked once at the end)."""
    parser = SymbolicParser(game.actions)
    narrator = TemplateNarrator(game.files.templates)
    entries = []
    for _ in range(turns):
        step = step_for(save.turn + 1)
        world = save.world
        player = game.player(world)
        proposals = _proposals(parser.parse(step.command, world.view(), player), step, check)
        narrator.prepare(world, proposals)
        before = Scene.of(world, player)
        with save.simulation.bus.record() as events:
            outcomes = save.play(step.command, proposals)
        check_turn(world, player, step, outcomes, places, check)
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
    check: Checks,
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
    places = Places(game, save.world)
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


def _turn(rig: _Rig, times: dict[str, list[int]], check: Checks, split_first: bool) -> str:
    """Play and time one turn as the session does with a brain; return the
    recall query (for the real embedder)."""
    game, save, brain = rig.game, rig.save, rig.brain
    world = save.world
    step = step_for(save.turn + 1)
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
    check_turn(world, player, step, outcomes, rig.places, check)
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
    check: Checks,
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
    check = Checks(f"turn overhead, N = {entities:,}")
    times: dict[str, list[int]] = {key: [] for key, _ in STAGES}
    times.update(session_before=[], session_after=[])
    # frozen first with the loaded model and the game, then again with the
    # world and the store, so collections scan only what was made since
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as closing, frozen_heap():
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
    per_turn = list(zip(*(times[stage] for stage in TOTAL), strict=True))
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
