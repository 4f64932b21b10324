"""Tab completion for ``fabula play``: command words, directions, and the
names of things the player can see right now (never anything hidden)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document

from fabula.actions.standard import inventory, visible
from fabula.parsing import DIRECTIONS, META, vocabulary
from fabula.session import Session

__all__ = ["GameCompleter"]


class GameCompleter(Completer):
    """Completes the word under the cursor from what the game understands.

    The first word completes from verbs, directions and meta commands; later
    words from the visible things' names (and directions, for "go").
    """

    def __init__(self, session: Session) -> None:
        self.session = session

    def words(self, first: bool) -> set[str]:
        """The words offered at the start of a command, or after it."""
        if first:
            verbs = {w for w in self.session.parser.grammar.verbs if len(w) > 2}  # type: ignore[attr-defined]
            return verbs | {d for d in DIRECTIONS if len(d) > 2} | {m for m in META if len(m) > 2}
        world = self.session.world
        me = self.session.player
        names: set[str] = set()
        for entity in visible(world, me) | inventory(world, me):
            names |= vocabulary(world, entity)[0]
        return names | {d for d in DIRECTIONS if len(d) > 2}

    def get_completions(
        self, document: Document, complete_event: CompleteEvent
    ) -> Iterator[Completion]:
        before = document.text_before_cursor.lower()
        prefix = document.get_word_before_cursor().lower()
        first = not before[: len(before) - len(prefix)].strip()
        yield from _completions(sorted(self.words(first)), prefix)


def _completions(words: Iterable[str], prefix: str) -> Iterator[Completion]:
    for word in words:
        if word.startswith(prefix) and word != prefix:
            yield Completion(word, start_position=-len(prefix))
