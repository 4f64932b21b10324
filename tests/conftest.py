"""Hooks for the whole suite.

* Figures some tests measure are printed at the end of the run, whether the
  tests ran in this process or in pytest-xdist workers (see
  :mod:`tests.support.summary`).
* Once collected, the heap is frozen (:func:`gc.freeze`), so the garbage
  collector no longer walks every module, torch and ChromaDB each time it
  looks at the oldest objects. Such a walk took most of a second in a test
  process: long enough to stall a loopback request past a 0.4 s client
  timeout, and to slow every test that allocates.
* Crash reports (``fabula.cli.boundary``) of every process the tests start
  go to a temporary folder, never the user's ``~/.local/state``.
* Under pytest-xdist (``-n``, with ``--dist load``, its default, or
  ``loadfile``, what ``make test`` runs), each test file runs on one worker,
  and each folder of :data:`ONE_WORKER` runs whole on one worker, before
  anything else.
"""

from __future__ import annotations

import contextlib
import gc
import os
import tempfile
from typing import Any

import pytest

from tests.support.summary import SUMMARY, WORKER_KEY, merge_summary

ONE_WORKER = {"tests/integration/": "llama.cpp server"}
"""Folders whose tests all run on one xdist worker, first: ``{node id
prefix: name}``. The integration tests share one llama.cpp server (a session
fixture, so one per worker): on one worker it starts once, and no second
server competes for the cores. They take the longest, so they start first.

The scheduler groups by node id, not by ``xdist_group`` marks: pytest-xdist
(3.8) adds a mark's group to the node id through ``item._nodeid``, which
pytest 9.2 no longer reads, so marks group nothing."""


def pytest_configure(config: pytest.Config) -> None:
    """Send crash reports to a folder of this run (inherited by subprocesses;
    a test that looks for reports sets its own)."""
    if "FABULA_CRASH_DIR" not in os.environ:
        folder = os.environ["FABULA_CRASH_DIR"] = tempfile.mkdtemp(prefix="fabula-crashes-")
        config.add_cleanup(lambda: _remove_if_empty(folder))


def _remove_if_empty(folder: str) -> None:
    """Remove the run's crash folder unless a report is there to read."""
    with contextlib.suppress(OSError):
        os.rmdir(folder)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Freeze what collection imported and built (it stays alive anyway)."""
    gc.collect()
    gc.freeze()


@pytest.hookimpl(trylast=True)  # after the session's fixtures added their figures
def pytest_sessionfinish(session: pytest.Session) -> None:
    """In an xdist worker: send the figures to the controller."""
    output: dict[str, Any] | None = getattr(session.config, "workeroutput", None)
    if output is not None:
        output[WORKER_KEY] = session.config.stash.get(SUMMARY, {})


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    """In the xdist controller: keep the figures a worker sent."""
    merge_summary(node.config, getattr(node, "workeroutput", {}).get(WORKER_KEY, {}))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print every title's figures."""
    for title, lines in terminalreporter.config.stash.get(SUMMARY, {}).items():
        terminalreporter.write_sep("-", title)
        for line in lines:
            terminalreporter.write_line(line)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """With ``--dist load`` or ``loadfile``: a file per work unit, and each
    folder of :data:`ONE_WORKER` one work unit, handed out first (other
    modes, asked for by name, are left to xdist)."""
    if config.getvalue("dist") not in ("load", "loadfile"):
        return None
    from tests.support.scheduling import FilesAndFolders

    return FilesAndFolders(config, log, ONE_WORKER)
