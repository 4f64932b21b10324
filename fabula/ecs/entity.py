"""Entity handles: what a handle is made of, and what to say about a bad one.

A handle is a plain ``int``: the slot index in the low
:data:`ENTITY_INDEX_BITS` bits, the slot's generation above them. This is the
only place the layout is defined; the World, its storage interface and the
save format (:mod:`fabula.persistence.chunks`, through :mod:`fabula.ecs`)
all read it from here.

    >>> handle = 5 | (2 << ENTITY_INDEX_BITS)
    >>> entity_index(handle), entity_generation(handle)
    (5, 2)
    >>> entity_label(handle)
    'entity 5 (generation 2)'

Despawning bumps the slot's generation, so every handle issued for the slot
before is *stale*: using one raises
:class:`~fabula.errors.DespawnedEntityError`, and it never names the entity
that later reuses the slot. Generations only grow.
"""

from __future__ import annotations

__all__ = [
    "ENTITY_INDEX_BITS",
    "ENTITY_INDEX_MASK",
    "entity_generation",
    "entity_index",
    "entity_label",
]

ENTITY_INDEX_BITS = 32
"""How many low bits of a handle hold its slot index."""

ENTITY_INDEX_MASK = (1 << ENTITY_INDEX_BITS) - 1
"""``handle & ENTITY_INDEX_MASK`` is the slot index (works on int64 arrays too)."""


def entity_index(entity: int) -> int:
    """The slot index of an entity handle."""
    return entity & ENTITY_INDEX_MASK


def entity_generation(entity: int) -> int:
    """The generation of an entity handle (how often its slot was reused)."""
    return entity >> ENTITY_INDEX_BITS


def entity_label(entity: int) -> str:
    """How messages name a handle: ``entity 5``, or ``entity 5 (generation 2)``."""
    gen = entity >> ENTITY_INDEX_BITS
    return f"entity {entity & ENTITY_INDEX_MASK}" + (f" (generation {gen})" if gen else "")
