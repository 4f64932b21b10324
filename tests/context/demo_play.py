"""The demo game played without a save, for the context tests: its rules,
symbolic parser and template narrator over one world."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fabula.actions import Outcome
from fabula.actions.standard import Named, inventory, visible
from fabula.content import ContentGame
from fabula.context import StateContext, StateContextBuilder, focus_of
from fabula.games import demo
from fabula.narration import TemplateNarrator
from fabula.parsing import Parsed, SymbolicParser


@dataclass(frozen=True)
class Memory:
    """The shape of fabula.memory's memories, as far as the builder cares."""

    text: str
    score: float


class Play:
    """The demo's rules, parser and template narrator over one world, without a save."""

    def __init__(self) -> None:
        self.game: ContentGame = demo()
        self.world = self.game.new_world(self.game.files.game.seed)
        self.simulation = self.game.simulation(self.world)
        self.parser = SymbolicParser(self.game.actions)
        self.narrator = TemplateNarrator(self.game.files.templates)
        self.me = self.game.player(self.world)
        self.outcomes: list[Outcome] = []
        self.account = ""
        self.events: list[str] = []

    def __call__(self, commands: str) -> Play:
        for command in (c.strip() for c in commands.split(";") if c.strip()):
            parsed = self.parser.parse(command, self.world, self.me)
            assert isinstance(parsed, Parsed), (command, parsed)
            self.narrator.prepare(self.world, parsed.proposals)
            self.outcomes = self.simulation.play(list(parsed.proposals))
            self.account = self.narrator.narrate(self.world, self.me, self.outcomes)
            self.events.append(f"{command}: {self.account.splitlines()[0]}")
        return self

    def context(self, goals: Sequence[str] = (), events: Sequence[str] = ()) -> StateContext:
        """What the player perceives now. The turns' events are the caller's
        words, not perception, so they are left out unless asked for."""
        return StateContextBuilder().build(
            self.world, self.me, events=events, goals=goals, focus=focus_of(self.outcomes)
        )

    def names(self) -> set[str]:
        seen = visible(self.world, self.me) | inventory(self.world, self.me)
        return {self.world.get(e, Named).name for e in seen}
