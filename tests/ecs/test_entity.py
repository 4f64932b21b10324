"""Entity handles: the layout (slot index low, generation high) that the World
and the save format share."""

from __future__ import annotations

import numpy as np

from fabula.ecs import (
    ENTITY_INDEX_BITS,
    ENTITY_INDEX_MASK,
    entity_generation,
    entity_index,
    entity_label,
)


def test_a_handle_packs_the_slot_low_and_the_generation_high() -> None:
    handle = 7 | (3 << ENTITY_INDEX_BITS)
    assert entity_index(handle) == 7
    assert entity_generation(handle) == 3
    assert entity_index(7) == 7
    assert entity_generation(7) == 0


def test_the_mask_covers_exactly_the_index_bits() -> None:
    assert ENTITY_INDEX_MASK == (1 << ENTITY_INDEX_BITS) - 1
    largest = ENTITY_INDEX_MASK | (1 << ENTITY_INDEX_BITS)
    assert entity_index(largest) == ENTITY_INDEX_MASK
    assert entity_generation(largest) == 1


def test_the_layout_works_on_int64_arrays() -> None:
    handles = np.array([0, 5 | (2 << ENTITY_INDEX_BITS)], dtype=np.int64)
    assert (handles & ENTITY_INDEX_MASK).tolist() == [0, 5]
    assert (handles >> ENTITY_INDEX_BITS).tolist() == [0, 2]


def test_a_label_names_the_generation_only_once_the_slot_was_reused() -> None:
    assert entity_label(4) == "entity 4"
    assert entity_label(4 | (1 << ENTITY_INDEX_BITS)) == "entity 4 (generation 1)"
