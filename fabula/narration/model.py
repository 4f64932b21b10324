"""The model narrator: a creative model retells the turn in the game's voice.

The rules have already decided the turn and the template narrator has told
it plainly (the *account*). The model is given that account, the verdicts,
what the player can perceive and what it remembers, and asked to tell the
same events better. Whatever it writes is only words: the world changed, or
did not, before it was asked.

It streams: each piece is shown as it arrives. It never leaves the player
without an answer: when the model is down, slow, broken mid-stream or
silent, the account is shown instead, and the circuit breaker stops asking
a model that keeps failing (saying so once). Its text is cleaned before it
reaches a terminal: control characters and escape sequences are dropped, so
a model cannot repaint the screen or fake a system message in colour, and
an answer longer than ``max_chars`` is cut.

Each telling comes back whole as a :class:`Telling`: what was shown, where
it came from, what the model was asked and what it cost (a
:class:`~fabula.ai.ModelUse`), and the notice for the player when the model
went away or came back. The narrator keeps nothing about a telling but its
circuit's state. What the model is told is gathered by the
:class:`~fabula.narration.Brain` (:mod:`fabula.narration.brain`).
"""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from fabula.ai import ChatStream, CircuitBreaker, Message, ModelClient, ModelUse
from fabula.errors import ModelError

if TYPE_CHECKING:
    from fabula.context import BuiltPrompt

__all__ = ["ModelNarrator", "Sanitizer", "Telling"]

Emit = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class Telling:
    """How a turn was told, what it cost, and what to tell the player.

    Attributes:
        text: what was shown.
        source: ``"model"``, or ``"template"`` when the account was shown.
        use: what the narrator model was asked and what it cost (role
            ``"narrator"``): its name, the prompt reference used
            (``narrator@1#3fa2...``), tokens as the server counted them,
            seconds from the request to the last piece, and why the model's
            telling was not (fully) used, if it was not (``use.error``).
        first_token: seconds from the request to the first piece shown
            (``None`` if the model showed nothing).
        notice: a message for the player, once: the model went away or
            came back (``None`` most turns).
    """

    text: str
    source: Literal["model", "template"]
    use: ModelUse
    first_token: float | None = None
    notice: str | None = None

    def journal(self, prompt: BuiltPrompt | None = None) -> dict[str, str]:
        """The fields a turn's journal row keeps (strings, as the journal
        wants): the model's use (:meth:`~fabula.ai.ModelUse.journal`) and,
        given the ``prompt`` that was sent, what it cost by our estimate
        before sending (``narrator_prompt_tokens``), what the budget cut
        from it, by section (``narrator_cut``, e.g. ``"memories:1"``), and
        whether even the uncuttable part was over the budget
        (``narrator_over_budget``, ``"3400>3072"``). Empty without a model.
        """
        if not self.use.model:
            return {}
        out = self.use.journal(source=self.source)
        if prompt is not None:
            out["narrator_prompt_tokens"] = str(prompt.tokens)
            cut = ",".join(f"{name}:{n}" for name, n in prompt.dropped.items() if n)
            if cut:
                out["narrator_cut"] = cut
            if prompt.over_budget:
                out["narrator_over_budget"] = f"{prompt.tokens}>{prompt.budget}"
        return out


