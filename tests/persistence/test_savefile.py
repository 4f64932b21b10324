"""SaveFile: the journal, write-behind flushing, recovery, undo, save-as, and
what happens when a turn fails."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from fabula.actions import Action, ActionContext, Refusal, RuleContext, action
from fabula.errors import NotASaveError, PersistenceError, ReplayError, SaveContentError
from fabula.persistence import FlushPolicy, SaveFile, TurnRecord, state_digest
from fabula.persistence import journal as journal_rows
from tests.persistence.keep_game import GAME, PLAYER, Bag, KeepGame, Pos, script

TURNS = script(60)


def reference(turns: int, seed: int = 3) -> list[str]:
    """Digest after each turn of an uninterrupted run without any save."""
    world = GAME.new_world(seed)
    simulation = GAME.simulation(world)
    digests = [state_digest(world)]
    for _, actions in TURNS[:turns]:
        simulation.play(actions)
        digests.append(state_digest(world))
    return digests


REF = reference(60)


def snapshot_turn(save: SaveFile) -> int:
    return save._db().execute("SELECT turn FROM state").fetchone()[0]


def crash(save: SaveFile) -> None:
    """Drop the save as a killed process would: no flush, no close."""
    save._db().close()
    save._conn = None


def play(save: SaveFile, start: int, stop: int) -> None:
    for text, actions in TURNS[start:stop]:
        save.play(text, actions)


def test_the_reference_run_changes_state_every_few_turns() -> None:
    assert len(set(REF)) > 40  # a digest comparison below can tell turns apart


def test_a_new_game_starts_at_turn_zero_with_the_games_world(tmp_path: Path) -> None:
    with SaveFile.new(tmp_path / "a.save", GAME, seed=3) as save:
        assert save.turn == 0
        assert save.recovered == 0
        assert state_digest(save.world) == REF[0]


def test_turns_survive_close_and_open(tmp_path: Path) -> None:
    with SaveFile.new(tmp_path / "a.save", GAME, seed=3) as save:
        play(save, 0, 25)
    with SaveFile.open(tmp_path / "a.save", GAME) as save:
        assert save.turn == 25
        assert save.recovered == 0
        assert state_digest(save.world) == REF[25]
        play(save, 25, 30)
        assert state_digest(save.world) == REF[30]


def test_each_turn_is_journalled_before_play_returns(tmp_path: Path) -> None:
    with SaveFile.new(tmp_path / "a.save", GAME, seed=3) as save:
        play(save, 0, 3)
        rows = list(journal_rows.read(save._db()))
        assert [r.turn for r in rows] == [1, 2, 3]
        assert [r.input for r in rows] == [text for text, _ in TURNS[:3]]
        assert rows[2].actions[0].action == TURNS[2][1][0]["action"]
        assert [r.tick for r in rows] == [0, 1, 2]
        assert len({r.rng for r in rows}) == 3
        assert all(r.finished_at >= r.started_at > 0 for r in rows)
        assert rows[0].models == {}
        save.play(*TURNS[3], models={"parser": "smollm2-135m", "parser_prompt": "parse@1"})
        (last,) = journal_rows.read(save._db(), after=3)
        assert last.models == {"parser": "smollm2-135m", "parser_prompt": "parse@1"}


def test_model_accounting_is_added_to_the_last_row_after_the_turn(tmp_path: Path) -> None:
    with SaveFile.new(tmp_path / "a.save", GAME, seed=3) as save:
        save.annotate({"narrator": "ignored before any turn"})
        play(save, 0, 2)
        save.play(*TURNS[2], models={"parser": "p"})
        save.annotate({"narrator": "bard", "narrator_tokens": "120+40"})
        rows = list(journal_rows.read(save._db()))
        assert [r.models for r in rows] == [
            {},
            {},
            {"parser": "p", "narrator": "bard", "narrator_tokens": "120+40"},
        ]
        digest = state_digest(save.world)
    with SaveFile.open(tmp_path / "a.save", GAME) as save:  # explanation, not state
        assert save.turn == 3
        assert state_digest(save.world) == digest


def test_write_behind_flushes_every_n_turns(tmp_path: Path) -> None:
    policy = FlushPolicy(every_turns=4, every_seconds=3600)
    with SaveFile.new(tmp_path / "a.save", GAME, seed=3, policy=policy) as save:
        seen = []
        for i in range(10):
            play(save, i, i + 1)
            seen.append(snapshot_turn(save))
        assert seen == [0, 0, 0, 4, 4, 4, 4, 8, 8, 8]


def test_write_behind_flushes_after_t_seconds(tmp_path: Path) -> None:
    now = [100.0]  # a clock the test moves, so the machine's speed does not matter
    policy = FlushPolicy(every_turns=1000, every_seconds=0.05, clock=lambda: now[0])
    with SaveFile.new(tmp_path / "a.save", GAME, seed=3, policy=policy) as save:
        play(save, 0, 2)
        assert snapshot_turn(save) == 0
        now[0] += 0.06
        assert save.maybe_flush()
        assert snapshot_turn(save) == 2
        assert not save.maybe_flush()  # nothing new to write
        now[0] += 0.06
        play(save, 2, 3)  # the time has come again: flushed at the end of the turn
        assert snapshot_turn(save) == 3


def test_a_crash_loses_no_journalled_turn(tmp_path: Path) -> None:
    policy = FlushPolicy(every_turns=10, every_seconds=3600)
    save = SaveFile.new(tmp_path / "a.save", GAME, seed=3, policy=policy)
    play(save, 0, 27)
    crash(save)
    with SaveFile.open(tmp_path / "a.save", GAME, policy=policy) as save:
        assert save.turn == 27
        assert save.recovered == 7  # the snapshot had turn 20
        assert state_digest(save.world) == REF[27]
        assert snapshot_turn(save) == 27  # recovery flushed at once


def test_undo_goes_back_one_turn_at_a_time(tmp_path: Path) -> None:
    policy = FlushPolicy(every_turns=5, every_seconds=3600)
    with SaveFile.new(tmp_path / "a.save", GAME, seed=3, policy=policy) as save:
        play(save, 0, 12)
        for expected in (11, 10, 9, 8):  # from the snapshot (10) and from the start
            assert save.undo() == expected
            assert state_digest(save.world) == REF[expected]
        assert [r.turn for r in journal_rows.read(save._db())] == list(range(1, 9))
        play(save, 8, 14)
        assert state_digest(save.world) == REF[14]
    with SaveFile.open(tmp_path / "a.save", GAME) as save:
        assert save.turn == 14
        assert state_digest(save.world) == REF[14]


def test_undo_then_a_different_turn_forks_the_story(tmp_path: Path) -> None:
    with SaveFile.new(tmp_path / "a.save", GAME, seed=3) as save:
        play(save, 0, 5)
        save.undo()
        other = "forage" if TURNS[4][0] != "forage" else "rest"
        save.play(other, [{"action": other, "actor": PLAYER}])
        forked = state_digest(save.world)
        assert forked != REF[5]
    with SaveFile.open(tmp_path / "a.save", GAME) as save:
        assert save.turn == 5
        assert state_digest(save.world) == forked


def test_undo_at_the_start_says_there_is_nothing_to_undo(tmp_path: Path) -> None:
    with (
        SaveFile.new(tmp_path / "a.save", GAME, seed=3) as save,
        pytest.raises(PersistenceError, match="nothing to undo"),
    ):
        save.undo()


def test_undo_past_the_snapshot_needs_the_original_game(tmp_path: Path) -> None:
    class Changed(KeepGame):
        def new_world(self, seed: int) -> Any:
            world = super().new_world(seed)
            world.get(PLAYER, Bag).items.append("a new starting item")
            return world

    with SaveFile.new(tmp_path / "a.save", GAME, seed=3) as save:
        play(save, 0, 3)
        save.flush()
    with SaveFile.open(tmp_path / "a.save", Changed()) as save:
        with pytest.raises(ReplayError, match="different starting world"):
            save.undo()
        assert save.turn == 3
        assert state_digest(save.world) == REF[3]


def test_save_as_writes_a_complete_copy(tmp_path: Path) -> None:
    policy = FlushPolicy(every_turns=100, every_seconds=3600)
    with SaveFile.new(tmp_path / "a.save", GAME, seed=3, policy=policy) as save:
        play(save, 0, 9)
        assert save.save_as(tmp_path / "b.save") == tmp_path / "b.save"
        play(save, 9, 11)
        with pytest.raises(PersistenceError, match="is the save in use"):
            save.save_as(tmp_path / "a.save")
    with SaveFile.open(tmp_path / "b.save", GAME) as copy:
        assert copy.turn == 9
        assert copy.recovered == 0
        assert state_digest(copy.world) == REF[9]


@action("collapse", description="Breaks halfway: a bug in a game's executor.")
class Collapse(Action):
    def validate(self, ctx: RuleContext, params: BaseModel) -> Refusal | None:
        return None

    def execute(self, ctx: ActionContext, params: BaseModel) -> None:
        ctx.world.get(ctx.actor, Pos).x += 5
        ctx.world.get(ctx.actor, Bag).items.clear()
        raise RuntimeError("executor bug")


class Fragile(KeepGame):
    def __init__(self) -> None:
        super().__init__()
        self.actions.register(Collapse)


def test_a_turn_that_raises_leaves_the_world_at_the_previous_turn(tmp_path: Path) -> None:
    game = Fragile()
    with SaveFile.new(tmp_path / "a.save", game, seed=3) as save:
        play(save, 0, 6)
        with pytest.raises(RuntimeError, match="executor bug"):
            save.play("collapse", [{"action": "collapse", "actor": PLAYER}])
        assert save.turn == 6
        assert state_digest(save.world) == REF[6]
        assert journal_rows.last_turn(save._db()) == 6
        play(save, 6, 8)
        assert state_digest(save.world) == REF[8]


def test_a_malformed_proposal_ends_the_turn_and_replays_the_same(tmp_path: Path) -> None:
    save = SaveFile.new(tmp_path / "a.save", GAME, seed=3)
    outcomes = save.play(
        "forage and ???",
        [{"action": "forage", "actor": PLAYER}, {"nonsense": True}, {"action": "rest", "actor": 0}],
    )
    assert [o.ok for o in outcomes] == [True, False]
    assert outcomes[1].refusal is not None
    assert outcomes[1].refusal.code == "MALFORMED"
    digest = state_digest(save.world)
    (row,) = journal_rows.read(save._db())
    assert [a.action for a in row.actions] == ["forage"]
    crash(save)
    with SaveFile.open(tmp_path / "a.save", GAME) as save:
        assert save.recovered == 1
        assert state_digest(save.world) == digest


class Careless(KeepGame):
    """Uses randomness outside world.rng: replay must notice."""

    def __init__(self) -> None:
        super().__init__()
        self.draws = iter([0.9, 0.1, 0.1] * 100)

    def simulation(self, world: Any) -> Any:
        simulation = super().simulation(world)
        original = simulation.play

        def play(actions: Any, **options: Any) -> Any:
            if next(self.draws) > 0.5:  # stands in for random.random()
                world.rng.random()
            return original(actions, **options)

        simulation.play = play  # type: ignore[method-assign]
        return simulation


def test_replay_detects_a_game_that_is_not_deterministic(tmp_path: Path) -> None:
    game = Careless()
    save = SaveFile.new(tmp_path / "a.save", game, seed=3)
    play(save, 0, 4)
    crash(save)
    with pytest.raises(ReplayError, match=r"replaying turn 2 .*random generator.*world\.rng"):
        SaveFile.open(tmp_path / "a.save", game)


def test_a_component_that_cannot_be_encoded_is_named(tmp_path: Path) -> None:
    save = SaveFile.new(tmp_path / "a.save", GAME, seed=3)
    save.world.get(PLAYER, Bag).items.append(object())  # type: ignore[arg-type]
    with pytest.raises(SaveContentError, match=r"component 'bag' cannot be saved"):
        save.flush()
    save.world.get(PLAYER, Bag).items.pop()
    save.close()  # the next flush rewrites everything, and succeeds
    with SaveFile.open(tmp_path / "a.save", GAME) as save:
        assert state_digest(save.world) == REF[0]


def test_sigterm_between_turns_closes_the_save_and_exits(tmp_path: Path) -> None:
    save = SaveFile.new(tmp_path / "a.save", GAME, seed=3, policy=FlushPolicy(every_turns=50))
    play(save, 0, 5)

    def interrupted() -> None:
        with save.flush_on_signals():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(1)  # the handler runs before this returns

    with pytest.raises(SystemExit) as info:
        interrupted()
    assert info.value.code == 128 + signal.SIGTERM
    assert save.closed
    with SaveFile.open(tmp_path / "a.save", GAME) as again:
        assert again.turn == 5
        assert again.recovered == 0


def test_a_signal_during_a_turn_waits_for_the_turn_to_end(tmp_path: Path) -> None:
    save = SaveFile.new(tmp_path / "a.save", GAME, seed=3, policy=FlushPolicy(every_turns=50))
    original = save.simulation.play

    def play_and_get_interrupted(actions: Any, **options: Any) -> Any:
        os.kill(os.getpid(), signal.SIGINT)
        return original(actions, **options)

    save.simulation.play = play_and_get_interrupted  # type: ignore[method-assign]
    with pytest.raises(KeyboardInterrupt), save.flush_on_signals():
        save.play(*TURNS[0])
    assert save.closed
    with SaveFile.open(tmp_path / "a.save", GAME) as again:
        assert again.turn == 1
        assert again.recovered == 0
        assert state_digest(again.world) == REF[1]


def test_journal_rows_validate_on_the_way_in() -> None:
    with pytest.raises(ValueError, match="greater than or equal to 1"):
        TurnRecord(turn=0)


def test_a_failed_automatic_flush_does_not_fail_the_turn(tmp_path: Path) -> None:
    save = SaveFile.new(tmp_path / "a.save", GAME, seed=3, policy=FlushPolicy(every_turns=1))
    save.world.get(PLAYER, Bag).items.append(object())  # type: ignore[arg-type]
    outcomes = save.play(*TURNS[0])
    assert outcomes
    assert save.turn == 1
    assert isinstance(save.flush_error, SaveContentError)
    assert journal_rows.last_turn(save._db()) == 1
    save.world.get(PLAYER, Bag).items.remove(
        next(i for i in save.world.get(PLAYER, Bag).items if not isinstance(i, str))
    )
    save.play(*TURNS[1])
    assert save.flush_error is None
    assert snapshot_turn(save) == 2
    save.close()


def test_restore_from_a_copy_replaces_the_game_in_place(tmp_path: Path) -> None:
    save = SaveFile.new(tmp_path / "a.save", GAME, seed=3)
    play(save, 0, 4)
    save.save_as(tmp_path / "slot.save")
    play(save, 4, 9)
    restored = save.restore_from(tmp_path / "slot.save")
    assert save.closed
    assert restored.path == tmp_path / "a.save"
    assert restored.turn == 4
    assert state_digest(restored.world) == REF[4]
    (tmp_path / "junk.save").write_text("junk")
    with pytest.raises(NotASaveError):
        restored.restore_from(tmp_path / "junk.save")
    assert restored.turn == 4  # a bad source changes nothing
    restored.close()
