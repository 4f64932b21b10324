"""Decoding one object component from our own file: does skipping
validation matter?

Four ways to turn the stored bytes of a ``Label`` back into a value:
msgspec's typed MessagePack decode (what saves use; it validates), msgspec's
typed JSON decode, Pydantic's ``TypeAdapter(C).validate_json`` and the
unvalidated ``C(**json.loads(s))``, in nanoseconds per component, each
against ours. Every method must give back the value encoded.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import msgspec
from pydantic import TypeAdapter

from benchmarks.persistence.worlds import Label, check
from benchmarks.timing import frozen_heap, timed

__all__ = ["run_decode"]


def run_decode(n: int = 50_000, repeats: int = 3) -> list[dict[str, Any]]:
    """Nanoseconds per object component decoded, by method.

    Returns:
        One row per method, ours first, with keys ``method``, ``ns`` and
        ``vs_ours`` (time over msgspec MessagePack's).

    Raises:
        ValueError: ``n`` or ``repeats`` is below 1.
        VerificationError: a method does not give back the encoded value.
    """
    if n < 1 or repeats < 1:
        raise ValueError(f"run_decode needs n >= 1 and repeats >= 1, got {n} and {repeats}.")
    value = Label("brass lamp", ["light", "portable"])
    packed, text = msgspec.msgpack.encode(value), msgspec.json.encode(value)
    typed = msgspec.msgpack.Decoder(Label).decode
    typed_json = msgspec.json.Decoder(Label).decode
    adapter = TypeAdapter(Label)
    methods: dict[str, Callable[[], Any]] = {
        "msgspec MessagePack, typed (what saves use; validates)": lambda: typed(packed),
        "msgspec JSON, typed (validates)": lambda: typed_json(text),
        "Pydantic TypeAdapter.validate_json (validates)": lambda: adapter.validate_json(text),
        "C(**json.loads(s)) (no validation)": lambda: Label(**json.loads(text)),
    }
    results = []
    with frozen_heap():
        for name, decode in methods.items():
            check(decode() == value, f"decode, {name}", "the value decoded differs")

            def loop(decode: Callable[[], Any] = decode) -> None:
                for _ in range(n):
                    decode()

            best_ns = min(timed(loop)[1] for _ in range(repeats))
            results.append({"method": name, "ns": best_ns / n})
    for row in results:
        row["vs_ours"] = row["ns"] / results[0]["ns"]
    return results
