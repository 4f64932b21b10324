"""Engine overhead per turn, model time excluded: the timed turns at each
world size.

Each timed turn is one call of :meth:`Session.turn
<fabula.session.Session.turn>` on the rig's timed session
(:mod:`benchmarks.turn.rig`), with garbage collected before and collection
paused during. Its figures are read from what the turn itself reports and
records: the stages the session times (``Reply.trace.stages``), the calls
the :class:`~benchmarks.turn.probes.Probe` s saw, the whole call's time, the
turn's journal row and events. After it, the memory write the brain left
behind is waited for (:meth:`~fabula.narration.Brain.settle`) and timed
apart, and the second session plays the same command on the copy of the
save (no fsync). Nothing of the turn is re-implemented here.
"""

from __future__ import annotations

import gc
import tempfile
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path

from benchmarks.timing import frozen_heap, timed
from benchmarks.turn.cycle import Checks, check_played, step_for
from benchmarks.turn.probes import Call
from benchmarks.turn.results import SESSION_STAGES, STAGES, Overhead
from benchmarks.turn.rig import Rig, build_rig
from benchmarks.turn.stand_ins import TELLING
from fabula.content import ContentGame
from fabula.events import Event, OnActionSuccess
from fabula.games import DEMO
from fabula.memory import LocalEmbedder, SyncReport
from fabula.persistence import state_digest
from fabula.session import Reply, Session

__all__ = ["run_overhead"]


def _ns(ms: float) -> int:
    """A stage's milliseconds, as the trace records them, in nanoseconds."""
    return round(ms * 1e6)


def _timed_turn(session: Session, text: str) -> tuple[Reply, list[Event], int]:
    """``session.turn(text)`` timed, with the events it published (recorded
    from outside the clock)."""
    with session.save.simulation.bus.record() as events:
        reply, ns = timed(lambda: session.turn(text))
    return reply, events, ns


def _one(calls: list[Call], what: str, check: Checks) -> Call:
    """The one call a probe saw during a turn."""
    check("probed", len(calls) == 1, lambda: f"the turn made {len(calls)} calls to {what}, not one")
    return calls[0]


def _turn(rig: Rig, times: dict[str, list[int]], check: Checks) -> str:
    """Play and time one turn on both sessions; return the recall query (for
    the real embedder)."""
    session, brain, probes = rig.session, rig.brain, rig.probes
    before = session.save.turn
    step = step_for(before + 1)
    spent, told = rig.embedder.ns, rig.narrator_model.ns
    reply, events, wall = _timed_turn(session, step.command)
    stages = reply.trace.stages
    check(
        "parts",
        tuple(stages) == SESSION_STAGES,
        lambda: f"the session timed the stages {list(stages)}, not {list(SESSION_STAGES)}",
    )
    state = _one(probes["state"].take(), "the state context", check)
    recall = _one(probes["recall"].take(), "memory recall", check)
    annotate = _one(probes["annotate"].take(), "SaveFile.annotate", check)
    for stage in SESSION_STAGES:
        times[stage].append(_ns(stages[stage]))
    times["state"].append(state.ns)
    times["recall"].append(recall.ns)
    times["assembly"].append(times["context"][-1] - state.ns - recall.ns)
    times["annotate"].append(annotate.ns)
    staged = sum(times[stage][-1] for stage in SESSION_STAGES)
    times["session"].append(wall - staged - annotate.ns)
    times["total"].append(wall)

    row = check_played(session, before, step, reply, events, rig.places, check)
    k = brain.config.memory.recall
    found = len(recall.result)
    check("recall", found == k, lambda: f"recall returned {found} memories, not {k}")
    check(
        "told",
        reply.text == TELLING,
        lambda: f"the reply is not the narrator model's telling: {reply.text[:200]!r}",
    )
    info = reply.trace.roles.get("narrator", {})
    tokens = int(info.get("narrator_prompt_tokens", -1))
    budget = brain.config.narrator.context_tokens
    check(
        "prompt",
        0 < tokens <= budget and "narrator_over_budget" not in info,
        lambda: f"the prompt takes {tokens} tokens of {budget}: {info}",
    )
    check("annotated", row.models == info, lambda: f"the journal row holds {row.models}")
    # The entry's embedding and upsert run behind, on memory's own thread, while
    # a player reads and types; here the next turn would otherwise start at
    # once and share the disk with it, so it is waited for, and shown apart.
    notice, ns = timed(brain.settle)
    times["writebehind"].append(ns)
    check(
        "memory kept",
        brain.memory is not None and notice is None,
        lambda: f"memory turned itself off: {notice}",
    )
    times["hash"].append(rig.embedder.ns - spent)
    times["narrator_model"].append(rig.narrator_model.ns - told)

    twin = rig.twin
    twin_reply, twin_events, _ = _timed_turn(twin, step.command)
    (twin_annotate,) = rig.probes["annotate_nofsync"].take()
    player = twin.player
    done = [e for e in twin_events if isinstance(e, OnActionSuccess) and e.actor == player]
    check(
        "twin",
        twin_reply.turn == reply.turn
        and twin_reply.text == TELLING
        and [e.action for e in done] == [step.action],
        lambda: f"the copy's session played {step.command!r} otherwise: {twin_reply!r}",
    )
    times["rules_nofsync"].append(_ns(twin_reply.trace.stages["rules"]))
    times["annotate_nofsync"].append(twin_annotate.ns)
    fsynced = times["rules"][-1] + times["annotate"][-1]
    not_fsynced = times["rules_nofsync"][-1] + times["annotate_nofsync"][-1]
    times["total_nofsync"].append(wall - fsynced + not_fsynced)
    query: str = recall.args[0]
    return query


