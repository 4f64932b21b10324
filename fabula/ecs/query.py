"""Query matching: which archetypes a query visits, cached.

A :class:`Query` is the frozen description of "entities having all of these
types and none of those" plus its cache of matching archetypes. Archetypes are
never deleted and their type sets never change, so the cache only ever grows:
when the world has archetypes the query has not seen (``seen`` lags
``len(world archetypes)``, the world's archetype generation counter), only the
new ones are tested. Rows coming and going never invalidate it; that is what
makes a frame with structural changes cheap, unlike a cache thrown away on
every change.
"""

from __future__ import annotations

from collections.abc import Sequence

from fabula.ecs.archetype import Archetype
from fabula.errors import EcsError

__all__ = ["Query"]


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
