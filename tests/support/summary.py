"""Figures printed at the end of a test run: measured, never asserted.

A test package adds lines under a title with :func:`add_summary`; the root
``tests/conftest.py`` prints every title's lines in pytest's terminal
summary. Under pytest-xdist, tests run in worker processes whose terminal
summary nobody sees, so each worker sends its lines to the controller when it
finishes (through ``workeroutput``), and the controller prints them all.
"""

from __future__ import annotations

import pytest

__all__ = ["SUMMARY", "WORKER_KEY", "add_summary", "merge_summary"]

SUMMARY = pytest.StashKey[dict[str, list[str]]]()
"""Where the lines wait on the config: ``{title: [line, ...]}``."""

WORKER_KEY = "fabula_summary"
"""The key a worker's lines travel under in its ``workeroutput``."""


def add_summary(config: pytest.Config, title: str, lines: list[str]) -> None:
    """Print ``lines`` under ``title`` at the end of the run (nothing if empty)."""
    if lines:
        config.stash.setdefault(SUMMARY, {}).setdefault(title, []).extend(lines)


def merge_summary(config: pytest.Config, sections: dict[str, list[str]]) -> None:
    """Add a worker's sections to this process's summary."""
    for title, lines in sections.items():
        add_summary(config, title, list(lines))
