"""One game being played: the turn pipeline, end to end.

::

    player text -> parser -> (meta command | question | structured actions)
      -> SaveFile.play: validators, executors, one tick, journal (durable)
      -> template narrator: the plain account (from outcomes and events)
      -> model narrator, if any: the account retold, streamed -> UI

The parser is a strategy: the symbolic parser is the offline default and
:class:`~fabula.ai.TieredParser` puts a model behind it. The template
narrator always tells the turn; a :class:`~fabula.narration.ModelNarrator`
may retell it in the game's voice, falling back to the account whenever the
model cannot. Every reply carries a :class:`Trace` of where the turn's time
and tokens went (``fabula play --debug`` shows it; the journal keeps it).

Meta commands (save, restore, undo, help, score, quit) are handled here and
never reach the world; ``again`` and ``oops`` are resolved by the parser.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from fabula.actions import Outcome, action_info
from fabula.actions.standard import Score
from fabula.content import ContentGame
from fabula.context import names_before
from fabula.ecs import World, WorldView
from fabula.errors import PersistenceError
from fabula.events import Event
from fabula.narration import TemplateNarrator
from fabula.narration.model import ModelNarrator, Telling
from fabula.parsing import Clarification, Meta, Parsed, ParseError, ParseResult, SymbolicParser
from fabula.persistence import FlushPolicy, SaveFile
from fabula.session.brain import Brain

__all__ = ["Narrator", "Parser", "Reply", "Session", "Trace", "default_save_path"]

Emit = Callable[[str], None]


class Parser(Protocol):
    """What the session needs from a parser (symbolic, or model-backed)."""

    def parse(self, text: str, world: WorldView, actor: int) -> ParseResult: ...

    def reset(self) -> None: ...


class Narrator(Protocol):
    """What the session needs from a narrator (template, or model-backed)."""

    def prepare(self, world: WorldView, proposals: object) -> None: ...

    def narrate(self, world: WorldView, actor: int, outcomes: list[Outcome]) -> str: ...

    def describe_room(self, world: WorldView, actor: int) -> str: ...

    def others(self, world: WorldView, actor: int, events: list[Event]) -> str: ...


@dataclass(frozen=True, slots=True)
class Trace:
    """Where one input's time and tokens went.

    Attributes:
        stages: milliseconds per engine stage (``parse``, ``rules``,
            ``account``, ``context``, ``narrate``, ``memory``), in order.
        roles: per model role, its accounting as journalled (model, tokens,
            latency, prompt reference, errors).
    """

    stages: dict[str, float] = field(default_factory=dict)
    roles: dict[str, dict[str, str]] = field(default_factory=dict)

    def line(self) -> str:
        """One line for the debug view."""
        parts = [f"{stage} {ms:.1f} ms" for stage, ms in self.stages.items()]
        for role, info in self.roles.items():
            model = info.get(role, "")
            detail = " ".join(
                f"{key.removeprefix(role + '_')}={value}"
                for key, value in info.items()
                if key != role
            )
            parts.append(f"{role} {model} {detail}".strip())
        return " · ".join(parts)


@dataclass(frozen=True, slots=True)
class Reply:
    """What one input produced, for the UI.

    Attributes:
        text: what to show.
        turn: the turn number after it (unchanged if no turn was played).
        ended: ``"won"`` or ``"lost"`` once the game is over.
        quit: the player asked to stop.
        trace: the turn's timings and model accounting.
    """

    text: str
    turn: int
    ended: str | None = None
    quit: bool = False
    trace: Trace = field(default_factory=Trace)


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
        self.narrator: Narrator = narrator or TemplateNarrator(game.files.templates)
        self.narrator_model = narrator_model
        if brain is None and narrator_model is not None:
            from fabula.ai.config import ModelConfig

            brain = Brain(game, ModelConfig(narrator=narrator_model.client.config))
        self.brain = brain
        if brain is not None and isinstance(self.narrator, TemplateNarrator):
            brain.rewound(save, self.narrator)  # memory matches the save as opened
        self._emit: Emit | None = None
        self._trace = Trace()

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
        :class:`~fabula.ai.TieredParser` with a model behind it);
        ``narrator_model`` retells each turn through the narrator model,
        told what ``brain`` gathers (state, verdicts, memories).

        Raises:
            PersistenceError: the save cannot be used (the message says why).
        """
        path = save_path or default_save_path(game.id)
        path.parent.mkdir(parents=True, exist_ok=True)
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
        """What to show first: the intro for a new game, or where the player is."""
        room = self.narrator.describe_room(self.view, self.player)
        if self.save.turn == 0:
            f = self.game.files.game
            return "\n\n".join(p for p in (f.title.upper(), self.game.intro, room) if p)
        recovered = (
            f" ({self.save.recovered} turns recovered from the journal)"
            if self.save.recovered
            else ""
        )
        return f"Welcome back, at turn {self.save.turn}{recovered}.\n\n{room}"

    def close(self) -> None:
        """Save and release the game (and its memory)."""
        try:
            self.save.close()
        finally:
            if self.brain is not None:
                self.brain.close()

    # ------------------------------------------------------------------ turns

    def turn(self, text: str, emit: Emit | None = None) -> Reply:
        """Handle one line the player typed.

        With ``emit``, the reply is also given to it piece by piece as it is
        made (the model narrator's text as it streams), so a UI can show it
        before the turn ends; the pieces, joined, are the reply's text.
        """
        self._emit = emit
        self._trace = Trace()
        text = clean_input(text)
        try:
            with self._stage("parse"):
                result = self.parser.parse(text, self.view, self.player)
            model = self._parser_accounting()
            if model:
                self._trace.roles["parser"] = model
            notice = self._notice(self.parser)
            if notice:  # the parser model went away or came back: say so, once
                self._show(f"[{notice}]\n\n")
            reply = self._answer(text, result)
            if notice:
                reply = Reply(
                    f"[{notice}]\n\n{reply.text}", reply.turn, reply.ended, reply.quit, reply.trace
                )
            return reply
        finally:
            self._emit = None

    def _show(self, text: str) -> None:
        if self._emit is not None and text:
            self._emit(text)

    def _stage(self, name: str) -> _Stage:
        return _Stage(self._trace.stages, name)

    def _answer(self, text: str, result: ParseResult) -> Reply:
        if isinstance(result, Meta):
            return self._meta(result)
        if isinstance(result, ParseError):
            return self._reply(result.message)
        if isinstance(result, Clarification):
            return self._reply(result.question)
        if self.ended is not None:
            return self._reply('The game is over. You can "undo", "restore" a save, or "quit".')
        if not result.proposals:  # nothing to do: no turn passes
            return self._reply("I beg your pardon?")
        return self._play(text, result)

    @staticmethod
    def _notice(source: object) -> str | None:
        take = getattr(source, "take_notice", None)
        return take() if callable(take) else None

    def _parser_accounting(self) -> dict[str, str]:
        """What the parser model did this turn, for the journal and the trace."""
        use = getattr(self.parser, "last_model_use", None)
        client = getattr(self.parser, "client", None)
        if not use or client is None:
            return {}
        tokens = use.get("tokens", [0, 0])
        out = {
            "parser": client.config.model,
            "parser_tokens": f"{tokens[0]}+{tokens[1]}",
            "parser_answers": str(len(use.get("answers", []))),
            "parser_ms": f"{use.get('latency', 0.0) * 1000:.0f}",
        }
        if use.get("prompt"):
            out["parser_prompt"] = str(use["prompt"])
        if use.get("error"):
            out["parser_error"] = str(use["error"])
        return out

    def _play(self, text: str, parsed: Parsed) -> Reply:
        self.narrator.prepare(self.view, parsed.proposals)
        names = names_before(self.view, parsed.proposals) if self.brain is not None else {}
        before = self.brain.scene(self.view, self.player) if self.brain is not None else None
        with self._stage("rules"), self.save.simulation.bus.record() as events:
            outcomes = self.save.play(
                text, parsed.proposals, models=self._trace.roles.get("parser", {})
            )
        world = self.view
        with self._stage("account"):
            told = [self.narrator.narrate(world, self.player, outcomes)]
            told.append(self.narrator.others(world, self.player, events))
            account = "\n\n".join(p for p in told if p)
        parts = [self._tell(text, account, outcomes, names)]
        if self.brain is not None:
            with self._stage("memory"):
                self.brain.remember(
                    self.save, text=text, account=account, before=before,
                    actor=self.player, outcomes=outcomes, events=events,
                )  # fmt: skip
            notice = self.brain.take_notice()
            if notice:
                parts.append(f"[{notice}]")
        if parsed.stopped is not None:
            stopped = parsed.stopped
            parts.append(stopped.message if isinstance(stopped, ParseError) else stopped.question)
        ending = self.ended
        if ending is not None:
            condition = self.game.files.win if ending == "won" else self.game.files.lose
            message = condition.message if condition is not None else ""
            parts.append(
                f"*** {message or ('You have won' if ending == 'won' else 'You have lost')} ***"
            )
            parts.append(self._score_line())
        shown = parts[0]
        for part in parts[1:]:
            if part:
                self._show("\n\n" + part if shown else part)
                shown = shown + "\n\n" + part if shown else part
        return Reply(shown, self.save.turn, ended=ending, trace=self._trace)

    def _tell(self, text: str, account: str, outcomes: list[Outcome], names: dict[int, str]) -> str:
        """The turn told: the model's retelling, streamed, or the account."""
        if self.narrator_model is None or self.brain is None:
            self._show(account)
            return account
        with self._stage("context"):
            built = self.brain.narrator_prompt(
                self.view, self.player, turn=self.save.turn, text=text,
                outcomes=outcomes, account=account, names=names,
            )  # fmt: skip
        with self._stage("narrate"):
            telling: Telling = self.narrator_model.tell(
                built.messages, account, prompt=str(built.ref), emit=self._emit
            )
        notice = self._notice(self.narrator_model)
        info = telling.journal()
        if info:
            info["narrator_prompt_tokens"] = str(built.tokens)  # our estimate, before sending
            cut = ",".join(f"{name}:{n}" for name, n in built.dropped.items() if n)
            if cut:  # what the budget left out, by section
                info["narrator_cut"] = cut
            if built.over_budget:
                info["narrator_over_budget"] = f"{built.tokens}>{built.budget}"
            self._trace.roles["narrator"] = info
            try:
                self.save.annotate(info)
            except PersistenceError as exc:
                notice = f"{notice} " if notice else ""
                notice += f"(The narrator's accounting was not saved: {exc})"
        if notice:
            self._show(f"\n\n[{notice}]")
            return f"{telling.text}\n\n[{notice}]"
        return telling.text

    # ------------------------------------------------------------------- meta

    def _meta(self, meta: Meta) -> Reply:
        handler = {
            "help": self._help,
            "score": lambda _: self._reply(self._score_line()),
            "undo": self._undo,
            "save": self._save,
            "restore": self._restore,
            "quit": lambda _: self._quit(),
        }.get(meta.command)
        if handler is None:
            return self._reply(f'"{meta.command}" is not available here.')
        return handler(meta.argument)

    def _quit(self) -> Reply:
        text = "Goodbye. Your game is saved."
        self._show(text)
        return Reply(text, self.save.turn, quit=True, trace=self._trace)

    def _help(self, _: str) -> Reply:
        lines = ["You can type commands such as:"]
        for name, action in sorted(self.game.actions.items()):
            info = action_info(action)
            verb = info.verbs[0] if info.verbs else name
            lines.append(f"  {verb:<12} {info.description}")
        lines.append("Directions: n, s, e, w, ne, nw, se, sw, up, down, in, out.")
        lines.append("Also: again (g), oops WORD, undo, save [NAME], restore [NAME], score, quit.")
        return self._reply("\n".join(lines))

    def _score_line(self) -> str:
        score = self.view.get(self.player, Score)
        return f"Your score is {score.points} out of {score.possible}, in {self.save.turn} turns."

    def _undo(self, _: str) -> Reply:
        try:
            self.save.undo()
        except PersistenceError as exc:
            return self._reply(_cap(str(exc).split(": ", 1)[-1]))
        self.parser.reset()
        self._rewound()
        return self._reply("Undone.\n\n" + self.narrator.describe_room(self.view, self.player))

    def _rewound(self) -> None:
        if self.brain is not None and isinstance(self.narrator, TemplateNarrator):
            self.brain.rewound(self.save, self.narrator)

    def _slot(self, name: str) -> Path:
        """The file of save slot ``name``: beside the save, whatever the name
        (letters, digits, ``-`` and ``_`` only, at most 40 of them)."""
        words = "-".join(name.lower().split())
        slot = "".join(c for c in words if c.isascii() and (c.isalnum() or c in "-_"))
        return self.save.path.with_name(f"{self.game.id}-{slot[:40] or 'saved'}.save")

    def _save(self, name: str) -> Reply:
        target = self._slot(name)
        if target.resolve() == self.save.path.resolve():
            return self._reply("That is the game you are playing; it is saved after every turn.")
        try:
            self.save.save_as(target)
        except (PersistenceError, OSError) as exc:
            return self._reply(f"Not saved: {exc}")
        return self._reply(f"Saved as {target.stem.removeprefix(self.game.id + '-')!r}.")

    def _restore(self, name: str) -> Reply:
        source = self._slot(name)
        if not source.exists():
            return self._reply(
                f"There is no save called {source.stem.removeprefix(self.game.id + '-')!r}."
            )
        if source.resolve() == self.save.path.resolve():
            return self._reply("That is the game you are playing; nothing to restore.")
        try:
            self.save = self.save.restore_from(source)
        except (PersistenceError, OSError) as exc:
            return self._reply(f"Not restored: {exc}")
        self.parser.reset()
        self._rewound()
        return self._reply("Restored.\n\n" + self.narrator.describe_room(self.view, self.player))

    def _reply(self, text: str, *, ended: str | None = None) -> Reply:
        self._show(text)
        return Reply(text, self.save.turn, ended=ended, trace=self._trace)


class _Stage:
    """Times one stage of a turn into a trace (a tiny context manager)."""

    __slots__ = ("_name", "_stages", "_start")

    def __init__(self, stages: dict[str, float], name: str) -> None:
        self._stages = stages
        self._name = name
        self._start = 0.0

    def __enter__(self) -> None:
        self._start = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        elapsed = (time.perf_counter() - self._start) * 1000
        self._stages[self._name] = self._stages.get(self._name, 0.0) + elapsed


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


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
