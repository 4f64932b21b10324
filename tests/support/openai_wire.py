"""What an OpenAI-compatible server sends, as the fake server's scripts
build it: completions, streamed chunks and their event stream, embeddings
lists and error bodies (the shapes the official SDK reads).

>>> completion("hi")["choices"][0]["message"]
{'role': 'assistant', 'content': 'hi'}
>>> [c["choices"][0]["delta"] for c in chunks(["a", "b"], usage=False)]
[{'content': 'a'}, {'content': 'b'}, {}]
>>> split("abcdefg", 3)
['abc', 'def', 'g']
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

__all__ = ["chunks", "completion", "embeddings", "error", "event_stream", "split"]


def completion(
    text: Any, *, model: str = "m", prompt_tokens: int = 11, completion_tokens: int = 3
) -> dict[str, Any]:
    """A non-streamed chat completion whose message content is ``text``
    (any JSON value, so a test can send content that is not a string)."""
    return {
        "id": "c1", "object": "chat.completion", "created": 0, "model": model,
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": text}}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                  "total_tokens": prompt_tokens + completion_tokens},
    }  # fmt: skip


def chunks(
    pieces: Sequence[str], *, usage: bool = True, model: str = "m", prompt_tokens: int = 9
) -> list[dict[str, Any]]:
    """A streamed answer as OpenAI sends it: the pieces, a chunk with the
    finish reason, then (asked for with ``stream_options``) the usage, one
    completion token a piece."""

    def chunk(choices: list[dict[str, Any]]) -> dict[str, Any]:
        return {"id": "s", "object": "chat.completion.chunk", "created": 0, "model": model,
                "choices": choices}  # fmt: skip

    out = [chunk([{"index": 0, "delta": {"content": p}, "finish_reason": None}]) for p in pieces]
    out.append(chunk([{"index": 0, "delta": {}, "finish_reason": "stop"}]))
    if usage:
        tokens = len(pieces)
        last = chunk([])
        last["usage"] = {"prompt_tokens": prompt_tokens, "completion_tokens": tokens,
                         "total_tokens": prompt_tokens + tokens}  # fmt: skip
        out.append(last)
    return out


def event_stream(events: Sequence[dict[str, Any]]) -> bytes:
    """``events`` as a server-sent event stream, ended by ``[DONE]``."""
    out = b"".join(f"data: {json.dumps(e)}\n\n".encode() for e in events)
    return out + b"data: [DONE]\n\n"


def split(text: str, pieces: int) -> list[str]:
    """``text`` cut into at most ``pieces`` parts at fixed character offsets
    (so an escape sequence or a surrogate pair may be split between parts,
    as a real tokenizer may split them); ``[""]`` for no text."""
    size = max(1, -(-len(text) // max(1, pieces)))
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


def embeddings(
    vectors: Sequence[tuple[int, list[float]]], model: str, inputs: int
) -> dict[str, Any]:
    """An ``/v1/embeddings`` answer holding ``(index, vector)`` items, in
    the order given, for a request of ``inputs`` texts."""
    data = [{"object": "embedding", "index": i, "embedding": v} for i, v in vectors]
    usage = {"prompt_tokens": inputs, "total_tokens": inputs}
    return {"object": "list", "data": data, "model": model, "usage": usage}


def error(message: str, **fields: Any) -> dict[str, Any]:
    """An OpenAI-style error body."""
    return {"error": {"message": message, **fields}}
