"""Implicit actions and multi-object turns in the journal: the row holds what
was tried (implicit actions with ``source="implicit"``), and replay, undo and
recovery reproduce the save from it."""

from __future__ import annotations

from pathlib import Path

from fabula.content import ContentGame
from fabula.games import GAMES
from fabula.persistence import SaveFile, verify
from fabula.session import Session

GAME = ContentGame.load(GAMES / "gulls_end")


def test_implicit_actions_are_journalled_and_replay_reproduces_the_save(tmp_path: Path) -> None:
    path = tmp_path / "game.save"
    session = Session.start(GAME, path, new=True)
    try:
        for line in ("w", "take lantern", "take tinderbox", "drop tinderbox"):
            session.turn(line)
        reply = session.turn("light lantern with tinderbox")
        assert "(first taking the tinderbox)" in reply.text
        record = session.save.records(session.save.turn - 1)[-1]
        assert [(p.action, p.source) for p in record.actions] == [
            ("take", "implicit"),
            ("switch_on", "player"),
        ]
        session.save.flush(digest=True)
    finally:
        session.close()
    assert verify(path, GAME).ok


def test_a_turn_that_goes_on_after_a_refusal_replays_the_same(tmp_path: Path) -> None:
    path = tmp_path / "game.save"
    with SaveFile.new(path, GAME, seed=GAME.files.game.seed) as save:
        player = GAME.player(save.world.view())
        save.play("w", [{"action": "go", "actor": player, "params": {"direction": "west"}}])
        ids = GAME.ids(save.world.view())
        lantern, workbench = ids["lantern"], ids["workbench"]
        takes = [
            {"action": "take", "actor": player, "params": {"item": e}} for e in (workbench, lantern)
        ]
        outcomes = save.play("take bench, lantern", takes, stop_at_refusal=False)
        assert [o.ok for o in outcomes] == [False, True]
        save.flush(digest=True)
    assert verify(path, GAME).ok
    with SaveFile.open(path, GAME) as save:
        assert save.undo() == 1
        save.flush(digest=True)
    assert verify(path, GAME).ok
