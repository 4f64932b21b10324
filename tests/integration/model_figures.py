"""What the real model cost and did, gathered while the integration tests run.

These are measurements, not assertions: a CI host may be slow or busy, and a
test that failed on a latency would fail for the wrong reason; and how well a
tiny model plays (whether its answers fit, were played, were long enough to
stream in pieces) is the model's business, not ours to promise. They are
printed in pytest's terminal summary, so every run of ``make test`` says how
fast the server started and answered on that machine, and how the model did.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from fabula.ai import ModelUse
from fabula.narration import Telling


@dataclass(slots=True)
class Figures:
    """Timings and token counts from one test session.

    Attributes:
        server: a one-line description of the server (set when it is up).
        startup: seconds from starting the server to its first answer.
        parser_calls: per structured-output request, ``(seconds, completion
            tokens)``.
        parser_inputs: per input the parser model was asked about, whether
            its answer was played as a turn (rather than asked again and
            then given up on, or answered with no action).
        tellings: per streamed telling, ``(seconds, seconds to the first
            piece, pieces, completion tokens as the server reported them)``.
        fallbacks: per telling the template narrator gave instead of the
            model, why (the telling's ``error``).
        cut_off: structured answers cut at ``max_tokens`` (not checkable
            against their schema).
        control: what the model answered without the schema: ``"outside the
            schema"``, ``"inside the schema"`` or ``"cut off"`` (empty: not asked).
    """

    server: str = ""
    startup: float | None = None
    parser_calls: list[tuple[float, int]] = field(default_factory=list)
    parser_inputs: list[bool] = field(default_factory=list)
    tellings: list[tuple[float, float, int, int]] = field(default_factory=list)
    fallbacks: list[str] = field(default_factory=list)
    cut_off: int = 0
    control: str = ""

    def parser_use(self, use: ModelUse | None, *, played: bool) -> None:
        """Record what a :class:`~fabula.parsing.TieredParser` turn asked of the
        model (the reply's ``trace.uses["parser"]``), as one call per answer,
        and whether the turn was played."""
        if use is None or not use.answers:
            return
        self.parser_inputs.append(played)
        answers = len(use.answers)
        tokens = use.completion_tokens
        for _ in range(answers):
            self.parser_calls.append((use.latency / answers, tokens // answers))

    def telling(self, telling: Telling, pieces: int) -> None:
        """Record one streamed telling and how many pieces it arrived in."""
        if telling.source == "model":
            use = telling.use
            first = telling.first_token if telling.first_token is not None else use.latency
            self.tellings.append((use.latency, first, pieces, use.completion_tokens))
        else:
            self.fallbacks.append(telling.use.error)

    def narration(self, info: dict[str, str], first: float, pieces: int) -> None:
        """Record a session turn's telling from its journalled accounting
        (``narrator_ms``, ``narrator_tokens``), the seconds from the turn's
        start to its first piece, and how many pieces it arrived in."""
        if info.get("narrator_source") != "model":
            self.fallbacks.append(info.get("narrator_error", ""))
            return
        seconds = int(info.get("narrator_ms", "0")) / 1000
        tokens = int(info.get("narrator_tokens", "0+0").partition("+")[2] or 0)
        self.tellings.append((seconds, first, pieces, tokens))

    def lines(self) -> list[str]:
        """The summary, one line per figure."""
        out = []
        if self.startup is not None:
            out.append(f"{self.server}: answering {self.startup:.2f} s after start")
        if self.parser_calls:
            seconds = [s for s, _ in self.parser_calls]
            tokens = sum(t for _, t in self.parser_calls)
            out.append(
                f"parser (structured output): {len(seconds)} calls, median "
                f"{statistics.median(seconds):.2f} s, max {max(seconds):.2f} s, "
                f"{tokens / sum(seconds):.0f} completion tokens/s"
            )
        if self.parser_inputs:
            played = sum(self.parser_inputs)
            out.append(
                f"parser model in sessions: asked about {len(self.parser_inputs)} inputs, "
                f"{played} played as a turn"
            )
        if self.cut_off:
            out.append(f"structured output: {self.cut_off} answers cut off at max_tokens")
        if self.control:
            out.append(f"structured output, control without the schema: {self.control}")
        if self.fallbacks:
            reasons = ", ".join(sorted(set(self.fallbacks)))
            out.append(f"narrator: {len(self.fallbacks)} tellings by the template ({reasons})")
        if self.tellings:
            seconds = [t[0] for t in self.tellings]
            pieces = sum(t[2] for t in self.tellings)
            reported = sum(t[3] for t in self.tellings)
            out.append(
                f"narrator (streamed): {len(seconds)} tellings, median "
                f"{statistics.median(seconds):.2f} s, first piece median "
                f"{statistics.median(t[1] for t in self.tellings):.3f} s, "
                f"{pieces / sum(seconds):.0f} pieces/s (≈ one token each), "
                f"tokens reported: {reported}"
            )
        return out
