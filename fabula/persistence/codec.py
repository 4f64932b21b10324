"""How one component type maps to one SQLite table, and back.

Every registered component type that has ever been saved owns a table named
``c:<registered name>``:

* a **columnar** component's table holds chunks: one row per 1,024 handle
  slots, with the handles and one blob of raw values per field
  (:mod:`fabula.persistence.chunks`). Saving and loading move whole blocks
  of bytes; no component instance and no per-entity row is built on the way.
* an **object** component gets one ``data`` column holding it as MessagePack.
  Encoding and decoding go through msgspec, which also type-checks on decode:
  measured in ``benchmarks/persistence.py``, its typed decode is faster than
  any unvalidated path tried (``C(**json.loads(...))``) and several times
  faster than Pydantic's ``validate_json``, so loading our own files validates
  anyway. MessagePack rather than JSON because it keeps every float (JSON has
  no NaN or infinity) and is smaller. Components declared as Pydantic models
  are dumped by Pydantic and validated by it on load.

The ``components`` catalog table records, per name, the table and the shape
(kind and fields) it was written with, so loading can tell a renamed or
reshaped component apart from a damaged file.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
import numpy as np
from pydantic import BaseModel, ValidationError

from fabula.ecs import Archetype, World, component_info
from fabula.errors import ComponentDeclarationError, SaveContentError
from fabula.persistence.advice import recover_command
from fabula.persistence.chunks import gather, read_chunks

__all__ = ["ComponentCodec", "UnsavableComponentError", "int_column", "quote"]


class UnsavableComponentError(TypeError):
    """A component value that the codec cannot encode (callers add the file)."""


def quote(identifier: str) -> str:
    """``identifier`` as a quoted SQLite identifier (any text is safe)."""
    return '"' + identifier.replace('"', '""') + '"'


@dataclass(slots=True)
class ComponentCodec:
    """Reads and writes one component type's table.

    Attributes:
        name: the component's registered (stable) name.
        ctype: the component class.
        table: the table name (unquoted).
        columnar: whether the component is stored as numpy columns.
        fields: the columnar fields, in declaration order (empty for objects).
        dtypes: their numpy dtypes.
    """

    name: str
    ctype: type
    table: str
    columnar: bool
    fields: tuple[str, ...]
    dtypes: tuple[np.dtype[Any], ...]
    upsert_sql: str = ""
    delete_sql: str = ""
    encode: Callable[[Any], bytes] = bytes
    decode: Callable[[bytes], Any] = bytes

    @classmethod
    def for_type(cls, name: str, ctype: type) -> ComponentCodec:
        """Build the codec of ``ctype``, saved under ``name``.

        Raises:
            TypeError: the type is neither columnar, a dataclass, a Pydantic
                model nor a msgspec Struct, so it has no faithful encoding.
        """
        info = component_info(ctype)
        table = f"c:{name}"
        codec = cls(name, ctype, table, info.columnar, info.fields, info.dtypes)
        q = quote(table)
        if info.columnar:
            cols = "".join(f", {quote(f)}" for f in info.fields)
            marks = ", ?" * len(info.fields)
            codec.upsert_sql = (
                f"INSERT OR REPLACE INTO {q} (chunk, handles{cols}) VALUES (?, ?{marks})"
            )
            codec.delete_sql = f"DELETE FROM {q} WHERE chunk = ?"
        else:
            codec.upsert_sql = f"INSERT OR REPLACE INTO {q} (entity, data) VALUES (?, ?)"
            codec.delete_sql = f"DELETE FROM {q} WHERE entity = ?"
            encode, codec.decode = _object_codec(ctype)
            codec.encode = _named(encode, name)
        return codec

    # -- schema -------------------------------------------------------------

    def shape(self) -> tuple[str, list[list[str]]]:
        """``(kind, fields)`` as recorded in the catalog."""
        if self.columnar:
            return "columnar", [[f, d.str] for f, d in zip(self.fields, self.dtypes, strict=True)]
        return "object", []

    def create(self, conn: sqlite3.Connection) -> None:
        """Create the table and its catalog row (inside the caller's transaction)."""
        if self.columnar:
            cols = "".join(f", {quote(f)} BLOB NOT NULL" for f in self.fields)
            key = f"chunk INTEGER PRIMARY KEY, handles BLOB NOT NULL{cols}"
        else:
            key = "entity INTEGER PRIMARY KEY, data BLOB NOT NULL"
        conn.execute(f"CREATE TABLE IF NOT EXISTS {quote(self.table)} ({key})")
        kind, fields = self.shape()
        conn.execute(
            "INSERT OR REPLACE INTO components (name, table_name, kind, fields) "
            "VALUES (?, ?, ?, ?)",
            (self.name, self.table, kind, json.dumps(fields)),
        )

    # -- rows ---------------------------------------------------------------

    def rows(self, arch: Archetype, rows: Sequence[int] | None) -> Iterable[tuple[Any, ...]]:
        """Object components: ``(entity, data)`` rows for ``rows`` of ``arch`` (all if ``None``)."""
        column = arch.objects[self.ctype]
        encode = self.encode
        handles = arch.entities
        if rows is None:
            return zip(list(handles), map(encode, column))
        return [(handles[r], encode(column[r])) for r in np.asarray(rows).tolist()]

    def gather(
        self, world: World, only: np.ndarray | None = None
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Columnar components: live values in slot order ``(handles, [fields])``,
        all of them or those in chunks ``only``."""
        ctype = self.ctype
        return gather(
            (
                (arch.entity_array(), [arch.numeric[ctype][f][: len(arch)] for f in self.fields])
                for arch in world.archetypes
                if ctype in arch.numeric and len(arch)
            ),
            len(self.fields),
            only,
        )

    def read(self, conn: sqlite3.Connection, path: Path | None = None) -> tuple[np.ndarray, Any]:
        """All saved components, sorted by handle: ``(handles, data)``.

        ``data`` is ``{field: array}`` for columnar components, a list of
        instances otherwise. Every row is checked as it is decoded.

        Raises:
            SaveContentError: the first row that does not decode, naming its
                entity (``path`` names the save).
        """
        where = path or Path("the save")
        if self.columnar:
            handles, arrays = read_chunks(conn, self.table, self.fields, self.dtypes, where)
            if len(handles) > 1 and not (handles[1:] > handles[:-1]).all():
                order = np.argsort(handles, kind="stable")
                handles, arrays = handles[order], [a[order] for a in arrays]
            return handles, dict(zip(self.fields, arrays, strict=True))
        table = quote(self.table)
        odd = conn.execute(
            f"SELECT entity, typeof(entity), typeof(data) FROM {table} "
            "WHERE typeof(entity) != 'integer' OR typeof(data) != 'blob' LIMIT 1"
        ).fetchone()
        if odd is not None:
            field, kind = ("entity", odd[1]) if odd[1] != "integer" else ("data", odd[2])
            raise self._bad(where, odd[0], field, f"holds {kind}, not {_KINDS[field]}")
        entities = int_column(conn, self.table, "entity")
        blobs = [row[0] for row in conn.execute(f"SELECT data FROM {table}")]
        try:
            values = list(map(self.decode, blobs))
        except _DECODE_ERRORS:
            for entity, blob in zip(entities.tolist(), blobs, strict=True):
                try:
                    self.decode(blob)
                except _DECODE_ERRORS as exc:
                    message = f"does not decode as {self.ctype.__qualname__} ({_first_line(exc)})"
                    raise self._bad(where, entity, "data", message) from None
            raise
        order = np.argsort(entities, kind="stable")
        return entities[order], [values[i] for i in order.tolist()]

    def _bad(self, path: Path, entity: object, field: str, message: str) -> SaveContentError:
        return SaveContentError(
            path,
            f"{message}. The snapshot is damaged; the journal can rebuild it: "
            f"{recover_command(path)}",
            table=self.table,
            row=f"entity {entity!r}",
            field=field,
        )


_KINDS = {"entity": "an entity handle", "data": "an encoded component"}
_DECODE_ERRORS = (msgspec.DecodeError, ValidationError, TypeError, ValueError, AttributeError)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def int_column(conn: sqlite3.Connection, table: str, column: str) -> np.ndarray:
    """One INTEGER column of ``table``, in table order, as an int64 array.

    SQLite joins the values into one text in C (``group_concat``) and numpy
    parses it in C: no Python object per row. Measured about twice as fast
    as iterating the rows into ``np.fromiter``; columns read by separate
    queries over the same table come back in the same (rowid) order.
    """
    (text,) = conn.execute(f"SELECT group_concat({quote(column)}) FROM {quote(table)}").fetchone()
    if not text:
        return np.empty(0, dtype=np.int64)
    return np.fromstring(text, dtype=np.int64, sep=",")


def _named(encode: Callable[[Any], bytes], name: str) -> Callable[[Any], bytes]:
    """``encode``, with errors naming the component (a field type msgspec cannot encode)."""

    def encode_named(value: Any) -> bytes:
        try:
            return encode(value)
        except (TypeError, msgspec.EncodeError) as exc:
            raise UnsavableComponentError(
                f"component {name!r} cannot be saved: {exc}. Give it field types a save can "
                "hold (numbers, strings, lists, dicts, tuples, sets, dataclasses, enums)."
            ) from exc

    return encode_named


def _object_codec(ctype: type) -> tuple[Callable[[Any], bytes], Callable[[bytes], Any]]:
    encoder = msgspec.msgpack.Encoder()
    if isinstance(ctype, type) and issubclass(ctype, BaseModel):
        plain = msgspec.msgpack.Decoder()

        def encode_model(value: Any) -> bytes:
            return encoder.encode(value.model_dump(mode="python"))

        def decode_model(data: bytes) -> Any:
            return ctype.model_validate(plain.decode(data))

        return encode_model, decode_model
    if dataclasses.is_dataclass(ctype) or issubclass(ctype, msgspec.Struct):
        return encoder.encode, msgspec.msgpack.Decoder(ctype).decode
    raise ComponentDeclarationError(
        ctype,
        "is not a dataclass, Pydantic model or msgspec Struct, so it cannot be saved; "
        "declare it with @component.",
    )
