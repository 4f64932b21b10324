"""Games that ship with fabula. ``DEMO`` is what ``fabula play`` opens."""

from pathlib import Path

from fabula.content import ContentGame

__all__ = ["DEMO", "GAMES", "demo"]

GAMES = Path(__file__).parent
"""The folder holding the bundled games, one folder each."""

DEMO = GAMES / "gulls_end"
"""The demo adventure, *The Light at Gull's End*."""


def demo() -> ContentGame:
    """The demo game, loaded (the ``fabula.games`` entry point ``gulls-end``)."""
    return ContentGame.load(DEMO)
