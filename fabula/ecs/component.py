"""Declaring components: one declaration, validated at the boundary, stored lean.

A component is a plain class marked with :func:`component`. The decorator turns
an annotated class into a *slotted dataclass* (unless it already is a dataclass,
a Pydantic model or a msgspec Struct, which are kept as they are), and records
a :class:`ComponentInfo` on it: its stable name and how the World stores it.

Why not Pydantic models everywhere: measured on this engine's benchmark
(``python -m benchmarks.ecs``), mutating a Pydantic instance in a system loop is
an order of magnitude slower than mutating a slotted dataclass, and building
one is several times slower. So the *same* declaration serves both roles:
inside the engine a component is a slotted object (or numpy columns, below);
at the boundaries (world files, saves, model output) it is validated by
Pydantic through :func:`validate_component`, which builds a cached
``TypeAdapter`` for the class. See ``docs/decisions/001-component-storage.md``.

Two storage kinds, chosen per component type:

* **object** (default): the World stores the instance itself in an object
  column; ``world.get`` hands back that instance.
* **columnar** (``@component(columnar=True)``): every field must be ``int``,
  ``float`` or ``bool``. The World stores one numpy array per field per
  archetype and never keeps the instance; ``world.get`` hands back a *row
  view* (a subclass of the component whose attributes read and write the
  columns) and ``world.query_columns`` hands out whole arrays.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, overload

import numpy as np

from fabula.errors import ComponentDeclarationError

__all__ = [
    "ComponentInfo",
    "component",
    "component_info",
    "is_component",
    "validate_component",
]

C = TypeVar("C", bound=type)

MARKER = "__fabula_component__"

_DTYPES: dict[Any, np.dtype[Any]] = {
    bool: np.dtype(np.bool_),
    int: np.dtype(np.int64),
    float: np.dtype(np.float64),
}


@dataclass(frozen=True, slots=True)
class ComponentInfo:
    """What the World and the registry need to know about a component type.

    Attributes:
        name: stable registered name; what saves and world files store.
        columnar: stored as numpy columns rather than as objects.
        fields: field names, in declaration order (all kinds).
        dtypes: numpy dtype per field, for columnar components; empty otherwise.
    """

    name: str
    columnar: bool
    fields: tuple[str, ...]
    dtypes: tuple[np.dtype[Any], ...] = ()


@overload
def component(cls: C, /) -> C: ...
@overload
def component(*, name: str | None = ..., columnar: bool = ...) -> Callable[[C], C]: ...


def component(
    cls: type | None = None, /, *, name: str | None = None, columnar: bool = False
) -> Any:
    """Mark a class as a component; usable bare or with options.

    Args:
        cls: the class (when used as ``@component`` without arguments).
        name: stable name used by saves and world files; defaults to the
            class name. Renaming the class later keeps saves valid only if
            ``name`` is pinned.
        columnar: store as numpy columns (numeric fields only).

    Returns:
        The class, turned into a slotted dataclass if it was a plain
        annotated class, carrying a :class:`ComponentInfo`.

    Raises:
        ComponentDeclarationError: ``columnar=True`` on a class with a field
            that is not ``int``, ``float`` or ``bool``, or with no fields.

    Example:
        >>> @component
        ... class Health:
        ...     hp: int
        ...     max_hp: int = 10
        >>> Health(3)
        Health(hp=3, max_hp=10)
        >>> component_info(Health).name
        'Health'
    """

    def decorate(klass: type) -> type:
        if not isinstance(klass, type):
            raise ComponentDeclarationError(klass, "@component decorates classes only.")
        if not _is_structured(klass):
            klass = dataclass(slots=True)(klass)
        fields = _field_names(klass)
        dtypes: tuple[np.dtype[Any], ...] = ()
        if columnar:
            dtypes = _columnar_dtypes(klass, fields)
        info = ComponentInfo(
            name=name or klass.__name__, columnar=columnar, fields=fields, dtypes=dtypes
        )
        setattr(klass, MARKER, info)
        return klass

    return decorate(cls) if cls is not None else decorate


def component_info(cls: type) -> ComponentInfo:
    """The :class:`ComponentInfo` of a component type.

    Undecorated classes are valid object components too (any class works as
    one); they get an implicit info named after the class.
    """
    info = cls.__dict__.get(MARKER)
    if info is None:
        return ComponentInfo(name=cls.__name__, columnar=False, fields=_field_names(cls))
    return typing.cast(ComponentInfo, info)


def is_component(obj: Any) -> bool:
    """Whether ``obj`` is a class explicitly marked with :func:`component`."""
    return isinstance(obj, type) and MARKER in obj.__dict__


_ADAPTERS: dict[type, Any] = {}


def validate_component(cls: type[Any], data: Any) -> Any:
    """Validate boundary data (a mapping, or an instance) into a component instance.

    Dataclasses and Pydantic models go through a cached Pydantic
    ``TypeAdapter`` (strict about types, coercing only what JSON cannot
    express); msgspec Structs go through ``msgspec.convert``. This is for world
    files, saves and model output, never for hot loops.

    Raises:
        pydantic.ValidationError: the data does not fit the component (for
            msgspec Structs, ``msgspec.ValidationError``). Callers at a boundary
            translate it into an error naming the file and field.
    """
    if _is_msgspec(cls):
        import msgspec

        return msgspec.convert(data, cls)
    if isinstance(data, cls):
        return data
    adapter = _ADAPTERS.get(cls)
    if adapter is None:
        adapter = _ADAPTERS[cls] = _strict_adapter(cls)
    if dataclasses.is_dataclass(cls):
        validated = adapter.model_validate(data)
        return cls(**{name: getattr(validated, name) for name in _field_names(cls)})
    return adapter.validate_python(data, strict=True)


def _strict_adapter(cls: type) -> Any:
    """A Pydantic validator for ``cls`` in strict mode ('7' is not an int).

    Pydantic's strict mode accepts only dataclass *instances* for a dataclass,
    so for dataclasses a strict model is derived from the same fields.
    """
    from pydantic import BaseModel, ConfigDict, TypeAdapter, create_model

    if not dataclasses.is_dataclass(cls):
        return TypeAdapter(cls)
    hints = typing.get_type_hints(cls)
    fields: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        hint = _from_arrays(hints[f.name])
        if f.default is not dataclasses.MISSING:
            fields[f.name] = (hint, f.default)
        elif f.default_factory is not dataclasses.MISSING:
            fields[f.name] = (hint, dataclasses.field(default_factory=f.default_factory))
        else:
            fields[f.name] = (hint, ...)
    model: type[BaseModel] = create_model(  # type: ignore[call-overload]
        cls.__name__,
        __config__=ConfigDict(strict=True, extra="forbid", arbitrary_types_allowed=True),
        **fields,
    )
    return model


def _from_arrays(hint: Any) -> Any:
    """``hint``, accepting a list where it wants a tuple, set or frozenset.

    World files (TOML, JSON) and model output have arrays only, so strict
    mode would refuse every tuple field; the elements stay strictly checked.
    """
    from pydantic import BeforeValidator

    origin = typing.get_origin(hint) or hint
    target = {tuple: tuple, set: set, frozenset: frozenset}.get(origin)
    if target is None:
        return hint
    return typing.Annotated[
        hint, BeforeValidator(lambda v: target(v) if isinstance(v, list) else v)
    ]


# --- helpers -----------------------------------------------------------------


def _is_msgspec(cls: type) -> bool:
    return any(base.__module__.startswith("msgspec") for base in cls.__mro__[1:])


def _is_structured(cls: type) -> bool:
    """Dataclasses, Pydantic models and msgspec Structs are kept as declared."""
    if dataclasses.is_dataclass(cls) or _is_msgspec(cls):
        return True
    return hasattr(cls, "model_fields") and hasattr(cls, "model_validate")


def _field_names(cls: type) -> tuple[str, ...]:
    if dataclasses.is_dataclass(cls):
        return tuple(f.name for f in dataclasses.fields(cls))
    struct_fields = getattr(cls, "__struct_fields__", None)
    if struct_fields is not None:
        return tuple(struct_fields)
    model_fields = getattr(cls, "model_fields", None)
    if isinstance(model_fields, dict):
        return tuple(model_fields)
    return ()


def _columnar_dtypes(cls: type, fields: tuple[str, ...]) -> tuple[np.dtype[Any], ...]:
    if not dataclasses.is_dataclass(cls):
        raise ComponentDeclarationError(
            cls,
            "columnar=True needs a plain annotated class or a dataclass "
            "(its fields become numpy columns); drop columnar=True for Pydantic "
            "models and msgspec Structs.",
        )
    if not fields:
        raise ComponentDeclarationError(
            cls, "columnar=True needs at least one int, float or bool field."
        )
    try:
        hints = typing.get_type_hints(cls)
    except Exception as exc:
        raise ComponentDeclarationError(cls, f"cannot resolve its annotations: {exc}") from exc
    dtypes = []
    for field in fields:
        dtype = _DTYPES.get(hints.get(field))
        if dtype is None:
            raise ComponentDeclarationError(
                cls,
                f"field {field!r} is {hints.get(field)!r}; columnar components may only "
                "have int, float or bool fields. Store other data in an object component.",
            )
        dtypes.append(dtype)
    return tuple(dtypes)
