"""Tab completion offers command words and visible things, never hidden ones."""

from __future__ import annotations

from pathlib import Path

from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document

from fabula.cli.completion import GameCompleter
from fabula.content import ContentGame
from fabula.games import DEMO
from fabula.session import Session


def complete(completer: GameCompleter, text: str) -> list[str]:
    return [c.text for c in completer.get_completions(Document(text), CompleteEvent())]


def test_completion_offers_verbs_then_things_in_view(tmp_path: Path) -> None:
    session = Session.start(ContentGame.load(DEMO), tmp_path / "d.save", new=True)
    completer = GameCompleter(session)
    assert "take" in complete(completer, "ta")
    assert "north" in complete(completer, "no")
    assert complete(completer, "take la") == []  # no lantern on the harbour wall
    session.turn("w")
    assert complete(completer, "take la") == ["lantern"]
    assert "crab" not in complete(completer, "attack c")  # the crab is far away
    session.close()
