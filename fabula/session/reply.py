"""What one input produces for the UI: the :class:`Reply`, and its
:class:`Trace` of where the turn's time and tokens went.

The session fills a trace as the turn goes (each stage timed by a
:class:`StageTimer`, each model role's accounting as it is journalled, and
the :class:`~fabula.ai.ModelUse` the role returned), and hands it over with
the reply; ``fabula play --debug`` prints :meth:`Trace.line`. A reply is the
whole answer to an input: nothing about the turn is left on the session to
be read afterwards.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from fabula.ai import ModelUse

__all__ = ["Reply", "StageTimer", "Trace"]


@dataclass(frozen=True, slots=True)
class Trace:
    """Where one input's time and tokens went.

    Attributes:
        stages: milliseconds per engine stage (``parse``, ``rules``,
            ``account``, ``context``, ``narrate``, ``memory``), in order.
        roles: per model role, its accounting as journalled (model, tokens,
            latency, prompt reference, errors).
        uses: per model role, what it asked of its model and what it cost,
            as the role returned it (:class:`~fabula.ai.ModelUse`).
    """

    stages: dict[str, float] = field(default_factory=dict)
    roles: dict[str, dict[str, str]] = field(default_factory=dict)
    uses: dict[str, ModelUse] = field(default_factory=dict)

    def line(self) -> str:
        """One line for the debug view.

        >>> Trace({"parse": 0.42}, {"parser": {"parser": "tiny", "parser_ms": "7"}}).line()
        'parse 0.4 ms · parser tiny ms=7'
        """
        parts = [f"{stage} {ms:.1f} ms" for stage, ms in self.stages.items()]
        for role, info in self.roles.items():
            model = info.get(role, "")
            detail = " ".join(
                f"{key.removeprefix(role + '_')}={value}"
                for key, value in info.items()
                if key != role
            )
            parts.append(f"{role} {model} {detail}".strip())
        return " · ".join(parts)

    def stage(self, name: str) -> StageTimer:
        """A context manager adding the time spent in it to stage ``name``."""
        return StageTimer(self.stages, name)


@dataclass(frozen=True, slots=True)
class Reply:
    """What one input produced, for the UI.

    Attributes:
        text: what to show.
        turn: the turn number after it (unchanged if no turn was played).
        ended: ``"won"`` or ``"lost"`` once the game is over.
        quit: the player asked to stop.
        trace: the turn's timings and model accounting.
    """

    text: str
    turn: int
    ended: str | None = None
    quit: bool = False
    trace: Trace = field(default_factory=Trace)


class StageTimer:
    """Times one stage of a turn into a trace's stages (a tiny context
    manager; a stage entered twice adds up)."""

    __slots__ = ("_name", "_stages", "_start")

    def __init__(self, stages: dict[str, float], name: str) -> None:
        self._stages = stages
        self._name = name
        self._start = 0.0

    def __enter__(self) -> None:
        self._start = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        elapsed = (time.perf_counter() - self._start) * 1000
        self._stages[self._name] = self._stages.get(self._name, 0.0) + elapsed
