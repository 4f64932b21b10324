"""How pytest-xdist hands tests to its workers under ``make test``: one test
file per work unit, as ``--dist loadfile`` does, except that some folders
are one work unit each, handed out before any file (see ``ONE_WORKER`` in
tests/conftest.py).

It needs pytest-xdist (a dev dependency), like ``make test``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from xdist.scheduler import LoadFileScheduling
from xdist.workermanage import WorkerController

__all__ = ["FilesAndFolders"]


class FilesAndFolders(LoadFileScheduling):
    """``loadfile`` scheduling with whole folders as work units.

    Args:
        config: pytest's config.
        log: xdist's log.
        folders: ``{node id prefix: name}``; a test whose node id starts with
            a prefix belongs to that folder's work unit.
    """

    def __init__(self, config: pytest.Config, log: Any, folders: Mapping[str, str]) -> None:
        super().__init__(config, log)
        self.folders = dict(folders)

    def _split_scope(self, nodeid: str) -> str:
        for prefix, name in self.folders.items():
            if nodeid.startswith(prefix):
                return name
        return super()._split_scope(nodeid)

    def _assign_work_unit(self, node: WorkerController) -> None:
        for name in reversed(list(self.folders.values())):  # the folders first
            if name in self.workqueue:
                self.workqueue.move_to_end(name, last=False)
        super()._assign_work_unit(node)
