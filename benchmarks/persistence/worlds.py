"""The persistence benchmark's components and worlds, and the check that a
file holds the world that was written to it.

Every measurement saves the same shape of world: entity ``i`` holds
``Pos(i, 0)`` and ``Vel(1, 0)`` (columnar: saved as chunks of numpy
columns) and, unless left out, ``Label(f"thing {i}", ["old"])`` (an object
component: one msgspec row each). The components are registered in their
own :data:`REGISTRY`, not the engine's, under the stable names ``pos``,
``vel`` and ``label``.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.ecs import VerificationError
from fabula.ecs import ComponentRegistry, World, component
from fabula.persistence import read_world, state_digest, write_world
from fabula.persistence.snapshot import Catalog

__all__ = [
    "REGISTRY",
    "Label",
    "Pos",
    "Vel",
    "check",
    "check_file",
    "columns",
    "make_world",
    "save_world",
    "spawn_world",
]


@component(name="pos", columnar=True)
class Pos:
    x: float
    y: float


@component(name="vel", columnar=True)
class Vel:
    dx: float
    dy: float


@component(name="label")
class Label:
    text: str
    tags: list[str]


REGISTRY = ComponentRegistry()
for _type in (Pos, Vel, Label):
    REGISTRY.register(_type)


def columns(n: int, *, label: bool = True) -> dict[type, Any]:
    """``spawn_batch`` input: entity ``i`` has ``Pos(i, 0)``, ``Vel(1, 0)`` and
    ``Label(f"thing {i}", ["old"])``."""
    out: dict[type, Any] = {
        Pos: {"x": np.arange(n, dtype=float), "y": np.zeros(n)},
        Vel: {"dx": np.ones(n), "dy": np.zeros(n)},
    }
    if label:
        out[Label] = [Label(f"thing {i}", ["old"]) for i in range(n)]
    return out


def make_world(n: int, *, label: bool = True) -> World:
    """A world of ``n`` entities as :func:`columns` describes them."""
    built = World(1)
    built.spawn_batch(columns(n, label=label))
    return built


def spawn_world(n: int, label: bool) -> None:
    """``spawn_batch`` of the data of :func:`make_world`, building it too."""
    World(1).spawn_batch(columns(n, label=label))


def save_world(conn: sqlite3.Connection, saved: World, catalog: Catalog) -> None:
    """A full save: ``write_world`` in one transaction."""
    conn.execute("BEGIN IMMEDIATE")
    write_world(conn, saved, catalog, 0)
    conn.execute("COMMIT")


def check(ok: bool, where: str, detail: str) -> None:
    """Raise :class:`~benchmarks.ecs.VerificationError` unless ``ok``.

    Raises:
        VerificationError: ``where``: ``detail``; the figure would be void.
    """
    if not ok:
        raise VerificationError(f"{where}: {detail}; the figure would be void.")


def check_file(conn: sqlite3.Connection, path: Path, written: World, where: str) -> None:
    """The save at ``path`` must load back into a world equal to ``written``.

    Raises:
        VerificationError: it does not.
    """
    loaded, _ = read_world(conn, path, Catalog(path, REGISTRY))
    check(
        state_digest(loaded, REGISTRY.name_of) == state_digest(written, REGISTRY.name_of),
        where,
        "the file does not load back into the world that was written",
    )
