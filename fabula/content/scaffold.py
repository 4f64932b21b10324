"""``fabula new NAME``: a small, playable game to start from.

The scaffold is a complete game (two rooms, a door, a key, a prize, a win,
a hint, a rule) so an author can play it at once, then change it file by file.
"""

from __future__ import annotations

import re
from pathlib import Path

from fabula.errors import ScaffoldError

__all__ = ["scaffold"]

_GAME = '''[game]
id = "{id}"
title = "{title}"
author = ""
start = "study"
intro = """
Write your game's opening here. It is shown once, when a new game begins."""

[player]
health = 10
max_score = 5

[win]
holding = ["medal"]
in_room = "garden"
message = "You step into the garden with the medal. You have won"

[lose]
dead = true

# Variables: saved with the game, read by every condition by name, changed by
# rules (docs/authoring.md). `shown = true` lets the narrator model see one.
[variables]
pricks = 0
'''

_WORLD = '''# Rooms, doors, items and people. Ids (the part after "rooms.", "items."...)
# are how the files refer to each other; names are what the player types.

[rooms.study]
name = "study"
description = """
A small study lined with books. A door leads north into the garden."""
exits = {{ north = {{ to = "garden", door = "garden-door" }} }}

# Scenery: the nouns of a room's text, examinable but never listed or taken.
[rooms.study.scenery]
books = {{ plural = true, aliases = ["book", "shelves"], description = "Dull ones." }}

[rooms.garden]
name = "garden"
description = "Roses, and a sundial. The study is south."
exits = {{ south = {{ to = "study", door = "garden-door" }} }}

[rooms.garden.scenery]
roses = {{ plural = true, aliases = ["rose"], description = "Red, and thorny." }}
sundial = "It says it is later than you think."

[doors.garden-door]
name = "garden door"
aliases = ["door"]
description = "A green door."
# Texts by state: the first that holds wins (see docs/world-text.md).
descriptions.locked = "A green door, locked."
descriptions.open = "A green door, standing open."
between = ["study", "garden"]
locked = true
key = "key"

[items.desk]
name = "desk"
description = "An old writing desk with one drawer."
location = "study"
supporter = true

[items.drawer]
name = "drawer"
location = "study"
container = true
openable = true

[items.key]
name = "small key"
aliases = ["key"]
location = "in:drawer"
portable = true

[items.medal]
name = "silver medal"
aliases = ["medal"]
# Shown until the medal is first taken; then it is listed plainly.
initial = "A silver medal lies on the desk."
location = "on:desk"
portable = true
points = 5
'''

_HINTS = """# Hint topics for HINT: each offered while `when` holds (if given) and
# until `until` holds; each HINT shows one more of its hints.

[[hints]]
topic = "How do I get into the garden?"
until = { in_room = "garden" }
hints = [
    "The garden door is locked. Keys are often kept in drawers.",
    "OPEN DRAWER, TAKE KEY, then UNLOCK DOOR WITH KEY.",
]
"""


_RULES = """# Rules as data, in the spirit of Inform's rulebooks (docs/authoring.md):
# `when` is before, instead, after or every_turn; `if` is a condition
# ("holding('key') and turn > 3"); `effects` set variables, move things,
# change components, award points or end the game.

[[rule]]
id = "thorns"
when = "instead"
action = "touch"
if = "noun == 'garden.scenery.roses'"    # a room's scenery: <room>.scenery.<name>
say = "You prick your finger on a thorn{% if pricks > 1 %}, again{% endif %}."
effects = [{ set = "pricks", to = "pricks + 1" }]
"""


def scaffold(target: Path, title: str | None = None) -> Path:
    """Write a new game into ``target`` (which must not exist yet).

    Raises:
        ScaffoldError: ``target`` exists (nothing is overwritten), or it
            cannot be written (the message names the folder and the reason).
    """
    if target.exists() or target.is_symlink():
        raise ScaffoldError(target, "already exists; choose a new folder name.")
    try:
        _write(target, title)
    except OSError as exc:
        raise ScaffoldError(
            target,
            f"cannot be written ({exc.strerror or exc}); choose a folder you can write to.",
        ) from exc
    return target


def _write(target: Path, title: str | None) -> None:
    ident = re.sub(r"[^a-z0-9_-]+", "-", target.name.lower()).strip("-") or "my-game"
    name = title or target.name.replace("-", " ").replace("_", " ").title()
    (target / "world").mkdir(parents=True)
    for folder in ("actions", "components", "templates", "lore"):
        (target / folder).mkdir()
    manifest = _GAME.format(id=ident, title=name.replace('"', "'"))
    (target / "game.toml").write_text(manifest, encoding="utf-8")
    (target / "world" / "world.toml").write_text(_WORLD.format(), encoding="utf-8")
    (target / "hints.toml").write_text(_HINTS, encoding="utf-8")
    (target / "rules.toml").write_text(_RULES, encoding="utf-8")
