"""Plays turns the way the session does, remembering each one: the live
path that sync's rebuild must reproduce exactly."""

from __future__ import annotations

from fabula.content import ContentGame
from fabula.memory import HistoryEntry, MemoryStore, Scene
from fabula.narration import TemplateNarrator
from fabula.parsing import Parsed, SymbolicParser
from fabula.persistence import SaveFile
from tests.support.walkthrough import commands


class Driver:
    """One player at the keyboard: parse, play, tell, remember."""

    def __init__(self, save: SaveFile, game: ContentGame, store: MemoryStore | None) -> None:
        self.save = save
        self.game = game
        self.store = store
        self.parser = SymbolicParser(game.actions)
        self.narrator = TemplateNarrator(game.files.templates)
        self.entries: list[HistoryEntry] = []

    @property
    def player(self) -> int:
        return self.game.player(self.save.world)

    def play(self, text: str, *, remember: bool = True) -> str:
        """Play one command as the session would; return the plain account."""
        world = self.save.world
        result = self.parser.parse(text, world.view(), self.player)
        assert isinstance(result, Parsed), f"{text!r} did not parse: {result}"
        before = Scene.of(world, self.player)
        self.narrator.prepare(world, result.proposals)
        with self.save.simulation.bus.record() as events:
            outcomes = self.save.play(text, result.proposals)
        account = self.narrator.account(self.save.world, self.player, outcomes, events)
        if remember and self.store is not None:
            entry = self.store.record_turn(
                self.save, account, before, self.player, outcomes, events
            )
            self.entries.append(entry)
        return account

    def play_all(self, text: str, *, remember: bool = True) -> list[str]:
        return [self.play(command, remember=remember) for command in commands(text)]
