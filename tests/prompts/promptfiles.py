"""Helpers for the prompt tests: snapshot files, writing prompt files."""

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


def prompt_file(
    folder: Path,
    name: str,
    *,
    id: str = "narrator",
    version: str = "1",
    role: str = "narrator",
    body: str = "{% block user %}{{ account }}{% endblock %}",
) -> Path:
    """Write a prompt file into ``folder``; return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(
        f'+++\nid = "{id}"\nversion = "{version}"\nrole = "{role}"\n'
        f'description = "A test prompt."\n+++\n{body}\n',
        encoding="utf-8",
    )
    return path
