"""Nouns a room's text mentions that the player cannot examine.

A player reads "Waves break over the harbour wall" and types ``x waves``;
if nothing in the room answers to "waves", the game breaks its own spell
("You can't see any such thing."). :func:`unexaminable_mentions` finds such
nouns for ``fabula validate``, which shows them as warnings (they never fail
validation: the heuristic can be wrong, and some nouns are meant as mood).

The heuristic, kept narrow so that what it says is nearly always worth
fixing:

* only **definite noun phrases** are read: ``the`` (any case) and the words
  after it, up to three, stopping at punctuation, at a direction ("the
  boathouse *west*") or at a small word that cannot be part of a noun
  phrase (a preposition, conjunction, pronoun or common verb: "the
  lighthouse *stands*", "the smell *of*"); a possessive ends a word ("the
  day's catch" reads "day catch");
* a phrase is **examinable** when any of its words (or that word's
  singular) is a word of the name or an alias of something in the room at
  the start: its items and people (and what they hold), the doors of its
  exits, its scenery;
* phrases made only of words that name no thing ("the way", "the middle",
  "the dark") are skipped, and so are phrases whose last word is a word of
  the name of the room or of a room its exits lead to ("The study is
  south"): a player looks at a room with ``look``, and goes to see the
  next one.

Every room's ``description`` and its ``descriptions`` variants are read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from fabula.content.loader import GameFiles
from fabula.content.schema import ExitSpec, ScenerySpec

__all__ = ["Mention", "unexaminable_mentions"]


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


_STOP = _wordset(
    """
    a an the and or nor but so yet if as than then that which who whom whose where when
    of to in on at by for from with into onto upon over under below above beyond against
    across along around about through towards toward past behind beside between among off
    out up down away back again here there it its is are was were be been being has have
    had do does did lies lie lay stands stand stood sits sit sat hangs hang runs run leads
    lead climbs climb waits wait gives give tries try drips drip breaks break rattles rattle
    faces face drops drop opens open roars roar curves curve hunches hunch burns burn
    while keeps keep not no every each all some any one you your
    """
)
"""Words that end a noun phrase: function words and the verbs room texts use."""

_DIRECTIONS = _wordset(
    """
    north south east west northeast northwest southeast southwest north-east north-west
    south-east south-west up down in out inside outside left right
    """
)

_NOT_THINGS = _wordset(
    """
    way rest middle dark darkness moment time day night distance end side top bottom
    front corner centre center smell sound silence
    """
)
"""Words that name no examinable thing in most games ("the middle", "the dark")."""

_TOKEN = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*|[^\sA-Za-z]")


@dataclass(frozen=True, slots=True)
class Mention:
    """A noun phrase of a room's text that nothing in the room answers to.

    Attributes:
        file: the world file that defines the room.
        field: the text's field path (``rooms.harbour.description``).
        phrase: the phrase as written ("the moored boats").
    """

    file: str
    field: str
    phrase: str

    @property
    def message(self) -> str:
        room = self.field.split(".")[1]
        return (
            f"{self.phrase!r} cannot be examined: nothing here answers to it; "
            f"add it to rooms.{room}.scenery, or an alias of a thing in the room"
        )


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("es") and word[:-2].endswith(("s", "x", "z", "ch", "sh")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 2:
        return word[:-1]
    return word


def _words(names: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for name in names:
        for word in name.lower().split():
            found |= {word, _singular(word)}
    return found


def definite_phrases(text: str) -> Iterator[tuple[str, list[str]]]:
    """``(phrase as written, its noun words)`` for each "the ..." in ``text``."""
    tokens = _TOKEN.findall(text)
    for i, token in enumerate(tokens):
        if token.lower() != "the":
            continue
        words: list[str] = []
        for word in tokens[i + 1 : i + 4]:
            if not word[:1].isalpha() or word.lower() in _STOP or word.lower() in _DIRECTIONS:
                break
            words.append(re.sub(r"['\u2019]s$", "", word.lower()))  # "day's" -> "day"
        if words:
            yield " ".join(tokens[i : i + 1 + len(words)]), words


def _room_vocabulary(files: GameFiles, room: str) -> set[str]:
    """Words of every name and alias in ``room`` at the start."""
    here = {room}
    names: list[str] = []
    changed = True
    while changed:  # things in the room, then what they hold, to any depth
        changed = False
        for ident, item in files.items.items():
            holder = item.location.partition(":")[2] or item.location
            if holder in here and ident not in here:
                here.add(ident)
                names += [item.name, *item.aliases]
                changed = True
        for ident, npc in files.npcs.items():
            if npc.location in here and ident not in here:
                here.add(ident)
                names += [npc.name, *npc.aliases]
                changed = True
    spec = files.rooms[room]
    for exit_ in spec.exits.values():
        if isinstance(exit_, ExitSpec) and exit_.door in files.doors:
            door = files.doors[exit_.door]
            names += [door.name, *door.aliases]
    for name, entry in spec.scenery.items():
        names += [name, *(entry.aliases if isinstance(entry, ScenerySpec) else [])]
    return _words(names)


def unexaminable_mentions(files: GameFiles) -> list[Mention]:
    """The definite noun phrases of every room's text that nothing in the
    room answers to (see the module docstring for the heuristic)."""
    found: list[Mention] = []
    for room in sorted(files.rooms):
        spec = files.rooms[room]
        vocabulary = _room_vocabulary(files, room)
        rooms = _words(
            [spec.name]
            + [
                files.rooms[to].name
                for exit_ in spec.exits.values()
                if (to := exit_.to if isinstance(exit_, ExitSpec) else exit_) in files.rooms
            ]
        )
        texts = [("description", spec.description)]
        texts += [(f"descriptions.{state}", text) for state, text in spec.descriptions.items()]
        for field, text in texts:
            seen: set[str] = set()
            for phrase, words in definite_phrases(text):
                if all(w in _NOT_THINGS for w in words):
                    continue
                if words[-1] in rooms or _singular(words[-1]) in rooms:
                    continue  # "the cramped study": the head noun names a room
                if any(w in vocabulary or _singular(w) in vocabulary for w in words):
                    continue
                if phrase.lower() not in seen:
                    seen.add(phrase.lower())
                    where = f"rooms.{room}.{field}"
                    found.append(Mention(files.origin.get(room, "?"), where, phrase))
    return found
