"""Chunked column storage: numeric columns saved and loaded as blocks of bytes.

Rows are the wrong unit for numeric columns: SQLite spends about half a
microsecond stepping through each row, and building one Python tuple per
entity to write it costs as much again. So a columnar component's table (and
the table of live entities) holds one row per **chunk** of 1,024 handle slots:
the handles present in that slot range, and one blob per field with their
values in the same order, as raw little-endian bytes.

* Loading reads a few hundred blobs and ``np.frombuffer``s them: no Python
  object per entity, at a fraction of ``spawn_batch``'s cost on top.
* Saving concatenates the archetypes' columns, orders them by slot and cuts
  them into chunks: the same, in reverse.
* Write-behind rewrites only the chunks that hold a changed entity. A turn
  that moves one creature rewrites one chunk (a few kB), not the column.

Float values keep every bit (NaN payloads, -0.0), which SQLite's REAL would
not.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from fabula.ecs import ENTITY_INDEX_MASK as _INDEX_MASK
from fabula.errors import SaveContentError
from fabula.persistence.advice import recover_command

__all__ = ["CHUNK_BITS", "chunk_of", "chunk_rows", "chunks_of", "gather", "read_chunks", "unique"]

CHUNK_BITS = 10
"""log2 of the handle slots per chunk (1,024)."""


def chunk_of(handles: np.ndarray) -> np.ndarray:
    """The chunk each handle's slot falls in."""
    return (handles & _INDEX_MASK) >> CHUNK_BITS


