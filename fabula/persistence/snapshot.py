"""Writing a whole World into a save, and reading it back exactly.

"Exactly" means: the same live handles (generations included), the same
components, the same tick and RNG state, and the same handle allocator, so
that every future spawn returns the same handle it would have returned
before the save. Field indexes and ``entities_with`` are derived from the
archetype tables and rebuild themselves on first use.

What is *not* kept: the archetype creation order and the row order inside
archetypes, which depend on the world's history. Query iteration order is
therefore unspecified across a save and load; game logic whose result
depends on iteration order must sort (see ``docs/persistence.md``,
"Determinism contract").
"""

from __future__ import annotations

import json
import sqlite3
import struct
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from fabula.ecs import ComponentRegistry, World, component_info
from fabula.errors import EcsError, SaveContentError
from fabula.persistence.advice import recover_command
from fabula.persistence.chunks import chunk_rows, gather, read_chunks
from fabula.persistence.codec import ComponentCodec, quote

__all__ = [
    "Catalog",
    "live_handles",
    "read_world",
    "rng_from_bytes",
    "rng_to_bytes",
    "write_state",
    "write_world",
]


class Catalog:
    """The component tables of one save, and their codecs.

    Args:
        path: the save (for error messages).
        registry: the game's components, by stable name.
    """

    def __init__(self, path: Path, registry: ComponentRegistry) -> None:
        self.path = path
        self.registry = registry
        self._by_type: dict[type, ComponentCodec] = {}
        self._known: set[str] = set()

    def load(self, conn: sqlite3.Connection) -> list[ComponentCodec]:
        """Check the saved catalog against the registry; return a codec per saved table.

        Raises:
            SaveContentError: a saved component is not registered, or its shape changed.
        """
        codecs = []
        rows = conn.execute(
            "SELECT name, table_name, kind, fields FROM components ORDER BY name"
        ).fetchall()
        for name, table, kind, fields in rows:
            shape = _catalog_shape(self.path, name, fields)
            ctype = self.registry.try_get(name) if isinstance(name, str) else None
            if ctype is None:
                known = ", ".join(self.registry.names()) or "none"
                raise SaveContentError(
                    self.path,
                    f"holds component {name!r}, which this game does not register (it "
                    f"registers: {known}). Load it with the game that wrote it, or register "
                    f"a component under that name (@component(name={name!r})).",
                )
            codec = self._codec(ctype)
            if codec.table != table or codec.shape() != (kind, shape):
                raise SaveContentError(
                    self.path,
                    f"component {name!r} was saved as {kind} {shape} but is now "
                    f"{codec.shape()[0]} {codec.shape()[1]}. Keep the saved shape, or migrate "
                    "the save (fabula.persistence.schema.MIGRATIONS).",
                )
            self._known.add(name)
            codecs.append(codec)
        return codecs

    def _codec(self, ctype: type) -> ComponentCodec:
        codec = self._by_type.get(ctype)
        if codec is None:
            name = self.registry.try_name_of(ctype)
            if name is None:
                raise SaveContentError(
                    self.path,
                    f"cannot save component {ctype.__qualname__}: it is not in the game's "
                    "ComponentRegistry. Register it (registry.register or discover).",
                )
            try:
                codec = ComponentCodec.for_type(name, ctype)
            except TypeError as exc:
                raise SaveContentError(self.path, str(exc)) from exc
            self._by_type[ctype] = codec
        return codec

    def writer(self, conn: sqlite3.Connection, ctype: type) -> ComponentCodec:
        """The codec of ``ctype``, creating its table first if this save has none
        (call inside a write transaction)."""
        codec = self._codec(ctype)
        if codec.name not in self._known:
            codec.create(conn)
            self._known.add(codec.name)
        return codec

    def codecs(self) -> list[ComponentCodec]:
        """The codecs of every component table this save has."""
        return [self._codec(self.registry.get(n)) for n in sorted(self._known)]

    def forget(self) -> None:
        """Drop the cached list of existing tables (after a rollback)."""
        self._known.clear()


ENTITY_UPSERT = "INSERT OR REPLACE INTO entities (chunk, handles) VALUES (?, ?)"


def live_handles(world: World, only: np.ndarray | None = None) -> np.ndarray:
    """Every live handle (or those in chunks ``only``), in slot order."""
    return gather(((a.entity_array(), []) for a in world.archetypes if len(a)), 0, only)[0]


_RNG_HEADER = struct.Struct("<Bd?")


