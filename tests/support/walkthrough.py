"""The demo's winning walkthrough, as the tests play it: read from the file
the game ships (``fabula/games/gulls_end/walkthrough.txt``), never copied.

``WALKTHROUGH`` is the commands joined by ``"; "`` (the way a player could
type them on one line, and the way :func:`commands` splits them again).

>>> commands(WALKTHROUGH) == walkthrough()
True
>>> commands("w; take lantern;\\n e")
['w', 'take lantern', 'e']
"""

from __future__ import annotations

from fabula.games import walkthrough

__all__ = ["WALKTHROUGH", "commands"]

WALKTHROUGH = "; ".join(walkthrough())
"""The demo's walkthrough on one line, commands separated by ``"; "``."""


def commands(text: str) -> list[str]:
    """The commands in ``text``, separated by ``;`` (a line break is a space)."""
    return [c.strip() for c in text.replace("\n", " ").split(";") if c.strip()]
