"""Cutting authored text into passages small enough to embed well.

A passage should say one thing, and fit the embedding model's window
(all-MiniLM-L6-v2 reads 256 word pieces, about 180 English words). The
chunker therefore follows the text's own structure:

* a heading (``#`` to ``######``) always starts a new chunk, and the chunk
  remembers it as its ``section``;
* paragraphs are packed together while the chunk stays under ``max_words``;
  a chunk that has reached ``min_words`` takes no more, unless the rest of
  its section fits in it too (so a section ends without a stub);
* a paragraph too long for the room left is cut between sentences, and a
  sentence longer than a whole chunk between words (the only cut inside a
  sentence, and a rare one in prose).

Invariants (tested with hypothesis): the chunks' words, in order, are exactly
the text's words; no chunk is empty; none has more than ``max_words`` words.
Lines inside a paragraph are joined with spaces; paragraphs are separated by
a blank line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fabula.errors import ArgumentError

__all__ = ["MAX_WORDS", "MIN_WORDS", "Chunk", "chunk_text"]

MIN_WORDS = 120
"""A chunk this long takes no further paragraph."""

MAX_WORDS = 200
"""No chunk is longer than this."""

_HEADING = re.compile(r"^#{1,6}\s+\S")
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'\u201d\u2019)\]]))\s+")


@dataclass(frozen=True, slots=True)
class Chunk:
    """One passage of a text.

    Attributes:
        text: the passage.
        section: the heading it falls under, without its ``#`` marks (empty
            before the first heading).
        words: how many words it has.
    """

    text: str
    section: str
    words: int


@dataclass(slots=True)
class _Atom:
    """A unit the packer places whole: a heading, a paragraph or a sentence."""

    words: list[str]
    joiner: str  # how it joins what comes before it in the same chunk
    heading: bool = False
    rest: int = 0  # words from this atom to the end of its section


def chunk_text(text: str, *, min_words: int = MIN_WORDS, max_words: int = MAX_WORDS) -> list[Chunk]:
    """Cut ``text`` into chunks by headings, paragraphs and sentences.

    Example:
        >>> text = "# The keeper\\n\\nEzra kept the light.\\n\\n# The crab\\n\\nIt pinches."
        >>> for chunk in chunk_text(text):
        ...     print(repr(chunk.section), repr(chunk.text), chunk.words)
        'The keeper' '# The keeper\\n\\nEzra kept the light.' 7
        'The crab' '# The crab\\n\\nIt pinches.' 5

    Raises:
        ArgumentError: ``max_words`` is below 1 or ``min_words`` above it.
    """
    if max_words < 1 or not 0 <= min_words <= max_words:
        raise ArgumentError(
            f"chunk sizes must satisfy 0 <= min_words <= max_words and max_words >= 1 "
            f"(got min_words={min_words}, max_words={max_words})"
        )
    packer = _Packer(min_words, max_words)
    atoms = _atoms(text, max_words)
    rest = 0  # words from here to the end of the section, counted backwards
    for atom in reversed(atoms):
        rest += len(atom.words)
        atom.rest = rest
        if atom.heading:
            rest = 0
    for atom in atoms:
        packer.add(atom)
    packer.flush()
    return packer.chunks


def _blocks(text: str) -> list[tuple[str, bool]]:
    """``(text, is_heading)`` for each heading line and each paragraph."""
    blocks: list[tuple[str, bool]] = []
    lines: list[str] = []

    def end_paragraph() -> None:
        if lines:
            blocks.append((" ".join(lines), False))
            lines.clear()

    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if not line:
            end_paragraph()
        elif _HEADING.match(line):
            end_paragraph()
            blocks.append((line, True))
        else:
            lines.append(line)
    end_paragraph()
    return blocks


def _atoms(text: str, max_words: int) -> list[_Atom]:
    atoms: list[_Atom] = []
    for block, heading in _blocks(text):
        words = block.split()
        if heading or len(words) <= max_words:
            atoms.append(_Atom(words, "\n\n", heading))
            continue
        for i, sentence in enumerate(s for s in _SENTENCE_END.split(block) if s.strip()):
            atoms.append(_Atom(sentence.split(), "\n\n" if i == 0 else " "))
    return atoms


class _Packer:
    """Greedy packing of atoms into chunks (see the module docstring)."""

    def __init__(self, min_words: int, max_words: int) -> None:
        self.min_words = min_words
        self.max_words = max_words
        self.chunks: list[Chunk] = []
        self.section = ""
        self._parts: list[str] = []
        self._words = 0
        self._body = False  # holds more than a heading

    def add(self, atom: _Atom) -> None:
        if atom.heading:
            self.flush()
            self.section = " ".join(atom.words).lstrip("#").strip()
        while atom.words:
            full = self._words >= self.min_words and self._words + atom.rest > self.max_words
            if self._body and (full or self._words + len(atom.words) > self.max_words):
                self.flush()
            room = self.max_words - self._words
            if len(atom.words) <= room:
                self._put(atom)
                return
            if room <= 0:  # only a heading as long as a whole chunk
                self.flush()
                continue
            # Too long even for a chunk of its own: cut between words.
            self._put(_Atom(atom.words[:room], atom.joiner, atom.heading))
            self.flush()
            atom = _Atom(atom.words[room:], " ", atom.heading, atom.rest - room)

    def _put(self, atom: _Atom) -> None:
        text = " ".join(atom.words)
        self._parts.append(f"{atom.joiner}{text}" if self._parts else text)
        self._words += len(atom.words)
        self._body = self._body or not atom.heading

    def flush(self) -> None:
        if self._parts:
            self.chunks.append(Chunk("".join(self._parts), self.section, self._words))
        self._parts, self._words, self._body = [], 0, False
