"""Queries: which archetypes a query visits, and how its rows are produced.

Matching. A :class:`Query` is the frozen description of "entities having all
of these types and none of those" plus its cache of matching archetypes.
Archetypes are never deleted and their type sets never change, so the cache
only ever grows: when the world has archetypes the query has not seen
(``seen`` lags ``len(world archetypes)``, the world's archetype generation
counter), only the new ones are tested. Rows coming and going never
invalidate it; that is what makes a frame with structural changes cheap,
unlike a cache thrown away on every change. The World keeps one Query per
distinct call shape::

    World._queries: dict[(all_of, none_of)] = Query      (query, query_columns)
    World._with_type: dict[ctype] = Query((ctype,))      (entities_with[C])

Iteration. Every iterator the World hands out (:func:`query` rows,
:func:`query_columns` batches, ``entities_with[C]`` and ``entities()``) visits
its archetypes through :func:`walk`, which

* counts the iteration in ``World._iterating``, so structural changes made
  meanwhile are deferred (:mod:`fabula.ecs.commands`) and applied when the
  outermost iteration ends, however it ends;
* marks the yielded columns of each visited archetype changed, unless
  ``readonly`` (:mod:`fabula.ecs.changes`);
* skips empty archetypes.

Order is defined: archetype creation order, then row order. Rows are produced
by C-level ``zip``s chained per archetype, so Python code runs once per
archetype, never once per row.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing
from itertools import chain
from typing import TYPE_CHECKING, Any, TypeVar, overload

import numpy as np

from fabula.ecs.archetype import Archetype
from fabula.ecs.changes import mark_columns
from fabula.ecs.commands import end_iteration
from fabula.ecs.component import component_info
from fabula.ecs.view import Columns, row_view_class
from fabula.errors import EcsError

if TYPE_CHECKING:
    from fabula.ecs.world import World

__all__ = [
    "Query",
    "archetypes_with",
    "iter_entities",
    "match",
    "query",
    "query_columns",
    "walk",
]

C1 = TypeVar("C1")
C2 = TypeVar("C2")
C3 = TypeVar("C3")


class Query:
    """Matching rule and cached matches for one ``(all_of, none_of)`` pair.

    Invariants: ``all_of`` is non-empty and disjoint from ``none_of``;
    ``archetypes`` holds, in creation order, every archetype among the first
    ``seen`` ones of the world that matches.

    Raises:
        EcsError: no required types, a duplicate, or a type both required and
            excluded.
    """

    __slots__ = ("all_of", "archetypes", "none_of", "required", "seen")

    def __init__(self, all_of: tuple[type, ...], none_of: frozenset[type]) -> None:
        if not all_of:
            raise EcsError("a query needs at least one component type, e.g. query(Position).")
        required = frozenset(all_of)
        if len(required) != len(all_of):
            raise EcsError(
                f"query() lists a component type twice: {', '.join(t.__name__ for t in all_of)}."
            )
        both = required & none_of
        if both:
            names = ", ".join(sorted(t.__name__ for t in both))
            raise EcsError(
                f"query() both requires and excludes {names}; it could never match. "
                "Remove it from without=."
            )
        self.all_of = all_of
        self.required = required
        self.none_of = none_of
        self.archetypes: list[Archetype] = []
        self.seen = 0

    def matches(self, archetype: Archetype) -> bool:
        """Whether ``archetype`` holds all required types and no excluded one."""
        return self.required <= archetype.types and self.none_of.isdisjoint(archetype.types)

    def update(self, archetypes: Sequence[Archetype]) -> None:
        """Test the archetypes created since the last update."""
        for archetype in archetypes[self.seen :]:
            if self.matches(archetype):
                self.archetypes.append(archetype)
        self.seen = len(archetypes)

    def __repr__(self) -> str:
        req = ", ".join(t.__name__ for t in self.all_of)
        exc = ", ".join(t.__name__ for t in self.none_of)
        without = f" without [{exc}]" if exc else ""
        return f"<Query [{req}]{without}: {len(self.archetypes)} archetypes>"


def match(world: World, all_of: tuple[type, ...], none_of: Iterable[type]) -> Query:
    """The world's cached :class:`Query` for this shape, brought up to date."""
    key = (all_of, none_of if none_of.__class__ is tuple else tuple(none_of))
    found = world._queries.get(key)
    if found is None:
        found = world._queries[key] = Query(all_of, frozenset(key[1]))
    if found.seen != len(world._archetypes):
        found.update(world._archetypes)
    return found


def archetypes_with(world: World, ctype: type) -> list[Archetype]:
    """The archetypes holding ``ctype``, in creation order (cached)."""
    found = world._with_type.get(ctype)
    if found is None:
        found = world._with_type[ctype] = Query((ctype,), frozenset())
    if found.seen != len(world._archetypes):
        found.update(world._archetypes)
    return found.archetypes


class _Rows(chain):  # type: ignore[type-arg]
    """A query's rows: a C-level chain of per-archetype zips that can also be
    closed early, which ends the iteration (and applies deferred changes)."""

    __slots__ = ("_batches",)

    def close(self) -> None:
        """Stop iterating now; deferred structural changes are applied."""
        self._batches.close()


