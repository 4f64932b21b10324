"""Snapshot files: text a test renders, kept beside the test in a
``snapshots/`` folder and compared on every run.

A test module binds the folder beside it once::

    check_snapshot = Snapshots.beside(__file__).check

A difference fails with a unified diff. With ``FABULA_UPDATE_SNAPSHOTS=1``
set, the snapshot is rewritten instead (review its diff before committing).
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

__all__ = ["UPDATE", "Snapshots", "as_text"]

UPDATE = "FABULA_UPDATE_SNAPSHOTS"
"""The environment variable that rewrites snapshots instead of checking them."""


@dataclass(frozen=True, slots=True)
class Snapshots:
    """A folder of snapshot files."""

    folder: Path

    @classmethod
    def beside(cls, module_file: str) -> Snapshots:
        """The ``snapshots/`` folder beside a test module (pass its ``__file__``)."""
        return cls(Path(module_file).parent / "snapshots")

    def check(self, name: str, text: str) -> None:
        """Compare ``text`` with the snapshot ``name``, failing with a diff;
        with ``FABULA_UPDATE_SNAPSHOTS=1`` set, rewrite the snapshot instead."""
        path = self.folder / name
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
