"""Full save and load of N entities, against building the same world with
``spawn_batch``.

Two worlds: three components (two numeric, one object) and the two numeric
ones only. Save is :func:`~fabula.persistence.write_world` plus the commit,
into a new file; load is opening the file
(:func:`~fabula.persistence.schema.connect`, which checks the header and
format) plus :func:`~fabula.persistence.read_world` (which checks the
catalog against the registry). Every loaded world must have the
:func:`~fabula.persistence.state_digest` of the one saved.
"""

from __future__ import annotations

import tempfile
from functools import partial
from pathlib import Path
from typing import Any

from benchmarks.persistence.worlds import (
    REGISTRY,
    check,
    make_world,
    save_world,
    spawn_world,
)
from benchmarks.timing import frozen_heap, timed
from fabula.ecs import World
from fabula.persistence import read_world, state_digest
from fabula.persistence.schema import connect
from fabula.persistence.snapshot import Catalog

__all__ = ["run_snapshot"]


def run_snapshot(n: int, repeats: int = 3) -> list[dict[str, Any]]:
    """Save and load N entities (three components, then the two numeric ones).

    Save: ``write_world`` and the commit, into a new file. Load: opening the
    file (``connect``) and ``read_world``.

    Returns:
        One row per world with keys ``what``, ``n``, ``save_s``, ``load_s``,
        ``spawn_batch_s``, ``load_vs_spawn`` and ``mb`` (the file's size).

    Raises:
        ValueError: ``n`` or ``repeats`` is below 1.
        VerificationError: a loaded world differs from the saved one.
    """
    if n < 1 or repeats < 1:
        raise ValueError(f"run_snapshot needs n >= 1 and repeats >= 1, got {n} and {repeats}.")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for what, with_label in (("2 numeric + 1 object", True), ("2 numeric", False)):
            world = make_world(n, label=with_label)
            want = state_digest(world, REGISTRY.name_of)
            save = load = spawn = float("inf")
            size = 0
            with frozen_heap():
                for r in range(repeats):
                    path = Path(tmp) / f"snapshot-{int(with_label)}-{r}.save"
                    conn = connect(path, create=True)
                    catalog = Catalog(path, REGISTRY)
                    save = min(save, timed(partial(save_world, conn, world, catalog))[1] / 1e9)
                    conn.close()
                    size = path.stat().st_size
                    loaded: list[World] = []

                    def open_and_read(path: Path = path, loaded: list[World] = loaded) -> None:
                        conn = connect(path)
                        loaded.append(read_world(conn, path, Catalog(path, REGISTRY))[0])
                        conn.close()

                    load = min(load, timed(open_and_read)[1] / 1e9)
                    check(
                        state_digest(loaded[0], REGISTRY.name_of) == want,
                        f"full save and load, N = {n}, {what}",
                        "the loaded world differs from the saved one",
                    )
                    spawn = min(spawn, timed(partial(spawn_world, n, with_label))[1] / 1e9)
            results.append(
                {
                    "what": what,
                    "n": n,
                    "save_s": save,
                    "load_s": load,
                    "spawn_batch_s": spawn,
                    "load_vs_spawn": load / spawn,
                    "mb": size / 1e6,
                }
            )
    return results
