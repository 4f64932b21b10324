"""What a run of the per-turn benchmark reports: the target it is measured
against, the rows of its report, and one world size's figures.

Every figure is printed with its ratio to :data:`TARGET_MS`, the named
anchor: the issue's target for the engine's own time per turn.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

__all__ = ["SESSION_STAGES", "STAGES", "TARGET_MS", "TOTAL", "Overhead"]

TARGET_MS = 10.0
"""The issue's target: the engine's own time per turn, model time excluded."""

SESSION_STAGES = ("parse", "rules", "account", "context", "narrate", "memory")
"""The stages the session times itself, in order (``Reply.trace.stages``)."""

STAGES: tuple[tuple[str, str], ...] = (
    ("parse", "parse: symbolic parser"),
    ("session", "session: the rest of Session.turn (ending, scene, names, prepare)"),
    ("rules", "rules: SaveFile.play, fsync per turn (default)"),
    ("rules_nofsync", 'rules: the same on a copy, durability="process" (no fsync)'),
    ("account", "account: template narrator"),
    ("context", "context: Brain.brief"),
    ("state", "  of it: state context"),
    ("recall", "  of it: memory recall (Chroma query, rescoring)"),
    ("assembly", "  of it: the rest (verdict, prompt assembly)"),
    ("narrate", "narrate: ModelNarrator.tell, the stand-in's stream"),
    ("annotate", "annotate: narrator accounting journalled, fsync"),
    ("annotate_nofsync", 'annotate: the same on the copy, durability="process"'),
    ("memory", "memory write: Brain.remember (the entry; its write goes behind)"),
    ("writebehind", "  behind the turn: embed and upsert, waited for"),
    ("total", "total: Session.turn, fsync per turn"),
    ("total_nofsync", "total, no fsync (the copy's rules and annotate)"),
    ("hash", "of the rows above: the stand-in embedder"),
    ("narrator_model", "of the rows above: the stand-in narrator model"),
    ("query_embedding", "model, excluded: LocalEmbedder, recall query"),
    ("entry_embedding", "model, excluded: LocalEmbedder, history entry"),
)
"""Every figure a run reports, by key, with its label, in report order.

Where each comes from: the session's own stages (:data:`SESSION_STAGES`);
``state``, ``recall`` and ``annotate`` from probes on the brain's state
builder, the memory store and the save (:mod:`benchmarks.turn.probes`);
``assembly``, what ``context`` spent outside those two; ``session``, what
:meth:`~fabula.session.Session.turn` took outside the session's stages and
``annotate``; ``total``, the whole call. The ``_nofsync`` rows are the same
turn played by a second session on a copy of the save opened with
``durability="process"``; ``total_nofsync`` is ``total`` with the copy's
``rules`` and ``annotate`` in place of the fsynced ones."""

TOTAL = ("parse", "session", "rules", "account", "context", "narrate", "annotate", "memory")
"""The stages a turn's total adds up to (the parts of the context are in it once)."""


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
            with it), ``journal`` (playing the ``memories`` turns through a
            session), ``memory`` (indexing the lore and rebuilding history
            from the journal with ``MemoryStore.sync``), ``open`` (starting
            the timed session on the save and the second one on its copy),
            ``embedder`` (loading the real embedder, once per run; absent
            without it).
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
