"""Games that ship with fabula. ``DEMO`` is what ``fabula play`` opens."""

from pathlib import Path

__all__ = ["DEMO", "GAMES"]

GAMES = Path(__file__).parent
"""The folder holding the bundled games, one folder each."""

DEMO = GAMES / "gulls_end"
"""The demo adventure, *The Light at Gull's End*."""