def rng_to_bytes(world: World) -> bytes:
    """The world RNG's full state, packed: version, Gaussian cache, 625 words.

    Packed rather than JSON because every flush writes it: about 20 µs
    against 70 µs (``docs/benchmarks.md``).
    """
    version, internal, gauss = world.rng.getstate()
    header = _RNG_HEADER.pack(version, gauss or 0.0, gauss is not None)
    return header + np.array(internal, dtype="<u4").tobytes()


_RNG_SIZE = _RNG_HEADER.size + 625 * 4


def rng_from_bytes(world: World, data: bytes) -> None:
    """Restore the world RNG's state from :func:`rng_to_bytes`.

    Raises:
        ValueError: ``data`` is not such a state.
    """
    if not isinstance(data, bytes) or len(data) != _RNG_SIZE:
        raise ValueError(f"holds {_size(data)}, not a random generator state of {_RNG_SIZE} bytes")
    version, gauss, has_gauss = _RNG_HEADER.unpack_from(data)
    internal = tuple(np.frombuffer(data, dtype="<u4", offset=_RNG_HEADER.size).tolist())
    try:
        world.rng.setstate((version, internal, gauss if has_gauss else None))
    except (ValueError, TypeError) as exc:
        raise ValueError(f"holds a random generator state Python rejects ({exc})") from None


def write_state(
    conn: sqlite3.Connection, world: World, turn: int, digest: str | None = None
) -> None:
    """Write the snapshot's scalar state (call inside a write transaction)."""
    slot_count, free, free_generations = world.slots()
    row: tuple[Any, ...] = (
        turn,
        world.tick,
        rng_to_bytes(world),
        slot_count,
        np.asarray(free, dtype="<i8").tobytes(),
        np.asarray(free_generations, dtype="<i8").tobytes(),
        time.time(),
    )
    conn.execute(
        "INSERT INTO state (id, turn, tick, rng, slot_count, free, free_generations, saved_at) "
        "VALUES (1, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET turn=excluded.turn, "
        "tick=excluded.tick, rng=excluded.rng, slot_count=excluded.slot_count, "
        "free=excluded.free, free_generations=excluded.free_generations, "
        "saved_at=excluded.saved_at",
        row,
    )
    if digest is not None:
        conn.execute("UPDATE state SET digest = ?, digest_turn = ? WHERE id = 1", (digest, turn))


def write_world(
    conn: sqlite3.Connection, world: World, catalog: Catalog, turn: int, digest: str | None = None
) -> None:
    """Replace the snapshot in ``conn`` with ``world`` (inside a write transaction)."""
    if world._iterating:
        raise EcsError("cannot save while a query is iterating; save after the loop.")
    for codec in catalog.codecs():
        conn.execute(f"DELETE FROM {quote(codec.table)}")
    conn.execute("DELETE FROM entities")
    upserts, _ = chunk_rows(live_handles(world), [])
    conn.executemany(ENTITY_UPSERT, upserts)
    types = {t for arch in world.archetypes if len(arch) for t in arch.types}
    for ctype in sorted(types, key=lambda t: component_info(t).name):
        codec = catalog.writer(conn, ctype)
        if codec.columnar:
            upserts, _ = chunk_rows(*codec.gather(world))
            conn.executemany(codec.upsert_sql, upserts)
        else:
            for arch in world.archetypes:
                if ctype in arch.objects and len(arch):
                    conn.executemany(codec.upsert_sql, codec.rows(arch, None))
    write_state(conn, world, turn, digest)


def read_world(conn: sqlite3.Connection, path: Path, catalog: Catalog) -> tuple[World, int]:
    """Rebuild the snapshot in ``conn``; return the world and the turn it is at.

    Raises:
        SaveContentError: unknown components, or rows that do not fit together.
    """
    row = conn.execute(
        "SELECT turn, tick, rng, slot_count, free, free_generations FROM state WHERE id = 1"
    ).fetchone()
    turn, tick, rng, slot_count, free, free_generations = _state(path, row)
    codecs = catalog.load(conn)
    handles = read_chunks(conn, "entities", (), (), path)[0]
    if len(handles) > 1 and not (handles[1:] > handles[:-1]).all():
        handles = np.sort(handles)
    if slot_count != len(free) + len(handles):
        raise _bad_state(
            path,
            "slot_count",
            f"counts {slot_count} slots, but the save has {len(handles)} live entities and "
            f"{len(free)} free slots",
        )
    tables = [(codec, *codec.read(conn, path)) for codec in codecs]
    world = World()
    try:
        world.restore(slot_count, free, free_generations, _batches(path, handles, tables))
    except (EcsError, ValueError, IndexError, TypeError) as exc:
        raise SaveContentError(
            path,
            f"holds inconsistent entities ({exc}). It may be damaged; recover it from its "
            f"journal with: {recover_command(path)}",
        ) from exc
    world.tick = tick
    try:
        rng_from_bytes(world, rng)
    except ValueError as exc:
        raise _bad_state(path, "rng", str(exc)) from None
    return world, turn


