"""Implicit actions in a turn, and the same turn played again from what the
journal records: the outcomes are the live ones, without deriving anything."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from fabula.actions import ActionRegistry
from fabula.actions.standard import (
    Actor,
    Container,
    Door,
    Exits,
    Location,
    Lockable,
    Named,
    Openable,
    Player,
    Portable,
    Room,
    Wearable,
)
from fabula.ecs import World
from fabula.persistence import state_digest
from fabula.simulation import Simulation


def cloakroom() -> tuple[Simulation, int, int, int]:
    w = World(1)
    room = w.spawn(Named("cloakroom"), Room())
    me = w.spawn(Named("you"), Player(), Actor(), Location(room))
    coat = w.spawn(Named("coat"), Portable(), Wearable(), Location(room))
    hat = w.spawn(Named("hat"), Wearable(), Location(room))  # nailed to its peg
    actions = ActionRegistry()
    actions.discover("fabula.actions.standard")
    return Simulation(w, actions), me, coat, hat


def test_a_live_turn_and_its_recorded_replay_agree() -> None:
    live, me, coat, hat = cloakroom()
    turn = [
        {"action": "wear", "actor": me, "params": {"item": hat}},
        {"action": "wear", "actor": me, "params": {"item": coat}},
    ]
    outcomes = live.play(turn, stop_at_refusal=False)
    assert [(o.ok, len(o.implicit)) for o in outcomes] == [(False, 1), (True, 1)]
    row = [p for o in outcomes for p in o.proposals]
    assert [(p.action, p.source) for p in row] == [
        ("take", "implicit"),
        ("wear", "player"),
        ("take", "implicit"),
        ("wear", "player"),
    ]
    again, *_ = cloakroom()
    replayed = again.play(row, recorded=True)
    assert [(o.refusal, [i.refusal for i in o.implicit]) for o in replayed] == [
        (o.refusal, [i.refusal for i in o.implicit]) for o in outcomes
    ]
    assert again.world.get(coat, Location, readonly=True) == Location(me, "worn")


def test_replay_does_not_derive_implicit_actions_the_row_lacks() -> None:
    sim, me, coat, _ = cloakroom()
    wear = {"action": "wear", "actor": me, "params": {"item": coat}}
    (outcome,) = sim.play([wear], recorded=True)
    assert outcome.refusal is not None
    assert outcome.refusal.code == "NOT_HELD"
    assert outcome.implicit == ()


# ------------------------------------------------------------ as a property


def house() -> tuple[Simulation, list[int], int]:
    """Two rooms, a closed door (sometimes locked by the moves), a bag, a
    coat, a fixed hat, a key: every implicit action the standard rules know."""
    w = World(7)
    hall = w.spawn(Named("hall"), Room())
    yard = w.spawn(Named("yard"), Room())
    door = w.spawn(Named("door"), Door((hall, yard)), Openable(), Lockable(locked=False))
    w.insert(hall, Exits({"north": door}))
    w.insert(yard, Exits({"south": door}))
    me = w.spawn(Named("you"), Player(), Actor(), Location(hall))
    key = w.spawn(Named("key"), Portable(), Location(hall))
    w.get(door, Lockable).key = key
    bag = w.spawn(Named("bag"), Portable(), Container(), Openable(open=True), Location(hall))
    coat = w.spawn(Named("coat"), Portable(), Wearable(), Location(bag))
    hat = w.spawn(Named("hat"), Wearable(), Location(hall))
    actions = ActionRegistry()
    actions.discover("fabula.actions.standard")
    return Simulation(w, actions), [door, key, bag, coat, hat], me


MOVES = st.one_of(
    st.tuples(
        st.sampled_from(["wear", "drop", "take", "take_off", "open", "close"]), st.integers(0, 4)
    ),
    st.tuples(st.just("put"), st.integers(0, 4)),
    st.tuples(st.sampled_from(["lock", "unlock"]), st.just(0)),
    st.tuples(st.just("go"), st.sampled_from([0, 1])),
)


def proposal(move: tuple[str, int], things: list[int], me: int) -> dict[str, object]:
    action, n = move
    door, key, bag = things[0], things[1], things[2]
    if action == "go":
        params: dict[str, object] = {"direction": ("north", "south")[n]}
    elif action == "put":
        params = {"item": things[n], "target": bag}
    elif action in ("lock", "unlock"):
        params = {"item": door, "key": key}
    else:
        params = {"item": things[n]}
    return {"action": action, "actor": me, "params": params}


@settings(max_examples=60, deadline=None)
@given(
    turns=st.lists(st.tuples(st.lists(MOVES, max_size=4), st.booleans()), max_size=8),
)
def test_the_journal_of_any_turns_replays_to_the_same_world_and_outcomes(
    turns: list[tuple[list[tuple[str, int]], bool]],
) -> None:
    live, things, me = house()
    rows, told = [], []
    for moves, stop in turns:
        outcomes = live.play([proposal(m, things, me) for m in moves], stop_at_refusal=stop)
        rows.append([p for o in outcomes for p in o.proposals])
        told.append([(o.refusal, [(i.proposal, i.refusal) for i in o.implicit]) for o in outcomes])
    again, *_ = house()
    for row, expected in zip(rows, told, strict=True):
        outcomes = again.play(row, recorded=True)
        assert [(o.refusal, [(i.proposal, i.refusal) for i in o.implicit]) for o in outcomes] == (
            expected
        )
    assert state_digest(again.world) == state_digest(live.world)
