"""Snapshot files for the context tests (the same mechanism as tests/prompts)."""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = "FABULA_UPDATE_SNAPSHOTS"


def check_snapshot(name: str, text: str) -> None:
    """Compare ``text`` with ``snapshots/<name>``, failing with a diff; with
    ``FABULA_UPDATE_SNAPSHOTS=1`` set, rewrite the snapshot instead."""
    path = SNAPSHOTS / name
    if os.environ.get(UPDATE) == "1":
        path.write_text(text, encoding="utf-8")
        return
    if not path.exists():
        pytest.fail(f"there is no snapshot {path}; run with {UPDATE}=1 to write it")
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                text.splitlines(keepends=True),
                f"snapshots/{name}",
                "rendered now",
            )
        )
        pytest.fail(
            f"{name} differs from its snapshot:\n{diff}\nIf the change is meant, run the "
            f"tests with {UPDATE}=1 and review the snapshot's diff before committing."
        )


def as_text(messages: Sequence[Mapping[str, str]]) -> str:
    """Messages as a snapshot file holds them."""
    return "".join(f"=== {m['role']} ===\n{m['content']}\n" for m in messages)