def _state(path: Path, row: Any) -> tuple[int, int, bytes, int, np.ndarray, np.ndarray]:
    """The ``state`` row, checked: its counts whole numbers, its lists whole."""
    if row is None:
        raise SaveContentError(
            path,
            "has no row (the save was never completely written). Start a new game, or recover "
            f"it from its journal with: {recover_command(path)}",
            table="state",
        )
    turn, tick, rng, slot_count, free, free_generations = row
    for field, value in (("turn", turn), ("tick", tick), ("slot_count", slot_count)):
        if not isinstance(value, int) or value < 0:
            raise _bad_state(path, field, f"holds {value!r}, not a count")
    arrays = []
    for field, value in (("free", free), ("free_generations", free_generations)):
        if not isinstance(value, bytes) or len(value) % 8:
            raise _bad_state(path, field, f"holds {_size(value)}, not a list of 8-byte numbers")
        arrays.append(np.frombuffer(value, dtype="<i8").astype(np.int64))
    if len(arrays[0]) != len(arrays[1]):
        counts = f"lists {len(arrays[1])} generations for {len(arrays[0])} free slots"
        raise _bad_state(path, "free_generations", counts)
    return turn, tick, rng, slot_count, arrays[0], arrays[1]


def _bad_state(path: Path, field: str, message: str) -> SaveContentError:
    return SaveContentError(
        path,
        f"{message}. The snapshot is damaged; the journal can rebuild it: {recover_command(path)}",
        table="state",
        field=field,
    )


def _size(value: object) -> str:
    if isinstance(value, bytes):
        return f"{len(value)} bytes"
    return f"a {type(value).__name__}" if value is not None else "nothing"


def _catalog_shape(path: Path, name: object, fields: object) -> list[Any]:
    try:
        shape = json.loads(fields)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        shape = exc
    if not isinstance(shape, list):
        raise SaveContentError(
            path,
            "is not a list of fields. The save's catalog of components is damaged; restore it "
            "from a backup.",
            table="components",
            row=f"component {name!r}",
            field="fields",
        )
    return shape


def _batches(
    path: Path, handles: np.ndarray, tables: list[tuple[ComponentCodec, np.ndarray, Any]]
) -> Iterator[tuple[np.ndarray, dict[type, Any]]]:
    """Group entities by their set of component types, one batch per archetype."""
    n = len(handles)
    if n and all(np.array_equal(entities, handles) for _, entities, _ in tables):
        # Every entity has every saved component: one archetype, no grouping.
        yield handles, {codec.ctype: data for codec, _, data in tables}
        return
    words = max(1, (len(tables) + 62) // 63)
    signature = np.zeros((n, words), dtype=np.int64)
    lookups = []
    for k, (codec, entities, _) in enumerate(tables):
        pos = np.searchsorted(handles, entities)
        if len(entities) and (pos.max() >= n or not np.array_equal(handles[pos], entities)):
            raise SaveContentError(
                path,
                "has rows for entities that do not exist. It may be damaged; recover it from "
                f"its journal with: {recover_command(path)}",
                table=codec.table,
            )
        signature[pos, k // 63] |= np.int64(1) << np.int64(k % 63)
        lookup = np.full(n, -1, dtype=np.int64)
        lookup[pos] = np.arange(len(entities), dtype=np.int64)
        lookups.append(lookup)
    if not n:
        return
    if words == 1:  # the common case: a 1-D unique is several times faster
        groups_1d, inverse = np.unique(signature[:, 0], return_inverse=True)
        groups = groups_1d.reshape(-1, 1)
    else:
        groups, inverse = np.unique(signature, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    order = np.argsort(inverse, kind="stable")
    bounds = np.searchsorted(inverse[order], np.arange(len(groups) + 1))
    for g, group in enumerate(groups):
        members = order[bounds[g] : bounds[g + 1]]
        columns: dict[type, Any] = {}
        for k, (codec, _, data) in enumerate(tables):
            if not (int(group[k // 63]) >> (k % 63)) & 1:
                continue
            rows = lookups[k][members]
            if codec.columnar:
                columns[codec.ctype] = {f: values[rows] for f, values in data.items()}
            else:
                columns[codec.ctype] = [data[r] for r in rows.tolist()]
        yield handles[members], columns
