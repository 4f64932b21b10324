"""How one component type maps to one SQLite table, and back.

Every registered component type that has ever been saved owns a table named
``c:<registered name>``, keyed by the entity handle:

* a **columnar** component gets one typed column per field (``INTEGER`` for
  ``int`` and ``bool``, ``REAL`` for ``float``). Rows are written from and
  read into numpy columns in bulk: no component instance is built on the way.
* an **object** component gets one ``data`` column holding its JSON. Encoding
  and decoding go through msgspec, which also type-checks on decode: measured
  in ``benchmarks/persistence.py``, its typed decode is faster than any
  unvalidated path tried (``C(**json.loads(...))``) and 3-4x faster than
  Pydantic's ``validate_json``, so loading our own files validates anyway.
  Components declared as Pydantic models go through a Pydantic ``TypeAdapter``.

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
from pydantic import BaseModel, TypeAdapter

from fabula.ecs.archetype import Archetype
from fabula.ecs.component import component_info

__all__ = ["ComponentCodec", "quote"]

_SQL_TYPES = {"b": "INTEGER", "i": "INTEGER", "f": "REAL"}


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
    select_sql: str = ""
    encode: Callable[[Any], str] = str
    decode: Callable[[str], Any] = str

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
            codec.select_sql = f"SELECT entity{', ' if cols else ''}{cols} FROM {q} ORDER BY entity"
        else:
            codec.upsert_sql = f"INSERT OR REPLACE INTO {q} (entity, data) VALUES (?, ?)"
            codec.select_sql = f"SELECT entity, data FROM {q} ORDER BY entity"
            codec.encode, codec.decode = _json_codec(ctype)
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
                f", {quote(f)} {_SQL_TYPES[d.kind]} NOT NULL"
                for f, d in zip(self.fields, self.dtypes, strict=True)
            )
        else:
            cols = ", data TEXT NOT NULL"
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
            if rows is None:
                cols = [entities.tolist()] + [arrays[f][:n].tolist() for f in self.fields]
            else:
                index = np.asarray(rows, dtype=np.intp)
                cols = [entities[index].tolist()] + [arrays[f][index].tolist() for f in self.fields]
            return zip(*cols)
        column = arch.objects[self.ctype]
        encode = self.encode
        handles = arch.entities
        if rows is None:
            return zip(list(handles), map(encode, column))
        return [(handles[r], encode(column[r])) for r in rows]

    def read(self, conn: sqlite3.Connection) -> tuple[np.ndarray, Any]:
        """All rows, sorted by entity: ``(entities, data)``.

        ``data`` is ``{field: array}`` for columnar components, a list of
        instances otherwise.
        """
        (count,) = conn.execute(f"SELECT count(*) FROM {quote(self.table)}").fetchone()
        cursor = conn.execute(self.select_sql)
        if self.columnar:
            dtype = [("entity", np.int64)] + [(f"f{i}", d) for i, d in enumerate(self.dtypes)]
            table = np.fromiter(cursor, dtype=dtype, count=count)
            data = {f: np.ascontiguousarray(table[f"f{i}"]) for i, f in enumerate(self.fields)}
            return np.ascontiguousarray(table["entity"]), data
        entities = np.empty(count, dtype=np.int64)
        decode = self.decode
        values: list[Any] = []
        append = values.append
        for i, (entity, text) in enumerate(cursor):
            entities[i] = entity
            append(decode(text))
        return entities, values


def _json_codec(ctype: type) -> tuple[Callable[[Any], str], Callable[[str], Any]]:
    if isinstance(ctype, type) and issubclass(ctype, BaseModel):
        adapter = TypeAdapter(ctype)
        return (lambda v: adapter.dump_json(v).decode()), adapter.validate_json
    if dataclasses.is_dataclass(ctype) or issubclass(ctype, msgspec.Struct):
        encoder = msgspec.json.Encoder()
        decoder = msgspec.json.Decoder(ctype)
        return (lambda v: encoder.encode(v).decode()), decoder.decode
    raise TypeError(
        f"{ctype.__qualname__} is not a dataclass, Pydantic model or msgspec Struct, so it "
        "cannot be saved; declare it with @component."
    )
