"""Recall: what a memory is, and how memories are ranked.

Ranking follows Generative Agents (Park et al., 2023): each candidate gets

    score = w_rel * relevance + w_rec * recency + w_imp * importance

with each term in [0, 1]:

* **relevance** = the cosine similarity of the memory's vector to the
  query's, clamped to [0, 1] (Chroma's cosine distance is ``1 - cos``). It is
  not rescaled per query, so a score means the same whatever else was found;
* **recency** = ``decay ** (now - turn)`` for history (``decay`` 0.99 per
  turn: a memory 69 turns old counts half); lore is timeless and gets the
  constant ``lore_recency`` (0.5: as recent as a 69-turn-old memory, so a
  fresh relevant event outranks equally relevant background, and old events
  do not bury it);
* **importance** = the memory's importance (1-10) / 10.

Candidates are fetched from Chroma by relevance (``k * candidates`` per
kind), filtered by state (see :meth:`~fabula.memory.MemoryStore.recall`),
scored, and the best ``k`` returned, ties broken by id so the order is
always the same. Scores are rounded to 6 decimals before ranking, so float
noise below that cannot reorder equal memories.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from fabula.errors import ArgumentError

__all__ = ["KINDS", "Kind", "Memory", "Scoring", "rank"]

Kind = Literal["lore", "history"]
KINDS: tuple[Kind, ...] = ("lore", "history")


@dataclass(frozen=True, slots=True)
class Memory:
    """One recalled memory, for a prompt.

    Attributes:
        id: ``"turn-<n>"`` for history, ``"<file>#<chunk>"`` for lore.
        text: what to put in the prompt.
        kind: ``"lore"`` or ``"history"``.
        score: its rank score (higher is better; at most the sum of the weights).
        turn: the turn it happened (``None`` for lore).
    """

    id: str
    text: str
    kind: str  # "lore" | "history"
    score: float
    turn: int | None


@dataclass(frozen=True, slots=True)
class Scoring:
    """How recall ranks (see the module docstring).

    Attributes:
        relevance, recency, importance: the three weights (>= 0).
        decay: recency lost per turn, in (0, 1].
        lore_recency: the recency lore gets, in [0, 1].
        candidates: how many candidates per wanted memory are fetched from
            Chroma before filtering and rescoring (>= 1).

    Raises:
        ArgumentError: a value outside its range.
    """

    relevance: float = 1.0
    recency: float = 1.0
    importance: float = 1.0
    decay: float = 0.99
    lore_recency: float = 0.5
    candidates: int = 4

    def __post_init__(self) -> None:
        problems = []
        if min(self.relevance, self.recency, self.importance) < 0:
            problems.append("weights must be >= 0")
        if not 0 < self.decay <= 1:
            problems.append(f"decay must be in (0, 1], got {self.decay}")
        if not 0 <= self.lore_recency <= 1:
            problems.append(f"lore_recency must be in [0, 1], got {self.lore_recency}")
        if self.candidates < 1:
            problems.append(f"candidates must be >= 1, got {self.candidates}")
        if problems:
            raise ArgumentError("Scoring: " + "; ".join(problems))

    def score(self, distance: float, importance: int, turn: int | None, now: int) -> float:
        """The score of a candidate at cosine ``distance`` from the query.

        Example:
            >>> s = Scoring()
            >>> s.score(0.4, importance=5, turn=10, now=10)  # 0.6 + 1.0 + 0.5
            2.1
            >>> s.score(0.4, importance=5, turn=None, now=10)  # lore: 0.6 + 0.5 + 0.5
            1.6
        """
        relevance = min(1.0, max(0.0, 1.0 - distance))
        recency = self.lore_recency if turn is None else self.decay ** max(0, now - turn)
        value = (
            self.relevance * relevance
            + self.recency * recency
            + self.importance * min(10, max(1, importance)) / 10
        )
        return round(value, 6)


def rank(memories: list[Memory], k: int) -> list[Memory]:
    """The best ``k``, highest score first, ties by id."""
    return sorted(memories, key=lambda m: (-m.score, m.id))[:k]