def unique(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values of an int64 array.

    A sort and a mask: several times faster than ``np.unique`` on numpy 2.x,
    which hashes (measured in ``benchmarks/persistence.py``).
    """
    if len(values) < 2:
        return np.asarray(values, dtype=np.int64)
    ordered = np.sort(values)
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


def chunks_of(handles: np.ndarray) -> np.ndarray:
    """The distinct chunks ``handles`` fall in, sorted (a mask over chunk
    numbers, not a sort of the handles)."""
    if not len(handles):
        return np.empty(0, dtype=np.int64)
    chunks = chunk_of(handles)
    present = np.zeros(int(chunks.max()) + 1, dtype=bool)
    present[chunks] = True
    return np.flatnonzero(present).astype(np.int64)


def gather(
    parts: Iterable[tuple[np.ndarray, Sequence[np.ndarray]]],
    fields: int,
    only: np.ndarray | None = None,
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Concatenate ``(handles, [field arrays])`` parts and order them by slot.

    A slot holds at most one live entity, so the order is total. With
    ``only`` (chunk numbers), rows outside those chunks are dropped before
    sorting, so rewriting a few chunks of a million-entity column costs a
    linear scan, not a sort of the column.
    """
    lookup = None
    if only is not None:
        only = np.asarray(only, dtype=np.int64)
        lookup = np.zeros(int(only.max()) + 1 if len(only) else 1, dtype=bool)
        lookup[only] = True
    handles_parts: list[np.ndarray] = []
    field_parts: list[list[np.ndarray]] = [[] for _ in range(fields)]
    for handles, arrays in parts:
        if lookup is not None:
            chunks = chunk_of(handles)
            keep = np.zeros(len(handles), dtype=bool)
            inside = chunks < len(lookup)
            keep[inside] = lookup[chunks[inside]]
            if not keep.all():  # rewriting every chunk of this part: no copy needed
                handles = handles[keep]
                arrays = [a[keep] for a in arrays]
        handles_parts.append(handles)
        for i, array in enumerate(arrays):
            field_parts[i].append(array)
    if not handles_parts:
        return np.empty(0, dtype=np.int64), [np.empty(0) for _ in range(fields)]
    handles = np.concatenate(handles_parts)
    slots = handles & _INDEX_MASK
    if len(slots) > 1 and not (slots[1:] > slots[:-1]).all():
        order = np.argsort(slots, kind="stable")
        return handles[order], [np.concatenate(p)[order] for p in field_parts]
    return handles, [np.concatenate(p) for p in field_parts]


def chunk_rows(
    handles: np.ndarray, arrays: Sequence[np.ndarray], only: np.ndarray | None = None
) -> tuple[list[tuple[Any, ...]], list[tuple[int]]]:
    """Cut slot-ordered columns into chunk rows.

    Args:
        handles: live handles, in slot order.
        arrays: one array per field, aligned with ``handles``.
        only: chunk numbers to produce (default: every chunk with a handle).

    Returns:
        ``(upserts, deletes)``: ``(chunk, handles_blob, *field_blobs)`` rows,
        and ``(chunk,)`` rows for chunks in ``only`` that are now empty.
    """
    chunks = chunk_of(handles)
    wanted = unique(chunks) if only is None else unique(np.asarray(only, dtype=np.int64))
    starts = np.searchsorted(chunks, wanted, side="left")
    ends = np.searchsorted(chunks, wanted, side="right")
    upserts: list[tuple[Any, ...]] = []
    deletes: list[tuple[int]] = []
    little = [a.astype(a.dtype.newbyteorder("<"), copy=False) for a in arrays]
    handles_le = handles.astype("<i8", copy=False)
    for chunk, start, end in zip(wanted.tolist(), starts.tolist(), ends.tolist(), strict=True):
        if start == end:
            deletes.append((chunk,))
        else:
            upserts.append(
                (chunk, handles_le[start:end].tobytes(), *(a[start:end].tobytes() for a in little))
            )
    return upserts, deletes


def read_chunks(
    conn: sqlite3.Connection,
    table: str,
    columns: Sequence[str],
    dtypes: Sequence[np.dtype[Any]],
    path: Path | None = None,
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Every chunk of ``table``: ``(handles, [field arrays])``, in slot order.

    Each row is checked: its handles fall in its chunk, in slot order, and
    each field holds one value per handle.

    Raises:
        SaveContentError: the first row that does not (``path`` names the save).
    """
    names = ["handles", *columns]
    # A damaged row may hold text that is not UTF-8, which sqlite3 cannot even
    # fetch: only blobs are fetched, with every value's type beside it.
    select = ", ".join(
        ["chunk", *(f"CASE typeof({q}) WHEN 'blob' THEN {q} END" for q in map(_quote, names))]
        + [f"typeof({_quote(name)})" for name in names]
    )
    rows = conn.execute(f"SELECT {select} FROM {_quote(table)} ORDER BY chunk").fetchall()
    if not rows:
        return np.empty(0, dtype=np.int64), [np.empty(0, dtype=d) for d in dtypes]
    sizes = [8, *(np.dtype(d).itemsize for d in dtypes)]
    for row in rows:
        chunk, blobs, kinds = row[0], row[1 : len(names) + 1], row[len(names) + 1 :]
        count = len(blobs[0]) // 8 if isinstance(blobs[0], bytes) else -1
        for name, size, blob, kind in zip(names, sizes, blobs, kinds, strict=True):
            if not isinstance(blob, bytes) or len(blob) != count * size or count < 0:
                found = f"{len(blob)} bytes" if isinstance(blob, bytes) else kind
                what = f"holds {found}, not one value per entity of the chunk"
                raise _bad_chunk(path, table, chunk, name, what)
        handles = np.frombuffer(blobs[0], dtype="<i8")
        slots = handles & _INDEX_MASK
        if not isinstance(chunk, int) or (count and (slots >> CHUNK_BITS != chunk).any()):
            raise _bad_chunk(path, table, chunk, "handles", "holds handles outside its chunk")
        if count > 1 and not (slots[1:] > slots[:-1]).all():
            raise _bad_chunk(path, table, chunk, "handles", "holds handles out of order")
    handles = np.concatenate([np.frombuffer(r[1], dtype="<i8") for r in rows]).astype(np.int64)
    arrays = [
        np.concatenate([np.frombuffer(r[i + 2], dtype=d.newbyteorder("<")) for r in rows]).astype(d)
        for i, d in enumerate(dtypes)
    ]
    return handles, arrays


def _bad_chunk(
    path: Path | None, table: str, chunk: object, field: str, what: str
) -> SaveContentError:
    where = path or Path("the save")
    return SaveContentError(
        where,
        f"{what}. The snapshot is damaged; the journal can rebuild it: {recover_command(where)}",
        table=table,
        row=f"chunk {chunk!r}",
        field=field,
    )


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'
