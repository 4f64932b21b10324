"""One game being played: the turn pipeline, end to end.

::

    player text -> parser -> (meta command | question | structured actions)
      -> SaveFile.play: validators, executors, one tick, journal (durable)
      -> narrator (from the outcomes and the turn's events) -> text for the UI

The parser and narrator are strategies: the symbolic parser and the template
narrator are the offline defaults, and model-backed ones slot in with the
same interfaces. Meta commands (save, restore, undo, help, score, quit) are
handled here and never reach the world; ``again`` and ``oops`` are resolved
by the parser.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from fabula.actions import Outcome, ReadOnlyWorld, action_info
from fabula.actions.standard import Score
from fabula.content import ContentGame
from fabula.ecs import World
from fabula.errors import PersistenceError
from fabula.events import Event
from fabula.narration import TemplateNarrator
from fabula.parsing import Clarification, Meta, Parsed, ParseError, ParseResult, SymbolicParser
from fabula.persistence import FlushPolicy, SaveFile

__all__ = ["Narrator", "Parser", "Reply", "Session", "default_save_path"]


class Parser(Protocol):
    """What the session needs from a parser (symbolic, or model-backed)."""

    def parse(self, text: str, world: World | ReadOnlyWorld, actor: int) -> ParseResult: ...

    def reset(self) -> None: ...


class Narrator(Protocol):
    """What the session needs from a narrator (template, or model-backed)."""

    def prepare(self, world: World | ReadOnlyWorld, proposals: object) -> None: ...

    def narrate(self, world: World | ReadOnlyWorld, actor: int, outcomes: list[Outcome]) -> str: ...

    def describe_room(self, world: World | ReadOnlyWorld, actor: int) -> str: ...

    def others(self, world: World | ReadOnlyWorld, actor: int, events: list[Event]) -> str: ...


@dataclass(frozen=True, slots=True)
class Reply:
    """What one input produced, for the UI.

    Attributes:
        text: what to show.
        turn: the turn number after it (unchanged if no turn was played).
        ended: ``"won"`` or ``"lost"`` once the game is over.
        quit: the player asked to stop.
    """

    text: str
    turn: int
    ended: str | None = None
    quit: bool = False


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
    ) -> None:
        self.game = game
        self.save = save
        self.parser: Parser = parser or SymbolicParser(game.actions)
        self.narrator: Narrator = narrator or TemplateNarrator(game.files.templates)

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
    ) -> Session:
        """Continue the game's save, or start a new one (``new`` or no save yet).

        ``parser`` replaces the symbolic parser (e.g. a
        :class:`~fabula.ai.TieredParser` with a model behind it).

        Raises:
            PersistenceError: the save cannot be used (the message says why).
        """
        path = save_path or default_save_path(game.id)
        path.parent.mkdir(parents=True, exist_ok=True)
        if new or not path.exists():
            save = SaveFile.new(
                path, game, seed=seed if seed is not None else game.files.game.seed,
                replace=new, policy=policy,
            )  # fmt: skip
        else:
            save = SaveFile.open(path, game, policy=policy)
        return cls(game, save, parser=parser)

    # ----------------------------------------------------------------- state

    @property
    def world(self) -> World:
        return self.save.world

    @property
    def player(self) -> int:
        return self.game.player(self.world)

    @property
    def ended(self) -> str | None:
        """``"won"``, ``"lost"`` or ``None``."""
        return self.game.ending(self.world)

    def opening(self) -> str:
        """What to show first: the intro for a new game, or where the player is."""
        room = self.narrator.describe_room(self.world, self.player)
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
        """Save and release the game."""
        self.save.close()

    # ------------------------------------------------------------------ turns

    def turn(self, text: str) -> Reply:
        """Handle one line the player typed."""
        world = self.world
        result = self.parser.parse(text, ReadOnlyWorld(world), self.player)
        reply = self._answer(text, result)
        notice = self._notice()
        if notice:  # the parser model went away or came back: say so, once
            return Reply(f"[{notice}]\n\n{reply.text}", reply.turn, reply.ended, reply.quit)
        return reply

    def _answer(self, text: str, result: ParseResult) -> Reply:
        if isinstance(result, Meta):
            return self._meta(result)
        if isinstance(result, ParseError):
            return self._reply(result.message)
        if isinstance(result, Clarification):
            return self._reply(result.question)
        if self.ended is not None:
            return self._reply('The game is over. You can "undo", "restore" a save, or "quit".')
        return self._play(text, result)

    def _notice(self) -> str | None:
        take = getattr(self.parser, "take_notice", None)
        return take() if callable(take) else None

    def _models(self) -> dict[str, str]:
        """What model work the turn used, for its journal row."""
        use = getattr(self.parser, "last_model_use", None)
        client = getattr(self.parser, "client", None)
        if not use or client is None:
            return {}
        tokens = use.get("tokens", [0, 0])
        return {
            "parser": client.config.model,
            "parser_tokens": f"{tokens[0]}+{tokens[1]}",
            "parser_answers": str(len(use.get("answers", []))),
        }

    def _play(self, text: str, parsed: Parsed) -> Reply:
        self.narrator.prepare(self.world, parsed.proposals)
        with self.save.simulation.bus.record() as events:
            outcomes = self.save.play(text, parsed.proposals, models=self._models())
        world = self.world
        parts = [self.narrator.narrate(world, self.player, outcomes)]
        parts.append(self.narrator.others(world, self.player, events))
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
        return self._reply("\n\n".join(p for p in parts if p), ended=ending)

    # ------------------------------------------------------------------- meta

    def _meta(self, meta: Meta) -> Reply:
        handler = {
            "help": self._help,
            "score": lambda _: self._reply(self._score_line()),
            "undo": self._undo,
            "save": self._save,
            "restore": self._restore,
            "quit": lambda _: Reply("Goodbye. Your game is saved.", self.save.turn, quit=True),
        }.get(meta.command)
        if handler is None:
            return self._reply(f'"{meta.command}" is not available here.')
        return handler(meta.argument)

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
        score = self.world.get(self.player, Score, readonly=True)
        return f"Your score is {score.points} out of {score.possible}, in {self.save.turn} turns."

    def _undo(self, _: str) -> Reply:
        try:
            self.save.undo()
        except PersistenceError as exc:
            return self._reply(_cap(str(exc).split(": ", 1)[-1]))
        self.parser.reset()
        return self._reply("Undone.\n\n" + self.narrator.describe_room(self.world, self.player))

    def _slot(self, name: str) -> Path:
        words = "-".join(name.lower().split())
        slot = "".join(c for c in words if c.isalnum() or c in "-_") or "saved"
        return self.save.path.with_name(f"{self.game.id}-{slot}.save")

    def _save(self, name: str) -> Reply:
        target = self._slot(name)
        try:
            self.save.save_as(target)
        except PersistenceError as exc:
            return self._reply(f"Not saved: {exc}")
        return self._reply(f"Saved as {target.stem.removeprefix(self.game.id + '-')!r}.")

    def _restore(self, name: str) -> Reply:
        source = self._slot(name)
        if not source.exists():
            return self._reply(
                f"There is no save called {source.stem.removeprefix(self.game.id + '-')!r}."
            )
        try:
            self.save = self.save.restore_from(source)
        except PersistenceError as exc:
            return self._reply(f"Not restored: {exc}")
        self.parser.reset()
        return self._reply("Restored.\n\n" + self.narrator.describe_room(self.world, self.player))

    def _reply(self, text: str, *, ended: str | None = None) -> Reply:
        return Reply(text, self.save.turn, ended=ended)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
