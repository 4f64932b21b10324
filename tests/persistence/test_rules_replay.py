"""Rules, scenes, timers and variables replay: whatever a player types on a
game that uses them (before rules that refuse and count, after rules that
light a room, every-turn rules, a scene, endings on an expression, undo),
the journal replays to the live save's digest."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fabula.content import ContentGame
from fabula.persistence import verify
from fabula.session import Session

GAME = ContentGame.load(Path(__file__).parent.parent / "content" / "games" / "ruled")

COMMANDS = [
    "n", "s", "e", "w", "take cloak", "drop cloak", "put cloak on hook", "take cloak from hook",
    "wear cloak", "jump", "wait", "look", "smell", "x message", "x hook", "inventory", "undo",
    "full score", "take message",
]  # fmt: skip


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(COMMANDS), min_size=1, max_size=14))
def test_the_journal_replays_a_ruled_game_to_the_live_digest(commands: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "game.save"
        session = Session.start(GAME, path, new=True)
        try:
            for line in commands:
                session.turn(line)
                if session.ended is not None:
                    break
        finally:
            session.close()
        assert verify(path, GAME).ok
