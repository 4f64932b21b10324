"""Talking to people, as an Inform player expects to: orders, the implied
listener, and topics that match what the player names.

* **Orders** ("tamsin, give me the key"): the words after the comma are
  parsed as a command in the player's scope ("me" is the player), and each
  action is proposed for the person addressed, with ``source="order"``.
  :class:`~fabula.actions.Rules` decides it like any action; by default a
  person refuses orders ("Tamsin has better things to do.", Inform's
  persuasion rule), and a game may let some be obeyed.
* **The implied listener**: "ask about the crab" / "tell about the ship"
  with one person in view asks that person.
* **Topics**: a topic the listener has no reply for by its own words is
  matched through what it names: a thing in the world ("ask tamsin about
  flask" finds the flask of lamp oil, known also as "oil") or a lore
  subject ("morwenna" is the subject of the lore file "The Morwenna",
  tagged "ship"). The topic becomes the listener's own key, so the journal
  records what was asked and replay needs no lore.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

from fabula.actions.standard import Actor, Health, Named, Topics
from fabula.ecs import WorldView
from fabula.errors import FabulaError
from fabula.memory import read_lore
from fabula.parsing.lexicon import Lexicon
from fabula.parsing.nouns import NounError, resolve
from fabula.parsing.scope import scope_of

__all__ = ["Subject", "addressee", "lore_subjects", "people_in_view", "topic_key"]

Subject = tuple[tuple[str, ...], tuple[str, ...]]
"""A lore subject: the words of its title, and its tags."""


def lore_subjects(folder: Path | None) -> tuple[Subject, ...]:
    """The subjects of a game's lore files (title words and tags), in file
    order; a file that cannot be read is left out (``fabula validate`` names
    it)."""
    if folder is None:
        return ()
    subjects: list[Subject] = []
    for path in sorted(p for p in folder.rglob("*") if p.suffix in {".md", ".txt"}):
        try:
            lore = read_lore(path, folder)
        except (FabulaError, OSError, ValueError):
            continue
        title = tuple(w for w in lore.title.lower().replace("'", " ").split() if w != "the")
        subjects.append((title, tuple(t.lower() for t in lore.meta.tags)))
    return tuple(subjects)


def addressee(
    world: WorldView,
    actor: int,
    words: list[str],
    pronouns: Mapping[str, tuple[int, ...]],
    lexicon: Lexicon,
) -> int | NounError | None:
    """The person ``words`` address ("tamsin" in "tamsin, wait"): the noun
    problem if they name nothing in view, ``None`` if what they name is not
    someone else who could act."""
    found = resolve(world, words, scope_of(world, actor), referents=pronouns, lexicon=lexicon)
    if isinstance(found, NounError):
        return found
    person = found.entities[0] if len(found.entities) == 1 else actor
    return None if person == actor or not world.has(person, Actor) else person


def people_in_view(world: WorldView, actor: int, scope: Collection[int]) -> list[int]:
    """The living people (other than ``actor``) the actor can see."""
    people = []
    for entity in sorted(world.entities_with[Actor]):
        if entity == actor or entity not in scope:
            continue
        health = world.try_get(entity, Health, readonly=True)
        if health is None or health.hp > 0:
            people.append(entity)
    return people


def topic_key(
    world: WorldView,
    listener: int,
    topic: str,
    lexicon: Lexicon,
    subjects: Sequence[Subject] = (),
) -> str:
    """``topic`` as the listener's own topic key, when the player's words
    name something the listener has a reply about (see the module
    docstring); else ``topic`` unchanged."""
    topics = world.try_get(listener, Topics, readonly=True)
    if topics is None or not topics.replies:
        return topic
    keys = {key.lower(): key for key in topics.replies}
    words = [w for w in topic.lower().replace("'s", "").split() if w not in {"the", "a", "an"}]
    if not words or " ".join(words) in keys or any(w in keys for w in words):
        return topic  # the listener's own words already match
    for word in _related(world, words, lexicon, subjects):
        if word in keys:
            return keys[word]
    return topic


def _related(
    world: WorldView, words: list[str], lexicon: Lexicon, subjects: Sequence[Subject]
) -> list[str]:
    """Words for what ``words`` name: the names and aliases of the things
    they name, then the tags of the lore subjects they name (by title first)."""
    related: list[str] = []
    for entity in sorted(lexicon.naming(words)):
        if all(w in lexicon.vocabulary(entity)[0] for w in words):
            named = world.get(entity, Named, readonly=True)
            for name in (*named.aliases, named.name):
                related.extend(name.lower().split())
    by_title = [s for s in subjects if all(w in s[0] for w in words)]
    by_tag = [s for s in subjects if s not in by_title and all(w in s[1] for w in words)]
    for title, tags in (*by_title, *by_tag):
        related.extend(tags)
        related.extend(title)
    return related