def _model_times(
    rig: Rig,
    embedder: LocalEmbedder,
    queries: list[str],
    times: dict[str, list[int]],
    check: Checks,
) -> None:
    """The real embedder on each turn's recall query and history entry."""
    last = rig.session.save.turn
    first = last - len(queries)
    entries = rig.store.history(after=first)
    check(
        "entries",
        [e.turn for e in entries] == list(range(first + 1, last + 1)),
        lambda: f"the timed turns' entries are {[e.turn for e in entries]}",
    )
    for query, entry in zip(queries, entries, strict=True):
        times["query_embedding"].append(timed(lambda q=query: embedder.embed_query([q]))[1])
        times["entry_embedding"].append(timed(lambda e=entry: embedder([e.text]))[1])


def _end_checks(rig: Rig, memories: int, turns: int, check: Checks) -> None:
    """Both saves journalled every turn into the same world, and memory holds
    an entry per turn and agrees with the journal."""
    end = memories + turns
    for name, session in (("journal", rig.session), ("journal, no fsync", rig.twin)):
        rows = len(session.save.records(memories))
        check(name, session.save.turn == end and rows == turns, lambda r=rows: f"{r} new rows")
    name_of = rig.game.components.name_of
    check(
        "same world",
        state_digest(rig.session.world, name_of) == state_digest(rig.twin.world, name_of),
        lambda: "the save and its copy played into different worlds",
    )
    stored = rig.store.count("history")
    check("memories", stored == end, lambda: f"the store holds {stored}, not {end}")
    report = rig.store.sync(rig.session.save, rig.game, rig.session.narrator)
    check("memory agrees", report == SyncReport(0, 0), lambda: f"sync changed {report}")


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
    # frozen first with the loaded model and the game, then again with the
    # world and the store, so collections scan only what was made since
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as closing, frozen_heap():
        rig, setup = build_rig(base, entities, memories, Path(tmp), check, closing)
        gc.collect()
        gc.freeze()
        queries = [_turn(rig, times, check) for _ in range(turns)]
        _end_checks(rig, memories, turns, check)
        if embedder is not None:
            _model_times(rig, embedder, queries, times, check)
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
    """Time the engine's own work per turn, for each world size (see
    :mod:`benchmarks.turn`).

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
        loaded = timed(embedder.load)[1] / 1e9
    results = []
    for entities in sizes:
        result = _overhead(base, entities, memories, turns, embedder)
        if embedder is not None:
            result.setup["embedder"] = loaded
        results.append(result)
    return results
