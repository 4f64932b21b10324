"""A world's state digest: one short hash that two equal worlds share.

The digest covers everything that decides the game's future: the live
handles, every component (by registered name, in entity order), the tick,
the RNG state and the handle allocator. It does not depend on archetype or
row order, so a world and its save-and-load round trip have the same digest.
Replay and the crash tests compare digests; so can game authors' own tests.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import numpy as np

from fabula.ecs import World, component_info
from fabula.persistence.codec import ComponentCodec

__all__ = ["rng_fingerprint", "state_digest"]


def rng_fingerprint(world: World) -> str:
    """A short hash of the world RNG's state (journal rows record it per turn)."""
    return hashlib.blake2b(repr(world.rng.getstate()).encode(), digest_size=8).hexdigest()


def state_digest(world: World, name_of: Callable[[type], str] | None = None) -> str:
    """The digest of ``world`` (32 hex digits).

    Args:
        world: the world.
        name_of: component type -> stable name (default: the declared name;
            pass ``registry.name_of`` when the registry renames types).

    Example:
        >>> from fabula.ecs import World, component
        >>> @component
        ... class Coin:
        ...     value: int
        >>> a, b = World(seed=1), World(seed=1)
        >>> _ = a.spawn(Coin(5)), b.spawn(Coin(5))
        >>> state_digest(a) == state_digest(b)
        True
        >>> b.get(0, Coin).value = 6
        >>> state_digest(a) == state_digest(b)
        False
    """
    name_of = name_of or (lambda t: component_info(t).name)
    h = hashlib.blake2b(digest_size=16)
    slot_count, free, free_generations = world.slots()
    h.update(f"tick {world.tick}\nslots {slot_count} {free} {free_generations}\n".encode())
    h.update(repr(world.rng.getstate()).encode())
    archetypes = [a for a in world.archetypes if len(a)]
    handles = np.sort(
        np.concatenate([a.entity_array() for a in archetypes] or [np.empty(0, np.int64)])
    )
    h.update(handles.astype("<i8").tobytes())
    types = {t for a in archetypes for t in a.types}
    for ctype in sorted(types, key=lambda t: (name_of(t), t.__qualname__)):
        holders = [a for a in archetypes if ctype in a.types]
        entities = np.concatenate([a.entity_array() for a in holders])
        order = np.argsort(entities, kind="stable")
        h.update(f"\ncomponent {name_of(ctype)}\n".encode())
        h.update(entities[order].astype("<i8").tobytes())
        info = component_info(ctype)
        if info.columnar:
            for field in info.fields:
                column = np.concatenate([a.numeric[ctype][field][: len(a)] for a in holders])
                h.update(column[order].tobytes())
        else:
            encode = ComponentCodec.for_type(name_of(ctype), ctype).encode
            values = [v for a in holders for v in a.objects[ctype]]
            for i in order.tolist():
                data = encode(values[i])
                h.update(len(data).to_bytes(8, "little"))
                h.update(data)
    return h.hexdigest()
