"""Word-wrapped output of text that arrives piece by piece.

A streamed narration arrives in fragments that split words; printing them
as they come would let the terminal break lines mid-word. :class:`Wrapper`
holds back only the word being formed, so text appears word by word and
wraps at word boundaries, like the rest of the game's output.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["Wrapper"]


class Wrapper:
    """Writes pieces of text wrapped to ``width`` columns.

    >>> out = []
    >>> w = Wrapper(out.append, width=12)
    >>> for piece in ["The sea ", "is grey and", " cold tonight.\\nYes."]:
    ...     w.feed(piece)
    >>> w.finish()
    >>> print("".join(out), end="")
    The sea is
    grey and
    cold
    tonight.
    Yes.
    """

    def __init__(self, write: Callable[[str], object], width: int = 80) -> None:
        self._write = write
        self.width = max(width, 10)
        self._column = 0
        self._word: list[str] = []
        self._space = False

    def feed(self, text: str) -> None:
        """Write ``text``, keeping back only an unfinished last word."""
        for ch in text:
            if ch == "\n":
                self._flush_word()
                self._write("\n")
                self._column = 0
                self._space = False
            elif ch in " \t":
                self._flush_word()
                self._space = self._column > 0
            else:
                self._word.append(ch)

    def finish(self) -> None:
        """Write what is held back and end the line."""
        self._flush_word()
        if self._column:
            self._write("\n")
        self._column = 0
        self._space = False

    def _flush_word(self) -> None:
        if not self._word:
            return
        word = "".join(self._word)
        self._word.clear()
        gap = 1 if self._space else 0
        if self._column and self._column + gap + len(word) > self.width:
            self._write("\n")
            self._column = 0
        elif gap:
            self._write(" ")
            self._column += 1
        self._write(word)
        self._column += len(word)
        self._space = False
