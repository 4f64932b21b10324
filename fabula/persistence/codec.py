"""How one component type maps to one SQLite table, and back.

Every registered component type that has ever been saved owns a table named
``c:<registered name>``, keyed by the entity handle:

* a **columnar** component gets one typed column per field (``INTEGER`` for
  ``int`` and ``bool``, ``REAL`` for ``float``). Rows are written from and
  read into numpy columns in bulk: no component instance is built on the way.
  A float field is stored as the 64-bit integer with the same bits: SQLite's
  REAL turns NaN into NULL and -0.0 into 0, and a save must give back exactly
  the world it was given (``SELECT`` through ``fabula.persistence`` to read
  them as floats).
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
from typing import Any

import msgspec
import numpy as np
from pydantic import BaseModel

from fabula.ecs.archetype import Archetype
from fabula.ecs.component import component_info

__all__ = ["ComponentCodec", "UnsavableComponentError", "int_column", "quote"]

_STORED = {"b": np.dtype(np.int64), "i": np.dtype(np.int64), "f": np.dtype(np.int64)}
"""How each numpy kind is held in SQLite: as INTEGER, floats by their bits."""


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
            cols = ", ".join(quote(f) for f in info.fields)
            marks = ", ".join("?" * (len(info.fields) + 1))
            codec.upsert_sql = (
                f"INSERT OR REPLACE INTO {q} (entity{', ' if cols else ''}{cols}) VALUES ({marks})"
            )
        else:
            codec.upsert_sql = f"INSERT OR REPLACE INTO {q} (entity, data) VALUES (?, ?)"
            encode, codec.decode = _object_codec(ctype)
            codec.encode = _named(encode, name)
        codec.delete_sql = f"DELETE FROM {q} WHERE entity = ?"
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
            cols = "".join(
                f", {quote(f)} INTEGER NOT NULL"
                for f, d in zip(self.fields, self.dtypes, strict=True)
            )
        else:
            cols = ", data BLOB NOT NULL"
        conn.execute(
            f"CREATE TABLE IF NOT EXISTS {quote(self.table)} (entity INTEGER PRIMARY KEY{cols})"
        )
        kind, fields = self.shape()
        conn.execute(
            "INSERT OR REPLACE INTO components (name, table_name, kind, fields) "
            "VALUES (?, ?, ?, ?)",
            (self.name, self.table, kind, json.dumps(fields)),
        )

    # -- rows ---------------------------------------------------------------

    def rows(self, arch: Archetype, rows: Sequence[int] | None) -> Iterable[tuple[Any, ...]]:
        """The table rows of this component for ``rows`` of ``arch`` (all if ``None``)."""
        n = len(arch.entities)
        if self.columnar:
            entities = arch.entity_array()
            arrays = arch.numeric[self.ctype]
            index = slice(0, n) if rows is None else np.asarray(rows, dtype=np.intp)
            cols = [entities[index].tolist()]
            for field, dtype in zip(self.fields, self.dtypes, strict=True):
                cols.append(
                    arrays[field][index].view(_STORED[dtype.kind]).tolist()
                    if dtype.kind == "f"
                    else arrays[field][index].tolist()
                )
            return zip(*cols)
        column = arch.objects[self.ctype]
        encode = self.encode
        handles = arch.entities
        if rows is None:
            return zip(list(handles), map(encode, column))
        return [(handles[r], encode(column[r])) for r in np.asarray(rows).tolist()]

    def read(self, conn: sqlite3.Connection) -> tuple[np.ndarray, Any]:
        """All rows, sorted by entity: ``(entities, data)``.

        ``data`` is ``{field: array}`` for columnar components, a list of
        instances otherwise.
        """
        if self.columnar:
            columns = [int_column(conn, self.table, c) for c in ("entity", *self.fields)]
            order = np.argsort(columns[0], kind="stable")
            data = {
                field: (
                    values[order].view(dtype) if dtype.kind == "f" else values[order].astype(dtype)
                )
                for field, dtype, values in zip(self.fields, self.dtypes, columns[1:], strict=True)
            }
            return columns[0][order], data
        entities = int_column(conn, self.table, "entity")
        blobs = [row[0] for row in conn.execute(f"SELECT data FROM {quote(self.table)}")]
        values = list(map(self.decode, blobs))
        order = np.argsort(entities, kind="stable")
        return entities[order], [values[i] for i in order.tolist()]


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
    raise TypeError(
        f"{ctype.__qualname__} is not a dataclass, Pydantic model or msgspec Struct, so it "
        "cannot be saved; declare it with @component."
    )
