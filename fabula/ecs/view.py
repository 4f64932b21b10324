"""Views onto columnar storage: a row view for one entity, column batches for many.

Columnar components are not stored as instances, so the World hands out views:

* :func:`row_view_class` builds, once per component type, a subclass of the
  component whose fields are properties reading and writing the entity's row
  in the numpy columns. ``isinstance(view, Position)`` holds, and a write
  marks the component changed at the moment it happens. A row view finds its
  row through the entity on every access, so it stays correct when other rows
  move; it raises once the entity loses the component or is despawned.
* :class:`Columns` is what ``World.query_columns`` yields per archetype: one
  attribute per field, each a numpy view of the live rows. In-place numpy
  operations (``pos.x += vel.dx``) write straight into storage; assigning a
  new array (``pos.x = pos.x * 2``) copies it into the column.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from fabula.ecs.changes import mark_written
from fabula.ecs.component import component_info

if TYPE_CHECKING:
    from fabula.ecs.world import World

__all__ = ["VIEW_OF", "Columns", "row_view_class"]

VIEW_OF = "__fabula_view_of__"
"""Attribute of a row-view class naming the component it views; the World
stores a row view given to spawn() or insert() as that component."""

_VIEW_CLASSES: dict[type, type] = {}


def row_view_class(ctype: type) -> type:
    """The row-view subclass of columnar component ``ctype`` (built once)."""
    cls = _VIEW_CLASSES.get(ctype)
    if cls is None:
        cls = _VIEW_CLASSES[ctype] = _build_row_view_class(ctype)
    return cls


def _build_row_view_class(ctype: type) -> type:
    info = component_info(ctype)

    def make_property(field: str) -> property:
        def fget(self: Any) -> Any:
            fields, row = self._world._numeric_cell(self._entity, ctype)
            return fields[field][row].item()

        def fset(self: Any, value: Any) -> None:
            fields, row = self._world._numeric_cell(self._entity, ctype)
            fields[field][row] = value
            mark_written(self._world, self._entity, ctype)

        return property(fget, fset, doc=f"{info.name}.{field} of the viewed entity's row.")

    def __init__(self: Any, world: World, entity: int) -> None:
        object.__setattr__(self, "_world", world)
        object.__setattr__(self, "_entity", entity)

    def copy(self: Any) -> Any:
        """A plain, detached instance with the row's current values."""
        return ctype(**{field: getattr(self, field) for field in info.fields})

    def __eq__(self: Any, other: object) -> bool:
        if not isinstance(other, ctype):
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in info.fields)

    def __repr__(self: Any) -> str:
        values = ", ".join(f"{f}={getattr(self, f)!r}" for f in info.fields)
        return f"{ctype.__name__}({values}) <row view of entity {self._entity}>"

    namespace: dict[str, Any] = {
        "__slots__": ("_entity", "_world"),
        VIEW_OF: ctype,
        "__init__": __init__,
        "__eq__": __eq__,
        "__hash__": None,
        "__repr__": __repr__,
        "copy": copy,
        "__doc__": f"Row view of columnar component {info.name}: writes land in the columns.",
    }
    for field in info.fields:
        namespace[field] = make_property(field)
    return type(f"{ctype.__name__}RowView", (ctype,), namespace)


class Columns:
    """The fields of one columnar component over one archetype's live rows.

    Each field is an attribute holding a numpy array view of length
    ``len(self)``. Valid until the next structural change to the world: do
    not keep it past the iteration that produced it.
    """

    __slots__ = ("_arrays", "_component", "_length")

    def __init__(self, component: type, arrays: dict[str, np.ndarray], length: int) -> None:
        object.__setattr__(self, "_component", component)
        object.__setattr__(self, "_arrays", arrays)
        object.__setattr__(self, "_length", length)

    def __getattr__(self, name: str) -> np.ndarray:
        try:
            return self._arrays[name]
        except KeyError:
            raise AttributeError(
                f"{self._component.__name__} has no field {name!r}; "
                f"its fields are {', '.join(self._arrays)}."
            ) from None

    def __setattr__(self, name: str, value: Any) -> None:
        array = self._arrays.get(name)
        if array is None:
            raise AttributeError(
                f"{self._component.__name__} has no field {name!r}; "
                f"its fields are {', '.join(self._arrays)}."
            )
        if value is not array:  # `cols.x += dx` already wrote in place
            array[...] = value

    def __len__(self) -> int:
        return self._length

    def __repr__(self) -> str:
        fields = ", ".join(self._arrays)
        return f"<Columns {self._component.__name__} x {self._length} rows: {fields}>"
