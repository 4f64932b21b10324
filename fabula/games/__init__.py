"""Games that ship with fabula. ``DEMO`` is what ``fabula play`` opens.

Each bundled game's folder also holds ``walkthrough.txt``, the commands that
win it, which :func:`walkthrough` reads (the walkthrough test plays it)."""

from pathlib import Path

from fabula.content import ContentGame

__all__ = ["CLOAK", "DEMO", "GAMES", "cloak", "demo", "walkthrough"]

GAMES = Path(__file__).parent
"""The folder holding the bundled games, one folder each."""

DEMO = GAMES / "gulls_end"
"""The demo adventure, *The Light at Gull's End*."""


CLOAK = GAMES / "cloak"
"""Roger Firth's *Cloak of Darkness*, written as data only (no Python)."""


def demo() -> ContentGame:
    """The demo game, loaded (the ``fabula.games`` entry point ``gulls-end``)."""
    return ContentGame.load(DEMO)


def cloak() -> ContentGame:
    """*Cloak of Darkness*, loaded (the ``fabula.games`` entry point ``cloak``)."""
    return ContentGame.load(CLOAK)


def walkthrough(folder: Path = DEMO) -> list[str]:
    """The commands that win the game in ``folder``, in order, from its
    ``walkthrough.txt`` (one command a line; blank lines and lines starting
    with ``#`` are skipped).

    >>> walkthrough()[:3]
    ['w', 'take lantern', 'take tinderbox and gaff']

    Raises:
        FileNotFoundError: the folder has no ``walkthrough.txt``.
    """
    lines = (folder / "walkthrough.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