@overload
def query(
    world: World, c1: type[C1], /, *, without: Iterable[type] = ..., readonly: bool = ...
) -> Iterator[tuple[int, tuple[C1]]]: ...
@overload
def query(
    world: World,
    c1: type[C1],
    c2: type[C2],
    /,
    *,
    without: Iterable[type] = ...,
    readonly: bool = ...,
) -> Iterator[tuple[int, tuple[C1, C2]]]: ...
@overload
def query(
    world: World,
    c1: type[C1],
    c2: type[C2],
    c3: type[C3],
    /,
    *,
    without: Iterable[type] = ...,
    readonly: bool = ...,
) -> Iterator[tuple[int, tuple[C1, C2, C3]]]: ...
@overload
def query(
    world: World, *types: type, without: Iterable[type] = ..., readonly: bool = ...
) -> Iterator[tuple[int, tuple[Any, ...]]]: ...


def query(
    world: World, *types: type, without: Iterable[type] = (), readonly: bool = False
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """Iterate ``(entity, (c1, c2, ...))`` over entities having all ``types``
    and none of ``without``.

    Order: archetype creation order, then row order. The matching
    archetypes are cached and the cache is refreshed only when a new
    archetype appears. Structural changes made while iterating are
    deferred until the iteration ends (:mod:`fabula.ecs.commands`).
    Unless ``readonly=True``, the yielded components are marked changed.

    Raises:
        EcsError: no types given, or a type both required and excluded.
    """
    matched = match(world, types, without)
    batches = _row_batches(world, matched.archetypes, types, readonly)
    rows = _Rows.from_iterable(batches)
    rows._batches = batches
    return rows


def walk(
    world: World, archetypes: list[Archetype], types: tuple[type, ...], readonly: bool
) -> Iterator[Archetype]:
    """Visit the non-empty archetypes of one iteration.

    While it runs, structural changes are deferred; it marks each
    visited archetype's ``types`` columns changed (unless ``readonly``)
    on arrival, and marks the last one again when the iteration ends or
    is left early, so marks drained by a ``take()`` inside the loop come
    back. Every iterator the World hands out walks through here.
    """
    world._iterating += 1
    track = bool(world._logs) and not readonly and bool(types)
    current: Archetype | None = None
    try:
        for arch in archetypes:
            if arch.entities:
                current = arch
                if track:
                    mark_columns(world, arch, types)
                yield arch
    finally:
        if track and current is not None:
            mark_columns(world, current, types)
        end_iteration(world)


def _row_batches(
    world: World, archetypes: list[Archetype], types: tuple[type, ...], readonly: bool
) -> Iterator[Iterator[tuple[int, tuple[Any, ...]]]]:
    with closing(walk(world, archetypes, types, readonly)) as visits:
        for arch in visits:
            if arch.numeric:
                columns = [_column(world, arch, t) for t in types]
            else:
                objects = arch.objects
                columns = [objects[t] for t in types]
            yield zip(arch.entities, zip(*columns))


def _column(world: World, arch: Archetype, ctype: type) -> list[Any]:
    column = arch.objects.get(ctype)
    if column is not None:
        return column
    view = row_view_class(ctype)
    return [view(world, e) for e in arch.entities]


def query_columns(
    world: World, *types: type, without: Iterable[type] = (), readonly: bool = False
) -> Iterator[tuple[np.ndarray, tuple[Columns, ...]]]:
    """Iterate ``(entities, (cols1, cols2, ...))`` once per matching archetype.

    Every type must be columnar. ``cols1.x`` is the numpy array of field
    ``x`` over the archetype's rows, so a system updates a whole archetype
    with one numpy expression. Unless ``readonly=True`` the columns are
    marked changed; with it, the arrays are read-only.

    Raises:
        EcsError: a type is not columnar, or the query is malformed.
    """
    for ctype in types:
        if not component_info(ctype).columnar:
            raise EcsError(
                f"query_columns() needs columnar components; {ctype.__name__} is stored as "
                "objects. Declare it @component(columnar=True) or use query()."
            )
    matched = match(world, types, without)
    return _column_batches(world, matched.archetypes, types, readonly)


def _column_batches(
    world: World, archetypes: list[Archetype], types: tuple[type, ...], readonly: bool
) -> Iterator[tuple[np.ndarray, tuple[Columns, ...]]]:
    with closing(walk(world, archetypes, types, readonly)) as visits:
        for arch in visits:
            n = len(arch.entities)
            batches = []
            for ctype in types:
                arrays = {}
                for field, array_ in arch.numeric[ctype].items():
                    live = array_[:n]
                    if readonly:
                        live.flags.writeable = False
                    arrays[field] = live
                batches.append(Columns(ctype, arrays, n))
            yield arch.entity_array(), tuple(batches)


def iter_entities(world: World, archetypes: list[Archetype]) -> Iterator[int]:
    """The entities of ``archetypes``, as one iteration of the world."""
    with closing(walk(world, archetypes, (), readonly=True)) as visits:
        for arch in visits:
            yield from arch.entities
