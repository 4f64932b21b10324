"""What a run of the per-turn benchmark reports: the target it is measured
against, the rows of its report, and one world size's figures.

Every figure is printed with its ratio to :data:`TARGET_MS`, the named
anchor: the issue's target for the engine's own time per turn.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

__all__ = ["STAGES", "TARGET_MS", "TOTAL", "Overhead"]

TARGET_MS = 10.0
"""The issue's target: the engine's own time per turn, model time excluded."""

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

TOTAL = ("parse", "session", "rules", "account", "context", "annotate", "memory")
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
