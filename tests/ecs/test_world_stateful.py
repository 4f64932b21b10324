"""Random sequences of World operations checked against a naive model.

The model is ``dict[entity] -> dict[component type] -> field values``; after
every step the world must agree with it on membership, components, the
``entities_with`` sets and the field indexes (compared with a brute-force scan).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from fabula.ecs import World, component_info
from fabula.errors import DespawnedEntityError, MissingComponentError
from tests.ecs.components import Health, Name, Position, Velocity, field_values

TYPES = (Name, Health, Position, Velocity)
TEXTS = ("a", "b", "c")
XS = (0.0, 1.0, 2.0)

Model = dict[int, dict[type, tuple[Any, ...]]]

component_st = st.one_of(
    st.builds(Name, st.sampled_from(TEXTS)),
    st.builds(Health, st.integers(0, 3), st.integers(5, 6)),
    st.builds(Position, st.sampled_from(XS), st.sampled_from([0.0, 0.5])),
    st.builds(Velocity, st.sampled_from([0.0, 1.0]), st.sampled_from([0.0, -1.0])),
)
components_st = st.lists(component_st, max_size=3, unique_by=type)
types_st = st.lists(st.sampled_from(TYPES), min_size=1, max_size=2, unique=True)
pick = st.integers(0, 1 << 16)


def row_of(ctype: type, component: Any) -> tuple[Any, ...]:
    return field_values(ctype, component)


class WorldMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.world = World()
        self.model: Model = {}
        self.stale: list[int] = []
        self.text_index = self.world.index(Name, "text")
        self.x_index = self.world.index(Position, "x")

    # -- helpers ------------------------------------------------------------------

    def choose(self, i: int) -> int:
        entities = sorted(self.model)
        return entities[i % len(entities)]

    def has_entities(self) -> bool:
        return bool(self.model)

    # -- structure ------------------------------------------------------------------

    @rule(components=components_st)
    def spawn(self, components: list[Any]) -> None:
        entity = self.world.spawn(*components)
        assert entity not in self.model
        assert entity not in self.stale
        self.model[entity] = {type(c): row_of(type(c), c) for c in components}

    @rule(
        ctypes=st.lists(st.sampled_from(TYPES), min_size=1, max_size=3, unique=True),
        count=st.integers(0, 3),
        seed=st.integers(0, 2),
    )
    def spawn_batch(self, ctypes: list[type], count: int, seed: int) -> None:
        rows = [(TEXTS[(seed + i) % 3], XS[(seed + i) % 3], i) for i in range(count)]
        columns: dict[type, Any] = {}
        for ctype in ctypes:
            if ctype is Name:
                columns[Name] = [Name(text) for text, _, _ in rows]
            elif ctype is Health:
                columns[Health] = {"hp": [i for _, _, i in rows]}  # max_hp by default
            elif ctype is Position:
                columns[Position] = {"x": np.array([x for _, x, _ in rows]), "y": np.zeros(count)}
            else:
                columns[Velocity] = {"dx": np.ones(count)}  # dy by default
        ids = self.world.spawn_batch(columns).tolist()
        assert len(ids) == count
        for entity, (text, x, i) in zip(ids, rows):
            built = {Name: (text,), Health: (i, 10), Position: (x, 0.0), Velocity: (1.0, 0.0)}
            self.model[entity] = {ctype: built[ctype] for ctype in ctypes}

    @precondition(has_entities)
    @rule(i=pick, components=components_st)
    def insert(self, i: int, components: list[Any]) -> None:
        entity = self.choose(i)
        self.world.insert(entity, *components)
        self.model[entity].update({type(c): row_of(type(c), c) for c in components})

    @precondition(has_entities)
    @rule(i=pick, ctypes=types_st)
    def remove(self, i: int, ctypes: list[type]) -> None:
        entity = self.choose(i)
        if all(ctype in self.model[entity] for ctype in ctypes):
            self.world.remove(entity, *ctypes)
            for ctype in ctypes:
                del self.model[entity][ctype]
        else:
            with pytest.raises(MissingComponentError):
                self.world.remove(entity, *ctypes)

    @precondition(has_entities)
    @rule(i=pick, ctypes=types_st)
    def try_remove(self, i: int, ctypes: list[type]) -> None:
        entity = self.choose(i)
        self.world.try_remove(entity, *ctypes)
        for ctype in ctypes:
            self.model[entity].pop(ctype, None)

    @precondition(has_entities)
    @rule(i=pick)
    def despawn(self, i: int) -> None:
        entity = self.choose(i)
        self.world.despawn(entity)
        del self.model[entity]
        self.stale.append(entity)

    @precondition(lambda self: bool(self.stale))
    @rule(i=pick)
    def stale_handle_raises(self, i: int) -> None:
        entity = self.stale[i % len(self.stale)]
        with pytest.raises(DespawnedEntityError):
            self.world.get(entity, Name)
        with pytest.raises(DespawnedEntityError):
            self.world.insert(entity, Name("ghost"))

    # -- reads and in-place mutation --------------------------------------------------

    @precondition(has_entities)
    @rule(i=pick, ctype=st.sampled_from(TYPES))
    def get(self, i: int, ctype: type) -> None:
        entity = self.choose(i)
        expected = self.model[entity].get(ctype)
        if expected is None:
            with pytest.raises(MissingComponentError):
                self.world.get(entity, ctype)
            assert self.world.try_get(entity, ctype) is None
        else:
            assert row_of(ctype, self.world.get(entity, ctype)) == expected

    @precondition(has_entities)
    @rule(i=pick, text=st.sampled_from(TEXTS), x=st.sampled_from(XS), hp=st.integers(0, 3))
    def mutate_through_get(self, i: int, text: str, x: float, hp: int) -> None:
        entity = self.choose(i)
        components = self.model[entity]
        if Name in components:
            self.world.get(entity, Name).text = text
            components[Name] = (text,)
        if Health in components:
            self.world.get(entity, Health).hp = hp
            components[Health] = (hp, components[Health][1])
        if Position in components:
            self.world.get(entity, Position).x = x  # a row view write
            components[Position] = (x, components[Position][1])

    @rule(
        required=types_st,
        excluded=st.lists(st.sampled_from(TYPES), max_size=2, unique=True),
        readonly=st.booleans(),
    )
    def query(self, required: list[type], excluded: list[type], readonly: bool) -> None:
        excluded = [t for t in excluded if t not in required]
        rows = list(self.world.query(*required, without=excluded, readonly=readonly))
        entities = [entity for entity, _ in rows]
        assert len(entities) == len(set(entities))
        expected = {
            e
            for e, components in self.model.items()
            if all(t in components for t in required) and not any(t in components for t in excluded)
        }
        assert set(entities) == expected
        for entity, components in rows:
            assert len(components) == len(required)
            for ctype, value in zip(required, components):
                assert row_of(ctype, value) == self.model[entity][ctype]

    @rule(shift=st.integers(1, 2))
    def mutate_through_query(self, shift: int) -> None:
        for entity, (name, position) in self.world.query(Name, Position):
            name.text = TEXTS[(TEXTS.index(name.text) + shift) % 3]
            position.x = XS[(XS.index(position.x) + shift) % 3]
            model = self.model[entity]
            model[Name] = (name.text,)
            model[Position] = (position.x, model[Position][1])

    @rule(without_name=st.booleans())
    def mutate_through_query_columns(self, without_name: bool) -> None:
        excluded = [Name] if without_name else []
        for entities, (position,) in self.world.query_columns(Position, without=excluded):
            position.x = (position.x + 1.0) % 3.0
            for entity, x in zip(entities.tolist(), position.x.tolist()):
                self.model[entity][Position] = (x, self.model[entity][Position][1])

    @rule(text=st.sampled_from(TEXTS))
    def structural_changes_in_a_loop(self, text: str) -> None:
        """Despawn every entity named ``text`` and give the others Health, from
        inside a query: both apply when the loop ends."""
        for entity, (name,) in self.world.query(Name, readonly=True):
            if name.text == text:
                self.world.despawn(entity)
                del self.model[entity]
                self.stale.append(entity)
            else:
                self.world.insert(entity, Health(0))
                self.model[entity][Health] = (0, 10)

    @rule()
    def rebuild_indexes(self) -> None:
        self.text_index.close()
        self.text_index = self.world.index(Name, "text")

    # -- invariants -------------------------------------------------------------------

    @invariant()
    def membership_matches(self) -> None:
        assert len(self.world) == len(self.model)
        listed = list(self.world.entities())
        assert len(listed) == len(set(listed))
        assert set(listed) == set(self.model)
        for entity in self.stale:
            assert entity not in self.world

    @invariant()
    def components_match(self) -> None:
        for entity, components in self.model.items():
            assert entity in self.world
            assert self.world.component_types(entity) == components.keys()
            for ctype, expected in components.items():
                assert row_of(ctype, self.world.get(entity, ctype, readonly=True)) == expected

    @invariant()
    def entities_with_matches(self) -> None:
        for ctype in TYPES:
            expected = {e for e, components in self.model.items() if ctype in components}
            having = self.world.entities_with[ctype]
            assert set(having) == expected
            assert len(having) == len(expected)
            for entity in self.stale:
                assert entity not in having

    @invariant()
    def field_indexes_match_a_scan(self) -> None:
        for index, ctype, domain in ((self.text_index, Name, TEXTS), (self.x_index, Position, XS)):
            position = component_info(ctype).fields.index(index.field)
            scan: dict[Any, set[int]] = {}
            for entity, components in self.model.items():
                if ctype in components:
                    scan.setdefault(components[ctype][position], set()).add(entity)
            assert set(index.values()) == set(scan)
            for value in domain:
                assert index[value] == scan.get(value, set())
                assert index.count(value) == len(scan.get(value, ()))


WorldMachine.TestCase.settings = settings(max_examples=300, stateful_step_count=50, deadline=None)
test_world_against_a_model = WorldMachine.TestCase