class ModelNarrator:
    """Retells turns through the narrator model, with the account as fallback.

    Args:
        client: the narrator role's model client.
        breaker: the narrator role's circuit breaker.
        max_chars: the longest telling shown; a longer one is cut at a word.

    Each :meth:`tell` returns everything about that telling, the notice for
    the player included; the narrator keeps only its circuit's state.

    Attributes:
        config: the narrator role's settings (its client's).
    """

    def __init__(
        self,
        client: ModelClient,
        breaker: CircuitBreaker | None = None,
        *,
        max_chars: int = 4000,
    ) -> None:
        self.client = client
        self.config = client.config
        self.breaker = breaker or CircuitBreaker("narrator")
        self.max_chars = max_chars

    def tell(
        self,
        messages: Sequence[Message],
        account: str,
        *,
        prompt: str = "",
        emit: Emit | None = None,
    ) -> Telling:
        """Stream the model's telling of a turn to ``emit``; return what was shown.

        ``account`` is the template narrator's text for the same turn: shown
        instead when the model cannot tell it, and after what the model
        managed to say when its stream breaks part-way.
        """
        show = emit or (lambda _: None)
        model = self.config.model
        if not self.breaker.allows():
            show(account)
            return Telling(
                account, "template", ModelUse("narrator", model, prompt, error="circuit open")
            )
        start = time.perf_counter()
        first: float | None = None
        clean = Sanitizer()
        shown: list[str] = []
        length = 0
        cut = False
        error = ""
        held = ""  # trailing whitespace, shown only if more text follows
        stream = self.client.stream(messages)
        try:
            for piece in stream:
                text = clean.feed(piece)
                if not shown:
                    text = text.lstrip()
                body = text.rstrip()
                if not body:
                    held += text if shown else ""
                    continue
                text, held = held + body, text[len(body) :]
                if not shown:
                    first = time.perf_counter() - start
                if length + len(text) > self.max_chars:
                    text = _cut(text, self.max_chars - length)
                    cut = True
                show(text)
                shown.append(text)
                length += len(text)
                if cut:
                    break
        except ModelError as exc:
            error = exc.reason
        finally:
            stream.close()  # a cut telling lets go of the connection at once
        latency = time.perf_counter() - start
        told = "".join(shown).rstrip()
        if error:
            notice = self.breaker.record_failure(error)
        elif not told:
            error = "the model said nothing"
            notice = self.breaker.record_failure(error)
        else:
            notice = self.breaker.record_success()
        if error and not told:
            show(account)
            use = _use(model, prompt, stream, latency, error)
            return Telling(account, "template", use, first, notice)
        if error:  # it broke part-way: say plainly what happened, after what was shown
            tail = f"\n\n{account}"
            show(tail)
            told += tail
        elif cut:
            show("…")
            told += "…"
            error = f"cut at {self.max_chars} characters"
        return Telling(told, "model", _use(model, prompt, stream, latency, error), first, notice)


def _use(model: str, prompt: str, stream: ChatStream, latency: float, error: str) -> ModelUse:
    """The narrator model's use for a telling from its stream."""
    return ModelUse(
        "narrator", model, prompt, (), stream.prompt_tokens, stream.completion_tokens, latency,
        stream.attempts, error,
    )  # fmt: skip


def _cut(text: str, room: int) -> str:
    """``text`` cut to at most ``room`` characters, at a word if there is one."""
    if room <= 0:
        return ""
    head = text[:room]
    space = head.rfind(" ")
    return head[:space] if space > room // 2 else head


class Sanitizer:
    """Cleans streamed model text for a terminal, piece by piece.

    Drops ANSI escape sequences (CSI ``ESC [ ... final``, OSC ``ESC ] ...
    BEL/ST`` and two-character escapes) even when a sequence is split across
    pieces, every other control character but newline and tab, and the
    Unicode bidirectional overrides that can make text read differently
    from what it is. Carriage returns become newlines.

    >>> s = Sanitizer()
    >>> s.feed("\\x1b[31mred") + s.feed("\\x1b[") + s.feed("0m ok\\x07")
    'red ok'
    """

    _BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")

    def __init__(self) -> None:
        self._state = ""  # "", "esc", "csi", "osc", "osc-esc"

    def feed(self, text: str) -> str:
        out: list[str] = []
        for ch in text:
            state = self._state
            if state == "esc":
                self._state = {"[": "csi", "]": "osc"}.get(ch, "")
                continue
            if state == "csi":
                if "\x40" <= ch <= "\x7e":
                    self._state = ""
                continue
            if state in ("osc", "osc-esc"):
                if ch == "\x07" or (state == "osc-esc" and ch == "\\"):
                    self._state = ""
                else:
                    self._state = "osc-esc" if ch == "\x1b" else "osc"
                continue
            if ch == "\x1b":
                self._state = "esc"
            elif ch == "\x9b":  # the one-character CSI
                self._state = "csi"
            elif ch == "\r":  # CRLF or a line overwrite: never pass it on
                continue
            elif ch in "\n\t":
                out.append(ch)
            elif ch in self._BIDI or unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn"):
                continue
            else:
                out.append(ch)
        return "".join(out)
