"""The context stage of a turn: what the narrator model is told, and what
is remembered.

Each turn the :class:`Brain` rehydrates the model's view of the game from
the symbolic state: what the player character perceives now
(:class:`~fabula.context.StateContextBuilder`), the verdicts the rules gave
(:func:`~fabula.context.describe_outcomes`), the last few turns, and the
memories that serve this turn best (:class:`~fabula.memory.MemoryStore`:
the game's lore, gated by the world, and the history the player witnessed),
cut to the role's token budget by :class:`~fabula.context.FinalPromptBuilder`
in the versioned ``narrator`` prompt file.

Memory is optional twice over: it needs the ``fabula[memory]`` extra
(ChromaDB and a local embedding model), and its failure (a broken folder, a
dead Chroma server, an embedder that fails: the memory package raises
:class:`~fabula.errors.MemoryStoreError` for all of them) turns it off for
the session with one notice, never failing a turn. Only that error does: any
other exception is a bug, and propagates like one. Memory is written only
from committed turns, and brought back in line with the save after opening,
undo and restore.

Memory is written behind, like the world: the turn's history entry is made
at once (it needs the world as the turn left it), and its embedding and
upsert (the slow part, ~10-30 ms) run on one background thread while the
player reads and types. Writes are settled before anything that reads or
rewrites history in bulk (undo, restore, close); a write lost in a crash is
rebuilt from the journal when the save is next opened.
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fabula.actions import Outcome
from fabula.actions.standard import Goals
from fabula.ai import MemoryConfig, ModelConfig
from fabula.content import ContentGame
from fabula.context import (
    BuiltPrompt,
    FinalPromptBuilder,
    StateContextBuilder,
    describe_outcomes,
    focus_of,
)
from fabula.ecs import WorldView
from fabula.errors import ContentError, FabulaError, MemoryStoreError
from fabula.events import Event
from fabula.prompts import PromptLibrary

if TYPE_CHECKING:
    from fabula.memory import MemoryStore, PlainNarrator, Scene
    from fabula.persistence import SaveFile

__all__ = ["Brain", "Briefing", "open_memory"]

_log = logging.getLogger(__name__)


def open_memory(
    config: MemoryConfig, game: ContentGame, save_path: Path
) -> tuple[MemoryStore | None, str | None]:
    """The memory store for a save, and a notice if there is none.

    Returns ``(None, notice)`` when memory is turned off, its packages are
    not installed, or it cannot be opened (a :class:`MemoryStoreError`: a
    broken folder, no Chroma server, an embedder that does not load) or its
    lore has problems (a :class:`ContentError`); the game goes on without
    it. The store returned owns what it opened (its Chroma client and its
    embedder's connections) and releases them when it is closed.
    """
    if not config.enabled:
        return None, None
    if importlib.util.find_spec("chromadb") is None:
        return None, (
            "Long-term memory is off: its packages are not installed "
            "(pip install 'fabula[memory]')."
        )
    from fabula.memory import LocalEmbedder, MemoryStore, OpenAIEmbedder, chroma_server

    if config.embedder == "openai":
        embedder: Any = OpenAIEmbedder(
            config.base_url, config.embedding_model, config.api_key_env, config.timeout
        )
    else:
        embedder = LocalEmbedder()
    try:
        if config.server:
            store = MemoryStore.connect(
                chroma_server(config.server), game.id, embedder,
                namespace=_namespace(save_path), where=config.server, owns_client=True,
            )  # fmt: skip
        else:
            store = MemoryStore.open(save_path, game.id, embedder)
    except MemoryStoreError as exc:  # memory is an aid: never a reason not to play
        if isinstance(embedder, OpenAIEmbedder):
            embedder.close()
        return None, _off(exc)
    try:
        store.index_lore(game)
    except (MemoryStoreError, ContentError) as exc:
        with contextlib.suppress(MemoryStoreError):  # it is going anyway
            store.close()
        return None, _off(exc)
    return store, None


def _off(exc: FabulaError) -> str:
    """The notice that memory is off, for the reason ``exc`` gives."""
    _log.warning("memory unavailable: %s", exc)
    return f"Long-term memory is off: {exc}"


def _namespace(save_path: Path) -> str:
    """A save's history namespace on a shared Chroma server."""
    stem = "".join(c if c.isalnum() or c in "-_" else "-" for c in save_path.stem)
    return stem[:40] or "save"


@dataclass(frozen=True, slots=True)
class Briefing:
    """What the narrator model is told for one turn.

    Attributes:
        prompt: the messages, cut to the role's budget, with their token
            estimate, what was cut and the prompt's reference.
        notice: a message for the player if memory failed while recalling
            (it is off for the rest of the game), else ``None``.
    """

    prompt: BuiltPrompt
    notice: str | None = None


class Brain:
    """Builds the narrator model's prompt each turn, and keeps memory.

    Args:
        game: the game being played.
        config: the model settings (the narrator's prompt version and budget,
            memory's recall size).
        memory: the save's memory store, or ``None`` to go without; the brain
            closes it (:meth:`close`).
        prompts: the prompt library (default: built-ins, then the game's
            ``prompts/`` folder).
        recent: how many recent turns the state context repeats.

    Every method that may find memory failing returns the notice for the
    player (``str``, once: memory is off from then on) or ``None``; the brain
    keeps no notice to be read later.
    """

    def __init__(
        self,
        game: ContentGame,
        config: ModelConfig,
        *,
        memory: MemoryStore | None = None,
        prompts: PromptLibrary | None = None,
        recent: int = 3,
    ) -> None:
        self.game = game
        self.config = config
        self.memory = memory
        library = prompts or PromptLibrary.load(game.files.prompts)
        self.prompt = library.get("narrator", config.narrator.prompt or None)
        self.state = StateContextBuilder(recent=recent)
        self.assembler = FinalPromptBuilder()
        self.recent: deque[str] = deque(maxlen=max(recent, 1))
        self._writer: ThreadPoolExecutor | None = None
        self._pending: list[Future[None]] = []

    # ----------------------------------------------------------------- turn

    def scene(self, world: WorldView, actor: int) -> Scene | None:
        """The actor's scene before a turn (memory needs it to say who saw it)."""
        if self.memory is None:
            return None
        from fabula.memory import Scene

        return Scene.of(world, actor)

    def brief(
        self,
        world: WorldView,
        actor: int,
        *,
        turn: int,
        text: str,
        outcomes: Sequence[Outcome],
        account: str,
        names: dict[int, str] | None = None,
    ) -> Briefing:
        """What the narrator model is told for the turn just played: the
        state the player perceives, the recent turns, the memories recalled
        for it, the verdicts and the account, in the narrator prompt, cut to
        its budget."""
        goals = world.try_get(actor, Goals, readonly=True)
        state = self.state.build(
            world, actor, events=list(self.recent), focus=focus_of(outcomes),
            goals=goals.active if goals is not None else (),
        )  # fmt: skip
        memories: list[Any] = []
        notice = None
        if self.memory is not None and self.config.memory.recall:
            try:
                memories = self.memory.recall(
                    f"{text}\n{account}", world=world, actor=actor, now=turn,
                    k=self.config.memory.recall,
                )  # fmt: skip
            except MemoryStoreError as exc:
                notice = self._lose_memory(exc)
        built = self.assembler.build(
            self.prompt,
            budget=self.config.narrator.context_tokens,
            state=state,
            memories=memories,
            verdict=describe_outcomes(world, outcomes, names=names),
            account=account,
            player_input=text,
            title=self.game.files.game.title,
        )
        if built.over_budget:
            _log.warning(
                "the narrator prompt needs %d tokens, over its budget of %d",
                built.tokens, built.budget,
            )  # fmt: skip
        return Briefing(built, notice)

    def remember(
        self,
        save: SaveFile,
        *,
        text: str,
        account: str,
        before: Scene | None,
        actor: int,
        outcomes: Sequence[Outcome],
        events: Sequence[Event],
    ) -> str | None:
        """Keep the committed turn: in the recent turns, and in memory (its
        write goes behind, on memory's own thread). Returns a notice if
        memory failed, now or in an earlier write.

        Raises:
            Exception: an earlier write behind failed otherwise than memory
                fails (a bug), as it was raised on memory's thread.
        """
        self.recent.append(_brief(text, account))
        notice = self._check_writes()
        if self.memory is None or before is None:
            return notice
        try:
            entry = self.memory.entry_for_turn(save, account, before, actor, outcomes, events)
        except MemoryStoreError as exc:
            return self._lose_memory(exc)
        if self._writer is None:
            self._writer = ThreadPoolExecutor(1, thread_name_prefix="fabula-memory")
        self._pending.append(self._writer.submit(self.memory.record, entry))
        return notice

    def settle(self) -> str | None:
        """Wait for the memory writes under way (before reading history in
        bulk, rewriting it, or closing); return a notice if one failed.

        Raises:
            Exception: a write failed otherwise than memory fails (a bug).
        """
        pending, self._pending = self._pending, []
        return self._failed(pending)

    def _check_writes(self) -> str | None:
        """Report a background write that failed, without waiting for any."""
        done = [f for f in self._pending if f.done()]
        self._pending = [f for f in self._pending if not f.done()]
        return self._failed(done)

    def _failed(self, writes: list[Future[None]]) -> str | None:
        """Wait for ``writes``; the notice for the first that failed, if any did.

        Raises:
            Exception: a write failed otherwise than memory does (a bug), as
                it was raised on memory's thread.
        """
        notice = None
        for future in writes:
            exception = future.exception()
            if exception is None:
                continue
            if not isinstance(exception, MemoryStoreError):
                raise exception
            if self.memory is not None:
                notice = self._lose_memory(exception)
        return notice

    def rewound(self, save: SaveFile, narrator: PlainNarrator) -> str | None:
        """The save went back or was replaced (undo, restore, reopen): forget
        the recent turns and bring memory back in line with the journal,
        rebuilding missing turns with ``narrator``'s accounts (the narrator
        the session tells turns with, so rebuilt entries read as live ones).
        Returns a notice if memory failed."""
        self.recent.clear()
        notice = self.settle()
        if self.memory is None:
            return notice
        try:
            self.memory.sync(save, self.game, narrator)
        except MemoryStoreError as exc:
            return self._lose_memory(exc)
        return notice

    def close(self) -> None:
        """Finish the writes under way, then release memory (memory failing
        now is logged: there is no one left to tell). Closing twice is
        harmless.

        Raises:
            Exception: a write failed otherwise than memory fails (a bug);
                memory is released all the same.
        """
        try:
            self.settle()
        finally:
            if self._writer is not None:
                self._writer.shutdown(wait=True)
                self._writer = None
            self._release()

    def _release(self) -> None:
        """Close the store, whatever state it is in; memory is gone after."""
        memory, self.memory = self.memory, None
        if memory is None:
            return
        try:
            memory.close()
        except MemoryStoreError as exc:  # broken already: nothing more to release
            _log.warning("memory did not close cleanly: %s", exc)

    def _lose_memory(self, exc: MemoryStoreError) -> str:
        """Turn memory off for the rest of the game; return the notice saying so."""
        _log.warning("memory failed, turned off: %s", exc)
        for future in self._pending:
            future.cancel()
        self._pending = []
        self._release()
        return f"Long-term memory failed and is off for this game: {exc}"


def _brief(text: str, account: str, limit: int = 160) -> str:
    """One recent turn as the state context repeats it."""
    told = " ".join(account.split())
    if len(told) > limit:
        told = told[: limit - 1].rstrip() + "…"
    return f'"{text.strip()}": {told}' if told else f'"{text.strip()}"'
