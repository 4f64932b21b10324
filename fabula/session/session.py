"""One game being played: the turn pipeline, end to end.

::

    player text -> parser -> (meta command | question | structured actions)
      -> SaveFile.play: validators, executors, one tick, journal (durable)
      -> template narrator: the plain account (from outcomes and events)
      -> model narrator, if any: the account retold, streamed -> UI

The parser is a strategy: the symbolic parser is the offline default and
:class:`~fabula.parsing.TieredParser` puts a model behind it. The template
narrator always tells the turn; a :class:`~fabula.narration.ModelNarrator`
may retell it in the game's voice, told what the
:class:`~fabula.narration.Brain` gathers, falling back to the account
whenever the model cannot. Each role returns what it used (a
:class:`~fabula.ai.ModelUse`) and any notice for the player with its result;
the session reads them there and nowhere else. Every reply carries a
:class:`~fabula.session.Trace` of where the turn's time and tokens went
(``fabula play --debug`` shows it; the journal keeps it).

This module is the pipeline; :mod:`fabula.session.reply` holds the reply and
its trace, and :mod:`fabula.session.meta` the meta commands (save, restore,
undo, help, score, quit), which never reach the world. ``again`` and
``oops`` are resolved by the parser.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from fabula.actions import Outcome
from fabula.actions.standard import room_of
from fabula.ai import ModelConfig
from fabula.content import ContentGame
from fabula.context import names_before
from fabula.ecs import World, WorldView
from fabula.errors import PersistenceError, SaveWriteError
from fabula.memory import PlainNarrator
from fabula.narration import Brain, ModelNarrator, TemplateNarrator
from fabula.parsing import Parsed, ParseResult, SymbolicParser, lore_subjects
from fabula.persistence import FlushPolicy, SaveFile
from fabula.session import meta
from fabula.session.lines import CONTINUED, LINE_KEY, play_line
from fabula.session.meta import MetaState
from fabula.session.reply import Reply, Trace

__all__ = ["MAX_INPUT", "Narrator", "Parser", "Session", "clean_input", "default_save_path"]

Emit = Callable[[str], None]


class Parser(Protocol):
    """What the session needs from a parser (symbolic, or model-backed): a
    result for each input, which also says what the parser model did for it
    and any notice for the player (``model_use``, ``notice``), and a way to
    forget the conversation after an undo or a restore."""

    def parse(self, text: str, world: WorldView, actor: int) -> ParseResult: ...

    def reset(self) -> None: ...


class Narrator(PlainNarrator, Protocol):
    """What the session needs from the narrator that tells each turn plainly
    (:class:`~fabula.narration.TemplateNarrator`): what memory needs of it
    (:class:`~fabula.memory.PlainNarrator`: memory is kept, and rebuilt by
    replay, with the same narrator's accounts), and the room described."""

    def describe_room(self, world: WorldView, actor: int) -> str: ...


def default_save_path(game_id: str) -> Path:
    """Where a game autosaves: ``$XDG_DATA_HOME/fabula/saves/<game>.save``."""
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "fabula" / "saves" / f"{game_id}.save"


class Session:
    """A game being played, saved as it goes.

    Create with :meth:`start`. Each :meth:`turn` takes what the player typed
    and returns a :class:`Reply`; the world changes only through the save's
    simulation, and each turn is durable before its reply is returned.
    """

    def __init__(
        self,
        game: ContentGame,
        save: SaveFile,
        parser: Parser | None = None,
        narrator: Narrator | None = None,
        narrator_model: ModelNarrator | None = None,
        brain: Brain | None = None,
    ) -> None:
        self.game = game
        self.save = save
        self.parser: Parser = parser or SymbolicParser(game.actions)
        symbolic = getattr(self.parser, "symbolic", self.parser)
        if isinstance(symbolic, SymbolicParser):  # topics may name the game's lore subjects
            symbolic.subjects = lore_subjects(game.files.lore)
        self.narrator: Narrator = narrator or TemplateNarrator(game.files.templates)
        self.narrator_model = narrator_model
        if brain is None and narrator_model is not None:
            brain = Brain(game, ModelConfig(narrator=narrator_model.config))
        self.brain = brain
        # Memory is brought in line with the save as opened; if that fails,
        # the opening says so.
        self._opened_notice = brain.rewound(save, self.narrator) if brain is not None else None
        self._emit: Emit | None = None
        self.trace = Trace()
        """Where the current input's time and tokens go."""
        self.shown = ""
        """What the current input has shown so far."""
        self.meta = MetaState()  # the meta commands' session state (notify, brief, ...)

    @classmethod
    def start(
        cls,
        game: ContentGame,
        save_path: Path | None = None,
        *,
        new: bool = False,
        seed: int | None = None,
        policy: FlushPolicy | None = None,
        parser: Parser | None = None,
        narrator_model: ModelNarrator | None = None,
        brain: Brain | None = None,
    ) -> Session:
        """Continue the game's save, or start a new one (``new`` or no save yet).

        ``parser`` replaces the symbolic parser (e.g. a
        :class:`~fabula.parsing.TieredParser` with a model behind it);
        ``narrator_model`` retells each turn through the narrator model,
        told what ``brain`` gathers (state, verdicts, memories).

        Raises:
            PersistenceError: the save cannot be used (the message says why);
                :class:`~fabula.errors.SaveWriteError` if its folder cannot
                be created.
        """
        path = save_path or default_save_path(game.id)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # a read-only mount, a symlink loop, a full disk
            raise SaveWriteError(
                path,
                f"its folder {path.parent} cannot be created ({exc.strerror or exc}); "
                "choose another place with --save, or make room there.",
            ) from exc
        save = SaveFile.open_or_new(
            path, game, seed=seed if seed is not None else game.files.game.seed,
            replace=new, policy=policy,
        )  # fmt: skip
        return cls(game, save, parser=parser, narrator_model=narrator_model, brain=brain)

    # ----------------------------------------------------------------- state

    @property
    def world(self) -> World:
        """The live world (the save's). Only the save's simulation changes it."""
        return self.save.world

    @property
    def view(self) -> WorldView:
        """The world as parsers, narrators and the brain see it: read-only."""
        return self.save.world.view()

    @property
    def player(self) -> int:
        return self.game.player(self.view)

    @property
    def ended(self) -> str | None:
        """``"won"``, ``"lost"`` or ``None``."""
        return self.game.ending(self.view)

    def opening(self) -> str:
        """What to show first: the intro for a new game, or where the player
        is; and, if memory failed as the game was opened, the notice saying so."""
        room = self.narrator.describe_room(self.view, self.player)
        notice = f"[{self._opened_notice}]" if self._opened_notice else ""
        if self.ended is not None:  # meta: a finished save says so
            over = meta.game_over(self)
            return f"{over}\n\n{notice}" if notice else over
        if self.save.turn == 0:
            f = self.game.files.game
            return "\n\n".join(p for p in (f.title.upper(), self.game.intro, room, notice) if p)
        recovered = (
            f" ({meta.scoring.plural(self.save.recovered, 'turn')} recovered from the journal)"
            if self.save.recovered
            else ""
        )
        back = f"Welcome back, at turn {self.save.turn}{recovered}.\n\n{room}"
        return f"{back}\n\n{notice}" if notice else back

    def close(self) -> None:
        """Save and release the game, and the brain it was given (with its
        memory). The model clients behind the parser and the narrator stay
        open: whoever made them closes them (``fabula play`` does)."""
        meta.closing(self)  # meta: an open transcript is ended
        try:
            self.save.close()
        finally:
            if self.brain is not None:
                self.brain.close()

    # ------------------------------------------------------------------ turns

    def turn(self, text: str, emit: Emit | None = None) -> Reply:
        """Handle one line the player typed: each of its commands in turn
        (:mod:`fabula.session.lines`).

        With ``emit``, the reply is also given to it piece by piece as it is
        made (the model narrator's text as it streams), so a UI can show it
        before the turn ends; the pieces, joined, are the reply's text.
        """
        self._emit = emit
        self.trace = Trace()
        self.shown = ""
        text = clean_input(text)
        try:
            answered = meta.answer_pending(self, text)  # meta: a yes/no question
            if answered is not None:
                self.put(answered)
                reply = Reply(self.shown, self.save.turn, trace=self.trace)
            else:
                reply = play_line(self, text)
            meta.record(self, text, reply.text)  # meta: the transcript, if SCRIPT is on
            return reply
        finally:
            self._emit = None

    def put(self, text: str, *, emitted: bool = False) -> None:
        """Add ``text`` to what this input shows, after a blank line if
        something was shown before; give it to the UI unless ``emitted``
        (already streamed)."""
        if not text:
            return
        separator = "\n\n" if self.shown else ""
        if not emitted:
            self._show(separator + text)
        self.shown += separator + text

    def _show(self, text: str) -> None:
        if self._emit is not None and text:
            self._emit(text)

    def play(self, text: str, parsed: Parsed, *, continued: bool = False) -> str | None:
        """Play ``parsed`` as one turn journalled with ``text`` (marked as
        part of the line of the turn before if ``continued``), show it, and
        return the ending if the turn ended the game."""
        # meta: the score and the room before, for the notice and BRIEF after
        points, room = meta.scoring.points_of(self), room_of(self.view, self.player)
        seen = meta.modes.visited(self) if self.meta.mode != "verbose" else frozenset()
        self.narrator.prepare(self.view, parsed.proposals)
        names = names_before(self.view, parsed.proposals) if self.brain is not None else {}
        before = self.brain.scene(self.view, self.player) if self.brain is not None else None
        models = dict(self.trace.roles.get("parser", {}))
        if continued:
            models[LINE_KEY] = CONTINUED
        player = self.player
        told: list[str] = []

        def tell_before_tick(outcomes: list[Outcome]) -> None:
            told.append(self.narrator.narrate(self.view, player, outcomes))

        with self.trace.stage("rules"), self.save.simulation.bus.record() as events:
            outcomes = self.save.play(
                text, parsed.proposals, models=models,
                stop_at_refusal=not parsed.each, before_tick=tell_before_tick,
            )  # fmt: skip
        world = self.view
        with self.trace.stage("account"):
            account = self.narrator.account(
                world, player, outcomes, events, told=told[0] if told else None
            )
        as_shown = meta.modes.abridge(self, account, room, seen)  # meta: BRIEF
        recalled = self._tell(text, account, outcomes, names, as_shown)
        if self.brain is not None:
            with self.trace.stage("memory"):
                kept = self.brain.remember(
                    self.save, text=text, account=account, before=before,
                    actor=player, outcomes=outcomes, events=events,
                )  # fmt: skip
            for notice in (recalled, kept):
                if notice:
                    self.put(f"[{notice}]")
        for part in meta.after_turn(self, points):  # meta: score notice, the ending
            self.put(part)
        return self.ended

    def _tell(
        self,
        text: str,
        account: str,
        outcomes: list[Outcome],
        names: dict[int, str],
        shown: str,
    ) -> str | None:
        """Show the turn told: the model's retelling, streamed, or the account;
        return memory's notice if it failed while the narrator's context was
        gathered."""
        if self.narrator_model is None or self.brain is None:
            self.put(shown)  # the account as the room mode shows it (BRIEF)
            return None
        with self.trace.stage("context"):
            briefing = self.brain.brief(
                self.view, self.player, turn=self.save.turn, text=text,
                outcomes=outcomes, account=account, names=names,
            )  # fmt: skip
        built = briefing.prompt
        if self.shown:
            self._show("\n\n")  # the retelling streams after what was shown
        with self.trace.stage("narrate"):
            telling = self.narrator_model.tell(
                built.messages, account, prompt=str(built.ref), emit=self._emit
            )
        self.put(telling.text, emitted=True)
        notice = telling.notice
        info = telling.journal(built)
        if info:
            self.trace.roles["narrator"] = info
            self.trace.uses["narrator"] = telling.use
            try:
                self.save.annotate(info)
            except PersistenceError as exc:
                notice = f"{notice} " if notice else ""
                notice += f"(The narrator's accounting was not saved: {exc})"
        if notice:
            self.put(f"[{notice}]")
        return briefing.notice


MAX_INPUT = 2000
"""The longest input kept, in characters: the parser reads no further, and
the journal keeps what the player typed."""


def clean_input(text: str) -> str:
    """What the player typed, as the engine keeps it: valid Unicode (a
    terminal hands undecodable bytes over as lone surrogates, which no file
    can store), no control characters, at most :data:`MAX_INPUT` characters.

    >>> clean_input("take" + chr(0xDCFF) + " lamp" + chr(0)) == "take\N{REPLACEMENT CHARACTER} lamp"
    True
    """
    return "".join(
        "\ufffd" if "\ud800" <= c <= "\udfff" else c
        for c in text[:MAX_INPUT]
        if c == "\t" or (c >= " " and not "\x7f" <= c <= "\x9f")
    )
