"""How a broken server answers, and what a hostile narrator model streams."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from tests.security.payloads.common import (
    LANTERN,
    MULTI_MB,
    acts,
)
from tests.support.hostile_model import Answer


@dataclass(frozen=True, slots=True)
class TransportCase:
    """A server that fails below the model's words: status, envelope, transport.

    Attributes:
        id: the case's name.
        answer: how the server answers.
        bug: why this case fails today, if it does.
    """

    id: str
    answer: Answer
    bug: str | None = None


ENVELOPES: list[TransportCase] = [
    TransportCase("http-500", Answer(status=500)),
    TransportCase("http-502", Answer(status=502)),
    TransportCase("http-503", Answer(status=503)),
    TransportCase("http-429", Answer(status=429)),
    TransportCase("http-400", Answer(status=400)),
    TransportCase("http-401", Answer(status=401)),
    TransportCase("http-404", Answer(status=404)),
    TransportCase("http-422", Answer(status=422)),
    TransportCase("hang-up", Answer(hang_up=True)),
    TransportCase("slower-than-the-timeout", Answer(delay=0.8, content=acts(LANTERN))),
    TransportCase("body-not-json", Answer(raw=b"<html><body>502 Bad Gateway</body></html>")),
    TransportCase("body-empty", Answer(raw=b"")),
    TransportCase("body-is-a-list", Answer(raw=b'[{"choices": []}]')),
    TransportCase("body-without-choices", Answer(raw=b'{"id": "x"}')),
    TransportCase("choices-null", Answer(raw=b'{"choices": null}')),
    TransportCase("choices-empty", Answer(raw=b'{"choices": []}')),
    TransportCase("content-null", Answer(raw=json.dumps(
        {"choices": [{"index": 0, "message": {"role": "assistant", "content": None}}]}
    ).encode())),
    TransportCase("content-a-number", Answer(raw=json.dumps(
        {"choices": [{"index": 0, "message": {"role": "assistant", "content": 5}}]}
    ).encode())),
    TransportCase("content-an-object", Answer(raw=json.dumps(
        {"choices": [{"index": 0, "message": {"role": "assistant",
                                              "content": {"actions": [LANTERN]}}}]}
    ).encode())),
    TransportCase("event-stream-for-a-plain-request", Answer(raw=b"data: {\"choices\": []}\n\n")),
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class NarrationCase:
    """What a hostile narrator model streams for a turn.

    Attributes:
        id: the case's name.
        answer: how the server answers the streaming request.
        told: ``model`` if the player should see the model's (cleaned)
            words, ``account`` if the template narrator's account instead.
        bug: why this case fails today, if it does.
    """

    id: str
    answer: Answer
    told: Literal["model", "account"] = "model"
    bug: str | None = None


NARRATIONS: list[NarrationCase] = [
    NarrationCase("claims-1000-gold", Answer(
        content="You take the lantern. You now have 1000 gold.")),
    NarrationCase("claims-the-key", Answer(
        content="Taken. The lighthouse key is in your pocket, and the door stands open.")),
    NarrationCase("fake-score", Answer(content="Your score is 1000 out of 25, in 1 turns.")),
    NarrationCase("fake-win", Answer(
        content="*** The great lamp wakes, and its beam sweeps the reef. ***\n\n"
                "*** You have won ***")),
    NarrationCase("fake-notice", Answer(
        content="[The parser model is back.]\n\n[System: the save was deleted.]")),
    NarrationCase("fake-actions-json", Answer(
        content='{"actions": [{"action": "take", "item": "lighthouse key"}]}')),
    NarrationCase("ansi-colours", Answer(content="\x1b[31mSYSTEM:\x1b[0m \x1b[1myou win\x1b[0m",
                                         pieces=12)),
    NarrationCase("ansi-clear-screen", Answer(content="\x1b[2J\x1b[HTaken, and the screen wiped.",
                                              pieces=9)),
    NarrationCase("osc-window-title", Answer(content="\x1b]0;owned\x07Taken.\x1b]2;again\x1b\\ ok",
                                             pieces=7)),
    NarrationCase("cursor-moves", Answer(content="You lift it.\x1b[1A\x1b[2K\x1b[999D\x1b[6n",
                                         pieces=5)),
    NarrationCase("c1-csi", Answer(content="\x9b31mred\x9b0m taken")),
    NarrationCase("carriage-return-overwrite", Answer(content="You died.\rYou lift it.")),
    NarrationCase("backspaces-and-bell", Answer(content="Taken\x08\x08\x08\x08\x08\x07Lost")),
    NarrationCase("nul-bytes", Answer(content="You lift\x00 it\x00.")),
    NarrationCase("trailing-whitespace", Answer(content="You lift the lantern.   \n\n  ")),
    NarrationCase("bidi-override", Answer(
        content="Taken \u202e.niw uoy\u202c and \u2066hidden\u2069.")),
    NarrationCase("megabytes", Answer(content="The lantern is yours. " * (MULTI_MB // 22),
                                      pieces=64)),
    NarrationCase("one-long-word", Answer(content="A" * (512 * 1024), pieces=16)),
    NarrationCase("only-escapes", Answer(content="\x1b[2J\x1b[0m\x07", pieces=3), told="account"),
    NarrationCase("silence", Answer(content=""), told="account"),
]  # fmt: skip

_PIECE = {"id": "s", "object": "chat.completion.chunk", "created": 0, "model": "hostile",
          "choices": [{"index": 0, "delta": {"content": "The lantern"},
                       "finish_reason": None}]}  # fmt: skip
_GOOD = f"data: {json.dumps(_PIECE)}\n\n".encode()


def _delta(content: Any) -> bytes:
    event = {"id": "s", "object": "chat.completion.chunk", "created": 0, "model": "hostile",
             "choices": [{"index": 0, "delta": {"content": content},
                          "finish_reason": None}]}  # fmt: skip
    return f"data: {json.dumps(event)}\n\ndata: [DONE]\n\n".encode()


STREAMS: list[TransportCase] = [
    TransportCase("stream-http-500", Answer(status=500)),
    TransportCase("stream-http-429", Answer(status=429)),
    TransportCase("stream-http-400", Answer(status=400)),
    TransportCase("stream-hang-up", Answer(hang_up=True)),
    TransportCase("stream-slower-than-the-timeout", Answer(delay=0.8, content="Too late.")),
    TransportCase("stream-event-not-json", Answer(raw=_GOOD + b"data: {not json\n\n")),
    TransportCase("stream-not-sse-at-all", Answer(raw=b"<html>gateway timeout</html>")),
    TransportCase("stream-only-done", Answer(raw=b"data: [DONE]\n\n")),
    TransportCase("stream-cut-mid-event", Answer(raw=_GOOD + b'data: {"id": "s", "choi')),
    TransportCase("stream-ends-without-a-finish", Answer(raw=_GOOD)),
    TransportCase("stream-choices-null", Answer(
        raw=b'data: {"choices": null}\n\ndata: [DONE]\n\n')),
    TransportCase("stream-delta-null", Answer(
        raw=b'data: {"choices": [{"index": 0, "delta": null}]}\n\ndata: [DONE]\n\n')),
    TransportCase("stream-error-event", Answer(
        raw=b'data: {"error": {"message": "overloaded"}}\n\n')),
    TransportCase("stream-delta-a-number", Answer(raw=_delta(5))),
    TransportCase("stream-delta-a-list", Answer(raw=_delta(["a", "b"]))),
    TransportCase("stream-nul-bytes", Answer(raw=_GOOD + b"\x00\x00\x00data: \x00\n\n")),
]  # fmt: skip
